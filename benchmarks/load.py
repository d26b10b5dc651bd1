"""Load: N concurrent clients against a real uvicorn on 127.0.0.1; every answer must be 200.

    .venv/bin/python -m benchmarks.load --index /tmp/idx --clients 8 --seconds 30 --write

Starts `tracuu serve` on a free port (or uses ``--url``), waits for /readyz, then each
client loops over a mix of searches (hybrid, lexical, dense, accent-less, filtered),
document listings and document pages. Prints requests, throughput, p50/p95/p99 and
errors; ``--write`` puts them in benchmarks/RESULTS.md under its own heading.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
HEADING = "## Load: concurrent clients through the HTTP API (issue 8)"
QUERIES: list[tuple[str, dict[str, str | int]]] = [
    ("/api/search", {"q": "Hội khuyến học huyện Hòa An có bao nhiêu hội viên", "k": 10}),
    ("/api/search", {"q": "quy khuyen hoc", "mode": "lexical"}),
    ("/api/search", {"q": "xây dựng xã hội học tập", "mode": "dense", "k": 5}),
    ("/api/search", {"q": "khuyến học", "doc_type": "Báo cáo", "year_from": 2020}),
    ("/api/search", {"q": "mô hình gia đình học tập", "k": 10, "offset": 10}),
    ("/api/documents", {}),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(index: Path, port: int) -> subprocess.Popen[bytes]:
    """Starts `tracuu serve` on 127.0.0.1:port over an existing index."""
    env = {**os.environ, "TRACUU_ROOT": str(ROOT), "TRACUU_INDEX": str(index)}
    env.pop("TRACUU_API_KEY", None)
    tracuu = Path(sys.executable).parent / "tracuu"
    return subprocess.Popen(
        [
            str(tracuu),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def wait_ready(url: str, timeout: float = 180) -> None:
    """Waits until /readyz answers 200."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/readyz", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} not ready after {timeout:.0f} s")


def run_load(url: str, clients: int, seconds: float) -> dict:
    """Runs the clients; returns counts and latencies (ms)."""
    with httpx.Client(base_url=url, timeout=30) as probe:
        docs = [d["doc_id"] for d in probe.get("/api/documents").json()]
    mix: list[tuple[str, dict[str, str | int]]] = QUERIES + [
        (f"/api/documents/{d}", {}) for d in docs[:3]
    ]
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(n: int) -> None:
        mine: list[float] = []
        bad: list[str] = []
        with httpx.Client(base_url=url, timeout=30) as http:
            i = n
            while time.monotonic() < stop:
                path, params = mix[i % len(mix)]
                t0 = time.perf_counter()
                try:
                    r = http.get(path, params=params)
                    if r.status_code != 200:
                        bad.append(f"{path} {r.status_code} {r.text[:120]}")
                except httpx.HTTPError as exc:
                    bad.append(f"{path} {type(exc).__name__}: {exc}")
                mine.append((time.perf_counter() - t0) * 1000)
                i += 1
        with lock:
            latencies.extend(mine)
            errors.extend(bad)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    q = statistics.quantiles(latencies, n=100) if len(latencies) >= 2 else [0.0] * 99
    return {
        "clients": clients,
        "seconds": round(wall, 1),
        "requests": len(latencies),
        "errors": len(errors),
        "error_samples": errors[:5],
        "rps": round(len(latencies) / wall, 1),
        "p50_ms": round(q[49], 1),
        "p95_ms": round(q[94], 1),
        "p99_ms": round(q[98], 1),
        "max_ms": round(max(latencies, default=0.0), 1),
    }


def _section(result: dict, command: str) -> str:
    cpu = platform.machine()
    with contextlib.suppress(OSError, StopIteration):
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    return (
        f"{HEADING}\n\n"
        f"`{command}` — {cpu}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}, "
        f"{dt.datetime.now().isoformat(timespec='minutes')}; seed corpus (5 documents); real "
        "uvicorn (`tracuu serve`) on 127.0.0.1, each client a keep-alive connection looping "
        "over hybrid/lexical/dense/filtered/paged searches, the document list and document "
        "pages.\n\n"
        "| clients | seconds | requests | errors | req/s | p50 ms | p95 ms | p99 ms | max ms |\n"
        "|---|---|---|---|---|---|---|---|---|\n"
        f"| {result['clients']} | {result['seconds']} | {result['requests']} | "
        f"{result['errors']} | {result['rps']} | {result['p50_ms']} | {result['p95_ms']} | "
        f"{result['p99_ms']} | {result['max_ms']} |\n"
    )


def write_results(result: dict, command: str) -> None:
    """Puts this benchmark's section in RESULTS.md, leaving the other sections alone."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmarks\n"
    section = _section(result, command)
    pattern = re.compile(rf"^{re.escape(HEADING)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    RESULTS.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--index", type=Path, help="index directory to serve (default: .tracuu)")
    p.add_argument("--url", help="an already running server instead of starting one")
    p.add_argument("--clients", type=int, default=8)
    p.add_argument("--seconds", type=float, default=30)
    p.add_argument("--write", action="store_true", help="record the figures in RESULTS.md")
    args = p.parse_args(argv)
    server = None
    url = args.url
    if url is None:
        port = _free_port()
        server = start_server(args.index or ROOT / ".tracuu", port)
        url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(url)
        result = run_load(url, args.clients, args.seconds)
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    print(
        f"{result['clients']} clients, {result['seconds']} s: {result['requests']} requests, "
        f"{result['errors']} errors, {result['rps']} req/s, p50 {result['p50_ms']} ms, "
        f"p95 {result['p95_ms']} ms, p99 {result['p99_ms']} ms, max {result['max_ms']} ms"
    )
    for sample in result["error_samples"]:
        print(f"  error: {sample}")
    if args.write:
        command = "python -m benchmarks.load " + " ".join(
            argv if argv is not None else sys.argv[1:]
        )
        write_results(result, command)
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
