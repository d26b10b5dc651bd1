"""A running app answers every read while a real `tracuu ingest` writes the same index,
and sees the new documents without a restart."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

from fastapi.testclient import TestClient

from index.embed import Embedder
from index.search import SearchIndex
from search_api.app import create_app
from search_api.settings import HOLD_ENV, Settings
from tests.hardening.docs import write_doc

ROOT = Path(__file__).resolve().parents[2]
TRACUU = Path(sys.executable).parent / "tracuu"


def test_reads_never_fail_while_an_ingest_runs(
    writable_index: Path, embedder: Embedder, tmp_path: Path
) -> None:
    settings = Settings(index_dir=writable_index, corpus_dir=ROOT / "corpus", root=ROOT)
    index = SearchIndex(writable_index, embedder=embedder)
    client = TestClient(create_app(settings, index=index, with_ui=False))
    before = len(client.get("/api/documents").json())
    new = tmp_path / "new"
    for n in range(1, 9):
        write_doc(new, n, marker="mớinhập")

    # The ingest stops itself after its 4th file (TRACUU_TEST_HOLD_AFTER) and is resumed
    # once the app has been read at that point: no assumption on how fast either runs.
    env = {**os.environ, "TRACUU_ROOT": str(ROOT), "TRACUU_INDEX": str(writable_index)}
    env[HOLD_ENV] = "4"
    proc = subprocess.Popen(
        [str(TRACUU), "ingest", str(new)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    held = threading.Event()
    err: list[bytes] = []

    def watch() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            err.append(line)
            if line.startswith(b"tracuu: held after"):
                held.set()

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    statuses: Counter[int] = Counter()
    urls = [
        "/api/search?q=hội khuyến học học bổng&k=5",
        "/api/search?q=mớinhập&mode=lexical",
        "/api/search?q=khuyen hoc&mode=dense&k=3",
        "/api/documents",
        "/readyz",
    ]
    i = 0
    midway: set[str] | None = None
    while proc.poll() is None:
        url = urls[i % len(urls)]
        r = client.get(url)
        statuses[r.status_code] += 1
        assert r.status_code == 200, f"{url}: {r.status_code} {r.text[:300]}"
        i += 1
        if held.is_set() and midway is None:
            # The writer is alive, half done: the app sees exactly what it committed.
            assert proc.poll() is None
            assert len(client.get("/api/documents").json()) == before + 4
            found = client.get("/api/search", params={"q": "mớinhập", "mode": "lexical"}).json()
            midway = {h["doc_id"] for h in found["hits"]}
            assert len(midway) == 4
            os.kill(proc.pid, signal.SIGCONT)
    watcher.join(timeout=30)
    assert proc.returncode == 0, b"".join(err).decode()
    assert midway is not None, "the ingest never reached its hold point"
    assert set(statuses) == {200}
    # Without a restart: the new documents are listed and found, lexically and densely.
    docs = client.get("/api/documents").json()
    assert len(docs) == before + 8
    hits = client.get("/api/search", params={"q": "mớinhập", "mode": "lexical", "k": 20}).json()
    assert {h["doc_id"] for h in hits["hits"]} == {f"bao-cao-{n:03d}" for n in range(1, 9)}
    dense = client.get(
        "/api/search", params={"q": "Hội khuyến học xã số 3 báo cáo", "mode": "dense", "k": 20}
    ).json()
    assert any(h["doc_id"].startswith("bao-cao-") for h in dense["hits"])
