"""Loaders: file → raw text. A registry maps file suffixes to loaders.

Loaders of formats that need a library (PDF, DOCX) import it on first use, so a
text-only run loads none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ingest.docx import load_docx
from ingest.errors import FileTooLarge, IngestError, UnsupportedFileType
from ingest.html import load_html
from ingest.models import Loaded
from ingest.pdf import load_pdf

MAX_FILE_BYTES = 50 * 1024 * 1024


def _check_text(raw: str, path: Path) -> None:
    if "\x00" in raw:
        raise IngestError(f"{path}: looks binary (contains NUL bytes), not text")
    controls = sum(1 for c in raw if ord(c) < 32 and c not in "\t\n\r\f")
    if controls > max(8, len(raw) // 100):
        raise IngestError(f"{path}: looks binary ({controls} control characters), not text")


def load_text(data: bytes, path: Path) -> Loaded:
    """Decodes a text file: UTF-8, or TCVN3, VNI or VISCII converted to Unicode.

    A UTF-8 file is its own raw text (a BOM stays in it, offsets count it); a file
    in a legacy encoding is converted, and offsets index the converted text.
    """
    from ingest.encodings import decode

    if b"\x00" in data:
        raise IngestError(f"{path}: looks binary (contains NUL bytes), not text")
    try:
        decoded = decode(data)
    except IngestError as exc:
        raise IngestError(f"{path}: {exc}") from exc
    _check_text(decoded.text, path)
    if decoded.encoding == "utf-8":
        return Loaded(decoded.text, "text")
    return Loaded(
        decoded.text,
        "text",
        extracted=True,
        warnings=(f"converted from {decoded.encoding.upper()} to Unicode",),
    )


LOADERS: dict[str, Callable[[bytes, Path], Loaded]] = {
    ".txt": load_text,
    ".md": load_text,
    ".pdf": load_pdf,
    ".html": load_html,
    ".htm": load_html,
    ".docx": load_docx,
}


def supported(path: Path) -> bool:
    """Tells whether a loader handles ``path``'s suffix."""
    return path.suffix.lower() in LOADERS


def load(path: Path, max_bytes: int = MAX_FILE_BYTES) -> tuple[Loaded, bytes]:
    """Reads ``path`` with the loader for its suffix; returns the text and the file's bytes.

    Raises:
        UnsupportedFileType: no loader for the suffix.
        IngestError: the file is too large, empty or unreadable (a one-line reason).
    """
    loader = LOADERS.get(path.suffix.lower())
    if loader is None:
        raise UnsupportedFileType(
            f"{path}: unsupported file type {path.suffix or '(none)'}; "
            f"supported: {', '.join(sorted(LOADERS))}"
        )
    size = path.stat().st_size
    if size > max_bytes:
        raise FileTooLarge(f"{path}: {size:,} bytes is over the {max_bytes:,} byte limit")
    data = path.read_bytes()
    if not data.strip():
        raise IngestError(f"{path}: empty file")
    return loader(data, path), data
