"""Sentences inside passages, and their exact spans in the raw source file.

A passage's text is a cleaned copy of ``raw[char_start:char_end]``: NFC, hard-wrapped
lines joined, web chrome dropped, paragraphs separated by a blank line. The cleaning
only ever changes whitespace or drops whole pieces, so a sentence of the passage is
found in the raw span by comparing the two texts with their whitespace removed; each
non-space character keeps the raw offsets it came from.
"""

from __future__ import annotations

import hashlib
import re
import threading
from bisect import bisect_left
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Protocol

from index import extracted
from index.models import Citation
from index.store import Store
from ingest.errors import IngestError
from ingest.load import load
from vntext.normalize import nfc_mapped
from vntext.sentences import SENTENCE_STOPS, sentence_breaks

# A sentence ends at . ! ? or … before whitespace and a capital, digit, dash, bullet or
# quote, and at every line break (vntext/sentences.py, where the chunker's rule is too).
_LINE = re.compile(r"\n+")
# Clauses of an over-long sentence (OCR'd lists run for a page without a full stop).
_CLAUSE_END = re.compile(r"(?<=[,;:])\s+")


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def sentence_spans(text: str, max_chars: int | None = None) -> list[tuple[int, int]]:
    """Returns the ``[start, end)`` spans of the sentences of ``text``.

    Args:
        text: a passage's cleaned text.
        max_chars: when set, a sentence longer than this is cut into runs of clauses
            (at ``,``, ``;`` and ``:``) of at most about this length.

    Returns:
        Non-empty spans in order, without surrounding whitespace.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    for line in [*_LINE.finditer(text), None]:
        end = line.start() if line is not None else len(text)
        start = pos
        for a, b in sentence_breaks(text, SENTENCE_STOPS, pos, end):
            spans.append((start, a))
            start = b
        spans.append((start, end))
        pos = line.end() if line is not None else len(text)
    out = []
    for a, b in spans:
        a, b = _trim(text, a, b)
        if b > a and any(c.isalnum() for c in text[a:b]):
            out.extend(_clauses(text, a, b, max_chars) if max_chars else [(a, b)])
    return out


def _clauses(text: str, a: int, b: int, max_chars: int) -> list[tuple[int, int]]:
    if b - a <= max_chars:
        return [(a, b)]
    cuts = [m.end() for m in _CLAUSE_END.finditer(text, a, b)]
    runs: list[tuple[int, int]] = []
    start = a
    last = a
    for c in [*cuts, b]:
        if c - start > max_chars and last > start:
            runs.append(_trim(text, start, last))
            start = last
        last = c
    runs.append(_trim(text, start, b))
    out: list[tuple[int, int]] = []
    for s, e in runs:
        # A clause with no comma in a page of text: cut at spaces.
        while e - s > max_chars:
            cut = text.rfind(" ", s + max_chars // 2, s + max_chars)
            cut = cut if cut > s else s + max_chars
            out.append(_trim(text, s, cut))
            s, _ = _trim(text, cut, e)
        if e > s:
            out.append((s, e))
    return [r for r in out if r[1] > r[0]]


@dataclass(frozen=True)
class _Dense:
    """The non-space characters of a text and, per character, its raw ``[start, end)``."""

    chars: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]


def _dense_raw(raw: str, start: int, end: int) -> _Dense:
    mapped = nfc_mapped(raw[start:end])
    keep = [i for i, c in enumerate(mapped.text) if not c.isspace()]
    return _Dense(
        "".join(mapped.text[i] for i in keep),
        tuple(start + mapped.starts[i] for i in keep),
        tuple(start + mapped.ends[i] for i in keep),
    )


def _dense_text(text: str, a: int, b: int) -> tuple[str, list[int]]:
    """Returns the non-space characters of ``text[a:b]`` and their positions in ``text``."""
    pos = [i for i in range(a, b) if not text[i].isspace()]
    return "".join(text[i] for i in pos), pos


class Cited(Protocol):
    """What a citation needs of a passage (a search hit or a stored passage row)."""

    @property
    def doc_id(self) -> str: ...
    @property
    def doc_title(self) -> str | None: ...
    @property
    def doc_number(self) -> str | None: ...
    @property
    def source(self) -> str: ...
    @property
    def char_start(self) -> int: ...
    @property
    def char_end(self) -> int: ...
    @property
    def page(self) -> int | None: ...
    @property
    def section(self) -> str: ...
    @property
    def passage_id(self) -> str: ...
    @property
    def text(self) -> str: ...


class RawSources:
    """Reads source files once and maps passage sentences to exact raw spans.

    Args:
        root: the directory ``source`` paths are relative to (the repository root).
        index_dir: the index, whose ``extracted/`` folder holds the text a PDF, Word
            or legacy-encoded file was read as (its offsets index that text).
    """

    def __init__(self, root: Path, index_dir: Path | None = None) -> None:
        self.root = Path(root)
        self.index_dir = index_dir
        self._raw: dict[tuple[str, str | None], str | None] = {}
        self._dense: dict[tuple[str, int, int], _Dense] = {}
        self._lock = threading.Lock()

    def raw(self, source: str, sha256: str | None = None) -> str | None:
        """Returns the text a source's offsets index, or ``None``.

        ``None`` when the file is gone, unreadable, or (given ``sha256``) no longer the
        version that was indexed — its offsets would point at the wrong text.
        """
        key = (source, sha256)
        with self._lock:
            if key in self._raw:
                return self._raw[key]
        path = self.root / source
        text: str | None = None
        if self.index_dir is not None and sha256 is not None:
            text = extracted.load(self.index_dir, sha256)
            if text is not None:
                with self._lock:
                    self._raw[key] = text
                return text
        try:
            loaded, data = load(path)
            stale = sha256 is not None and hashlib.sha256(data).hexdigest() != sha256
            text = None if stale else loaded.raw
        except (OSError, IngestError):
            text = None
        with self._lock:
            self._raw[key] = text
        return text

    def cite(self, passage: Cited, sha256: str | None, a: int, b: int) -> Citation | None:
        """Returns the citation of ``passage.text[a:b]`` with its exact raw quote.

        ``None`` when the raw file cannot be read (gone, or another version than the one
        indexed, given ``sha256``) or the piece cannot be placed in it.
        """
        span = self.locate(
            passage.source, sha256, passage.char_start, passage.char_end, passage.text, a, b
        )
        raw = self.raw(passage.source, sha256)
        if span is None or raw is None:
            return None
        return Citation(
            doc_id=passage.doc_id,
            doc_title=passage.doc_title,
            doc_number=passage.doc_number,
            source=passage.source,
            char_start=span[0],
            char_end=span[1],
            page=passage.page,
            section=passage.section,
            passage_id=passage.passage_id,
            quote=raw[span[0] : span[1]],
        )

    def _dense_for(self, source: str, raw: str, start: int, end: int) -> _Dense:
        key = (source, start, end)
        with self._lock:
            hit = self._dense.get(key)
        if hit is None:
            hit = _dense_raw(raw, start, end)
            with self._lock:
                self._dense[key] = hit
        return hit

    def locate(
        self,
        source: str,
        sha256: str | None,
        passage_start: int,
        passage_end: int,
        text: str,
        a: int,
        b: int,
    ) -> tuple[int, int] | None:
        """Returns the raw ``[start, end)`` of ``text[a:b]``, a piece of a passage's text.

        Args:
            source: the passage's source path.
            sha256: the indexed file's hash (``None`` skips the check).
            passage_start: the passage's raw start.
            passage_end: the passage's raw end.
            text: the passage's cleaned text.
            a: start of the piece in ``text``.
            b: end of the piece in ``text``.

        Returns:
            The raw span from the piece's first to its last non-space character, or
            ``None`` when the raw file cannot be read or the piece cannot be placed.
        """
        raw = self.raw(source, sha256)
        if raw is None or passage_end > len(raw):
            return None
        return _locate(self._dense_for(source, raw, passage_start, passage_end), text, a, b)


def _occurrences(haystack: str, needle: str) -> list[int]:
    """Returns every start of ``needle`` in ``haystack``, overlapping ones included."""
    out = []
    at = haystack.find(needle)
    while at >= 0:
        out.append(at)
        at = haystack.find(needle, at + 1)
    return out


def _locate(dense: _Dense, text: str, a: int, b: int) -> tuple[int, int] | None:
    a, b = _trim(text, a, b)
    if b <= a:
        return None
    whole, pos = _dense_text(text, 0, len(text))
    if whole == dense.chars:  # cleaning changed whitespace only: map character by character
        i, j = bisect_left(pos, a), bisect_left(pos, b) - 1
        return dense.starts[i], dense.ends[j]
    want, _ = _dense_text(text, a, b)
    # A piece repeated inside one passage (issue 15: the second "dòng họ học tập" of a
    # paragraph) maps to its own occurrence: the same one by count when cleaning dropped
    # no occurrence, else the one nearest to where the piece's place aligns in the raw.
    expected = bisect_left(pos, a)
    mine = _occurrences(whole, want)
    theirs = _occurrences(dense.chars, want)
    if theirs:
        if len(mine) == len(theirs) and expected in mine:
            at = theirs[mine.index(expected)]
        else:
            target = _mapped(_pairs(whole, dense.chars), expected)
            at = min(theirs, key=lambda t: (abs(t - target), t))
        return dense.starts[at], dense.ends[at + len(want) - 1]
    return _align(dense, text, a, b)


def _pairs(whole: str, chars: str) -> list[tuple[int, int]]:
    """Returns the aligned ``(passage, raw)`` positions of two dense texts, in order."""
    matcher = SequenceMatcher(None, whole, chars, autojunk=False)
    pairs: list[tuple[int, int]] = []
    for blk in matcher.get_matching_blocks():
        pairs.extend((blk.a + k, blk.b + k) for k in range(blk.size))
    return pairs


def _mapped(pairs: list[tuple[int, int]], i: int) -> int:
    """Returns where passage position ``i`` falls in the raw dense text (``i`` when unaligned)."""
    if not pairs:
        return i
    at = min(bisect_left(pairs, (i, -1)), len(pairs) - 1)
    return pairs[at][1] - (pairs[at][0] - i)


def _align(dense: _Dense, text: str, a: int, b: int) -> tuple[int, int] | None:
    """Places a piece by aligning the whole passage (when cleaning dropped chrome)."""
    whole, pos = _dense_text(text, 0, len(text))
    pairs = _pairs(whole, dense.chars)
    if not pairs:
        return None
    lo = bisect_left(pos, a)
    hi = bisect_left(pos, b) - 1
    inside = [(i, j) for i, j in pairs if lo <= i <= hi]
    if not inside:
        return None
    return dense.starts[inside[0][1]], dense.ends[inside[-1][1]]


def place_spans(
    raw: str, passage_start: int, passage_end: int, text: str, spans: list[tuple[int, int]]
) -> list[tuple[int, int] | None]:
    """Returns the raw ``[start, end)`` of each piece ``text[a:b]`` of one passage.

    The batch form of :meth:`RawSources.locate` for a passage's sentences at ingest:
    when the passage's non-space characters are those of its raw span (the usual case:
    cleaning only changed whitespace) each piece maps directly, else piece by piece.

    Args:
        raw: the text the passage's offsets index.
        passage_start: the passage's raw start.
        passage_end: the passage's raw end.
        text: the passage's cleaned text.
        spans: ``[a, b)`` pieces of ``text``.

    Returns:
        Per piece, its raw span from its first to its last non-space character, or
        ``None`` when it cannot be placed.
    """
    if passage_end > len(raw):
        return [None] * len(spans)
    dense = _dense_raw(raw, passage_start, passage_end)
    whole, pos = _dense_text(text, 0, len(text))
    out: list[tuple[int, int] | None] = []
    for a, b in spans:
        a, b = _trim(text, a, b)
        if b <= a:
            out.append(None)
        elif whole == dense.chars:
            i, j = bisect_left(pos, a), bisect_left(pos, b) - 1
            out.append((dense.starts[i], dense.ends[j]))
        else:
            out.append(_locate(dense, text, a, b))
    return out


@dataclass(frozen=True)
class PassageRow:
    """A passage with what a citation needs of its document."""

    rowid: int
    passage_id: str
    doc_id: str
    doc_title: str | None
    doc_number: str | None
    source: str
    sha256: str
    char_start: int
    char_end: int
    page: int | None
    section: str
    text: str


def passage_rows(store: Store) -> list[PassageRow]:
    """Returns every passage in document order (cached until the index changes)."""

    def load() -> list[PassageRow]:
        rows = store.conn.execute(
            "SELECT p.id, p.passage_id, p.doc_id, d.title, d.number, d.source, d.sha256, "
            "p.char_start, p.char_end, p.page, p.section, p.text "
            "FROM passages p JOIN documents d ON d.doc_id = p.doc_id ORDER BY p.doc_id, p.ord"
        ).fetchall()
        return [PassageRow(*tuple(r)) for r in rows]

    return store.cached("passage_rows", load)
