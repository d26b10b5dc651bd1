"""FAISS index kinds, chosen by the number of vectors when the index is built (issue 7).

- ``flat``: exact inner product, 4 bytes per dimension (1,544 bytes a 384-d vector with
  its id). Up to :data:`EXACT_MAX` vectors a query scans them all.
- ``ivf-sq8``: an inverted file over k-means cells with 8-bit scalar-quantised vectors
  (one byte per dimension plus an 8-byte id: 393.5 bytes a 384-d vector at 1M),
  probing a quarter of the cells. Chosen above the threshold: at 1M vectors it keeps
  recall@10 against exact search at 0.97 with p95 under 30 ms (benchmarks/RESULTS.md).
- ``hnsw-sq8`` and ``ivf-pq``: the alternatives the benchmark compares (the graph costs
  536 bytes a vector, over the 400-byte budget; 48-byte product codes reach recall@10
  0.45 only); used only when named.

The kind is recorded by the FAISS file itself (its index type); :func:`kind_of` reads
it back from a loaded index.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Set as AbstractSet
from typing import Any, ClassVar

import faiss
import numpy as np

from index.errors import UnknownName

# Above this many vectors the index is approximate: exact search grows with the count
# (p50 7 ms at 10k, 144 ms at 100k, 680 ms at 1M on the shared 2-core machine, see
# benchmarks/RESULTS.md), IVF-SQ8 stays under 30 ms at 1M with a quarter of the memory.
EXACT_MAX = 50_000
# Cells probed: a quarter of them, at least NPROBE (recall@10 0.932 at 1/8, 0.969 at 1/4
# of 1,000 cells over 1M vectors).
NPROBE = 32
PROBE_FRACTION = 4
# A filter letting through at most 1/FULL_PROBE_FRACTION of the vectors probes every cell.
# Above that, the cells probed anyway hold about a quarter of the allowed vectors (≥ 0.5 %
# of all, thousands at 1M), which is plenty for k; probing every cell for a filter of 10 %
# cost 45 ms a search at 1M (benchmarks/scale.py).
FULL_PROBE_FRACTION = 50
_SEED = 1234


class IndexKind(ABC):
    """One FAISS index type: how to build it and how to search it."""

    name: ClassVar[str]

    @abstractmethod
    def build(self, ids: np.ndarray, vecs: np.ndarray, dim: int) -> faiss.Index:
        """Builds an index holding ``vecs`` (unit rows) under ``ids``."""

    @abstractmethod
    def owns(self, index: faiss.Index) -> bool:
        """Tells whether a loaded index is of this kind."""

    def params(self, index: faiss.Index) -> dict[str, Any]:
        """Returns the parameters worth reporting beside the kind."""
        return {}

    def search_params(
        self, index: faiss.Index, sel: faiss.IDSelector | None, allowed: int = 0
    ) -> faiss.SearchParameters | None:
        """Returns per-query search parameters: the id filter and the search breadth.

        Args:
            index: the index searched.
            sel: the ids a hit may have, or None for any.
            allowed: how many ids ``sel`` lets through.
        """
        return None if sel is None else _params(faiss.SearchParameters(), sel=sel)


def _params(params: faiss.SearchParameters, **values: Any) -> faiss.SearchParameters:
    # Set one by one: FAISS's type stubs do not know the keyword constructor. The
    # caller keeps the selector alive for the duration of the search.
    for name, value in values.items():
        setattr(params, name, value)
    return params


def _inner(index: faiss.Index) -> faiss.Index:
    return faiss.downcast_index(index.index) if isinstance(index, faiss.IndexIDMap) else index


class Flat(IndexKind):
    """Exact inner product (cosine on unit vectors)."""

    name = "flat"

    def build(self, ids: np.ndarray, vecs: np.ndarray, dim: int) -> faiss.Index:
        index = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
        if len(ids):
            index.add_with_ids(vecs, ids)
        return index

    def owns(self, index: faiss.Index) -> bool:
        return isinstance(_inner(index), faiss.IndexFlat)


def _nlist(n: int) -> int:
    # About sqrt(n) cells (the FAISS wiki, "Guidelines to choose an index", gives 4·sqrt(n)
    # to 16·sqrt(n); fewer cells keep k-means at 1M vectors under 20 s on 2 cores), with at
    # least 39 training points per cell, and at least one cell.
    return max(1, min(int(math.sqrt(n)), n // 39 or 1))


def _train_sample(vecs: np.ndarray, nlist: int) -> np.ndarray:
    # k-means needs tens of points per cell, not all of them (FAISS warns below 39).
    cap = 40 * nlist
    if len(vecs) <= cap:
        return vecs
    rows = np.random.default_rng(_SEED).choice(len(vecs), cap, replace=False)
    return vecs[np.sort(rows)]


class IVFSQ8(IndexKind):
    """Inverted file over k-means cells, vectors stored as 8-bit scalars."""

    name = "ivf-sq8"

    def _empty(self, dim: int, nlist: int) -> faiss.IndexIVF:
        return faiss.IndexIVFScalarQuantizer(
            faiss.IndexFlatIP(dim),
            dim,
            nlist,
            faiss.ScalarQuantizer.QT_8bit,
            faiss.METRIC_INNER_PRODUCT,
        )

    def build(self, ids: np.ndarray, vecs: np.ndarray, dim: int) -> faiss.Index:
        nlist = _nlist(len(ids))
        index = self._empty(dim, nlist)
        index.cp.seed = _SEED
        index.nprobe = min(nlist, max(NPROBE, nlist // PROBE_FRACTION))
        if len(ids):
            index.train(_train_sample(vecs, nlist))
            index.add_with_ids(vecs, ids)
        return index

    def owns(self, index: faiss.Index) -> bool:
        return isinstance(index, faiss.IndexIVFScalarQuantizer)

    def params(self, index: faiss.Index) -> dict[str, Any]:
        ivf = faiss.extract_index_ivf(index)
        return {"nlist": int(ivf.nlist), "nprobe": int(ivf.nprobe)}

    def search_params(
        self, index: faiss.Index, sel: faiss.IDSelector | None, allowed: int = 0
    ) -> faiss.SearchParameters | None:
        ivf = faiss.extract_index_ivf(index)
        nprobe = int(ivf.nprobe)
        if sel is None:
            return _params(faiss.SearchParametersIVF(), nprobe=nprobe)
        if allowed * FULL_PROBE_FRACTION <= index.ntotal:
            # A narrow filter (one document, one year) may sit in cells the query does
            # not probe: visit every cell; the selector skips other ids before scoring.
            nprobe = int(ivf.nlist)
        return _params(faiss.SearchParametersIVF(), sel=sel, nprobe=nprobe)


class IVFPQ(IVFSQ8):
    """Inverted file with 48-byte product codes (compared by the benchmark, not chosen)."""

    name = "ivf-pq"

    def _empty(self, dim: int, nlist: int) -> faiss.IndexIVF:
        m = 48 if dim % 48 == 0 else 1
        return faiss.IndexIVFPQ(
            faiss.IndexFlatIP(dim), dim, nlist, m, 8, faiss.METRIC_INNER_PRODUCT
        )

    def build(self, ids: np.ndarray, vecs: np.ndarray, dim: int) -> faiss.Index:
        if len(ids) < 256 * 39:  # 8-bit codebooks need 256 centroids per sub-vector
            raise ValueError(f"ivf-pq needs at least {256 * 39} vectors, not {len(ids)}")
        return super().build(ids, vecs, dim)

    def owns(self, index: faiss.Index) -> bool:
        return isinstance(index, faiss.IndexIVFPQ)


class HNSWSQ8(IndexKind):
    """HNSW graph over 8-bit scalar-quantised vectors (compared by the benchmark)."""

    name = "hnsw-sq8"
    M = 16
    EF_CONSTRUCTION = 80
    EF_SEARCH = 64

    def build(self, ids: np.ndarray, vecs: np.ndarray, dim: int) -> faiss.Index:
        inner = faiss.IndexHNSWSQ(
            dim,
            faiss.ScalarQuantizer.QT_8bit,  # type: ignore[arg-type]
            self.M,
            faiss.METRIC_INNER_PRODUCT,
        )
        inner.hnsw.efConstruction = self.EF_CONSTRUCTION
        inner.hnsw.efSearch = self.EF_SEARCH
        index = faiss.IndexIDMap2(inner)
        if len(ids):
            inner.train(vecs)
            index.add_with_ids(vecs, ids)
        return index

    def owns(self, index: faiss.Index) -> bool:
        return isinstance(_inner(index), faiss.IndexHNSW)

    def params(self, index: faiss.Index) -> dict[str, Any]:
        return {"M": self.M, "efSearch": self.EF_SEARCH}

    def search_params(
        self, index: faiss.Index, sel: faiss.IDSelector | None, allowed: int = 0
    ) -> faiss.SearchParameters | None:
        params = faiss.SearchParametersHNSW()  # type: ignore[attr-defined]
        if sel is None:
            return _params(params, efSearch=self.EF_SEARCH)
        return _params(params, sel=sel, efSearch=max(self.EF_SEARCH, 4 * allowed))


KINDS: dict[str, type[IndexKind]] = {k.name: k for k in (Flat, IVFSQ8, IVFPQ, HNSWSQ8)}


def get_kind(name: str) -> IndexKind:
    """Returns an index kind from the registry.

    Raises:
        UnknownName: ``name`` is not registered; the message lists the valid names.
    """
    cls = KINDS.get(name)
    if cls is None:
        raise UnknownName(f"unknown vector index {name!r}; valid: {', '.join(sorted(KINDS))}")
    return cls()


def choose_kind(n: int, exact_max: int = EXACT_MAX) -> str:
    """Returns the kind for ``n`` vectors: exact up to ``exact_max``, IVF-SQ8 above."""
    return Flat.name if n <= exact_max else IVFSQ8.name


def kind_of(index: faiss.Index) -> str:
    """Returns the kind of a loaded index (the FAISS file records its own type)."""
    for cls in (IVFPQ, IVFSQ8, HNSWSQ8, Flat):  # subclasses first
        if cls().owns(index):
            return cls.name
    raise UnknownName(f"unknown FAISS index type {type(index).__name__}")


def build_index(ids: np.ndarray, vecs: np.ndarray, dim: int, kind: str) -> faiss.Index:
    """Builds a FAISS index of one kind from row ids and unit vectors."""
    vecs = np.ascontiguousarray(vecs, dtype=np.float32).reshape(len(ids), dim)
    return get_kind(kind).build(np.ascontiguousarray(ids, dtype=np.int64), vecs, dim)


def search_index(
    index: faiss.Index,
    query: np.ndarray,
    k: int,
    allowed: AbstractSet[int] | np.ndarray | None = None,
) -> list[tuple[int, float]]:
    """Returns ``(row id, score)`` of the ``k`` nearest vectors among ``allowed`` (None: all)."""
    n = index.ntotal
    if n == 0 or k <= 0 or (allowed is not None and len(allowed) == 0):
        return []
    sel = None
    if allowed is not None:
        chosen = (
            np.ascontiguousarray(allowed, dtype=np.int64)
            if isinstance(allowed, np.ndarray)
            else np.fromiter(allowed, dtype=np.int64, count=len(allowed))
        )
        sel = faiss.IDSelectorBatch(chosen)
    params = get_kind(kind_of(index)).search_params(
        index, sel, n if allowed is None else len(allowed)
    )
    want = min(k, n if allowed is None else len(allowed))
    q = np.ascontiguousarray(np.asarray(query, dtype=np.float32).reshape(1, -1))
    scores, ids = index.search(q, want, params=params)
    return [(int(i), float(s)) for s, i in zip(scores[0], ids[0], strict=True) if i >= 0]
