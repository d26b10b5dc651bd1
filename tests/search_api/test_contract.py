"""The API contract developers build on (issue 15): one error shape and status per
mistake, 405/413/503, settings checked at start-up, a request id on every response,
stable paging across pages, /api/v1 with /api as its alias, and an OpenAPI document
that says what the server does (security, error model, required fields, enums, ranges).
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from index.embed import Embedder
from index.search import SearchIndex
from search_api.app import create_app
from search_api.requestid import HEADER
from search_api.settings import Settings, SettingsError

ROOT = Path(__file__).resolve().parents[2]
KEY = "contract-key"
AUTH = {"Authorization": f"Bearer {KEY}"}


def _settings(index_dir: Path, **kw: Any) -> Settings:
    return Settings(index_dir=index_dir, corpus_dir=ROOT / "corpus", root=ROOT, api_key=KEY, **kw)


@pytest.fixture(scope="module")
def client(corpus_index: SearchIndex) -> TestClient:
    app = create_app(_settings(corpus_index.store.index_dir), index=corpus_index, with_ui=False)
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture(scope="module")
def spec(client: TestClient) -> dict[str, Any]:
    return client.get("/openapi.json").json()  # type: ignore[no-any-return]


def _error(r: Any, status: int, code: str) -> dict[str, Any]:
    assert r.status_code == status, r.text[:300]
    error = r.json()["error"]
    assert error["code"] == code and error["message"], error
    return error  # type: ignore[no-any-return]


# --- statuses --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PUT", "/api/search", "GET"),
        ("POST", "/api/v1/search", "GET"),
        ("GET", "/api/v1/ask", "POST"),
        ("PATCH", "/api/documents", "GET, POST"),
        ("PUT", "/api/v1/documents/some-doc", "DELETE, GET"),
        ("GET", "/api/reindex", "POST"),
    ],
)
def test_a_known_path_with_a_wrong_method_is_405(
    client: TestClient, method: str, path: str, allowed: str
) -> None:
    r = client.request(method, path)
    _error(r, 405, "method_not_allowed")
    assert r.headers["allow"] == allowed


def test_an_unknown_path_is_404(client: TestClient) -> None:
    for path in ("/api/nothing", "/api/v1/nothing", "/api/v2/search"):
        _error(client.get(path), 404, "not_found")


def _chunks(total: int, size: int = 256 * 1024) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        yield b"a" * min(size, total - sent)
        sent += size


def test_a_chunked_body_over_the_limit_is_413(
    client: TestClient, corpus_index_dir: Path, embedder: Embedder, tmp_path: Path
) -> None:
    # No Content-Length: the body arrives in chunks and is counted as it comes.
    json = {"content-type": "application/json"}
    for path in ("/api/ask", "/api/v1/similar"):
        r = client.post(path, content=_chunks(3 << 20), headers=json)
        assert "content-length" not in r.request.headers
        _error(r, 413, "request_too_large")
    # An upload too: multipart, chunked, over the upload limit (+ the multipart slack).
    index_dir = tmp_path / "index"
    shutil.copytree(corpus_index_dir, index_dir)
    app = create_app(
        _settings(index_dir, max_upload_bytes=1000),
        index=SearchIndex(index_dir, embedder=embedder),
        with_ui=False,
    )
    upload = TestClient(app, raise_server_exceptions=False)
    boundary = b"tracuu-boundary"
    head = (
        b"--" + boundary + b'\r\nContent-Disposition: form-data; name="file"; '
        b'filename="big.txt"\r\nContent-Type: text/plain\r\n\r\n'
    )

    def body() -> Iterator[bytes]:
        yield head
        yield from _chunks(3 << 20)
        yield b"\r\n--" + boundary + b"--\r\n"

    r = upload.post(
        "/api/v1/documents",
        content=body(),
        headers={**AUTH, "content-type": f"multipart/form-data; boundary={boundary.decode()}"},
    )
    _error(r, 413, "request_too_large")
    assert not (index_dir / "uploads" / "big.txt").exists()
    # A small chunked body still goes through.
    r = client.post(
        "/api/ask",
        content=iter([b'{"question": "khuy', b'\xe1\xba\xbfn h\xe1\xbb\x8dc"}']),
        headers=json,
    )
    assert r.status_code == 200, r.text


@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        # the same mistakes on different routes: the same status, 400
        ("GET", "/api/search", {"params": {"q": "x" * 3000}}),
        ("GET", "/api/v1/graph/node", {"params": {"id": "x" * 3000}}),
        ("GET", "/api/phrase", {"params": {"q": "x" * 3000}}),
        ("POST", "/api/ask", {"json": {"question": "x" * 3000}}),
        ("GET", "/api/search", {"params": {"q": "học", "k": 0}}),
        ("GET", "/api/search", {"params": {"q": "học", "k": 1000}}),
        ("POST", "/api/ask", {"json": {"question": "học", "k": 0}}),
        ("POST", "/api/ask", {"json": {"question": "học", "k": 1000}}),
        ("POST", "/api/similar", {"json": {"text": "học", "k": 1000}}),
        ("GET", "/api/search", {"params": {"q": "học", "k": "ten"}}),
        ("GET", "/api/search", {}),
        ("GET", "/api/v1/graph/node", {}),
        ("POST", "/api/ask", {"json": {}}),
        ("POST", "/api/similar", {"json": {}}),
        ("GET", "/api/duplicates", {"params": {"min_similarity": 5}}),
        ("GET", "/api/search", {"params": {"q": "học", "mode": "magic"}}),
    ],
)
def test_one_status_for_every_invalid_request(
    client: TestClient, method: str, path: str, kwargs: dict[str, Any]
) -> None:
    r = client.request(method, path, **kwargs)
    assert r.status_code == 400, r.text
    assert r.json()["error"]["code"] in ("bad_query", "invalid_parameter")


def test_a_missing_field_names_it(client: TestClient) -> None:
    assert "q" in _error(client.get("/api/search"), 400, "invalid_parameter")["message"]
    msg = _error(client.post("/api/ask", json={}), 400, "invalid_parameter")["message"]
    assert msg == "missing field question"


def test_storage_errors_are_503_storage_unavailable(
    corpus_index_dir: Path, embedder: Embedder, tmp_path: Path
) -> None:
    index_dir = tmp_path / "index"
    shutil.copytree(corpus_index_dir, index_dir)
    index = SearchIndex(index_dir, embedder=embedder)
    client = TestClient(
        create_app(_settings(index_dir), index=index, with_ui=False), raise_server_exceptions=False
    )
    assert client.get("/api/documents").status_code == 200
    # The database file is damaged under the running server (a failing disk).
    for path in index_dir.glob("*.sqlite*"):
        with path.open("r+b") as f:
            f.write(b"this is no longer a database " * 200)
    for url in ("/api/documents", "/api/v1/documents/any-doc", "/readyz"):
        r = client.get(url)
        error = _error(r, 503, "storage_unavailable")
        assert "retry later" in error["message"]
        assert r.headers[HEADER]


def test_bad_settings_stop_the_start_with_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "TRACUU_INDEX": str(tmp_path / "idx")}
    for name, value in (
        ("TRACUU_MAX_UPLOAD_BYTES", "50MB"),
        ("TRACUU_MAX_UPLOAD_BYTES", "-1"),
        ("TRACUU_RATE_LIMIT", "lots"),
    ):
        done = subprocess.run(
            [sys.executable, "-m", "search_api.cli", "serve", "--port", "1"],
            env={**env, name: value},
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 2
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("tracuu: error: ") and name in lines[0]
        assert "Traceback" not in done.stderr
    with pytest.raises(SettingsError, match="TRACUU_MAX_UPLOAD_BYTES"):
        os.environ["TRACUU_MAX_UPLOAD_BYTES"] = "0"
        try:
            Settings.from_env()
        finally:
            del os.environ["TRACUU_MAX_UPLOAD_BYTES"]
    os.environ["TRACUU_MAX_UPLOAD_BYTES"] = "2_000_000"
    try:
        assert Settings.from_env().max_upload_bytes == 2_000_000
    finally:
        del os.environ["TRACUU_MAX_UPLOAD_BYTES"]


# --- request id ------------------------------------------------------------------------


def test_every_response_carries_a_request_id(client: TestClient) -> None:
    ids = set()
    for method, path in (
        ("GET", "/healthz"),
        ("GET", "/api/search?q=khuyến học"),
        ("GET", "/api/nothing"),
        ("PUT", "/api/search"),
        ("GET", "/api/search?q=%ff"),
        ("POST", "/api/documents"),
        ("GET", "/docs"),
    ):
        r = client.request(method, path)
        ids.add(r.headers[HEADER])
    assert len(ids) == 7 and all(len(i) == 32 for i in ids)
    # A caller's own plain id is kept; anything else is replaced.
    assert client.get("/healthz", headers={HEADER: "job-42.a"}).headers[HEADER] == "job-42.a"
    for bad in ("two words", "x" * 65, "<script>"):
        echoed = client.get("/healthz", headers={HEADER: bad}).headers[HEADER]
        assert echoed != bad and len(echoed) == 32


def test_log_lines_carry_the_request_id(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        logging.getLogger("tracuu").info("outside any request")
        r = client.get("/api/search", params={"q": "khuyến học"}, headers={HEADER: "trace-7"})
    assert r.headers[HEADER] == "trace-7"
    outside = [rec for rec in caplog.records if rec.getMessage() == "outside any request"]
    assert outside and outside[0].request_id == "-"  # type: ignore[attr-defined]
    from search_api.requestid import LOG_FORMAT

    line = logging.Formatter(LOG_FORMAT).format(outside[0])
    assert " [-] tracuu: outside any request" in line


# --- paging ----------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["hybrid", "lexical", "dense"])
@pytest.mark.parametrize(
    "q", ["khuyến học", "xây dựng xã hội học tập", "trung tâm học tập cộng đồng", "quy hoc"]
)
def test_pages_follow_on_across_the_100_boundary(client: TestClient, q: str, mode: str) -> None:
    def page(k: int, offset: int) -> tuple[list[str], int]:
        body = client.get(
            "/api/v1/search", params={"q": q, "k": k, "offset": offset, "mode": mode}
        ).json()
        assert [h["rank"] for h in body["hits"]] == list(
            range(offset + 1, offset + 1 + len(body["hits"]))
        )
        return [h["passage_id"] for h in body["hits"]], body["total"]

    first, total = page(100, 0)
    assert total > 100 or mode == "lexical"
    walked: list[str] = []
    totals = set()
    for offset in range(0, 200, 30):
        ids, t = page(30, offset)
        walked += ids
        totals.add(t)
    second, t2 = page(60, 60)
    totals |= {t2}
    assert totals == {total}
    assert second[:40] == first[60:100]
    assert walked[:100] == first
    assert len(walked) == len(set(walked)) == min(total, 210)


# --- versioning ------------------------------------------------------------------------


def test_api_v1_and_the_api_alias_answer_alike(client: TestClient) -> None:
    cases: tuple[tuple[str, dict[str, str | int]], ...] = (
        ("/search", {"q": "khuyến học", "k": 5}),
        ("/documents", {}),
        ("/graph", {}),
        ("/requirements", {"q": "khuyến học"}),
    )
    for path, params in cases:
        v1 = client.get("/api/v1" + path, params=params).json()
        alias = client.get("/api" + path, params=params).json()
        if isinstance(v1, dict):
            v1.pop("took_ms", None)
            alias.pop("took_ms", None)
        assert v1 == alias, path


# --- OpenAPI ---------------------------------------------------------------------------


def _operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            yield path, method.upper(), op


def test_openapi_documents_v1_only_and_every_error_with_the_error_model(
    spec: dict[str, Any],
) -> None:
    paths = set(spec["paths"])
    assert all(p.startswith("/api/v1/") or p in ("/healthz", "/readyz") for p in paths)
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    for path, method, op in _operations(spec):
        for code, response in op["responses"].items():
            assert "X-Request-ID" in response["headers"], (path, code)
            if int(code) >= 400:
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorResponse"}, (path, code)
        if path.startswith("/api/v1/"):
            assert "503" in op["responses"], (path, method)
        if op.get("parameters") or op.get("requestBody"):
            assert "400" in op["responses"], (path, method)
        assert "422" not in op["responses"] or (path, method) == ("/api/v1/documents", "POST")
    error = spec["components"]["schemas"]["ErrorResponse"]
    assert error["required"] == ["error"]
    body = spec["components"]["schemas"]["ErrorBody"]
    assert set(body["required"]) == {"code", "message"}


def test_openapi_write_routes_use_the_bearer_scheme(spec: dict[str, Any]) -> None:
    assert spec["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": spec["components"]["securitySchemes"]["bearer"]["description"],
    }
    writes = {
        ("/api/v1/documents", "POST"),
        ("/api/v1/documents/{doc_id}", "DELETE"),
        ("/api/v1/reindex", "POST"),
    }
    for path, method, op in _operations(spec):
        secured = op.get("security") == [{"bearer": []}]
        assert secured == ((path, method) in writes), (path, method)
        assert not any(p["name"].lower() == "authorization" for p in op.get("parameters", []))
        if secured:
            assert {"401", "403"} <= set(op["responses"])


def test_openapi_required_fields_enums_and_ranges(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]

    def params(path: str) -> dict[str, dict[str, Any]]:
        return {p["name"]: p for p in spec["paths"][path]["get"]["parameters"]}

    search = params("/api/v1/search")
    assert search["q"]["required"] is True
    assert search["mode"]["schema"]["enum"] == ["hybrid", "lexical", "dense"]
    for name, low, high in (("k", 1, 100), ("offset", 0, 1000), ("year_from", 0, 9999)):
        schema = search[name]["schema"]
        schema = next(s for s in schema.get("anyOf", [schema]) if s.get("type") == "integer")
        assert (schema["minimum"], schema["maximum"]) == (low, high), name
    assert params("/api/v1/phrase")["q"]["required"] is True
    assert params("/api/v1/graph/node")["id"]["required"] is True
    limit = params("/api/v1/duplicates")["min_similarity"]["schema"]
    assert (limit["minimum"], limit["maximum"]) == (0.3, 1.0)
    assert "question" in schemas["AskRequest"]["required"]
    assert (
        schemas["AskRequest"]["properties"]["k"]["minimum"],
        schemas["AskRequest"]["properties"]["k"]["maximum"],
    ) == (1, 20)
    assert "text" in schemas["SimilarRequest"]["required"]
    assert schemas["SearchResponse"]["properties"]["mode"]["enum"] == ["hybrid", "lexical", "dense"]
    assert set(schemas["UploadResult"]["properties"]["status"]["enum"]) == {
        "added",
        "updated",
        "unchanged",
    }
    relation = schemas["GraphEdge"]["properties"]["relation"]
    assert "implements" in relation["enum"] and "mentions" in relation["enum"]
    kinds = schemas["RawText"]["properties"]["kind"]
    assert set(kinds["enum"]) == {"text", "html", "pdf", "pdf-ocr", "docx"}


# --- bounded work ----------------------------------------------------------------------


def test_duplicates_are_built_for_a_few_fixed_parameter_steps(
    client: TestClient, corpus_index: SearchIndex
) -> None:
    before = set(corpus_index.store._derived)
    seen = []
    for similarity, words in ((0.71, 9), (0.74, 8), (0.7, 9), (0.79, 9.0)):
        body = client.get(
            "/api/duplicates", params={"min_similarity": similarity, "min_words": int(words)}
        ).json()
        seen.append((body["min_similarity"], body["min_words"], body["groups"]))
    assert {(s, w) for s, w, _ in seen} == {(0.7, 8)}
    assert all(g == seen[0][2] for _, _, g in seen)
    built = {k for k in set(corpus_index.store._derived) - before if "duplicates" in k}
    assert built <= {"precedent:duplicates:0.7:8"}


def test_expensive_routes_are_rate_limited_per_client(
    corpus_index: SearchIndex,
) -> None:
    app = create_app(
        _settings(corpus_index.store.index_dir, rate_limit=3), index=corpus_index, with_ui=False
    )
    client = TestClient(app, raise_server_exceptions=False)
    statuses = [client.get("/api/v1/duplicates", params={"limit": 1}).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    r = client.post("/api/ask", json={"question": "khuyến học"})
    error = _error(r, 429, "rate_limited")
    assert int(r.headers["retry-after"]) >= 1 and "a minute" in error["message"]
    # Cheap routes are not limited; another client has its own budget.
    assert all(client.get("/api/search", params={"q": "học"}).status_code == 200 for _ in range(5))
    other = TestClient(app, client=("10.0.0.9", 5000), raise_server_exceptions=False)
    assert other.post("/api/similar", json={"text": "khuyến học", "k": 1}).status_code == 200
    # Off with 0; the default is generous.
    off = create_app(
        _settings(corpus_index.store.index_dir, rate_limit=0), index=corpus_index, with_ui=False
    )
    free = TestClient(off)
    assert all(
        free.get("/api/duplicates", params={"limit": 1}).status_code == 200 for _ in range(8)
    )
    assert Settings(index_dir=ROOT, corpus_dir=ROOT, root=ROOT).rate_limit >= 300
