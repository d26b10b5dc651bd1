"""Clean raw text into paragraphs: drop site chrome, join hard-wrapped lines.

Every paragraph is a :class:`MappedText`, so cleaning never loses the way back to
the raw file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest import regexes as rx
from vntext.normalize import MappedText, fold
from vntext.sentences import SENTENCE_STOPS


@dataclass(frozen=True)
class Cleaned:
    """Paragraphs of a document and what cleaning noticed on the way."""

    paragraphs: list[MappedText]
    timestamp: tuple[int, int, int] | None  # (day, month, year) of a web page
    hard_wrapped: bool


def split_lines(mt: MappedText) -> list[MappedText]:
    """Splits into lines (without the newline), each stripped of surrounding whitespace."""
    lines = []
    start = 0
    text = mt.text
    for m in re.finditer(r"\r\n|\n|\r|\f|\u2028|\u2029", text):
        lines.append(mt.slice(start, m.start()).strip())
        start = m.end()
    lines.append(mt.slice(start, len(text)).strip())
    return lines


def _is_blank(line: MappedText) -> bool:
    return not line.text.strip(" \t\u00a0.·•-_|") or not any(c.isalnum() for c in line.text)


def remove_chrome(lines: list[MappedText]) -> tuple[list[MappedText | None], tuple | None]:
    """Drops image names, print links, counters and the footer of saved web pages.

    Returns the lines with blank or removed ones as ``None``, and the page's
    "dd/mm/yyyy hh:mm" timestamp when one was found.
    """
    out: list[MappedText | None] = []
    stamp = None
    n = len(lines)
    for i, line in enumerate(lines):
        t = line.text.strip("\u00a0 \t")
        folded = fold(t)
        if (
            i > n * 0.5
            and rx.FOOTER_START.match(folded)
            and not any(len(x.text) > 200 for x in lines[i + 1 :])
        ):
            out.extend([None] * (n - i))
            break
        if _is_blank(line) or rx.IMAGE_FILE.match(t) or rx.CHROME_LINE.match(folded):
            out.append(None)
            continue
        m = rx.TIMESTAMP_LINE.match(t)
        if m:
            stamp = stamp or (int(m.group(1)), int(m.group(2)), int(m.group(3)))
            out.append(None)
            continue
        m2 = rx.PRINT_SUFFIX.search(line.text)
        if m2:
            line = line.slice(0, m2.start()).strip()
        out.append(line)
    return out, stamp


def _starts_block(folded: str, prev: str) -> bool:
    if folded[:2] in ("- ", "+ ", "• ", "* ") or rx.PART_HEADING.match(folded):
        return True
    # "49- KL/TW" after "Kết luận số" continues a sentence: a numbered item or
    # heading only starts a block after a line that ends one.
    ended = prev.rstrip()[-1:] in '.:;!?"”»)'
    return ended and bool(
        rx.BULLET_START.match(folded)
        or rx.ROMAN_HEADING.match(folded)
        or rx.MULTI_NUM_HEADING.match(folded)
    )


def _is_upper_line(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and sum(c.isupper() for c in letters) / len(letters) > 0.8


def is_hard_wrapped(lines: list[MappedText | None]) -> bool:
    """Tells whether paragraphs run over several lines with no blank line between them."""
    pairs = sum(
        1 for a, b in zip(lines, lines[1:], strict=False) if a is not None and b is not None
    )
    filled = sum(1 for x in lines if x is not None)
    return filled >= 10 and pairs / filled > 0.5


_HYPHENATED = re.compile(r"(?<![\w-])[A-Za-z][a-z]+-$")


def _join_pair(a: MappedText, b: MappedText, dehyphenate: bool = False) -> MappedText:
    """Joins two wrapped lines; "130-" + "KH/HU" keeps no space (a broken number).

    With ``dehyphenate``, a word broken by typesetting ("Inter-" + "net") loses its
    hyphen. Vietnamese syllables are never split at a line end, so only a run of
    lower-case unaccented letters on both sides counts as a broken word.
    """
    if (
        dehyphenate
        and _HYPHENATED.search(a.text)
        and re.match(r"[a-z]", b.text)
        and b.text.split(" ", 1)[0].isascii()
    ):
        return MappedText.join([a.slice(0, len(a.text) - 1), b], "")
    if len(a.text) >= 2 and a.text[-1] == "-" and a.text[-2].isalnum() and b.text[:1].isalnum():
        return MappedText.join([a, b], "")
    return MappedText.join([a, b], " ")


# A scanned page's number, alone on its line between blank lines ("3", "- 3 -", "Trang 3").
_PAGE_NUMBER = re.compile(r"^(?:trang\s+)?[-–]?\s*\d{1,3}\s*[-–]?$", re.IGNORECASE)
_SENTENCE_END = SENTENCE_STOPS + ":;"  # a sentence ends, or a clause that a list follows


def drop_page_breaks(lines: list[MappedText | None]) -> list[MappedText | None]:
    """Drops the page numbers of a scan and mends the sentences they cut.

    A number alone between blank lines is the page's number, not text. When the line
    before it ends no sentence and the line after it goes on in lower case ("… danh hiệu
    "Gia đình" / 3 / học tập", đạt 76,5%"), the two are one sentence: the blank lines go as
    well, so the paragraph runs on across the page.
    """
    out = list(lines)
    gone: set[int] = set()  # blank lines a mended sentence runs on across
    n = len(out)
    for i, line in enumerate(lines):
        if line is None or not _PAGE_NUMBER.match(line.text):
            continue
        if not (0 < i < n - 1 and lines[i - 1] is None and lines[i + 1] is None):
            continue
        out[i] = None
        a = i - 1
        while a >= 0 and lines[a] is None:
            a -= 1
        b = i + 1
        while b < n and lines[b] is None:
            b += 1
        before, after = lines[a] if a >= 0 else None, lines[b] if b < n else None
        if (
            before is not None
            and after is not None
            and before.text.rstrip()[-1:] not in _SENTENCE_END
            and after.text[:1].islower()
        ):
            gone.update(range(a + 1, b))
    return [x for j, x in enumerate(out) if j not in gone]


def to_paragraphs(
    lines: list[MappedText | None], hard_wrapped: bool, dehyphenate: bool = False
) -> list[MappedText]:
    """Groups cleaned lines into paragraphs.

    In a hard-wrapped text (OCR output) a line shorter than most lines, or a
    title in capitals, ends its paragraph, and bullets, numbered items and
    headings start one; otherwise every non-blank line is a paragraph. With
    ``dehyphenate`` (typeset PDF text), words broken at a line end are mended.
    """
    paras: list[MappedText] = []
    if not hard_wrapped:
        return [x for x in lines if x is not None]
    lines = drop_page_breaks(lines)
    lengths = sorted(len(x.text) for x in lines if x is not None)
    width = lengths[int(len(lengths) * 0.8)] if lengths else 80
    current: MappedText | None = None
    prev: MappedText | None = None
    for line in lines:
        if line is None:
            if current is not None:
                paras.append(current)
            current = prev = None
            continue
        if current is None or prev is None:
            current = prev = line
            continue
        split_word = len(prev.text) >= 2 and prev.text[-1] == "-" and prev.text[-2].isalnum()
        breaks = not split_word and (
            len(prev.text) < 0.7 * width
            or _is_upper_line(prev.text)
            or _is_upper_line(line.text)
            or _starts_block(fold(line.text), prev.text)
            or "\t" in line.text
        )
        if breaks:
            paras.append(current)
            current = line
        else:
            current = _join_pair(current, line, dehyphenate)
        prev = line
    if current is not None:
        paras.append(current)
    return paras


def clean(mt: MappedText) -> Cleaned:
    """Runs the cleaning steps on an NFC text."""
    lines, stamp = remove_chrome(split_lines(mt))
    hard = is_hard_wrapped(lines)
    return Cleaned(to_paragraphs(lines, hard), stamp, hard)
