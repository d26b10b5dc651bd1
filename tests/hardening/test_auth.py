"""Writes need the Bearer key (compared in constant time), are off without one; CORS is
off unless origins are configured."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from index.embed import Embedder
from index.search import SearchIndex
from search_api.app import create_app
from search_api.routers import upload
from search_api.settings import Settings
from tests.hardening.docs import write_doc

KEY = "k3y-with-enough-entropy-0123456789"
WRITES = [
    ("POST", "/api/documents", {"files": {"file": ("a.txt", b"Hoi khuyen hoc")}}),
    ("DELETE", "/api/documents/bao-cao-001", {}),
    ("POST", "/api/reindex", {}),
]


def _client(
    tmp_path: Path,
    embedder: Embedder,
    api_key: str | None = KEY,
    cors: tuple[str, ...] = (),
) -> TestClient:
    settings = Settings(
        index_dir=tmp_path / "index",
        corpus_dir=tmp_path / "corpus",
        root=tmp_path,
        api_key=api_key,
        cors_origins=cors,
    )
    index = SearchIndex(settings.index_dir, embedder=embedder, create=True)
    return TestClient(create_app(settings, index=index, with_ui=False))


@pytest.mark.parametrize(("method", "url", "kwargs"), WRITES)
@pytest.mark.parametrize("api_key", [None, ""])
def test_writes_are_refused_when_no_key_is_configured(
    tmp_path: Path, embedder: Embedder, api_key: str | None, method: str, url: str, kwargs: dict
) -> None:
    client = _client(tmp_path, embedder, api_key=api_key)
    for headers in ({}, {"Authorization": "Bearer "}, {"Authorization": f"Bearer {KEY}"}):
        r = client.request(method, url, headers=headers, **kwargs)
        assert r.status_code == 403, r.text
        assert r.json()["error"]["code"] == "writes_disabled"


@pytest.mark.parametrize(("method", "url", "kwargs"), WRITES)
@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Bearer",
        "Bearer ",
        "Bearer wrong",
        f"Basic {KEY}",
        KEY,
        f"Bearer {KEY[:-1]}",
        f"Bearer {KEY}x",
        f"Bearer {KEY.upper()}",
    ],
)
def test_writes_need_the_exact_bearer_key(
    tmp_path: Path,
    embedder: Embedder,
    method: str,
    url: str,
    kwargs: dict,
    authorization: str | None,
) -> None:
    client = _client(tmp_path, embedder)
    write_doc(tmp_path / "corpus", 1)
    headers = {} if authorization is None else {"Authorization": authorization}
    r = client.request(method, url, headers=headers, **kwargs)
    assert r.status_code == 401, r.text
    assert r.json()["error"]["code"] == "unauthorized"
    assert client.get("/api/documents").json() == []  # nothing was written


def test_the_key_is_compared_in_constant_time(
    tmp_path: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[bytes, bytes]] = []
    real = upload.hmac.compare_digest

    def spy(a: bytes, b: bytes) -> bool:
        seen.append((a, b))
        return real(a, b)

    monkeypatch.setattr(upload.hmac, "compare_digest", spy)
    client = _client(tmp_path, embedder)
    assert client.post("/api/reindex", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert seen == [(b"nope", KEY.encode())]


def test_reindex_with_the_key_ingests_new_and_changed_files_only(
    tmp_path: Path, embedder: Embedder
) -> None:
    client = _client(tmp_path, embedder)
    auth = {"Authorization": f"Bearer {KEY}"}
    write_doc(tmp_path / "corpus", 1)
    write_doc(tmp_path / "corpus", 2)
    r = client.post("/api/reindex", headers=auth)
    assert r.status_code == 200, r.text
    assert len(r.json()["added"]) == 2 and r.json()["failed"] == []
    write_doc(tmp_path / "corpus", 2, marker="thủyquân")
    (tmp_path / "corpus" / "broken.pdf").write_bytes(b"%PDF-1.4 broken")
    r = client.post("/api/reindex", headers=auth).json()
    assert r["added"] == [] and r["updated"] == ["corpus/bao-cao-002.txt"] and r["skipped"] == 1
    assert [f["source"] for f in r["failed"]] == ["corpus/broken.pdf"]
    hits = client.get("/api/search", params={"q": "thủyquân", "mode": "lexical"}).json()["hits"]
    assert hits and hits[0]["doc_id"] == "bao-cao-002"


def test_cors_is_off_by_default(tmp_path: Path, embedder: Embedder) -> None:
    client = _client(tmp_path, embedder)
    r = client.get("/healthz", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in r.headers
    pre = client.options(
        "/api/documents",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in pre.headers


def test_cors_allows_only_the_configured_origins(tmp_path: Path, embedder: Embedder) -> None:
    client = _client(tmp_path, embedder, cors=("https://portal.example.vn",))
    ok = client.get("/healthz", headers={"Origin": "https://portal.example.vn"})
    assert ok.headers["access-control-allow-origin"] == "https://portal.example.vn"
    assert "access-control-allow-credentials" not in ok.headers
    other = client.get("/healthz", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


def test_cors_origins_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACUU_CORS_ORIGINS", " https://a.example , https://b.example,")
    assert Settings.from_env().cors_origins == ("https://a.example", "https://b.example")
    monkeypatch.delenv("TRACUU_CORS_ORIGINS")
    assert Settings.from_env().cors_origins == ()
