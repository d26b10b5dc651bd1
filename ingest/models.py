"""Data types of the ingest stage."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class DocMeta:
    """Document metadata: what its header states, possibly overridden by the manifest."""

    number: str | None = None
    doc_type: str | None = None
    issuer: str | None = None
    place: str | None = None
    date: str | None = None  # ISO yyyy-mm-dd
    title: str | None = None
    province: str | None = None


@dataclass(frozen=True)
class Section:
    """A heading and the raw span its section covers."""

    level: int
    heading: str
    path: str
    char_start: int
    char_end: int


@dataclass(frozen=True)
class Passage:
    """A chunk of one section; ``raw[char_start:char_end]`` is where it came from."""

    ordinal: int
    text: str
    char_start: int
    char_end: int
    section: str
    page: int | None
    seg: str  # underthesea words, lower-cased, syllables of a word joined by "_"
    folded: str  # diacritic-folded, lower-cased text (same length as ``text``)


@dataclass(frozen=True)
class ParsedDocument:
    """Everything ingest knows about one file."""

    doc_id: str
    source: str
    sha256: str
    kind: str
    meta: DocMeta
    clean_text: str
    sections: tuple[Section, ...]
    passages: tuple[Passage, ...] = field(default_factory=tuple)
    # The text offsets index when it is not the file read as UTF-8 (PDF, OCR, DOCX,
    # legacy encodings); the index keeps it so every span stays checkable.
    extracted: str | None = None
    warnings: tuple[str, ...] = ()  # e.g. "page 3: no text found"
