"""FAISS vectors beside the SQLite store, rebuilt from it whenever its generation moves."""

from __future__ import annotations

import json
import os
import threading

import faiss
import numpy as np

from index.ann import EXACT_MAX, build_index, choose_kind, get_kind, kind_of, search_index
from index.store import Store

FAISS_NAME = "vectors.faiss"
FAISS_META = "vectors.json"


class Vectors:
    """A FAISS index keyed by passage row id, exact or approximate by size (index/ann.py).

    SQLite holds every vector and is the truth; the FAISS file is a cache stamped
    with the store's generation, written to a temporary file and renamed, so a
    reader never sees half of one and a stale one is rebuilt.

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

    def _read_stamp(self) -> int:
        try:
            return int(json.loads((self.dir / FAISS_META).read_text())["generation"])
        except (OSError, ValueError, KeyError):
            return -1

    def rebuild(self) -> faiss.Index:
        """Builds the FAISS index from the store and writes it atomically."""
        generation = self.store.generation()
        ids, vecs = self.store.embeddings()
        dim = int(self.store.get_meta("dim") or (vecs.shape[1] if len(vecs) else 1))
        index = build_index(ids, vecs.reshape(len(ids), dim), dim, self._wanted(len(ids)))
        tmp = self.dir / (FAISS_NAME + f".tmp{os.getpid()}")
        faiss.write_index(index, str(tmp))
        os.replace(tmp, self.dir / FAISS_NAME)
        meta_tmp = self.dir / (FAISS_META + f".tmp{os.getpid()}")
        meta_tmp.write_text(json.dumps({"generation": generation, "count": int(len(ids))}))
        os.replace(meta_tmp, self.dir / FAISS_META)
        return index

    def index(self) -> faiss.Index:
        """Returns the FAISS index for the store's current generation."""
        generation = self.store.generation()
        with self._lock:
            if self._index is None or self._generation != generation:
                path = self.dir / FAISS_NAME
                loaded = None
                if path.exists() and self._read_stamp() == generation:
                    loaded = faiss.read_index(str(path))
                    if kind_of(loaded) != self._wanted(loaded.ntotal):
                        loaded = None  # built under another threshold or kind
                self._index = loaded if loaded is not None else self.rebuild()
                self._generation = generation
            return self._index

    def search(
        self, query: np.ndarray, k: int, allowed: set[int] | None = None
    ) -> list[tuple[int, float]]:
        """Returns ``(row id, cosine)`` of the nearest passages, best first."""
        return search_index(self.index(), query, k, allowed)

    def _wanted(self, n: int) -> str:
        return self.forced_kind or choose_kind(n, self.exact_max)

    def kind(self) -> str:
        """Returns the kind of the current index (``flat``, ``ivf-sq8``, …)."""
        return kind_of(self.index())
