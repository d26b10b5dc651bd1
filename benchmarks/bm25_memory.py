"""Memory of a process that needs the in-memory BM25 index of a large index (issue 15).

Makes a full-text table of ``--passages`` rows (the seed corpus's passages repeated,
each copy with its own row id, so the postings grow as a real corpus's would; no
embeddings needed), then, each in a fresh child process, gets the BM25 index the way
``SearchIndex.bm25`` does when ``bm25.idx`` is missing: built in this process
(``--inline``, the old way) or built by a child process and loaded (the default now).
Prints each process's peak RSS, its RSS once the index is held, and once the labelled
queries have run on it (a mapped index, ``bm25.idx``, pages in what they touch: file
pages, which processes share and the kernel may drop, unlike the anonymous ones).

``python -m benchmarks.bm25_memory [--passages 100000]``
"""

from __future__ import annotations

import argparse
import json
import resource
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.common import ROOT, header
from vntext.analysis import COLUMNS


def _status(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) // 1024
    return -1


def _make(db: Path, passages: int, source: Path) -> None:
    src = sqlite3.connect(source)
    rows = src.execute(f"SELECT {', '.join(COLUMNS)} FROM passages_fts").fetchall()
    src.close()
    conn = sqlite3.connect(db)
    conn.execute(f"CREATE TABLE passages_fts({', '.join(COLUMNS)})")
    conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")  # as a store's
    for i in range(passages):
        conn.execute(
            f"INSERT INTO passages_fts(rowid, {', '.join(COLUMNS)}) VALUES(?,?,?,?)",
            (i + 1, *rows[i % len(rows)]),
        )
    conn.commit()
    conn.close()


def _child(db: str, inline: bool) -> None:
    from index.bm25 import BM25Index, build_in_child

    before = _status("VmRSS")
    build_peak = 0
    if inline:
        conn = sqlite3.connect(db)
        index = BM25Index.from_sqlite(conn)
    else:
        out = Path(db).with_suffix(".idx")
        assert build_in_child(Path(db), out, "bench")
        build_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
        loaded = BM25Index.load(out, "bench")
        assert loaded is not None
        index = loaded
    held = _status("VmRSS")
    from benchmarks.common import eval_queries
    from vntext.analysis import query_terms

    for q in eval_queries():
        index.search(query_terms(q), 100)
    print(
        json.dumps(
            {
                "start_mb": before,
                "peak_mb": _status("VmHWM"),
                "build_peak_mb": build_peak,
                "held_mb": held,
                "queried_mb": _status("VmRSS"),
                "queried_anon_mb": _status("RssAnon"),
                "rows": int(index.size),
            }
        )
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--passages", type=int, default=100_000)
    ap.add_argument("--index", type=Path, help="an index whose passages to repeat")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        _child(args.child[0], args.child[1] == "inline")
        return
    with tempfile.TemporaryDirectory(prefix="tracuu-bm25-bench-") as tmp:
        source = args.index
        if source is None:
            from index.build import ingest_paths

            source = Path(tmp) / "seed"
            ingest_paths([ROOT / "corpus"], source, ROOT)
        db = Path(tmp) / "fts.sqlite"
        _make(db, args.passages, source / "tracuu.sqlite")
        header(f"BM25 index of {args.passages:,} passages (python -m benchmarks.bm25_memory)")
        for how in ("inline", "child"):
            out = subprocess.run(
                [sys.executable, "-m", "benchmarks.bm25_memory", "--child", str(db), how],
                capture_output=True,
                text=True,
                check=True,
                cwd=ROOT,
            ).stdout
            r = json.loads(out.strip().splitlines()[-1])
            if r["build_peak_mb"]:
                print(f"   the child's build (streamed): peak {r['build_peak_mb']:,} MB")
            print(
                f"   built {how:>6}: process peak {r['peak_mb']:>6,} MB, "
                f"holding it {r['held_mb']:>6,} MB, after the eval queries "
                f"{r['queried_mb']:>6,} MB, of it anonymous {r['queried_anon_mb']:>6,} MB "
                f"(started at {r['start_mb']:,} MB)"
            )


if __name__ == "__main__":
    main()
