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
    answer_type: str | None = None  # what the question asked for (index/typed.py)


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
