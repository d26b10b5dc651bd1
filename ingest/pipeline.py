"""The ingest pipeline: load → clean → metadata → structure → segment → chunk."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from ingest import segment
from ingest.chunk import chunk
from ingest.clean import clean
from ingest.errors import IngestError
from ingest.load import load
from ingest.metadata import from_header, merge
from ingest.models import ParsedDocument, Passage
from ingest.references import extract_references
from ingest.text import MappedText, fold, nfc_mapped


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


def parse_file(
    path: Path, root: Path, manifest: dict[str, dict] | None = None, doc_id: str | None = None
) -> ParsedDocument:
    """Parses one file into a document with passages.

    Args:
        path: the file to read.
        root: the directory ``source`` paths are relative to (the repository root).
        manifest: ``manifest.toml`` entries of the file's directory, keyed by file name.
        doc_id: the id to give the document (default: from the file name).

    Returns:
        The parsed document; every passage's raw span is exact.
    """
    loaded, data = load(path)
    mapped = nfc_mapped(loaded.raw)
    cleaned = clean(mapped)
    if not cleaned.paragraphs:
        raise IngestError(f"{path}: no text found after cleaning")
    meta = merge(
        from_header(cleaned.paragraphs, cleaned.timestamp), (manifest or {}).get(path.name)
    )
    from ingest.structure import structure

    blocks, outline = structure(cleaned.paragraphs)
    passages = []
    for i, ch in enumerate(chunk(blocks)):
        body = MappedText.join(list(ch.pieces), "\n\n")
        start, end = body.raw_span()
        passages.append(
            Passage(
                ordinal=i,
                text=body.text,
                char_start=start,
                char_end=end,
                section=ch.section,
                page=None,
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
    )
