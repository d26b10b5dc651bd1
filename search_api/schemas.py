"""Pydantic models at the HTTP boundary."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ErrorBody(BaseModel):
    code: str = Field(description="machine-readable error code, e.g. bad_query")
    message: str = Field(description="what went wrong and what to do about it")


class ErrorResponse(BaseModel):
    error: ErrorBody


class SearchHit(BaseModel):
    rank: int
    score: float
    passage_id: str
    doc_id: str
    doc_title: str | None
    doc_number: str | None
    source: str = Field(description="file path relative to the repository root")
    char_start: int = Field(description="raw[char_start:char_end] is the passage's source span")
    char_end: int
    page: int | None
    section: str
    text: str
    highlights: list[tuple[int, int]] = Field(description="[start, end) spans of text that match")


class SearchResponse(BaseModel):
    query: str
    mode: str
    took_ms: float
    total: int = Field(description="number of candidates ranked (for pagination)")
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
    status: str = Field(description="added | updated | unchanged")
    passages: int
    warnings: list[str] = Field(description="e.g. a page of a scan that yielded no text")


class DeleteResult(BaseModel):
    doc_id: str
    source: str
    deleted: bool


class RawText(BaseModel):
    doc_id: str
    source: str
    kind: str = Field(description="text | html | pdf | pdf-ocr | docx")
    extracted: bool = Field(
        description="true when the text was extracted (PDF, OCR, Word, legacy encoding) and "
        "kept by the index; false when it is the source file read as UTF-8"
    )
    text: str = Field(description="text[char_start:char_end] is a passage's source span")


# --- citation graph (issue 4) -------------------------------------------------------
class RefMention(BaseModel):
    passage_id: str | None = Field(description="the passage holding the mention")
    char_start: int = Field(description="raw[char_start:char_end] is the mention")
    char_end: int
    surface: str = Field(description="the mention as written, e.g. 'Két luan sé 49- KL/TW'")


class RefEntry(BaseModel):
    target: str = Field(description="canonical id of the other document, e.g. 89/QĐ-TTg")
    relation: str = Field(
        description="implements, reviews, continues, based_on, approves or mentions"
    )
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
    relation: str
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
    relation: str
    via: str = Field(description="the document it implements")


class GraphNodeResponse(BaseModel):
    node: GraphNodeDetail
    mentions: int = Field(description="mentions of this document in the corpus")
    cites: list[NodeEntry]
    cited_by: list[NodeEntry]
    chain: list[ChainLink] = Field(
        description="documents implementing this one, transitively, nearest first"
    )
