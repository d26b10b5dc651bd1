"""Find section headings (PHẦN, I., 1., 1.1., a)) and give every paragraph its section path."""

from __future__ import annotations

from dataclasses import dataclass

from ingest import regexes as rx
from ingest.models import Section
from vntext.normalize import MappedText, fold

MAX_HEADING_CHARS = 160
LABEL_CHARS = 90


@dataclass(frozen=True)
class Block:
    """A paragraph with its section path; ``heading_level`` is set on headings."""

    para: MappedText
    path: str
    heading_level: int | None


def heading_level(text: str) -> int | None:
    """Returns the level of a heading paragraph (0 = PHẦN … 4 = a)), else ``None``."""
    if len(text) > MAX_HEADING_CHARS or "\t" in text:
        return None
    f = fold(text).lstrip(" '’‘\"“~_|]")
    if text.rstrip().endswith((";", ",")):
        return None
    if rx.PART_HEADING.match(f) and len(text) <= 60:
        return 0
    if rx.ROMAN_HEADING.match(f):
        return 1
    if rx.MULTI_NUM_HEADING.match(f):
        return 3
    if rx.NUM_HEADING.match(f):
        return 2
    if rx.LETTER_HEADING.match(f):
        return 4
    return None


def heading_label(text: str) -> str:
    text = " ".join(text.split()).strip(" '’‘\"“~_|]")
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"


def _is_caps_title(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return (
        len(text) <= MAX_HEADING_CHARS
        and len(letters) >= 4
        and sum(c.isupper() for c in letters) / len(letters) > 0.8
    )


def structure(paras: list[MappedText]) -> tuple[list[Block], list[Section]]:
    """Assigns section paths to paragraphs and returns the section outline.

    A PHẦN heading followed by a title in capitals takes that title into its label.
    """
    blocks: list[Block] = []
    stack: list[tuple[int, str, int]] = []  # (level, label, index into sections)
    sections: list[dict] = []
    pending_part: int | None = None
    for para in paras:
        level = heading_level(para.text)
        if level is None and pending_part is not None and _is_caps_title(para.text):
            sec = sections[pending_part]
            sec["heading"] = sec["heading"] + " — " + heading_label(para.text)
            sec["path"] = sec["heading"]
            stack[-1] = (0, sec["heading"], pending_part)
            sec["end"] = para.raw_span()[1]
            blocks.append(Block(para, sec["path"], 0))
            pending_part = None
            continue
        pending_part = None
        if level is not None:
            while stack and stack[-1][0] >= level:
                stack.pop()
            label = heading_label(para.text)
            path = " > ".join([s[1] for s in stack] + [label])
            start, end = para.raw_span()
            sections.append(
                {"level": level, "heading": label, "path": path, "start": start, "end": end}
            )
            stack.append((level, label, len(sections) - 1))
            if level == 0:
                pending_part = len(sections) - 1
            blocks.append(Block(para, path, level))
            continue
        end = para.raw_span()[1]
        for _, _, idx in stack:
            sections[idx]["end"] = end
        blocks.append(Block(para, stack and " > ".join(s[1] for s in stack) or "", None))
    outline = [Section(s["level"], s["heading"], s["path"], s["start"], s["end"]) for s in sections]
    return blocks, outline
