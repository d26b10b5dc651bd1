from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from index.search import SearchIndex
from search_api.app import create_app
from search_api.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def client(corpus_index: SearchIndex) -> TestClient:
    settings = Settings(
        index_dir=corpus_index.store.index_dir, corpus_dir=ROOT / "corpus", root=ROOT
    )
    return TestClient(create_app(settings, index=corpus_index), raise_server_exceptions=False)


def test_search_follows_the_contract(client: TestClient) -> None:
    r = client.get("/api/search", params={"q": "Hội khuyến học huyện Hòa An", "k": 3})
    assert r.status_code == 200
    body = r.json()
    assert body["query"] == "Hội khuyến học huyện Hòa An"
    assert body["mode"] == "hybrid"
    assert isinstance(body["took_ms"], float)
    assert len(body["hits"]) == 3
    keys = {
        "rank",
        "score",
        "passage_id",
        "doc_id",
        "doc_title",
        "doc_number",
        "source",
        "char_start",
        "char_end",
        "page",
        "section",
        "text",
        "highlights",
    }
    for hit in body["hits"]:
        assert keys <= set(hit)
        raw = (ROOT / hit["source"]).read_text(encoding="utf-8")
        span = raw[hit["char_start"] : hit["char_end"]]
        assert "".join(span.split())[:30] == "".join(hit["text"].split())[:30]
        for a, b in hit["highlights"]:
            assert 0 <= a < b <= len(hit["text"])


@pytest.mark.parametrize("mode", ["lexical", "dense", "hybrid"])
def test_search_modes(client: TestClient, mode: str) -> None:
    r = client.get("/api/search", params={"q": "khuyen hoc", "mode": mode, "k": 2})
    assert r.status_code == 200 and r.json()["mode"] == mode


def test_search_filters_and_pagination(client: TestClient) -> None:
    r = client.get(
        "/api/search", params={"q": "khuyến học", "doc_type": "Báo cáo", "year_from": 2022, "k": 20}
    )
    assert r.status_code == 200
    docs = {h["doc_id"] for h in r.json()["hits"]}
    assert docs and docs <= {"bc-64-hkh-son-la-2022", "bc-huyen-uy-duc-trong-2022-tong-ket-ct11"}
    first = client.get("/api/search", params={"q": "khuyến học", "k": 4}).json()
    page2 = client.get("/api/search", params={"q": "khuyến học", "k": 2, "offset": 2}).json()
    # The second page is the third and fourth hit of the first, not a new ranking.
    assert [h["passage_id"] for h in page2["hits"]] == [h["passage_id"] for h in first["hits"][2:4]]
    assert [h["rank"] for h in page2["hits"]] == [3, 4]
    assert page2["total"] == first["total"] > 4


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({}, 400, "invalid_parameter"),
        ({"q": ""}, 400, "bad_query"),
        ({"q": "   "}, 400, "bad_query"),
        ({"q": "x" * 5000}, 400, "bad_query"),
        ({"q": "khuyến học", "k": 0}, 400, "invalid_parameter"),
        ({"q": "khuyến học", "k": 100000}, 400, "invalid_parameter"),
        ({"q": "khuyến học", "k": "ten"}, 400, "invalid_parameter"),
        ({"q": "khuyến học", "mode": "magic"}, 400, "invalid_parameter"),
        ({"q": "khuyến học", "offset": -3}, 400, "invalid_parameter"),
        ({"q": "khuyến học", "year_from": "2020x"}, 400, "invalid_parameter"),
    ],
)
def test_bad_search_requests_get_json_4xx(
    client: TestClient, params: dict, status: int, code: str
) -> None:
    r = client.get("/api/search", params=params)
    assert r.status_code == status
    err = r.json()["error"]
    assert err["code"] == code and err["message"]


def test_control_characters_and_odd_text_do_not_fail(client: TestClient) -> None:
    r = client.get("/api/search", params={"q": "\x00\x01 khuyến"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_query"
    # FTS5 syntax, a lone wildcard, an emoji, a literal percent sign: plain text here.
    for q in ["AND OR NOT", '"unbalanced', "NEAR(a b)", "*", "🙂", "%FF"]:
        r = client.get("/api/search", params={"q": q})
        assert r.status_code == 200, (q, r.text)
        assert r.json()["query"] == q
    r = client.get("/api/search?q=%FF%FE")
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_encoding"


def test_documents(client: TestClient) -> None:
    docs = client.get("/api/documents").json()
    assert len(docs) == 5
    for d in docs:
        assert {
            "doc_id",
            "source",
            "doc_number",
            "doc_type",
            "title",
            "issuer",
            "place",
            "date",
            "passages",
        } <= set(d)
    one = client.get("/api/documents/bc-298-ubnd-hoa-an-2020").json()
    assert one["doc_number"] == "298/BC-UBND" and one["date"] == "2020-09-09"
    assert "Hòa An" in one["text"]
    assert any(o["heading"].startswith("I. CÔNG TÁC CHỈ ĐẠO") for o in one["outline"])
    assert len(one["passage_spans"]) == one["passages"]


@pytest.mark.parametrize("doc_id", ["nope", "..%2F..%2Fetc%2Fpasswd", "x" * 300])
def test_unknown_document_is_404_json(client: TestClient, doc_id: str) -> None:
    r = client.get(f"/api/documents/{doc_id}")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"


def test_health_ready_docs_and_ui(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz").json()
    assert ready["status"] == "ready" and ready["passages"] > 0
    assert client.get("/docs").status_code == 200
    spec = client.get("/openapi.json").json()
    assert "/api/v1/search" in spec["paths"]
    ui = client.get("/")
    assert ui.status_code == 200 and "<html" in ui.text.lower()
    assert client.get("/api/nothing-here").status_code == 404
    assert client.get("/api/v1/nothing-here").status_code == 404


def test_missing_index_is_503_with_advice(tmp_path: Path) -> None:
    settings = Settings(index_dir=tmp_path / "none", corpus_dir=tmp_path, root=tmp_path)
    c = TestClient(create_app(settings, with_ui=False), raise_server_exceptions=False)
    r = c.get("/api/search", params={"q": "khuyến học"})
    assert r.status_code == 503
    assert "tracuu ingest" in r.json()["error"]["message"]
    assert c.get("/readyz").status_code == 503


def test_one_error_vocabulary() -> None:
    """Every error the layers raise carries a code the one table gives a status, and the UI
    explains every code in Vietnamese."""
    from index.errors import IndexError_
    from ingest.errors import IngestError
    from search_api.errors import CODED, STATUS, ServiceError, code_of, status_for
    from ui.render import ERROR_MESSAGES, UNEXPECTED

    def subclasses(cls: type) -> list[type]:
        found: list[type] = [cls]
        subs: list[type] = cls.__subclasses__()
        for sub in subs:
            found.extend(subclasses(sub))
        return found

    bases = {IndexError_, IngestError, ServiceError}
    assert set(CODED) == bases
    raised = [c for b in bases for c in subclasses(b) if c not in (IndexError_, ServiceError)]
    assert len(raised) >= 14
    for cls in raised:
        assert cls.code in STATUS, cls  # type: ignore[attr-defined]
    assert status_for(IngestError("x")) == (422, "ingest_failed")
    assert code_of(OSError("disk full")) == "storage_unavailable"
    assert code_of(RuntimeError("bug")) is None
    for code in set(STATUS) - {"internal_error"}:
        assert ERROR_MESSAGES.get(code, UNEXPECTED) != UNEXPECTED, code
