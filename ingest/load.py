"""Loaders: file → raw text. A registry maps file suffixes to loaders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import IngestError, UnsupportedFileType

MAX_FILE_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Loaded:
    """What a loader read: the raw text offsets refer to, and its kind."""

    raw: str
    kind: str


def load_text(data: bytes, path: Path) -> Loaded:
    """Decodes a UTF-8 text file (a BOM stays in the raw text, offsets count it)."""
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise IngestError(
            f"{path}: not UTF-8 text (byte {exc.start}); convert it to UTF-8 first"
        ) from exc
    if "\x00" in raw:
        raise IngestError(f"{path}: looks binary (contains NUL bytes), not text")
    return Loaded(raw, "text")


LOADERS: dict[str, Callable[[bytes, Path], Loaded]] = {
    ".txt": load_text,
    ".md": load_text,
}


def supported(path: Path) -> bool:
    """Tells whether a loader handles ``path``'s suffix."""
    return path.suffix.lower() in LOADERS


def load(path: Path) -> tuple[Loaded, bytes]:
    """Reads ``path`` with the loader for its suffix; returns the text and the file's bytes."""
    loader = LOADERS.get(path.suffix.lower())
    if loader is None:
        raise UnsupportedFileType(
            f"{path}: unsupported file type {path.suffix or '(none)'}; "
            f"supported: {', '.join(sorted(LOADERS))}"
        )
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise IngestError(f"{path}: {size} bytes is over the {MAX_FILE_BYTES} byte limit")
    data = path.read_bytes()
    if not data.strip():
        raise IngestError(f"{path}: empty file")
    return loader(data, path), data
