"""Pydantic models at the HTTP boundary."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class ErrorBody(BaseModel):
    code: str = Field(description="machine-readable error code, e.g. bad_query")
    message: str = Field(description="what went wrong and what to do about it")


class ErrorResponse(BaseModel):
    error: ErrorBody


class SourceSpan(BaseModel):
    """Where a quoted span lies: its document, file, raw offsets, page, section, passage.

    The base of every hit, citation and quoted row below (declared once)."""

    doc_id: str
    doc_title: str | None
    doc_number: str | None
    source: str = Field(description="file path relative to the repository root")
    char_start: int = Field(description="raw[char_start:char_end] is the span of the source")
    char_end: int
    page: int | None
    section: str
    passage_id: str


class PassageHit(SourceSpan):
    """A passage found, with its cleaned text and the spans of it that match."""

    char_start: int = Field(description="raw[char_start:char_end] is the passage's source span")
    text: str
    highlights: list[tuple[int, int]] = Field(description="[start, end) spans of text that match")


class SearchHit(PassageHit):
    rank: int
    score: float
    reading: str | None = Field(
        default=None,
        description="text with accents restored and OCR errors repaired, for display, when "
        "the source is OCR'd with garbled accents (text itself stays exactly the raw span)",
    )
    restored: bool = Field(default=False, description="true when reading is machine-restored")


class SearchResponse(BaseModel):
    query: str
    mode: Literal["hybrid", "lexical", "dense"]
    took_ms: float
    total: int = Field(
        description="number of candidates ranked, the same on every page (for pagination)"
    )
    hits: list[SearchHit]


class DocumentSummary(BaseModel):
    doc_id: str
    source: str
    doc_number: str | None
    doc_type: str | None
    title: str | None
    issuer: str | None
    place: str | None
    province: str | None
    date: str | None = Field(description="ISO date of issue")
    passages: int


class OutlineItem(BaseModel):
    level: int
    heading: str
    path: str
    char_start: int
    char_end: int


class PassageRef(BaseModel):
    passage_id: str
    char_start: int
    char_end: int
    page: int | None
    section: str


class DocumentDetail(DocumentSummary):
    text: str = Field(description="the cleaned text")
    outline: list[OutlineItem]
    passage_spans: list[PassageRef]


class Health(BaseModel):
    status: str
    documents: int | None = None
    passages: int | None = None


class UploadResult(BaseModel):
    doc_id: str | None
    source: str = Field(description="where the uploaded file is kept, relative to the root")
    status: Literal["added", "updated", "unchanged"]
    passages: int
    warnings: list[str] = Field(description="e.g. a page of a scan that yielded no text")


class DeleteResult(BaseModel):
    doc_id: str
    source: str
    deleted: bool


class RawText(BaseModel):
    doc_id: str
    source: str
    kind: Literal["text", "html", "pdf", "pdf-ocr", "docx"] = Field(
        description="how the source was read: text (incl. Markdown and legacy encodings), "
        "html, pdf (text layer), pdf-ocr (scanned), docx"
    )
    extracted: bool = Field(
        description="true when the text was extracted (PDF, OCR, Word, legacy encoding) and "
        "kept by the index; false when it is the source file read as UTF-8"
    )
    text: str = Field(description="text[char_start:char_end] is a passage's source span")


# --- citation graph (issue 4) -------------------------------------------------------
# The relation vocabulary (issue 20; ingest/references/relations.py, README "Citation graph").
Relation = Literal[
    "based_on", "implements", "continues", "reviews", "approves", "replaces", "guided_by",
    "mentions",
]  # fmt: skip
_RELATION_DOC = (
    "the citing document's relation to the cited one, read from the clause that governs the "
    "mention: based_on (Căn cứ, Trên cơ sở, Theo đề nghị … tại Tờ trình), implements (Thực "
    "hiện, Triển khai, Cụ thể hóa), continues (Tiếp tục thực hiện), reviews (Tổng kết, Sơ kết, "
    "kết quả thực hiện), approves (Phê duyệt, Ban hành kèm theo), replaces (Thay thế, Bãi bỏ), "
    "guided_by (theo hướng dẫn / tiêu chí / quy định tại, đánh giá theo), mentions (anything "
    "else); one per pair, in that order of precedence: replaces, approves, based_on, reviews, "
    "continues, implements, guided_by, mentions"
)


class Cue(BaseModel):
    char_start: int = Field(description="raw[char_start:char_end] is the cue, in the citing text")
    char_end: int
    text: str = Field(description="the words that decide the relation, e.g. 'Thực hiện'")


class EdgeCue(Cue):
    doc_id: str = Field(description="the corpus document whose text states it")
    source: str


class RefMention(BaseModel):
    passage_id: str | None = Field(description="the passage holding the mention")
    char_start: int = Field(description="raw[char_start:char_end] is the mention")
    char_end: int
    surface: str = Field(description="the mention as written, e.g. 'Két luan sé 49- KL/TW'")
    relation: Relation = Field(description="this mention's relation")
    cue: Cue | None = Field(description="the words deciding it; null for a plain mention")


class RefEntry(BaseModel):
    target: str = Field(description="canonical id of the other document, e.g. 89/QĐ-TTg")
    relation: Relation = Field(description=_RELATION_DOC)
    cue: EdgeCue | None = Field(description="evidence of the relation: the first cue giving it")
    in_corpus: bool
    target_doc_id: str | None
    mentions: list[RefMention]


class ReferencesResponse(BaseModel):
    doc_id: str
    cites: list[RefEntry] = Field(description="documents this one refers to")
    cited_by: list[RefEntry] = Field(description="documents that refer to this one")


class GraphNode(BaseModel):
    id: str = Field(description="canonical id (11-CT/TW, 89/QĐ-TTg) or a corpus doc_id")
    type: str | None
    issuer: str | None
    date: str | None = Field(description="ISO date most mentions give")
    title: str | None
    in_corpus: bool
    doc_id: str | None


class GraphEdge(BaseModel):
    source: str = Field(description="the citing document")
    target: str = Field(description="the cited document")
    relation: Relation = Field(description=_RELATION_DOC)
    count: int = Field(description="number of mentions")


class GraphResponse(BaseModel):
    nodes: list[GraphNode]
    edges: list[GraphEdge]


class NodeMention(RefMention):
    doc_id: str = Field(description="the corpus document whose text states it")
    source: str


class NodeEntry(RefEntry):
    mentions: list[NodeMention]  # type: ignore[assignment]


class GraphNodeDetail(GraphNode):
    label: str
    dates: list[str] = Field(description="every date the corpus gives, most frequent first")


class ChainLink(BaseModel):
    id: str
    depth: int
    relation: Literal["implements", "continues", "reviews"]
    via: str = Field(description="the document it implements")
    cue: str | None = Field(description="the words that put it in the chain, e.g. 'Thực hiện'")


class GraphNodeResponse(BaseModel):
    node: GraphNodeDetail
    mentions: int = Field(description="mentions of this document in the corpus")
    cites: list[NodeEntry]
    cited_by: list[NodeEntry]
    chain: list[ChainLink] = Field(
        description="documents implementing this one, transitively, nearest first"
    )


# --- answers: cited Q&A, requirements, precedent wording (issue 5) ------------------


class CitationOut(SourceSpan):
    char_start: int = Field(description="raw[char_start:char_end] == quote")
    quote: str = Field(description="the exact text of the source file at [char_start, char_end)")
    reading: str | None = Field(
        default=None,
        description="quote with accents restored and OCR errors repaired, for display, when "
        "the source is OCR'd with garbled accents",
    )
    restored: bool = Field(default=False, description="true when reading is machine-restored")


class FigureOut(BaseModel):
    text: str = Field(description="what the question asked for, e.g. 8.275 or 98,75%")
    char_start: int = Field(
        description="raw[char_start:char_end] == text, in the first citation's source"
    )
    char_end: int


class AskRequest(BaseModel):
    question: str = Field(
        description="the question, accents optional, 1–2,000 characters",
        json_schema_extra={"minLength": 1, "maxLength": 2000},
    )
    k: int = Field(default=6, ge=1, le=20, description="passages to read, 1–20")


class AskResponse(BaseModel):
    question: str
    answer: str | None = Field(
        description="the sentence or two of the corpus that answer (≤ 600 characters), "
        "or null when the corpus does not answer"
    )
    message: str | None = Field(description="why there is no answer, or a caveat")
    method: str = Field(description="extractive (default) or generative")
    confidence: float
    took_ms: float
    citations: list[CitationOut]
    passages: list[SearchHit] = Field(description="the passages read")
    figure: FigureOut | None = Field(
        default=None, description="the figure, date, deadline or amount asked for, in the answer"
    )
    answer_type: str | None = Field(
        default=None,
        description="what the question asks for: figure, percentage, amount, date, deadline, "
        "person, actor, place, name, list (null: a statement)",
    )


class RequirementOut(SourceSpan):
    requirement_id: str
    actor: str | None = Field(description="who must act, as the text names them")
    action: str
    deadline: str | None = Field(description="ISO date when the text states one")
    deadline_text: str | None = Field(description="the deadline or period as written")
    target: str | None
    implements: list[str] = Field(description="directives the document carries out")
    source: str
    char_start: int
    quote: str = Field(description="raw[char_start:char_end] of source")


class RequirementsResponse(BaseModel):
    total: int
    requirements: list[RequirementOut]


class PhraseHitOut(PassageHit):
    source: str
    char_start: int
    highlights: list[tuple[int, int]] = Field(description="[start, end) spans of text")
    matches: list[CitationOut] = Field(description="the highlighted spans in the raw file")
    score: float


class PhraseResponse(BaseModel):
    query: str
    total: int = Field(description="occurrences in all passages")
    hits: list[PhraseHitOut]


class SimilarRequest(BaseModel):
    text: str = Field(
        description="a sentence or paragraph, 1–5,000 characters, accents optional",
        json_schema_extra={"minLength": 1, "maxLength": 5000},
    )
    k: int = Field(default=10, ge=1, le=50, description="results to return, 1–50")
    doc_type: str | None = Field(default=None, description="document type, e.g. Kế hoạch")
    issuer_level: str | None = Field(
        default=None,
        description="issuer level: Trung ương, tỉnh, huyện or xã (accents optional)",
        json_schema_extra={"examples": ["tỉnh"]},
    )
    year_from: int | None = Field(
        default=None, ge=0, le=9999, description="documents dated this year or later"
    )
    year_to: int | None = Field(
        default=None, ge=0, le=9999, description="documents dated this year or earlier"
    )


class ContextOut(BaseModel):
    text: str = Field(description="the sentence as the cleaned passage text holds it")
    char_start: int = Field(description="raw[char_start:char_end] == quote")
    char_end: int
    quote: str = Field(description="the exact text of the source file at [char_start, char_end)")
    reading: str | None = Field(
        description="the sentence with accents restored and OCR errors repaired (OCR'd "
        "documents), else null"
    )


class WordingUseOut(SourceSpan):
    doc_type: str | None
    issuer: str | None
    issuer_level: str | None = Field(description="Trung ương, tỉnh, huyện, xã, or null")
    date: str | None = Field(description="ISO date of the document")
    source: str
    char_start: int = Field(description="raw[char_start:char_end] == quote")
    quote: str
    reading: str | None
    similarity: float = Field(description="cosine of this sentence and the pasted text")
    viewer: str = Field(description="UI address opening the document at this sentence")


class SimilarHitOut(PhraseHitOut):
    rank: int
    doc_type: str | None
    issuer: str | None
    issuer_level: str | None = Field(description="Trung ương, tỉnh, huyện, xã, or null")
    date: str | None = Field(description="ISO date of the document")
    sentence: ContextOut = Field(description="the sentence worded like the pasted text")
    sentence_highlights: list[tuple[int, int]] = Field(
        description="[start, end) spans of sentence.text sharing a run of words with the "
        "pasted text (accent-blind)"
    )
    before: ContextOut | None = Field(description="the sentence before, in the same document")
    after: ContextOut | None = Field(description="the sentence after, in the same document")
    reading: str | None = Field(description="sentence.reading (OCR'd documents), else null")
    restored: bool = Field(description="reading is set")
    uses: list[WordingUseOut] = Field(
        description="every document using near-identical wording (this one included), newest first"
    )
    meaning: float = Field(description="cosine of the pasted text and the sentence")
    wording: float = Field(description="IDF-weighted share of words in common")
    viewer: str = Field(description="UI address opening the document at the sentence")


class SimilarResponse(BaseModel):
    text: str | None = Field(default=None, description="the pasted text")
    took_ms: float | None = None
    hits: list[SimilarHitOut] = Field(
        description="sentences best first; the inherited passage fields (text, char_start, "
        "char_end, highlights, matches) describe the passage holding the sentence"
    )


class DuplicateGroupOut(BaseModel):
    group_id: int
    similarity: float
    documents: list[str]
    members: list[CitationOut]


class DuplicatesResponse(BaseModel):
    min_similarity: float | None = Field(
        default=None, description="the threshold used (the one asked, taken down to a step)"
    )
    min_words: int | None = Field(default=None, description="the shortest sentence used")
    groups: list[DuplicateGroupOut]


class FailedFile(BaseModel):
    source: str
    reason: str


class IngestWarning(BaseModel):
    source: str
    warning: str


class ReindexResult(BaseModel):
    added: list[str] = Field(description="sources ingested for the first time")
    updated: list[str] = Field(description="sources whose content changed")
    skipped: int = Field(description="unchanged files")
    failed: list[FailedFile] = Field(description="files that could not be read, with the reason")
    warnings: list[IngestWarning] = Field(
        default_factory=list, description="files read with a warning (e.g. a page with no text)"
    )
    passages: int = Field(description="passages written")
    seconds: float
