"""The text a PDF, a Word file or a legacy-encoded file was read as, kept beside the index.

Offsets of passages from such files index that text, not the file's bytes, so it
is stored once per content hash in ``<index>/extracted/<sha256>.txt``: the spans
stay checkable even if another pypdf or Tesseract version would read the file
differently. Files are written to a temporary name and renamed, before the
document's rows are committed, and removed once no document has that hash.
"""

from __future__ import annotations

import os
from pathlib import Path

EXTRACTED_DIR = "extracted"


def path_for(index_dir: Path, sha256: str) -> Path:
    """Returns where the extracted text of the file with this hash lives."""
    return Path(index_dir) / EXTRACTED_DIR / f"{sha256}.txt"


def save(index_dir: Path, sha256: str, text: str) -> None:
    """Stores the extracted text of a file atomically (a no-op when it is there)."""
    path = path_for(index_dir, sha256)
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    tmp.write_text(text, encoding="utf-8", newline="")
    os.replace(tmp, path)


def load(index_dir: Path, sha256: str) -> str | None:
    """Returns the stored extracted text, or ``None`` when the file was read as is."""
    path = path_for(index_dir, sha256)
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return None


def raw_text(index_dir: Path, root: Path, source: str, sha256: str) -> str:
    """Returns the text a document's offsets index: its extracted text, else its file as UTF-8.

    Raises:
        OSError: the source file is gone.
    """
    text = load(index_dir, sha256)
    if text is not None:
        return text
    path = Path(source) if Path(source).is_absolute() else Path(root) / source
    return path.read_bytes().decode("utf-8")


def prune(index_dir: Path, keep: set[str]) -> int:
    """Deletes stored texts whose hash no document has; returns how many went."""
    folder = Path(index_dir) / EXTRACTED_DIR
    if not folder.is_dir():
        return 0
    gone = 0
    for path in folder.glob("*.txt"):
        if path.stem not in keep:
            path.unlink(missing_ok=True)
            gone += 1
    return gone
