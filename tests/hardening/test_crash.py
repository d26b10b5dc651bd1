"""`kill -9` of a real `tracuu ingest` at several points: the index stays usable, no
document is half there, and a re-run completes."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from index.build import ingest_paths
from index.embed import Embedder
from index.schema import DB_NAME
from index.search import SearchIndex
from search_api.settings import HOLD_ENV
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


def _has(index_dir: Path, word: str) -> bool:
    conn = sqlite3.connect(f"file:{index_dir / DB_NAME}?mode=ro", uri=True, timeout=5)
    try:
        row = conn.execute(
            "SELECT COUNT(*) FROM passages WHERE instr(text, ?) > 0", (word,)
        ).fetchone()
        return bool(row[0])
    finally:
        conn.close()


def _start_ingest(
    index_dir: Path, corpus: Path, root: Path, hold: int | None = None, *extra: str
) -> subprocess.Popen[bytes]:
    env = {**os.environ, "TRACUU_ROOT": str(root), "TRACUU_INDEX": str(index_dir)}
    env.pop(HOLD_ENV, None)
    if hold is not None:
        env[HOLD_ENV] = str(hold)
    return subprocess.Popen(
        [str(TRACUU), "ingest", *extra, str(corpus)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def _held(proc: subprocess.Popen[bytes]) -> None:
    """Waits for the child to say it reached its hold point (no timing involved)."""
    assert proc.stderr is not None
    for line in proc.stderr:
        if line.startswith(b"tracuu: held after"):
            return
    raise AssertionError(f"the ingest ended (status {proc.wait()}) before its hold point")


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

    # Kill points, each signalled by the child itself (TRACUU_TEST_HOLD_AFTER): with the
    # model loaded and nothing written yet, then once 1, 2 and 3 more files committed.
    for more in (0, 1, 2, 3):
        start = _count_docs(index_dir)
        # The changed file (bao-cao-002) sorts first among the files to do: it replaces
        # its old version rather than adding a document.
        pending_update = not _has(index_dir, "đãsửađổi")
        proc = _start_ingest(index_dir, corpus, tmp_path, more)
        _held(proc)
        assert _kill(proc), "the ingest ended before it was killed"
        assert proc.returncode == -signal.SIGKILL
        added = more - (1 if pending_update and more else 0)
        assert _count_docs(index_dir) == start + added  # exactly the committed files
        assert _has(index_dir, "đãsửađổi") == (not pending_update or more > 0)
        _check_usable(index_dir, embedder, baseline)

    proc = _start_ingest(index_dir, corpus, tmp_path)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err.decode()
    assert _check_usable(index_dir, embedder, baseline) == 15
    hits = SearchIndex(index_dir, embedder=embedder).search("đãsửađổi", mode="lexical").hits
    assert hits and hits[0].doc_id == "bao-cao-002"


def test_kill_9_during_rebuild_keeps_the_old_index(tmp_path: Path, embedder: Embedder) -> None:
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    for n in range(1, 4):
        write_doc(corpus, n)
    ingest_paths([corpus], index_dir, tmp_path, embedder=embedder)
    baseline = {d["doc_id"] for d in SearchIndex(index_dir).store.documents()}
    write_doc(corpus, 4, marker="mớiđây")
    # Killed twice: with nothing written yet, and with two files in the new index.
    for hold in (0, 2):
        proc = _start_ingest(index_dir, corpus, tmp_path, hold, "--rebuild")
        _held(proc)
        assert _kill(proc)
        assert _check_usable(index_dir, embedder, baseline) == 3  # the old index, whole
        assert not SearchIndex(index_dir, embedder=embedder).search("mớiđây", mode="lexical").hits
    proc = _start_ingest(index_dir, corpus, tmp_path, None, "--rebuild")
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err.decode()
    assert _check_usable(index_dir, embedder, baseline) == 4
    hits = SearchIndex(index_dir, embedder=embedder).search("mớiđây", mode="lexical").hits
    assert hits and hits[0].doc_id == "bao-cao-004"
    # The half-built directories of the killed runs are gone.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "index"]
