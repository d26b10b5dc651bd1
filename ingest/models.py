"""Data types of the ingest stage."""

from __future__ import annotations

from dataclasses import dataclass, field

from vntext.normalize import MappedText


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
class Reference:
    """One mention of another document; ``raw[char_start:char_end]`` is ``surface``.

    ``target`` is the canonical id ("11-CT/TW", "89/QĐ-TTg", "70/2014/QĐ-UBND"); a short
    form no full mention resolves keeps a readable id such as "Thông tư 07". The
    ``relation`` is the citing document's (implements, reviews, continues, based_on,
    approves, mentions) unless ``subject`` names another document the words give it
    to: "Kết luận 49-KL/TW … về tiếp tục thực hiện Chỉ thị 11-CT/TW" makes the mention
    of 11-CT/TW carry ``subject="49-KL/TW"``, ``relation="continues"``.
    """

    char_start: int
    char_end: int
    surface: str
    target: str
    number: str  # the number as written, "89", "09"
    doc_type: str | None  # from the words before the number, else from the symbol
    form: str  # "full" (number and symbol), "short" ("Chỉ thị 11")
    resolved: bool  # the target is a full id
    relation: str = "mentions"
    subject: str | None = None
    date: str | None = None  # ISO date the words after the mention give
    issuer: str | None = None
    title: str | None = None
    passage: int | None = None  # ordinal of the passage holding the span
    # The words that decide ``relation`` ("Thực hiện", "theo hướng dẫn tại"), as a span of
    # the same text as char_start/char_end; None for a plain mention.
    cue_start: int | None = None
    cue_end: int | None = None
    cue_text: str | None = None  # the cue's raw text


@dataclass(frozen=True)
class ReferencedDocument:
    """A document the corpus refers to, reconciled over all its mentions."""

    id: str
    doc_type: str | None
    issuer: str | None
    date: str | None  # the date most mentions give
    dates: tuple[str, ...]  # every date given, most frequent first (conflicts kept)
    title: str | None
    mentions: int


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
    references: tuple[Reference, ...] = field(default_factory=tuple)
    # The text offsets index when it is not the file read as UTF-8 (PDF, OCR, DOCX,
    # legacy encodings); the index keeps it so every span stays checkable.
    extracted: str | None = None
    warnings: tuple[str, ...] = ()  # e.g. "page 3: no text found"


@dataclass(frozen=True)
class Loaded:
    """What a loader read: the raw text offsets refer to, and its kind.

    Attributes:
        raw: the text passages' offsets index: the file decoded as UTF-8, or, when
            ``extracted`` is set, the text extracted or converted from it.
        kind: ``text``, ``html``, ``pdf``, ``pdf-ocr`` or ``docx``.
        extracted: ``raw`` is not the file read as UTF-8, so the index keeps it.
        pages: raw offset where each page starts (PDF), else empty.
        content: the readable text mapped into ``raw``, when it is not all of ``raw``
            (the main content of a web page); ``None`` means all of ``raw``.
        headings: ``(raw offset, level)`` of paragraphs the file marks as headings.
        warnings: what went wrong without failing the file, e.g. a page with no text.
    """

    raw: str
    kind: str
    extracted: bool = False
    pages: tuple[int, ...] = ()
    content: MappedText | None = None
    headings: tuple[tuple[int, int], ...] = ()
    warnings: tuple[str, ...] = ()
