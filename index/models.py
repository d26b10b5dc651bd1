"""Data types of the index stage."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Filters:
    """Search filters; ``None`` means no restriction."""

    doc_type: str | None = None
    issuer: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    doc_id: str | None = None

    def any(self) -> bool:
        """Tells whether any filter is set."""
        return any(
            v is not None
            for v in (self.doc_type, self.issuer, self.year_from, self.year_to, self.doc_id)
        )


@dataclass(frozen=True)
class Hit:
    """One search result with its provenance."""

    rank: int
    score: float
    passage_id: str
    doc_id: str
    doc_title: str | None
    doc_number: str | None
    source: str
    char_start: int
    char_end: int
    page: int | None
    section: str
    text: str
    highlights: list[tuple[int, int]] = field(default_factory=list)
    reading: str | None = None  # ``text`` restored, when the source is OCR'd (garbled)
    restored: bool = False


@dataclass(frozen=True)
class SearchResult:
    """Hits of one query."""

    query: str
    mode: str
    took_ms: float
    hits: list[Hit]
    total: int


@dataclass
class IngestReport:
    """What one ingest run did (filled in as the run goes)."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # e.g. a page with no text
    passages: int = 0
    seconds: float = 0.0


# --- answers: cited Q&A, requirements, precedent wording (issue 5) ------------------


@dataclass(frozen=True)
class Citation:
    """A quoted span of a source; ``quote == raw[char_start:char_end]`` of ``source``."""

    doc_id: str
    doc_title: str | None
    doc_number: str | None
    source: str
    char_start: int
    char_end: int
    page: int | None
    section: str
    passage_id: str
    quote: str
    reading: str | None = None  # ``quote`` restored, when the source is OCR'd (garbled)
    restored: bool = False


@dataclass(frozen=True)
class Figure:
    """What the question asked for inside the answer: ``raw[char_start:char_end] == text``.

    Offsets index the source of the answer's first citation.
    """

    text: str
    char_start: int
    char_end: int


@dataclass(frozen=True)
class Answer:
    """An extractive answer with its citations, or ``answer=None`` and a message."""

    question: str
    answer: str | None
    message: str | None
    citations: list[Citation]
    passages: list[Hit]
    confidence: float
    method: str  # "extractive" or "generative"
    took_ms: float
    figure: Figure | None = None
    answer_type: str | None = None  # what the question asked for (answers/typed.py)


@dataclass(frozen=True)
class Requirement:
    """Who must do what, by when or to what target, and where a document says so."""

    requirement_id: str
    actor: str | None
    action: str
    deadline: str | None  # ISO yyyy-mm-dd when the text states a full date
    deadline_text: str | None
    target: str | None
    implements: list[str]  # directives the document carries out, e.g. ["11-CT/TW"]
    citation: Citation


@dataclass(frozen=True)
class PhraseHit:
    """A passage containing a phrase or shared wording, with every occurrence."""

    passage_id: str
    doc_id: str
    doc_title: str | None
    doc_number: str | None
    source: str
    char_start: int
    char_end: int
    page: int | None
    section: str
    text: str
    highlights: list[tuple[int, int]]  # spans of ``text``
    matches: list[Citation]  # the same spans in the raw file
    score: float = 0.0


@dataclass(frozen=True)
class DuplicateGroup:
    """Near-identical wording used in several documents."""

    group_id: int
    similarity: float  # the lowest pairwise similarity that joined the group
    documents: list[str]
    members: list[Citation]


# --- sentence units (issue 19) -------------------------------------------------------


@dataclass(frozen=True)
class Sentence:
    """A sentence or list item of a passage; ``raw[char_start:char_end]`` is its text.

    ``start``/``end`` index the passage's cleaned text (``text`` is that slice);
    ``reading`` is the span restored for display when the document is OCR'd with
    garbled accents, else ``None``. ``passage`` is the passage's row id and ``row``
    its row in the in-memory matrix (:class:`index.sentences.Sentences`).
    """

    id: int
    passage: int
    passage_id: str
    doc_id: str
    ord: int
    start: int
    end: int
    char_start: int
    char_end: int
    text: str
    reading: str | None = None
    row: int = -1


@dataclass(frozen=True)
class SentenceUnit:
    """A sentence unit as ingest writes it: ``passage`` is the passage's ordinal in its
    document until the passage has a row id, then that row id."""

    doc_id: str
    passage: int
    ord: int
    start: int
    end: int
    char_start: int
    char_end: int
    text: str
    reading: str | None = None


# --- precedent wording ranked by meaning (issue 19) ----------------------------------


@dataclass(frozen=True)
class PrecedentFilters:
    """Filters a drafter uses; ``None`` means no restriction."""

    doc_type: str | None = None
    issuer_level: str | None = None  # one of index.levels.LEVELS (or what parse_level reads)
    year_from: int | None = None
    year_to: int | None = None


@dataclass(frozen=True)
class Context:
    """A sentence shown with a result; ``quote == raw[char_start:char_end]``.

    ``text`` is the sentence as the passage's cleaned text holds it (hard-wrapped lines
    joined); ``reading`` its restored form when the document is OCR'd, else ``None``.
    """

    text: str
    char_start: int
    char_end: int
    quote: str
    reading: str | None = None


@dataclass(frozen=True)
class WordingUse:
    """One document using a wording: where, and in which words."""

    doc_id: str
    doc_title: str | None
    doc_number: str | None
    doc_type: str | None
    issuer: str | None
    issuer_level: str | None
    date: str | None
    source: str
    page: int | None
    section: str
    passage_id: str
    char_start: int
    char_end: int
    quote: str  # raw[char_start:char_end]
    reading: str | None
    similarity: float  # to the pasted text (meaning, cosine)


@dataclass(frozen=True)
class SimilarHit(PhraseHit):
    """A sentence worded like the pasted text, in its passage, with every document using it.

    The inherited fields describe the passage (``text``, ``char_start``/``char_end``,
    ``highlights`` = the shared wording as spans of the passage text, ``matches`` = the
    same in the raw file), so clients of the passage-level result keep working.
    """

    rank: int = 0
    doc_type: str | None = None
    issuer: str | None = None
    issuer_level: str | None = None
    date: str | None = None
    sentence: Context | None = None
    sentence_highlights: list[tuple[int, int]] = field(default_factory=list)  # of sentence.text
    before: Context | None = None
    after: Context | None = None
    reading: str | None = None  # the sentence restored, for an OCR'd document
    restored: bool = False
    uses: list[WordingUse] = field(default_factory=list)  # newest first
    meaning: float = 0.0  # cosine of the pasted text and the sentence
    wording: float = 0.0  # share of the pasted words the sentence has (IDF-weighted)
