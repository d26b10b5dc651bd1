"""POST /api/ask, GET /api/requirements, /api/phrase, POST /api/similar, GET /api/duplicates,
and the `tracuu ask` / `tracuu requirements` commands, with bad input."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from index.search import SearchIndex
from search_api.app import create_app
from search_api.cli import main
from search_api.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def client(corpus_index: SearchIndex) -> TestClient:
    settings = Settings(
        index_dir=corpus_index.store.index_dir, corpus_dir=ROOT / "corpus", root=ROOT
    )
    return TestClient(create_app(settings, index=corpus_index), raise_server_exceptions=False)


def _exact(c: dict) -> bool:
    raw = (ROOT / c["source"]).read_text(encoding="utf-8")
    return raw[c["char_start"] : c["char_end"]] == c["quote"]


def _assert_error(r, status: int, code: str) -> None:  # type: ignore[no-untyped-def]
    assert r.status_code == status, r.text
    err = r.json()["error"]
    assert err["code"] == code and err["message"]


def test_ask_answers_with_exact_citations(client: TestClient) -> None:
    r = client.post(
        "/api/ask", json={"question": "Các huyện ủy phải gửi báo cáo tổng kết trước ngày nào?"}
    )
    assert r.status_code == 200
    body = r.json()
    assert "31 tháng 3 năm 2017" in body["answer"] and len(body["answer"]) <= 600
    assert body["message"] is None and body["method"] == "extractive"
    keys = {"doc_id", "doc_title", "source", "char_start", "char_end", "section", "quote"}
    for c in body["citations"]:
        assert keys <= set(c) and _exact(c)
    assert body["citations"][0]["doc_id"] == "kh-tong-ket-10-nam-ct11-2017"
    assert 1 <= len(body["passages"]) <= 6 and "text" in body["passages"][0]


def test_ask_without_diacritics_and_from_ocr(client: TestClient) -> None:
    body = client.post(
        "/api/ask", json={"question": "bao nhieu hoi vien khuyen hoc son la la dang vien", "k": 8}
    ).json()
    assert body["answer"] and "46.017" in body["answer"]
    assert body["citations"][0]["doc_id"] == "bc-64-hkh-son-la-2022"
    assert all(_exact(c) for c in body["citations"])


def test_ask_outside_the_corpus_is_null_with_a_message(client: TestClient) -> None:
    body = client.post("/api/ask", json={"question": "Ai vô địch World Cup 2022?"}).json()
    assert body["answer"] is None and body["citations"] == []
    assert body["message"] and body["passages"]


@pytest.mark.parametrize(
    ("payload", "status", "code"),
    [
        ({}, 400, "invalid_parameter"),
        ({"question": ""}, 400, "bad_query"),
        ({"question": "   "}, 400, "bad_query"),
        ({"question": "x" * 5000}, 400, "bad_query"),
        ({"question": "khuyến học", "k": 0}, 400, "invalid_parameter"),
        ({"question": "khuyến học", "k": 1000}, 400, "invalid_parameter"),
        ({"question": "khuyến học", "k": "ten"}, 400, "invalid_parameter"),
        ({"question": ["a", "b"]}, 400, "invalid_parameter"),
        ([1, 2], 400, "invalid_parameter"),
    ],
)
def test_bad_ask_requests_get_json_4xx(
    client: TestClient, payload: object, status: int, code: str
) -> None:
    _assert_error(client.post("/api/ask", json=payload), status, code)


def test_ask_malformed_json_and_wrong_method(client: TestClient) -> None:
    r = client.post("/api/ask", content=b"{not json", headers={"content-type": "application/json"})
    _assert_error(r, 400, "invalid_parameter")
    r = client.get("/api/ask")  # a known path, another method
    _assert_error(r, 405, "method_not_allowed")
    assert r.headers["allow"] == "POST"


def test_requirements_endpoint_lists_the_kh_ct11_deadlines(client: TestClient) -> None:
    r = client.get("/api/requirements", params={"doc_id": "kh-tong-ket-10-nam-ct11-2017"})
    assert r.status_code == 200
    body = r.json()
    assert body["total"] == len(body["requirements"])
    dated = {(x["actor"], x["deadline"]) for x in body["requirements"] if x["deadline"]}
    assert dated == {
        ("Ban cán sự đảng Ủy ban nhân tỉnh", "2017-03-31"),
        ("Các huyện ủy, thị ủy, thành ủy trực thuộc", "2017-03-31"),
        ("Ban Tuyên giáo Tỉnh ủy", "2017-04-14"),
    }
    for x in body["requirements"]:
        assert x["implements"] == ["11-CT/TW"] and _exact(x)
    one = client.get("/api/requirements", params={"actor": "huyen uy", "q": "bao cao"}).json()
    assert [x["deadline"] for x in one["requirements"]] == ["2017-03-31"]
    assert client.get("/api/requirements", params={"actor": "không ai"}).json()["total"] == 0
    _assert_error(client.get("/api/requirements", params={"q": "x" * 300}), 400, "bad_query")


def test_phrase_endpoint(client: TestClient) -> None:
    body = client.get("/api/phrase", params={"q": "truoc ngay 31 thang 3 nam 2017"}).json()
    assert body["total"] == 2 and len(body["hits"]) == 1
    hit = body["hits"][0]
    assert len(hit["highlights"]) == 2
    for m in hit["matches"]:
        assert _exact(m) and m["quote"] == "trước ngày 31 tháng 3 năm 2017"
    limited = client.get("/api/phrase", params={"q": "khuyến học", "limit": 2}).json()
    assert len(limited["hits"]) == 2 and limited["total"] > 2


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({}, 400, "invalid_parameter"),
        ({"q": ""}, 400, "bad_query"),
        ({"q": "..."}, 400, "bad_query"),
        ({"q": "x" * 400}, 400, "bad_query"),
        ({"q": "học", "limit": 0}, 400, "invalid_parameter"),
        ({"q": "học", "limit": "many"}, 400, "invalid_parameter"),
    ],
)
def test_bad_phrase_requests(client: TestClient, params: dict, status: int, code: str) -> None:
    _assert_error(client.get("/api/phrase", params=params), status, code)


def test_similar_endpoint(client: TestClient) -> None:
    text = "Hình thức tổng kết bằng văn bản, không tổ chức hội nghị."
    body = client.post("/api/similar", json={"text": text, "k": 3}).json()
    top = body["hits"][0]
    assert top["doc_id"] == "kh-tong-ket-10-nam-ct11-2017" and top["highlights"]
    assert all(_exact(m) for h in body["hits"] for m in h["matches"])
    for payload, status, code in (
        ({}, 400, "invalid_parameter"),
        ({"text": ""}, 400, "bad_query"),
        ({"text": "x " * 3000}, 400, "bad_query"),
        ({"text": "khuyến học", "k": 0}, 400, "invalid_parameter"),
        ({"text": 12}, 400, "invalid_parameter"),
    ):
        _assert_error(client.post("/api/similar", json=payload), status, code)


def test_similar_returns_sentences_in_context_with_filters(client: TestClient) -> None:
    text = "Tăng cường sự lãnh đạo của cấp ủy đảng đối với công tác khuyến học, khuyến tài."
    body = client.post("/api/similar", json={"text": text, "k": 5}).json()
    assert body["text"] == text and body["took_ms"] >= 0 and len(body["hits"]) == 5
    for h in body["hits"]:
        s = h["sentence"]
        raw = (ROOT / h["source"]).read_text(encoding="utf-8")
        assert raw[s["char_start"] : s["char_end"]] == s["quote"]
        assert h["viewer"].startswith("/?doc=") and f"start={s['char_start']}" in h["viewer"]
        assert h["uses"] and all(_exact(u) and u["viewer"] for u in h["uses"])
        assert {"doc_type", "issuer", "issuer_level", "date", "before", "after"} <= set(h)
        assert h["restored"] == (h["reading"] is not None)
    level = client.post(
        "/api/similar", json={"text": text, "issuer_level": "Trung uong", "k": 5}
    ).json()
    assert all(h["issuer_level"] == "Trung ương" for h in level["hits"])
    years = client.post(
        "/api/similar", json={"text": text, "year_from": 2022, "year_to": 2022}
    ).json()
    assert years["hits"] and all(h["date"].startswith("2022") for h in years["hits"])
    for payload, status, code in (
        ({"text": text, "issuer_level": "quốc tế"}, 400, "bad_query"),
        ({"text": text, "year_from": 2024, "year_to": 2020}, 400, "bad_query"),
        ({"text": text, "year_from": -5}, 400, "invalid_parameter"),
        ({"text": text, "year_from": "năm ngoái"}, 400, "invalid_parameter"),
        ({"text": text, "doc_type": ["Báo cáo"]}, 400, "invalid_parameter"),
        ({"text": "khuyến học\u0000"}, 400, "bad_query"),
        ({"text": text, "k": 51}, 400, "invalid_parameter"),
    ):
        _assert_error(client.post("/api/similar", json=payload), status, code)
    schema = client.get("/openapi.json").json()["components"]["schemas"]
    assert {"sentence", "uses", "reading", "viewer"} <= set(schema["SimilarHitOut"]["properties"])
    assert "issuer_level" in schema["SimilarRequest"]["properties"]


def test_duplicates_endpoint(client: TestClient) -> None:
    body = client.get("/api/duplicates").json()
    assert body["groups"]
    for g in body["groups"]:
        assert len(g["documents"]) >= 2 and all(_exact(m) for m in g["members"])
    assert len(client.get("/api/duplicates", params={"limit": 1}).json()["groups"]) == 1
    _assert_error(
        client.get("/api/duplicates", params={"min_similarity": 2}), 400, "invalid_parameter"
    )
    _assert_error(
        client.get("/api/duplicates", params={"min_words": "x"}), 400, "invalid_parameter"
    )


def test_openapi_lists_the_new_endpoints(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for p in ("ask", "requirements", "phrase", "similar", "duplicates"):
        assert f"/api/v1/{p}" in paths


def test_ui_has_the_answer_tabs(client: TestClient) -> None:
    config = client.get("/config")
    assert config.status_code == 200
    text = json.dumps(config.json(), ensure_ascii=False)
    for label in ("Hỏi đáp", "Yêu cầu", "Tìm câu chữ tương tự"):
        assert label in text


def test_missing_index_is_503(tmp_path: Path) -> None:
    settings = Settings(index_dir=tmp_path / "none", corpus_dir=tmp_path, root=tmp_path)
    c = TestClient(create_app(settings, with_ui=False), raise_server_exceptions=False)
    _assert_error(c.post("/api/ask", json={"question": "khuyến học"}), 503, "index_missing")
    _assert_error(c.get("/api/requirements"), 503, "index_missing")
    _assert_error(c.get("/api/phrase", params={"q": "học"}), 503, "index_missing")


# --- CLI ---------------------------------------------------------------------------


def test_cli_ask_json(corpus_index_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    q = ["Ban", "Tuyên", "giáo", "Tỉnh", "ủy", "gửi", "dự", "thảo", "trước", "ngày", "nào?"]
    assert main(["--index", str(corpus_index_dir), "ask", *q, "--json"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert "14 tháng 4 năm 2017" in body["answer"]
    assert body["citations"] and all(_exact(c) for c in body["citations"])


def test_cli_ask_text_and_null(corpus_index_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--index", str(corpus_index_dir), "ask", "Hòa An đã cấp bao nhiêu xe lăn?"]) == 0
    out = capsys.readouterr().out
    assert "127" in out and "[1]" in out and "corpus/bc-298-ubnd-hoa-an-2020.txt[" in out
    assert main(["--index", str(corpus_index_dir), "ask", "Giá vàng hôm nay bao nhiêu?"]) == 0
    assert "Không tìm thấy câu trả lời" in capsys.readouterr().out


def test_cli_ask_errors(
    corpus_index_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--index", str(corpus_index_dir), "ask", "khuyến học", "-k", "0"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("tracuu: error: k must be") and err.count("\n") == 1
    assert main(["--index", str(corpus_index_dir), "ask", "   "]) == 2
    assert "empty" in capsys.readouterr().err
    assert main(["--index", str(tmp_path / "none"), "ask", "khuyến học"]) == 2
    assert "no index" in capsys.readouterr().err


def test_cli_requirements(corpus_index_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    index = ["--index", str(corpus_index_dir)]
    assert main([*index, "requirements", "--doc", "kh-tong-ket-10-nam-ct11-2017", "--json"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert {x["deadline"] for x in body["requirements"]} >= {"2017-03-31", "2017-04-14"}
    assert main([*index, "requirements", "--actor", "Ban Tuyên giáo Tỉnh ủy"]) == 0
    out = capsys.readouterr().out
    assert "Ban Tuyên giáo Tỉnh ủy | trước ngày 14 tháng 4 năm 2017" in out
    assert main([*index, "requirements", "--actor", "huyện ủy", "--csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0][0] == "actor" and rows[1][0] == "Các huyện ủy, thị ủy, thành ủy trực thuộc"
    assert main([*index, "requirements", "--actor", "không có ai"]) == 0
    assert "no requirement matches" in capsys.readouterr().out
    assert main([*index, "requirements", "--q", "x" * 300]) == 2
    assert "limit is 200" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main([*index, "requirements", "--json", "--csv"])
    assert info.value.code == 2
