"""Cut passages inside one section: a few paragraphs, at most ~1,500 characters."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from ingest.structure import Block
from vntext.normalize import MappedText
from vntext.sentences import passage_cuts

TARGET_CHARS = 1000
MAX_CHARS = 1500


@dataclass(frozen=True)
class Chunk:
    """Paragraph pieces of one passage, and the section they belong to."""

    pieces: tuple[MappedText, ...]
    section: str


def _split_long(para: MappedText, max_chars: int) -> list[MappedText]:
    """Splits a paragraph longer than ``max_chars`` at sentence ends, else at spaces."""
    if len(para.text) <= max_chars:
        return [para]
    cuts = passage_cuts(para.text)
    pieces: list[MappedText] = []
    start = 0
    while len(para.text) - start > max_chars:
        limit = start + max_chars
        candidates = [c for c in cuts if start + max_chars // 4 < c <= limit]
        if candidates:
            cut = candidates[-1]
        else:
            space = para.text.rfind(" ", start + max_chars // 2, limit)
            cut = space if space > start else limit
        pieces.append(para.slice(start, cut).strip())
        start = cut
    pieces.append(para.slice(start, len(para.text)).strip())
    return [p for p in pieces if p.text]


def chunk(
    blocks: list[Block],
    target: int | None = None,
    max_chars: int | None = None,
    pages: tuple[int, ...] = (),
) -> list[Chunk]:
    """Groups paragraphs of the same section into passages of about ``target`` characters.

    With ``pages`` (raw offsets where PDF pages start), a paragraph that starts on
    another page than the passage so far starts a new passage, so a passage's page
    is where all of it begins (a paragraph running over a page break stays whole).
    """
    target = TARGET_CHARS if target is None else target
    max_chars = MAX_CHARS if max_chars is None else max_chars
    chunks: list[Chunk] = []
    current: list[MappedText] = []
    size = 0
    section = ""

    def flush() -> None:
        nonlocal current, size
        if current:
            chunks.append(Chunk(tuple(current), section))
        current, size = [], 0

    only_headings = False
    page = 0
    for block in blocks:
        if pages and block.para.starts:
            block_page = bisect.bisect_right(pages, block.para.starts[0])
            if block_page != page:
                flush()
                page = block_page
        if block.heading_level is not None and only_headings:
            # A heading right under another heading joins it rather than standing alone.
            section = block.path
        elif block.path != section or block.heading_level is not None:
            flush()
            section = block.path
        only_headings = block.heading_level is not None and (only_headings or not current)
        for piece in _split_long(block.para, max_chars):
            n = len(piece.text)
            if current and (size + n > max_chars or (size >= target and n > 0)):
                flush()
            current.append(piece)
            size += n + 2
    flush()
    return chunks
