"""The ingest pipeline: load → clean → metadata → structure → segment → chunk.

Loaders of every format feed the same steps; a PDF is cleaned page-aware
(:func:`ingest.pdf.clean_pages`) and a Word file keeps the headings it marks.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from ingest.chunk import chunk
from ingest.clean import Cleaned, clean
from ingest.errors import IngestError
from ingest.load import MAX_FILE_BYTES, load
from ingest.metadata import from_header, merge
from ingest.models import Loaded, ParsedDocument, Passage
from ingest.pdf import page_of
from ingest.references import extract_references
from vntext import segment
from vntext.normalize import MappedText, fold, nfc_mapped


def doc_id_for(path: Path) -> str:
    """Returns a readable id from the file name: folded, lower-case, dashes."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(path.stem)).strip("-")
    return slug or "doc"


def source_for(path: Path, root: Path) -> str:
    """Returns the path as the index records it: relative to ``root`` when inside it."""
    path = path.resolve()
    try:
        return path.relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def read(path: Path, max_bytes: int = MAX_FILE_BYTES) -> tuple[Loaded, bytes, MappedText, Cleaned]:
    """Loads and cleans one file: the loader for its type, then page-aware or plain cleaning.

    Returns:
        What the loader read, the file's bytes, its NFC text mapped to the raw text,
        and the cleaned paragraphs.
    """
    loaded, data = load(path, max_bytes)
    mapped = loaded.content if loaded.content is not None else nfc_mapped(loaded.raw)
    if loaded.pages:
        from ingest.pdf import clean_pages

        return loaded, data, mapped, clean_pages(mapped, loaded.pages)
    return loaded, data, mapped, clean(mapped)


def parse_file(
    path: Path,
    root: Path,
    manifest: dict[str, dict] | None = None,
    doc_id: str | None = None,
    max_bytes: int = MAX_FILE_BYTES,
) -> ParsedDocument:
    """Parses one file into a document with passages.

    Args:
        path: the file to read.
        root: the directory ``source`` paths are relative to (the repository root).
        manifest: ``manifest.toml`` entries of the file's directory, keyed by file name.
        doc_id: the id to give the document (default: from the file name).
        max_bytes: files larger than this are refused.

    Returns:
        The parsed document; every passage's raw span is exact. For a PDF the raw
        text is the extracted text (``extracted``) and every passage has its page.
    """
    loaded, data, mapped, cleaned = read(path, max_bytes)
    if not cleaned.paragraphs:
        raise IngestError(f"{path}: no text found after cleaning")
    meta = merge(
        from_header(cleaned.paragraphs, cleaned.timestamp), (manifest or {}).get(path.name)
    )
    if loaded.headings:
        from ingest.docx import structure_marked

        blocks, outline = structure_marked(cleaned.paragraphs, dict(loaded.headings))
    else:
        from ingest.structure import structure

        blocks, outline = structure(cleaned.paragraphs)
    passages = []
    for i, ch in enumerate(chunk(blocks, pages=loaded.pages)):
        body = MappedText.join(list(ch.pieces), "\n\n")
        start, end = body.raw_span()
        passages.append(
            Passage(
                ordinal=i,
                text=body.text,
                char_start=start,
                char_end=end,
                section=ch.section,
                page=page_of(loaded.pages, start) if loaded.pages else None,
                seg=segment.segment(body.text),
                folded=fold(body.text),
            )
        )
    clean_text = MappedText.join(cleaned.paragraphs, "\n\n").text
    return ParsedDocument(
        doc_id=doc_id or doc_id_for(path),
        source=source_for(path, root),
        sha256=hashlib.sha256(data).hexdigest(),
        kind=loaded.kind,
        meta=meta,
        clean_text=clean_text,
        sections=tuple(outline),
        passages=tuple(passages),
        references=extract_references(mapped, loaded.raw, passages),
        extracted=loaded.raw if loaded.extracted else None,
        warnings=loaded.warnings,
    )
