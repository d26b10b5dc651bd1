"""FAISS vectors beside the SQLite store, rebuilt from it whenever its generation moves."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Set as AbstractSet

import faiss
import numpy as np

from index.ann import EXACT_MAX, build_index, choose_kind, get_kind, kind_of, search_index
from index.store import Store

FAISS_NAME = "vectors.faiss"
# The file starts with this line and the store generation it was built from, then the
# FAISS index: stamp and vectors are one file, replaced in one rename, so a reader can
# never pair one generation's stamp with another's vectors (issue 8).
MAGIC = b"tracuu-faiss"


class Vectors:
    """A FAISS index keyed by passage row id, exact or approximate by size (index/ann.py).

    SQLite holds every vector and is the truth; the FAISS file is a cache stamped
    with the store's generation, written to a temporary file and renamed, so a
    reader never sees half of one and a stale or unreadable one is rebuilt.

    Args:
        store: the SQLite store.
        exact_max: the most vectors kept in an exact index; above it, IVF-SQ8.
        kind: an index kind to build whatever the size (default: chosen by size).
    """

    def __init__(self, store: Store, exact_max: int = EXACT_MAX, kind: str | None = None) -> None:
        if kind is not None:
            get_kind(kind)  # an unknown name fails here, listing the valid ones
        self.exact_max = exact_max
        self.forced_kind = kind
        self.store = store
        self.dir = store.index_dir
        self._index: faiss.Index | None = None
        self._generation = -1
        self._lock = threading.Lock()

    def _load(self, generation: int) -> faiss.Index | None:
        """Returns the FAISS file's index when it was built from ``generation``, else None."""
        try:
            with open(self.dir / FAISS_NAME, "rb") as f:
                head = f.readline(64).split()
                if len(head) != 2 or head[0] != MAGIC or int(head[1]) != generation:
                    return None
                reader = faiss.PyCallbackIOReader(f.read)  # type: ignore[attr-defined]
                return faiss.read_index(reader)
        except (OSError, ValueError, RuntimeError):
            return None  # missing, truncated by a full disk, or an older layout: rebuild

    def rebuild(self) -> faiss.Index:
        """Builds the FAISS index from the store and writes it atomically.

        Call it inside :meth:`Store.snapshot` so generation and vectors are read together.
        """
        generation = self.store.generation()
        ids, vecs = self.store.embeddings()
        dim = int(self.store.get_meta("dim") or (vecs.shape[1] if len(vecs) else 1))
        index = build_index(ids, vecs.reshape(len(ids), dim), dim, self._wanted(len(ids)))
        # A name of its own: other threads and processes may rebuild at the same time.
        tmp = self.dir / f".{FAISS_NAME}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp"
        try:
            with open(tmp, "wb") as f:
                f.write(MAGIC + b" %d\n" % generation)
                writer = faiss.PyCallbackIOWriter(f.write)  # type: ignore[attr-defined]
                faiss.write_index(index, writer)
            os.replace(tmp, self.dir / FAISS_NAME)
        except OSError:
            tmp.unlink(missing_ok=True)  # a read-only or full disk: serve from memory
        return index

    def index(self) -> faiss.Index:
        """Returns the FAISS index for the store's current generation."""
        with self.store.snapshot():
            generation = self.store.generation()
            with self._lock:
                if self._index is None or self._generation != generation:
                    loaded = self._load(generation)
                    if loaded is not None and kind_of(loaded) != self._wanted(loaded.ntotal):
                        loaded = None  # built under another threshold or kind
                    self._index = loaded if loaded is not None else self.rebuild()
                    self._generation = generation
                return self._index

    def search(
        self, query: np.ndarray, k: int, allowed: AbstractSet[int] | np.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """Returns ``(row id, cosine)`` of the nearest passages, best first."""
        return search_index(self.index(), query, k, allowed)

    def _wanted(self, n: int) -> str:
        return self.forced_kind or choose_kind(n, self.exact_max)

    def kind(self) -> str:
        """Returns the kind of the current index (``flat``, ``ivf-sq8``, …)."""
        return kind_of(self.index())
