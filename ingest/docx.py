"""Word (.docx) files: paragraphs and tables in order, headings kept as sections.

The raw text is the file's paragraphs joined by blank lines (the index keeps it);
paragraphs styled "Heading N" or "Title", or given an outline level, become
section headings. Text typed in a legacy font (.VnTime, VNI-Times) is converted.
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

from ingest.errors import IngestError
from ingest.models import Loaded, Section
from ingest.structure import Block, heading_label
from vntext.normalize import MappedText

_HEADING_STYLE = re.compile(r"^(?:heading|tiêu đề)\s*(\d)$", re.I)


def _heading_level(paragraph) -> int | None:  # type: ignore[no-untyped-def]
    """Returns the outline level a paragraph's heading style or properties give it."""
    style = paragraph.style
    while style is not None:
        m = _HEADING_STYLE.match((style.name or "").strip())
        if m:
            return int(m.group(1))
        style = style.base_style
    p_pr = paragraph._p.pPr
    if p_pr is not None:
        lvl = p_pr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}outlineLvl")
        if lvl is not None:
            val = lvl.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val")
            if val is not None and val.isdigit() and int(val) < 9:
                return int(val) + 1
    return None


def _blocks(document) -> list[tuple[str, int | None]]:  # type: ignore[no-untyped-def]
    """Returns ``(text, heading level)`` of the body's paragraphs and table rows, in order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    out: list[tuple[str, int | None]] = []
    for el in document.element.body.iterchildren():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(el, document)
            text = para.text.strip()
            if text:
                out.append((text, _heading_level(para)))
        elif tag == "tbl":
            for row in Table(el, document).rows:
                cells: list[str] = []
                for cell in row.cells:
                    text = " ".join(cell.text.split())
                    if text and (not cells or cells[-1] != text):  # merged cells repeat
                        cells.append(text)
                if cells:
                    out.append((" | ".join(cells), None))
    return out


def _repair(blocks: list[tuple[str, int | None]]) -> tuple[list[tuple[str, int | None]], str]:
    """Converts text typed in a TCVN3 or VNI font, when the whole file reads so."""
    from ingest.encodings import decode_legacy, repair

    found = repair("\n".join(t for t, _ in blocks))
    if found is None:
        return blocks, ""
    out = []
    for text, level in blocks:
        with contextlib.suppress(UnicodeEncodeError):  # a character no legacy font had
            text = decode_legacy(text.encode("cp1252"), found.encoding)
        out.append((text, level))
    return out, found.encoding


def load_docx(data: bytes, path: Path) -> Loaded:
    """Reads a Word file into text with its headings marked.

    Raises:
        IngestError: the file is not a readable .docx or holds no text.
    """
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        blocks = _blocks(document)
    except ImportError:
        raise
    except Exception as exc:  # python-docx raises zip, XML and key errors on damaged files
        raise IngestError(
            f"{path}: not a readable Word .docx file ({type(exc).__name__}); "
            "an old .doc must be saved as .docx first"
        ) from exc
    if not blocks:
        raise IngestError(f"{path}: the Word file has no text")
    blocks, legacy = _repair(blocks)
    parts: list[str] = []
    headings: list[tuple[int, int]] = []
    offset = 0
    for text, level in blocks:
        if level is not None:
            headings.append((offset, level))
        parts.append(text)
        offset += len(text) + 2
    warnings = (f"converted from {legacy.upper()} font encoding to Unicode",) if legacy else ()
    return Loaded(
        "\n\n".join(parts), "docx", extracted=True, headings=tuple(headings), warnings=warnings
    )


def structure_marked(
    paras: list[MappedText], levels: dict[int, int]
) -> tuple[list[Block], list[Section]]:
    """Gives paragraphs section paths from the headings a file marks.

    Args:
        paras: the cleaned paragraphs.
        levels: raw offset of a heading paragraph's start → its level (0 = title).

    Returns:
        The blocks and the section outline, as :func:`ingest.structure.structure` does.
    """
    blocks: list[Block] = []
    stack: list[tuple[int, str, int]] = []
    sections: list[dict] = []
    for para in paras:
        start, end = para.raw_span()
        level = levels.get(start)
        if level is not None:
            while stack and stack[-1][0] >= level:
                stack.pop()
            heading = heading_label(para.text)
            path = " > ".join([s[1] for s in stack] + [heading])
            sections.append(
                {"level": level, "heading": heading, "path": path, "start": start, "end": end}
            )
            stack.append((level, heading, len(sections) - 1))
            blocks.append(Block(para, path, level))
            continue
        for _, _, idx in stack:
            sections[idx]["end"] = end
        blocks.append(Block(para, " > ".join(s[1] for s in stack), None))
    outline = [Section(s["level"], s["heading"], s["path"], s["start"], s["end"]) for s in sections]
    return blocks, outline
