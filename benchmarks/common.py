"""Shared helpers: where output goes, the machine, and medians with spreads."""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(__file__).resolve().parent / "out"


def out_dir(name: str) -> Path:
    """Returns ``benchmarks/out/<name>`` (git-ignored), created."""
    path = OUT / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def machine() -> str:
    """Returns a one-line description: CPU, cores, RAM, Python and the date."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = os.getloadavg()[0]
    return (
        f"{cpu}, {os.cpu_count()} cores, {ram:.0f} GiB RAM, Python {platform.python_version()}, "
        f"load {load:.1f}, {dt.datetime.now().isoformat(timespec='minutes')}"
    )


def percentile(values: Sequence[float], q: float) -> float:
    """Returns the ``q``-th percentile (0..100), linear between ranks."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    pos = (len(ordered) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)


def spread(values: Sequence[float], unit: str = "ms", scale: float = 1000.0) -> str:
    """Returns ``p50 … p95 … (min–max, n)`` of durations in seconds, shown in ``unit``."""
    v = [x * scale for x in values]
    return (
        f"p50 {percentile(v, 50):.2f} {unit}  p95 {percentile(v, 95):.2f} {unit}  "
        f"mean {statistics.fmean(v):.2f}  min {min(v):.2f}  max {max(v):.2f}  n={len(v)}"
    )


def timed(fn: Callable[[], object]) -> float:
    """Returns how long ``fn()`` took, in seconds."""
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def rss_bytes(pid: int | str = "self") -> int:
    """Returns a process's resident set size in bytes (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def dir_bytes(path: Path) -> int:
    """Returns the total size of the files under ``path``."""
    return sum(f.stat().st_size for f in Path(path).rglob("*") if f.is_file())


def header(title: str) -> None:
    """Prints a benchmark's title and the machine."""
    print(f"== {title}")
    print(f"   machine: {machine()}")


def eval_queries() -> list[str]:
    """Returns the labelled queries of ``eval/queries.jsonl`` (realistic user queries)."""
    import json

    lines = (ROOT / "eval" / "queries.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["query"] for line in lines if line.strip()]


def seed_index() -> Path:
    """Returns ``benchmarks/out/seed-index``: the seed corpus indexed with the real model.

    Built on first use (about a minute on 2 cores), reused afterwards.
    """
    from index.build import ingest_paths
    from index.schema import DB_NAME
    from index.store import Store

    path = OUT / "seed-index"
    if (path / DB_NAME).exists() and len(Store(path).documents()) == 5:
        return path
    report = ingest_paths([ROOT / "corpus"], path, ROOT, rebuild=True)
    print(f"   built {path}: {report.passages} passages in {report.seconds:.1f} s")
    return path
