"""FAISS vectors beside the SQLite store, rebuilt from it whenever its generation moves."""

from __future__ import annotations

import json
import os
import threading

import faiss
import numpy as np

from index.store import Store

FAISS_NAME = "vectors.faiss"
FAISS_META = "vectors.json"


class Vectors:
    """An exact inner-product FAISS index keyed by passage row id.

    SQLite holds every vector and is the truth; the FAISS file is a cache stamped
    with the store's generation, written to a temporary file and renamed, so a
    reader never sees half of one and a stale one is rebuilt.
    """

    def __init__(self, store: Store) -> None:
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
        index = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
        if len(ids):
            index.add_with_ids(np.ascontiguousarray(vecs, dtype=np.float32), ids)
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
                if path.exists() and self._read_stamp() == generation:
                    self._index = faiss.read_index(str(path))
                else:
                    self._index = self.rebuild()
                self._generation = generation
            return self._index

    def search(
        self, query: np.ndarray, k: int, allowed: set[int] | None = None
    ) -> list[tuple[int, float]]:
        """Returns ``(row id, cosine)`` of the nearest passages, best first."""
        index = self.index()
        n = index.ntotal
        if n == 0 or k <= 0:
            return []
        want = n if allowed is not None else min(k, n)
        scores, ids = index.search(np.asarray(query, dtype=np.float32).reshape(1, -1), want)
        out = [
            (int(i), float(s))
            for s, i in zip(scores[0], ids[0], strict=True)
            if i >= 0 and (allowed is None or int(i) in allowed)
        ]
        return out[:k]
