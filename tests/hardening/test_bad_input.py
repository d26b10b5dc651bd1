"""Bad input over HTTP: every row answers a 4xx in the error shape, never a 500."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from index.embed import Embedder
from index.search import SearchIndex
from search_api.app import MAX_BODY_BYTES, create_app
from search_api.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
KEY = "bad-input-key"
AUTH = {"Authorization": f"Bearer {KEY}"}
JSON = {"content-type": "application/json"}


@pytest.fixture(scope="module")
def client(
    corpus_index_dir: Path, embedder: Embedder, tmp_path_factory: pytest.TempPathFactory
) -> TestClient:
    # A copy: failed uploads pass through the index directory before they are refused.
    index_dir = tmp_path_factory.mktemp("bad-input") / "index"
    shutil.copytree(corpus_index_dir, index_dir)
    index = SearchIndex(index_dir, embedder=embedder)
    settings = Settings(
        index_dir=index_dir,
        corpus_dir=ROOT / "corpus",
        root=ROOT,
        api_key=KEY,
        max_upload_bytes=10_000,
    )
    app = create_app(settings, index=index, with_ui=False)
    return TestClient(app, raise_server_exceptions=False)


# (method, url, request keyword arguments, status, error code)
ROWS: list[tuple[str, str, dict[str, Any], int, str]] = [
    # the query: missing, empty, huge, control characters, not UTF-8
    ("GET", "/api/search", {}, 400, "invalid_parameter"),
    ("GET", "/api/search?q=", {}, 400, "bad_query"),
    ("GET", "/api/search?q=" + "khuyến " * 400, {}, 400, "bad_query"),
    ("GET", "/api/search?q=abc%00def", {}, 400, "bad_query"),
    ("GET", "/api/search?q=%1b%5b31m", {}, 400, "bad_query"),
    ("GET", "/api/search?q=%ff%fe", {}, 400, "bad_encoding"),
    ("GET", "/api/search?q=%ED%A0%80", {}, 400, "bad_encoding"),
    ("GET", "/api/search?q=h%C3", {}, 400, "bad_encoding"),
    ("GET", "/api/search?q=x&issuer=%C0%AF", {}, 400, "bad_encoding"),
    # k, offset, mode, years
    ("GET", "/api/search?q=x&k=0", {}, 400, "invalid_parameter"),
    ("GET", "/api/search?q=x&k=-3", {}, 400, "invalid_parameter"),
    ("GET", "/api/search?q=x&k=99999999999999999999999", {}, 400, "invalid_parameter"),
    ("GET", "/api/search?q=x&k=1e3", {}, 400, "invalid_parameter"),
    ("GET", "/api/search?q=x&offset=1000000", {}, 400, "invalid_parameter"),
    ("GET", "/api/search?q=x&mode=magic", {}, 400, "invalid_parameter"),
    ("GET", "/api/search?q=x&year_from=99999999999999999999", {}, 400, "invalid_parameter"),
    ("GET", "/api/search?q=x&year_to=-9223372036854775809", {}, 400, "invalid_parameter"),
    # ids: unknown, traversal, NUL, not UTF-8
    ("GET", "/api/documents/nope", {}, 404, "not_found"),
    ("GET", "/api/documents/..%2F..%2Fetc%2Fpasswd", {}, 404, "not_found"),
    ("GET", "/api/documents/..%2F..%2Fetc%2Fpasswd/raw", {}, 404, "not_found"),
    ("GET", "/api/documents/%2e%2e/raw", {}, 404, "not_found"),
    ("GET", "/api/documents/%00/raw", {}, 404, "not_found"),
    ("GET", "/api/documents/%ff", {}, 400, "bad_encoding"),
    ("GET", "/api/documents/nope/references", {}, 404, "not_found"),
    ("GET", "/api/graph/node?id=..%2F..%2Fetc", {}, 404, "not_found"),
    ("DELETE", "/api/documents/..%2F..%2Fcorpus", {"headers": AUTH}, 404, "not_found"),
    ("DELETE", "/api/documents/nope", {"headers": AUTH}, 404, "not_found"),
    # JSON bodies: malformed, wrong types, wrong shape, surrogates, huge
    ("POST", "/api/ask", {"content": b"{bad json", "headers": JSON}, 400, "invalid_parameter"),
    ("POST", "/api/ask", {"content": b"\xff\xfe{}", "headers": JSON}, 400, "invalid_parameter"),
    ("POST", "/api/ask", {"json": ["a list"]}, 400, "invalid_parameter"),
    ("POST", "/api/ask", {"json": {"question": 5}}, 400, "invalid_parameter"),
    ("POST", "/api/ask", {"json": {"question": "x", "k": "many"}}, 400, "invalid_parameter"),
    ("POST", "/api/ask", {"json": {}}, 400, "invalid_parameter"),
    ("POST", "/api/ask", {"json": {"question": "x", "k": 10**30}}, 400, "invalid_parameter"),
    ("POST", "/api/ask", {"json": {"question": "hỏi\u0000"}}, 400, "bad_query"),
    (
        "POST",
        "/api/ask",
        {"content": b'{"question": "\\udfff khuyen hoc"}', "headers": JSON},
        400,
        "bad_query",
    ),
    (
        "POST",
        "/api/similar",
        {"content": b'{"text": "\\ud800"}', "headers": JSON},
        400,
        "bad_query",
    ),
    ("POST", "/api/similar", {"json": {"text": "x", "k": 0}}, 400, "invalid_parameter"),
    ("POST", "/api/similar", {"content": b"null", "headers": JSON}, 400, "invalid_parameter"),
    (
        "POST",
        "/api/ask",
        {"content": b'{"question": "' + b"a" * MAX_BODY_BYTES + b'"}', "headers": JSON},
        413,
        "request_too_large",
    ),
    # uploads: no file, unsupported, oversized, corrupt, binary, empty
    ("POST", "/api/documents", {"headers": AUTH}, 400, "invalid_parameter"),
    ("POST", "/api/documents", {"headers": AUTH, "content": b"x"}, 400, "invalid_parameter"),
    (
        "POST",
        "/api/documents",
        {"headers": AUTH, "files": {"file": ("tool.exe", b"MZ\x90\x00")}},
        415,
        "unsupported_file_type",
    ),
    (
        "POST",
        "/api/documents",
        {"headers": AUTH, "files": {"file": ("big.txt", b"a" * 20_000)}},
        413,
        "file_too_large",
    ),
    (
        "POST",
        "/api/documents",
        {"headers": AUTH, "files": {"file": ("huge.txt", b"a" * 3_000_000)}},
        413,
        "request_too_large",
    ),
    (
        "POST",
        "/api/documents",
        {"headers": AUTH, "files": {"file": ("a.pdf", b"%PDF-1.4 broken")}},
        422,
        "ingest_failed",
    ),
    (
        "POST",
        "/api/documents",
        {"headers": AUTH, "files": {"file": ("a.txt", b"\x00\x01" * 100)}},
        422,
        "ingest_failed",
    ),
    (
        "POST",
        "/api/documents",
        {"headers": AUTH, "files": {"file": ("a.txt", b"   ")}},
        422,
        "ingest_failed",
    ),
    (
        "POST",
        "/api/documents",
        {"headers": AUTH, "files": {"file": ("..", b"x")}},
        422,
        "ingest_failed",
    ),
    # methods and paths that do not exist
    ("PUT", "/api/search", {}, 405, "method_not_allowed"),
    ("GET", "/api/nothing-here", {}, 404, "not_found"),
]


@pytest.mark.parametrize(
    ("method", "url", "kwargs", "status", "code"),
    ROWS,
    ids=[f"{m} {u[:50]} {s}" for m, u, _, s, _ in ROWS],
)
def test_bad_input_is_a_4xx_json_error(
    client: TestClient, method: str, url: str, kwargs: dict[str, Any], status: int, code: str
) -> None:
    r = client.request(method, url, **kwargs)
    assert r.status_code == status, r.text[:300]
    error = r.json()["error"]
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]


def test_rejected_uploads_leave_no_file_and_no_document(client: TestClient) -> None:
    before = client.get("/api/documents").json()
    for name, data in (("big.txt", b"a" * 20_000), ("a.pdf", b"%PDF-1.4 broken")):
        assert client.post("/api/documents", headers=AUTH, files={"file": (name, data)}).is_error
    assert client.get("/api/documents").json() == before


def test_limits_are_in_the_openapi(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    params = {p["name"]: p["schema"] for p in spec["paths"]["/api/v1/search"]["get"]["parameters"]}
    assert (params["k"]["minimum"], params["k"]["maximum"]) == (1, 100)
    assert params["q"]["maxLength"] == 2000
    assert params["mode"]["enum"] == ["hybrid", "lexical", "dense"]
    assert "50 MB" in spec["info"]["description"]
    assert "TRACUU_MAX_UPLOAD_BYTES" in spec["paths"]["/api/v1/documents"]["post"]["description"]
