"""The Milvus backend, for real: Milvus Lite embedded (a file) and as a loopback server."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from eval.run import run_eval
from index.build import delete_document, ingest_paths
from index.embed import Embedder
from index.milvus import filter_expr, lexical_text, query_text
from index.models import Filters
from index.options import EngineOptions
from index.search import MODES, SearchIndex
from tests.serving import free_port

pytest.importorskip("pymilvus")
pytest.importorskip("milvus_lite")

ROOT = Path(__file__).resolve().parents[2]
QUERIES = ROOT / "eval" / "queries.jsonl"
NEW_DOC = ROOT / "eval" / "unseen" / "dev"


def _check_provenance(hits: list) -> None:
    for h in hits:
        raw = (ROOT / h.source).read_text(encoding="utf-8")
        span = raw[h.char_start : h.char_end]
        assert "".join(h.text.split())[:20] == "".join(span.split())[:20]


@pytest.fixture(scope="module")
def milvus_index(
    tmp_path_factory: pytest.TempPathFactory, corpus_index_dir: Path, embedder: Embedder
) -> SearchIndex:
    """The corpus index served from Milvus Lite (its passages synced from the store)."""
    index_dir = tmp_path_factory.mktemp("milvus") / "index"
    shutil.copytree(corpus_index_dir, index_dir)
    options = EngineOptions(backend="milvus")
    index = SearchIndex(index_dir, embedder=embedder, options=options)
    assert index.milvus is not None
    synced = index.milvus.sync()
    assert synced.added == synced.total == index.store.count_passages()
    return index


def test_terms_are_marked_by_column_and_weighted_by_repeats() -> None:
    assert lexical_text("khuyến_học xã", "khuyen hoc", "khuyen_hoc") == (
        "w_khuyến_học w_xã f_khuyen f_hoc b_khuyen_hoc"
    )
    # WEIGHTS (1, 1, 1.5): a bigram counts half as much again as a word or a syllable
    assert query_text([("folded", "hoc"), ("bigrams", "khuyen_hoc"), ("seg", "qđ-ttg")]) == (
        "f_hoc f_hoc b_khuyen_hoc b_khuyen_hoc b_khuyen_hoc"
    )


def test_filters_become_milvus_expressions() -> None:
    assert filter_expr(Filters()) == ""
    expr = filter_expr(
        Filters(doc_type="Báo cáo", issuer='Hội "Khuyến học"', year_from=2020, year_to=2024)
    )
    assert expr == (
        'doc_type == "bao cao" and issuer like "%hoi \\"khuyen hoc\\"%" and year >= 2020'
        " and (year >= 0 and year <= 2024)"
    )


def test_a_second_sync_changes_nothing(milvus_index: SearchIndex) -> None:
    assert milvus_index.milvus is not None
    again = milvus_index.milvus.sync()
    assert (again.added, again.removed) == (0, 0)
    assert milvus_index.milvus.count() == milvus_index.store.count_passages()


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("query", ["khuyến học khuyến tài", "so hoi vien khuyen hoc Dam Rong"])
def test_every_mode_searches_milvus_with_provenance(
    milvus_index: SearchIndex, mode: str, query: str
) -> None:
    result = milvus_index.search(query, k=5, mode=mode)
    assert len(result.hits) == 5
    assert [h.rank for h in result.hits] == [1, 2, 3, 4, 5]
    scores = [h.score for h in result.hits]
    assert scores == sorted(scores, reverse=True)
    _check_provenance(result.hits)


@pytest.mark.parametrize(
    "filters",
    [
        Filters(doc_type="Báo cáo"),
        Filters(doc_type="bao cao", issuer="hội khuyến học"),
        Filters(year_from=2022),
        Filters(year_to=2020),
        Filters(doc_id="kh-tong-ket-10-nam-ct11-2017"),
    ],
)
def test_filters_run_in_the_engine_and_agree_with_the_store(
    milvus_index: SearchIndex, corpus_index: SearchIndex, filters: Filters
) -> None:
    allowed = milvus_index.store.allowed_ids(filters)
    assert allowed
    for mode in MODES:
        found = milvus_index.search("kết quả khuyến học năm", k=20, mode=mode, filters=filters)
        assert found.hits
        ids = {h.passage_id for h in found.hits}
        rows = milvus_index.store.passages(allowed)
        assert ids <= {r["passage_id"] for r in rows.values()}
        # the embedded default filters to the same documents
        embedded = corpus_index.search("kết quả khuyến học năm", k=20, mode=mode, filters=filters)
        assert {h.doc_id for h in found.hits} <= {r["doc_id"] for r in rows.values()}
        assert bool(embedded.hits) == bool(found.hits)


def test_retrieval_is_within_003_of_the_embedded_default(
    milvus_index: SearchIndex, corpus_index: SearchIndex
) -> None:
    milvus = run_eval(milvus_index, QUERIES, ROOT, k=10, baselines=())["methods"]
    embedded = run_eval(corpus_index, QUERIES, ROOT, k=10, baselines=())["methods"]
    for metric in ("recall@10", "mrr@10"):
        # the bar: hybrid within 0.03 of the embedded default
        assert abs(milvus["hybrid"][metric] - embedded["hybrid"][metric]) <= 0.03, metric
        # the engine's BM25 is not the in-memory one (its idf, k1, one length), so its
        # lexical ranking may differ either way, but is not worse by more than 0.03
        assert milvus["lexical"][metric] >= embedded["lexical"][metric] - 0.03, metric
        # the same vectors in an exact (FLAT) index: the same dense ranking
        assert abs(milvus["dense"][metric] - embedded["dense"][metric]) <= 0.01, metric


def test_ingest_then_search_then_delete(
    tmp_path: Path, corpus_index_dir: Path, embedder: Embedder
) -> None:
    index_dir = tmp_path / "index"
    shutil.copytree(corpus_index_dir, index_dir)
    options = EngineOptions(backend="milvus", milvus_uri=str(tmp_path / "m.db"))
    new = sorted(NEW_DOC.glob("*.txt"))[0]
    report = ingest_paths([new], index_dir, ROOT, embedder=embedder, options=options)
    assert len(report.added) == 1
    index = SearchIndex(index_dir, embedder=embedder, options=options)
    assert index.milvus is not None
    assert index.milvus.count() == index.store.count_passages()
    doc = next(d for d in index.store.documents() if d["source"] == str(new.relative_to(ROOT)))
    title = str(doc["title"] or "")
    hits = index.search(title, k=5, mode="hybrid").hits
    assert doc["doc_id"] in {h.doc_id for h in hits}
    only = index.search(title, k=5, filters=Filters(doc_id=doc["doc_id"])).hits
    assert only and {h.doc_id for h in only} == {doc["doc_id"]}
    delete_document(index_dir, doc["doc_id"], options)
    assert index.milvus.count() == index.store.count_passages()
    after = index.search(title, k=20, filters=Filters(doc_id=doc["doc_id"]))
    assert after.hits == []


@pytest.fixture()
def milvus_server(tmp_path: Path) -> Iterator[str]:
    """``milvus-lite server`` on a free loopback port: what several processes share."""
    port = free_port()
    exe = Path(sys.executable).parent / "milvus-lite"
    proc = subprocess.Popen(
        [str(exe), "server", "--data-dir", str(tmp_path / "milvus"), "--host", "127.0.0.1",
         "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    uri = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, "milvus-lite server exited"
            try:
                from pymilvus import MilvusClient

                MilvusClient(uri).list_collections()
                break
            except Exception:  # noqa: BLE001 - not listening yet
                assert time.monotonic() < deadline, "milvus-lite server did not start"
                time.sleep(0.3)
        yield uri
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)


def _serve(index_dir: Path, uri: str, key: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {
        **os.environ,
        "TRACUU_INDEX": str(index_dir),
        "TRACUU_BACKEND": "milvus",
        "TRACUU_MILVUS_URI": uri,
        "TRACUU_API_KEY": key,
        "TRACUU_ROOT": str(ROOT),
        "HF_HUB_OFFLINE": "1",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "search_api.cli", "serve", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    return proc, f"http://127.0.0.1:{port}"


def _ready(proc: subprocess.Popen, base: str) -> None:
    deadline = time.monotonic() + 180
    while True:
        assert proc.poll() is None, "tracuu serve exited"
        try:
            if httpx.get(f"{base}/readyz", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, "tracuu serve did not start"
        time.sleep(0.5)


def test_two_readers_over_one_milvus_answer_alike_and_see_an_upload(
    tmp_path: Path, corpus_index_dir: Path, milvus_server: str
) -> None:
    index_dir = tmp_path / "index"
    shutil.copytree(corpus_index_dir, index_dir)
    key = "k" * 24
    servers = []
    try:
        # the first fills the collection from the store; the second finds it filled
        for _ in range(2):
            servers.append(_serve(index_dir, milvus_server, key))
            _ready(*servers[-1])
        (_, a), (_, b) = servers
        params: dict[str, str | int] = {"q": "khuyến học khuyến tài", "k": 5}
        ra = httpx.get(f"{a}/api/search", params=params, timeout=30).json()
        rb = httpx.get(f"{b}/api/search", params=params, timeout=30).json()
        assert [h["passage_id"] for h in ra["hits"]] == [h["passage_id"] for h in rb["hits"]]
        assert len(ra["hits"]) == 5
        # an upload through A is found by B at once, without a restart
        new = sorted(NEW_DOC.glob("*.txt"))[0]
        up = httpx.post(
            f"{a}/api/documents",
            files={"file": (new.name, new.read_bytes(), "text/plain")},
            headers={"Authorization": f"Bearer {key}"},
            timeout=300,
        )
        assert up.status_code in (200, 201), up.text
        doc_id = up.json()["doc_id"]
        found = httpx.get(
            f"{b}/api/search", params={"q": new.stem.replace("-", " "), "k": 5, "doc_id": doc_id},
            timeout=30,
        ).json()  # fmt: skip
        assert found["hits"] and {h["doc_id"] for h in found["hits"]} == {doc_id}
    finally:
        for proc, _ in servers:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)


def test_a_rebuild_replaces_its_collection(
    tmp_path: Path, milvus_server: str, embedder: Embedder
) -> None:
    from pymilvus import MilvusClient

    options = EngineOptions(backend="milvus", milvus_uri=milvus_server)
    index_dir = tmp_path / "index"
    doc = ROOT / "corpus" / "kh-tong-ket-10-nam-ct11-2017.txt"
    ingest_paths([doc], index_dir, ROOT, embedder=embedder, options=options)
    first = SearchIndex(index_dir, embedder=embedder, options=options)
    assert first.milvus is not None and first.milvus.name
    old = first.milvus.name
    ingest_paths([doc], index_dir, ROOT, embedder=embedder, rebuild=True, options=options)
    rebuilt = SearchIndex(index_dir, embedder=embedder, options=options)
    assert rebuilt.milvus is not None and rebuilt.milvus.name not in (None, old)
    assert MilvusClient(milvus_server).list_collections() == [rebuilt.milvus.name]
    assert rebuilt.milvus.count() == rebuilt.store.count_passages() > 0
    assert rebuilt.search("khuyến học", k=3).hits


def test_precedent_reads_passages_from_milvus_like_the_embedded_default(
    milvus_index: SearchIndex, corpus_index: SearchIndex
) -> None:
    from answers.precedent import Precedent

    text = (
        "Việc tổng kết phải được thực hiện nghiêm túc, phản ánh đúng thực chất "
        "việc tổ chức thực hiện trong thời gian qua."
    )
    hits = Precedent(milvus_index, ROOT).similar(text, k=5)
    embedded = Precedent(corpus_index, ROOT).similar(text, k=5)
    assert hits[0].doc_id == "kh-tong-ket-10-nam-ct11-2017" and hits[0].score > 0.9
    assert (hits[0].doc_id, hits[0].char_start) == (embedded[0].doc_id, embedded[0].char_start)
