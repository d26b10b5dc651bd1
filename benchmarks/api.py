"""End-to-end ``GET /api/search`` latency through a real server, and its start-up time.

Starts ``tracuu serve`` (``python -m search_api.cli serve``) on 127.0.0.1 on a free port
over the seed corpus index (``benchmarks/out/seed-index``, built on first use), times
how long it takes until ``/readyz`` answers, then sends the labelled queries (hybrid,
k=10) from 1, 4 and 16 concurrent clients, each with its own keep-alive connection,
for a fixed number of requests per level. Prints latency p50/p95, requests/s and the
server's resident memory. The server is stopped at the end.

``python -m benchmarks.api [--clients 1,4,16] [--requests 200] [--starts 3]``
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path

from benchmarks.common import ROOT, eval_queries, header, rss_bytes, seed_index, spread


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(index: Path, port: int) -> tuple[subprocess.Popen[bytes], float]:
    """Starts the server; returns it and the seconds until ``/readyz`` answered 200."""
    env = {**os.environ, "TRACUU_INDEX": str(index), "TRACUU_ROOT": str(ROOT)}
    env.pop("TRACUU_API_KEY", None)
    env.setdefault("TRACUU_RATE_LIMIT", "0")  # one client on purpose hammering /api/ask
    cmd = [sys.executable, "-m", "search_api.cli", "serve", "--host", "127.0.0.1"]
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [*cmd, "--port", str(port), "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = t0 + 180
    while time.perf_counter() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/readyz")
            if conn.getresponse().status == 200:
                return proc, time.perf_counter() - t0
        except OSError:
            pass
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError("the server did not become ready in 180 s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stops the server this benchmark started."""
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


Send = Callable[[http.client.HTTPConnection, str], str | None]


def drive(
    port: int, clients: int, requests: int, items: list[str], send: Send, timeout: float = 60
) -> tuple[list[float], float]:
    """Sends ``requests`` items from ``clients`` threads, each over one kept-alive connection.

    Args:
        send: sends one item on a connection and returns ``None``, or the error it got.

    Returns:
        The latency of each request and the wall time of the whole run.

    Raises:
        RuntimeError: some request failed.
    """
    todo = itertools.islice(itertools.cycle(items), requests)
    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        while True:
            with lock:
                item = next(todo, None)
            if item is None:
                return
            t0 = time.perf_counter()
            error = send(conn, item)
            took = time.perf_counter() - t0
            with lock:
                latencies.append(took)
                if error is not None:
                    errors.append(error)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    if errors:
        raise RuntimeError(f"{len(errors)} failed requests, e.g. {errors[0]}")
    return latencies, wall


def _search(conn: http.client.HTTPConnection, q: str) -> str | None:
    conn.request("GET", "/api/search?" + urllib.parse.urlencode({"q": q, "k": 10}))
    resp = conn.getresponse()
    body = resp.read()
    if resp.status != 200 or "hits" not in json.loads(body):
        return f"{resp.status} {body[:80]!r}"
    return None


def load(port: int, clients: int, requests: int, queries: list[str]) -> tuple[list[float], float]:
    """Sends ``requests`` searches from ``clients`` threads; returns latencies and wall time."""
    return drive(port, clients, requests, queries, _search)


def main() -> None:
    """Runs the API benchmark."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", default="1,4,16")
    ap.add_argument("--requests", type=int, default=200, help="requests per concurrency level")
    ap.add_argument("--starts", type=int, default=3, help="server starts timed")
    args = ap.parse_args()
    header("GET /api/search end to end (python -m benchmarks.api)")
    index = seed_index()
    queries = eval_queries()
    starts = []
    for _ in range(max(0, args.starts - 1)):
        proc, took = start(index, _free_port())
        starts.append(took)
        stop(proc)
    port = _free_port()
    proc, took = start(index, port)
    starts.append(took)
    try:
        print(f"-- start-up of tracuu serve until /readyz answers: {spread(starts, 's', 1.0)}")
        load(port, 1, 10, queries)  # warm up
        for clients in (int(c) for c in args.clients.split(",")):
            lat, wall = load(port, clients, args.requests, queries)
            print(f"   {clients:2d} clients: {spread(lat)}  {len(lat) / wall:.1f} requests/s")
        print(f"   server resident memory: {rss_bytes(proc.pid) / 2**20:.0f} MiB")
    finally:
        stop(proc)


if __name__ == "__main__":
    main()
