"""`kill -9` of a real `tracuu ingest` at several points: the index stays usable, no
document is half there, and a re-run completes."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from index.build import ingest_paths
from index.embed import Embedder
from index.search import SearchIndex
from index.store import DB_NAME
from tests.hardening.docs import write_doc

ROOT = Path(__file__).resolve().parents[2]
TRACUU = Path(sys.executable).parent / "tracuu"


def _count_docs(index_dir: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{index_dir / DB_NAME}?mode=ro", uri=True, timeout=5)
        try:
            return int(conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return -1


def _start_ingest(index_dir: Path, corpus: Path, root: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "TRACUU_ROOT": str(root), "TRACUU_INDEX": str(index_dir)}
    return subprocess.Popen(
        [str(TRACUU), "ingest", str(corpus)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def _kill(proc: subprocess.Popen[bytes]) -> bool:
    """Sends SIGKILL; returns whether the process was still running."""
    alive = proc.poll() is None
    if alive:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    return alive


def _check_usable(index_dir: Path, embedder: Embedder, baseline: set[str]) -> int:
    """Opens the index as a new reader would and checks it whole; returns its documents."""
    index = SearchIndex(index_dir, embedder=embedder)
    docs = {d["doc_id"]: d for d in index.store.documents()}
    assert baseline <= set(docs), "a document of the previous index went missing"
    assert all(d["passages"] > 0 for d in docs.values()), "a document is half written"
    conn = index.store.conn
    fts = conn.execute("SELECT COUNT(*) FROM passages_fts").fetchone()[0]
    assert fts == index.store.count_passages()
    assert index.vectors.index().ntotal == index.store.count_passages()
    for mode in ("lexical", "dense", "hybrid"):
        assert index.search("hội khuyến học học bổng", k=3, mode=mode).hits
    return len(docs)


def test_kill_9_during_ingest_leaves_a_usable_index_and_a_rerun_completes(
    tmp_path: Path, embedder: Embedder
) -> None:
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    for n in range(1, 4):
        write_doc(corpus, n)
    report = ingest_paths([corpus], index_dir, tmp_path, embedder=embedder)
    assert len(report.added) == 3
    baseline = {d["doc_id"] for d in SearchIndex(index_dir).store.documents()}
    # Then: 12 new files and a changed one, ingested by a real process killed four times.
    for n in range(4, 16):
        write_doc(corpus, n)
    write_doc(corpus, 2, marker="đãsửađổi")

    kills = 0
    # Kill points: while the model loads (by time), then after 1, 2 and 3 more files
    # have committed (by polling the database the process writes).
    for more in (None, 1, 2, 3):
        start = _count_docs(index_dir)
        proc = _start_ingest(index_dir, corpus, tmp_path)
        deadline = time.monotonic() + 180
        if more is None:
            time.sleep(1.0)
        else:
            while _count_docs(index_dir) < start + more and proc.poll() is None:
                assert time.monotonic() < deadline, "ingest made no progress"
                time.sleep(0.02)
        kills += _kill(proc)
        assert proc.returncode in (-signal.SIGKILL, 0)
        _check_usable(index_dir, embedder, baseline)
    assert kills >= 3, "the ingest finished before it could be killed"

    proc = _start_ingest(index_dir, corpus, tmp_path)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err.decode()
    assert _check_usable(index_dir, embedder, baseline) == 15
    hits = SearchIndex(index_dir, embedder=embedder).search("đãsửađổi", mode="lexical").hits
    assert hits and hits[0].doc_id == "bao-cao-002"
