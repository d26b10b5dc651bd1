"""Lexical and dense query latency on the seed corpus and on synthetic stores.

- seed corpus (real model): ``SearchIndex.search`` per mode over the 133 labelled queries;
- synthetic stores (``benchmarks.synth.fill_store``, real FTS5 analysis, vectors from
  real-embedding mixtures as in ``benchmarks.vectors``): lexical latency for the
  labelled queries and for marker queries (one known answer each: hit@1 is printed),
  lexical queries/s on one core (the process pinned to CPU 0, one query at a time: whole
  searches, the in-memory BM25 of ``index.bm25`` alone, and FTS5's bm25() alone),
  dense latency (query embedding + the index kind chosen for the size), and memory
  per passage (resident memory after opening, loading FAISS and one lexical search,
  before the model loads, over the passage count)
  and disk per passage. Stores are cached in ``benchmarks/out/store-N``.

``python -m benchmarks.search_latency [--sizes 10000,100000] [--queries 60]``
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np

from benchmarks.common import (
    dir_bytes,
    eval_queries,
    header,
    out_dir,
    percentile,
    rss_bytes,
    seed_index,
    spread,
)
from index.schema import DB_NAME
from index.search import SearchIndex


def _time_queries(index: SearchIndex, queries: list[str], mode: str) -> list[float]:
    out = []
    for q in queries:
        t0 = time.perf_counter()
        index.search(q, k=10, mode=mode)
        out.append(time.perf_counter() - t0)
    return out


def seed_corpus() -> None:
    """Prints latency per mode on the seed corpus."""
    index = SearchIndex(seed_index())
    queries = eval_queries()
    index.search("khuyến học", k=10)  # load model, segmenter and FAISS
    print(f"-- seed corpus: {index.store.count_passages()} passages, {len(queries)} queries, k=10")
    for mode in ("lexical", "dense", "hybrid"):
        print(f"   {mode:8s} {spread(_time_queries(index, queries, mode))}")


def synthetic_store(n: int) -> Path:
    """Returns a cached synthetic store of ``n`` passages, building it when missing."""
    from benchmarks.synth import fill_store
    from benchmarks.vectors import mixtures, sample

    path = out_dir("") / f"store-{n}"
    if (path / DB_NAME).exists() and (path / "complete").exists():
        return path
    import shutil

    shutil.rmtree(path, ignore_errors=True)
    p, _ = sample()
    rng = np.random.default_rng(5)
    t0 = time.perf_counter()
    fill_store(path, n, lambda _start, count: mixtures(p, count, rng), dim=p.shape[1])
    took = time.perf_counter() - t0
    print(f"   filled {path.name}: {n / took:.0f} passages/s (analysis + FTS5 + SQLite)")
    (path / "complete").write_text("")
    return path


def synthetic(n: int, one_core: bool, limit: int) -> None:
    """Prints lexical and dense figures on a synthetic store of ``n`` passages."""
    from benchmarks.synth import marker

    path = synthetic_store(n)
    rss0 = rss_bytes()
    index = SearchIndex(path)
    queries = eval_queries()[:limit]
    t0 = time.perf_counter()
    index.vectors.index()
    load = time.perf_counter() - t0
    index.search("khuyến học", k=10, mode="lexical")
    rss = rss_bytes() - rss0  # FAISS, SQLite cache and the segmenter; the model comes later
    print(
        f"-- synthetic {n:,} passages: FAISS {index.vectors.kind()} ready in {load:.1f} s; "
        f"disk {dir_bytes(path) / n:.0f} B/passage "
        f"(SQLite {(path / DB_NAME).stat().st_size / n:.0f}, "
        f"FAISS {(path / 'vectors.faiss').stat().st_size / n:.0f})"
    )
    print(f"   lexical  {spread(_time_queries(index, queries, 'lexical'))}  (labelled queries)")
    rng = np.random.default_rng(1)
    picks = rng.choice(n, 100, replace=False)
    times, top1 = [], 0
    for i in picks:
        t = time.perf_counter()
        hits = index.search(marker(int(i)), k=10, mode="lexical").hits
        times.append(time.perf_counter() - t)
        top1 += bool(hits) and hits[0].text.count(marker(int(i))) == 1
    print(f"   marker   {spread(times)}  hit@1 {top1 / len(picks):.3f}")
    dense = _time_queries(index, queries, "dense")
    print(f"   dense    {spread(dense)}  (query embedding included)")
    print(f"   hybrid   {spread(_time_queries(index, queries, 'hybrid'))}")
    print(f"   memory   {rss / n:.0f} B/passage resident after opening and a lexical search")
    if one_core:
        one_core_lexical(index, queries)


def one_core_lexical(index: SearchIndex, queries: list[str]) -> None:
    """Lexical queries/s on one core: whole searches, the in-memory BM25 alone, FTS5 alone."""
    from index.bm25 import BM25Index
    from index.models import Filters
    from index.search import BM25_FILE
    from vntext.analysis import match_query, query_terms
    from vntext.normalize import has_diacritics
    from vntext.restore import restore_query

    bm25 = index.bm25()  # written beside the index by the first search
    t0 = time.perf_counter()
    BM25Index.from_sqlite(index.store.conn)
    built = time.perf_counter() - t0
    t0 = time.perf_counter()
    BM25Index.load(index.store.index_dir / BM25_FILE, index.bm25_stamp())
    loaded = time.perf_counter() - t0
    print(
        f"   in-memory BM25: built from SQLite in {built:.1f} s, loaded from {BM25_FILE} in "
        f"{loaded:.2f} s; arrays {bm25.nbytes() / bm25.size:.0f} B/passage"
    )
    prepared = []
    for q in queries:
        restored = restore_query(q, index.restorer()) if not has_diacritics(q) else q
        prepared.append((query_terms(q, restored), match_query(q, restored)))
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(before)})
    try:
        for terms, _ in prepared[:5]:
            bm25.search(terms, 100)  # compile and warm up
        t0 = time.perf_counter()
        whole = _time_queries(index, queries, "lexical")
        took = time.perf_counter() - t0
        scorer = []
        for terms, _ in prepared:
            t = time.perf_counter()
            bm25.search(terms, 100)
            scorer.append(time.perf_counter() - t)
        fts = []
        for _, match in prepared[:20]:
            t = time.perf_counter()
            if match:
                index.store.lexical(match, 100, Filters())
            fts.append(time.perf_counter() - t)
    finally:
        os.sched_setaffinity(0, before)
    print(
        f"   one core: {len(queries) / took:.0f} lexical searches/s through SearchIndex "
        f"(p50 {percentile(whole, 50) * 1000:.2f} ms: query analysis, top 100, hits with "
        f"highlights); in-memory BM25 top 100 alone {len(scorer) / sum(scorer):.0f}/s "
        f"(p50 {percentile(scorer, 50) * 1000:.2f} ms, p95 {percentile(scorer, 95) * 1000:.2f}); "
        f"FTS5 bm25() alone {len(fts) / sum(fts):.1f}/s (p50 {percentile(fts, 50) * 1000:.1f} ms)"
    )


def main() -> None:
    """Runs the query latency benchmark."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--no-seed", action="store_true", help="skip the seed corpus")
    ap.add_argument("--queries", type=int, default=60, help="labelled queries per synthetic size")
    args = ap.parse_args()
    header("query latency (python -m benchmarks.search_latency)")
    if not args.no_seed:
        seed_corpus()
    for size in (int(s) for s in args.sizes.split(",") if s):
        synthetic(size, one_core=True, limit=args.queries)


if __name__ == "__main__":
    main()
