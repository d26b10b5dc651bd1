"""Index choice by size (issue 7): exact below the threshold, IVF-SQ8 above, HNSW by name."""

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from index.ann import build_index, choose_kind, kind_of, search_index
from index.errors import UnknownName
from index.store import Store
from index.vectors import Vectors


def _recall_at_10(store: Store, vectors: Vectors, exact: Vectors) -> float:
    _, vecs = store.embeddings()
    queries = vecs[:: max(1, len(vecs) // 20)]
    found = []
    for q in queries:
        truth = {i for i, _ in exact.search(q, 10)}
        got = {i for i, _ in vectors.search(q, 10)}
        found.append(len(truth & got) / len(truth))
    return float(np.mean(found))


def test_choose_kind_by_size() -> None:
    assert choose_kind(0) == "flat"
    assert choose_kind(10, exact_max=10) == "flat"
    assert choose_kind(11, exact_max=10) == "ivf-sq8"


def test_the_seed_corpus_gets_an_exact_index(writable_index: Path) -> None:
    vectors = Vectors(Store(writable_index))
    assert vectors.kind() == "flat"
    assert vectors.index().ntotal == vectors.store.count_passages()


@pytest.mark.parametrize(
    ("exact_max", "kind", "expected"), [(10, None, "ivf-sq8"), (10**9, "hnsw-sq8", "hnsw-sq8")]
)
def test_approximate_kinds_are_built_recorded_and_close_to_exact(
    writable_index: Path, exact_max: int, kind: str | None, expected: str
) -> None:
    store = Store(writable_index)
    vectors = Vectors(store, exact_max=exact_max, kind=kind)
    assert vectors.kind() == expected
    # The file records the kind: a second reader loads it instead of rebuilding.
    again = Vectors(store, exact_max=exact_max, kind=kind)
    mtime = (writable_index / "vectors.faiss").stat().st_mtime_ns
    assert again.kind() == expected
    assert (writable_index / "vectors.faiss").stat().st_mtime_ns == mtime
    assert _recall_at_10(store, again, Vectors(store)) >= 0.9


def test_a_reader_with_another_threshold_rebuilds(writable_index: Path) -> None:
    store = Store(writable_index)
    assert Vectors(store, exact_max=10).kind() == "ivf-sq8"
    assert Vectors(store).kind() == "flat"
    assert Vectors(store, exact_max=10).kind() == "ivf-sq8"


@pytest.mark.parametrize("kind", ["flat", "ivf-sq8", "hnsw-sq8"])
def test_filters_keep_only_allowed_ids_and_find_them_all(writable_index: Path, kind: str) -> None:
    store = Store(writable_index)
    vectors = Vectors(store, kind=kind)
    ids, vecs = store.embeddings()
    allowed = {int(i) for i in ids[3:9]}
    hits = vectors.search(vecs[0], 10, allowed)
    assert {i for i, _ in hits} == allowed  # a narrow filter still finds every allowed id
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
    assert vectors.search(vecs[0], 10, set()) == []


def test_ivf_with_many_cells_on_random_vectors() -> None:
    rng = np.random.default_rng(0)
    vecs = rng.standard_normal((5000, 32)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    ids = np.arange(100, 5100, dtype=np.int64)
    ivf = build_index(ids, vecs, 32, "ivf-sq8")
    flat = build_index(ids, vecs, 32, "flat")
    assert kind_of(ivf) == "ivf-sq8" and kind_of(flat) == "flat"
    assert faiss_nlist(ivf) > 32  # more cells than probed: the approximate path runs
    found = []
    for q in vecs[:50]:
        truth = {i for i, _ in search_index(flat, q, 10)}
        found.append(len(truth & {i for i, _ in search_index(ivf, q, 10)}) / 10)
    assert np.mean(found) >= 0.5  # random 32-d data is the hard case; real data is in the benchmark
    assert search_index(ivf, vecs[0], 1)[0][0] == 100


def faiss_nlist(index: Any) -> int:
    import faiss

    return int(faiss.extract_index_ivf(index).nlist)


def test_unknown_kind_lists_the_valid_ones(writable_index: Path) -> None:
    with pytest.raises(UnknownName, match="ivf-sq8"):
        Vectors(Store(writable_index), kind="annoy")
