"""A running app answers every read while a real `tracuu ingest` writes the same index,
and sees the new documents without a restart."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

from fastapi.testclient import TestClient

from index.embed import Embedder
from index.search import SearchIndex
from search_api.app import create_app
from search_api.settings import Settings
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

    env = {**os.environ, "TRACUU_ROOT": str(ROOT), "TRACUU_INDEX": str(writable_index)}
    proc = subprocess.Popen(
        [str(TRACUU), "ingest", str(new)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    statuses: Counter[int] = Counter()
    seen_docs = set()
    urls = [
        "/api/search?q=hội khuyến học học bổng&k=5",
        "/api/search?q=mớinhập&mode=lexical",
        "/api/search?q=khuyen hoc&mode=dense&k=3",
        "/api/documents",
        "/readyz",
    ]
    i = 0
    while proc.poll() is None:
        url = urls[i % len(urls)]
        r = client.get(url)
        statuses[r.status_code] += 1
        assert r.status_code == 200, f"{url}: {r.status_code} {r.text[:300]}"
        if url == "/api/documents":
            seen_docs.add(len(r.json()))
        i += 1
    assert proc.returncode == 0, proc.stderr.read().decode() if proc.stderr else ""
    assert sum(statuses.values()) >= 10, statuses
    # Without a restart: the new documents are listed and found, lexically and densely.
    docs = client.get("/api/documents").json()
    assert len(docs) == before + 8
    hits = client.get("/api/search", params={"q": "mớinhập", "mode": "lexical", "k": 20}).json()
    assert {h["doc_id"] for h in hits["hits"]} == {f"bao-cao-{n:03d}" for n in range(1, 9)}
    dense = client.get(
        "/api/search", params={"q": "Hội khuyến học xã số 3 báo cáo", "mode": "dense", "k": 20}
    ).json()
    assert any(h["doc_id"].startswith("bao-cao-") for h in dense["hits"])
    assert len(seen_docs) >= 2 or before + 8 in seen_docs
