"""End-to-end ``POST /api/ask`` latency through a real server on the seed corpus.

Starts ``tracuu serve`` (``python -m search_api.cli serve``) over the seed corpus index
(``benchmarks/out/seed-index``, built on first use), asks the labelled questions (the
``dev`` questions of ``eval/questions.jsonl`` and ``eval/unseen/corpus.jsonl``) once to
warm the caches that live per index generation (the query restorer, the candidate
sentence vectors, the readings of OCR'd spans) — that first pass is reported as "cold" —
then asks them again from one client for ``--requests`` requests and reports p50/p95.

``python -m benchmarks.ask_latency [--requests 300] [--clients 1]``

Goal (issue 13): p95 <= 150 ms warm, on 2 cores.
"""

from __future__ import annotations

import argparse
import http.client
import json

from benchmarks.api import _free_port, drive, start, stop
from benchmarks.common import ROOT, header, percentile, rss_bytes, seed_index, spread


def questions() -> list[str]:
    """Returns the dev questions asked of the seed corpus (never the test ones)."""
    out = []
    for name in ("eval/questions.jsonl", "eval/unseen/corpus.jsonl"):
        path = ROOT / name
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                r = json.loads(line)
                if "question" in r and r.get("split", "dev") == "dev":
                    out.append(r["question"])
    return out


def _ask(conn: http.client.HTTPConnection, q: str) -> str | None:
    body = json.dumps({"question": q, "k": 6}).encode()
    conn.request("POST", "/api/ask", body, {"Content-Type": "application/json"})
    resp = conn.getresponse()
    data = resp.read()
    if resp.status != 200 or "answer" not in json.loads(data):
        return f"{resp.status} {data[:80]!r}"
    return None


def ask(port: int, clients: int, requests: int, qs: list[str]) -> tuple[list[float], float]:
    """Sends ``requests`` questions from ``clients`` threads; returns latencies and wall time."""
    return drive(port, clients, requests, qs, _ask, timeout=120)


def main() -> None:
    """Runs the ask benchmark."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=300)
    ap.add_argument("--clients", type=int, default=1)
    args = ap.parse_args()
    header("POST /api/ask end to end (python -m benchmarks.ask_latency)")
    index = seed_index()
    qs = questions()
    port = _free_port()
    proc, took = start(index, port)
    try:
        print(f"   server ready in {took:.1f} s; {len(qs)} dev questions")
        cold, _ = ask(port, 1, len(qs), qs)
        print(f"-- first pass (cold caches): {spread(cold)}")
        lat, wall = ask(port, args.clients, args.requests, qs)
        print(f"-- warm, {args.clients} client(s): {spread(lat)}  {len(lat) / wall:.1f} requests/s")
        verdict = "meets" if percentile(lat, 95) * 1000 <= 150 else "MISSES"
        print(f"   p95 {percentile(lat, 95) * 1000:.1f} ms {verdict} the 150 ms goal")
        print(f"   server resident memory: {rss_bytes(proc.pid) / 2**20:.0f} MiB")
    finally:
        stop(proc)


if __name__ == "__main__":
    main()
