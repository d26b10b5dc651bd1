"""PDF: the text layer with pypdf, OCR for scanned pages, and page-aware cleaning.

The raw text of a PDF is the text extracted from it, page after page, pages
separated by a form feed; passages' offsets index that text (the index keeps it,
see :mod:`index.extracted`) and each passage knows the page it starts on.
"""

from __future__ import annotations

import bisect
import io
import math
import re
from pathlib import Path

from ingest import regexes as rx
from ingest.clean import Cleaned, split_lines, to_paragraphs
from ingest.errors import IngestError
from ingest.models import Loaded
from vntext.normalize import MappedText, fold

# A page whose text layer has fewer letters and digits than this is treated as a scan.
MIN_LAYER_CHARS = 25
PAGE_SEP = "\f"
EDGE_LINES = 2  # lines at the top and at the bottom of a page that may be running heads


def _alnum(text: str) -> int:
    return sum(c.isalnum() for c in text)


def _open(data: bytes, path: Path):  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
    except Exception as exc:  # pypdf raises many types on damaged files
        raise IngestError(f"{path}: not a readable PDF ({_reason(exc)})") from exc
    if encrypted:
        try:
            opened = bool(reader.decrypt(""))
        except Exception:  # e.g. AES without the crypto extra: still a locked file to us
            opened = False
        if not opened:
            raise IngestError(
                f"{path}: the PDF is protected by a password; "
                "save a copy without the password and ingest that"
            )
    try:
        n = len(reader.pages)
    except Exception as exc:
        raise IngestError(f"{path}: not a readable PDF ({_reason(exc)})") from exc
    if n == 0:
        raise IngestError(f"{path}: the PDF has no pages")
    return reader


def _reason(exc: Exception) -> str:
    text = " ".join(str(exc).split())[:120]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _has_image(pdfium_page) -> bool:  # type: ignore[no-untyped-def]
    import pypdfium2.raw as pdfium_c

    return any(
        obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE for obj in pdfium_page.get_objects(max_depth=2)
    )


def load_pdf(data: bytes, path: Path, ocr_lang: str = "vie") -> Loaded:
    """Extracts the text of a PDF, page by page; pages without a text layer are OCR'd.

    Args:
        data: the file's bytes.
        path: the file (for messages).
        ocr_lang: the Tesseract model for scanned pages.

    Returns:
        The extracted text with page starts; ``kind`` is ``pdf``, or ``pdf-ocr`` when
        any page was OCR'd. A page that yields no text is named in ``warnings``.

    Raises:
        IngestError: the file is damaged or encrypted, or no page yields text.
        OcrUnavailable: a page needs OCR and tesseract is not installed.
    """
    reader = _open(data, path)
    texts: list[str] = []
    for i, page in enumerate(reader.pages):
        try:
            texts.append(page.extract_text() or "")
        except Exception as exc:
            raise IngestError(f"{path}: page {i + 1} cannot be read ({_reason(exc)})") from exc

    scanned = [i for i, t in enumerate(texts) if _alnum(t) < MIN_LAYER_CHARS]
    ocred = 0
    if scanned:
        import pypdfium2 as pdfium

        from ingest.ocr import DPI, ocr_image

        try:
            doc = pdfium.PdfDocument(data, password="" if reader.is_encrypted else None)
        except Exception as exc:
            raise IngestError(f"{path}: pages cannot be rendered ({_reason(exc)})") from exc
        try:
            for i in scanned:
                page = doc[i]
                if not _has_image(page):
                    continue
                image = page.render(scale=DPI / 72, grayscale=True).to_pil()
                text = ocr_image(image, lang=ocr_lang, dpi=DPI)
                if _alnum(text) > _alnum(texts[i]):
                    texts[i] = text
                    ocred += 1
        finally:
            doc.close()

    empty = [i + 1 for i, t in enumerate(texts) if _alnum(t) == 0]
    if len(empty) == len(texts):
        raise IngestError(
            f"{path}: no text on any of its {len(texts)} page(s), even after OCR "
            "(blank or unreadable scan)"
        )
    pages: list[int] = []
    parts: list[str] = []
    offset = 0
    for t in texts:
        pages.append(offset)
        parts.append(t)
        offset += len(t) + len(PAGE_SEP)
    warnings = tuple(f"page {n}: no text found (blank page or unreadable scan)" for n in empty)
    return Loaded(
        raw=PAGE_SEP.join(parts),
        kind="pdf-ocr" if ocred else "pdf",
        extracted=True,
        pages=tuple(pages),
        warnings=warnings,
    )


def page_of(pages: tuple[int, ...], raw_offset: int) -> int:
    """Returns the 1-based page that ``raw_offset`` falls on."""
    return max(1, bisect.bisect_right(pages, raw_offset))


def _edge_key(text: str) -> str:
    """Normalises a line for comparison across pages: folded, digits as '#'."""
    return re.sub(r"\d+", "#", " ".join(fold(text).split()))


def _blank(line: MappedText) -> bool:
    return not any(c.isalnum() for c in line.text)


def _trim(lines: list[MappedText]) -> list[MappedText]:
    """Drops blank lines at the top and bottom of a page: a page break is no paragraph break."""
    a, b = 0, len(lines)
    while a < b and _blank(lines[a]):
        a += 1
    while b > a and _blank(lines[b - 1]):
        b -= 1
    return lines[a:b]


def clean_pages(mt: MappedText, pages: tuple[int, ...]) -> Cleaned:
    """Cleans extracted PDF text: drops running heads, feet and page numbers, joins lines.

    A line at the top or bottom of a page is a running head or foot when the same
    line (numbers aside) sits at an edge of at least half of the pages, two at the
    least; a bare page number ("3", "- 3 -", "Trang 3/12") at an edge goes too.
    Lines are joined into paragraphs across page breaks, and a word hyphenated at
    a line end is mended.
    """
    starts = mt.starts
    bounds = [bisect.bisect_left(starts, p) for p in pages[1:]]
    cut = [0, *bounds, len(mt.text)]
    per_page = [_trim(split_lines(mt.slice(a, b))) for a, b in zip(cut, cut[1:], strict=False)]
    counts: dict[str, int] = {}
    for lines in per_page:
        filled = [ln for ln in lines if not _blank(ln)]
        edges = {_edge_key(ln.text) for ln in filled[:EDGE_LINES] + filled[-EDGE_LINES:]}
        for key in edges:
            counts[key] = counts.get(key, 0) + 1
    need = max(2, math.ceil(len(per_page) / 2))
    repeated = {k for k, c in counts.items() if c >= need}

    kept: list[MappedText | None] = []
    for lines in per_page:
        nonblank = [j for j, ln in enumerate(lines) if not _blank(ln)]
        edge = set(nonblank[:EDGE_LINES] + nonblank[-EDGE_LINES:])
        for j, ln in enumerate(lines):
            if _blank(ln):
                kept.append(None)
            elif j in edge and (
                _edge_key(ln.text) in repeated or rx.PAGE_NUMBER.match(fold(ln.text))
            ):
                continue
            else:
                kept.append(ln)
    return Cleaned(to_paragraphs(kept, True, dehyphenate=True), None, True)
