"""POST /api/documents and DELETE /api/documents/{doc_id}: auth, replace, bad files, delete."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from index.embed import Embedder
from index.search import SearchIndex
from search_api.app import create_app
from search_api.settings import Settings
from tests import formats

KEY = "s3cret-key"
AUTH = {"Authorization": f"Bearer {KEY}"}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _client(tmp_path: Path, embedder: Embedder, api_key: str | None = KEY) -> TestClient:
    index_dir = tmp_path / "index"
    settings = Settings(
        index_dir=index_dir,
        corpus_dir=tmp_path / "corpus",
        root=tmp_path,
        api_key=api_key,
        max_upload_bytes=200_000,
    )
    index = SearchIndex(index_dir, embedder=embedder, create=True)
    return TestClient(create_app(settings, index=index, with_ui=False))


def _search(client: TestClient, q: str) -> list[dict]:
    r = client.get("/api/search", params={"q": q, "k": 3, "mode": "lexical"})
    assert r.status_code == 200, r.text
    return r.json()["hits"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("api_key", [None, ""])
def test_writes_refused_without_a_configured_key(
    tmp_path: Path, embedder: Embedder, api_key: str | None
) -> None:
    client = _client(tmp_path, embedder, api_key=api_key)
    r = client.post("/api/documents", files={"file": ("a.txt", b"x")}, headers=AUTH)
    assert r.status_code == 403 and r.json()["error"]["code"] == "writes_disabled"
    assert "TRACUU_API_KEY" in r.json()["error"]["message"]
    r = client.delete("/api/documents/whatever", headers=AUTH)
    assert r.status_code == 403


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong"}, {"Authorization": KEY}, {"Authorization": "Basic x"}],
)
def test_writes_need_the_right_bearer_key(
    tmp_path: Path, embedder: Embedder, headers: dict[str, str]
) -> None:
    client = _client(tmp_path, embedder)
    r = client.post("/api/documents", files={"file": ("a.txt", b"x")}, headers=headers)
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
    assert client.delete("/api/documents/x", headers=headers).status_code == 401


def test_upload_replace_delete(tmp_path: Path, embedder: Embedder) -> None:
    client = _client(tmp_path, embedder)
    docx_path = formats.docx_file(tmp_path / "ke-hoach-15.docx")
    data = docx_path.read_bytes()

    r = client.post(
        "/api/documents", files={"file": ("ke-hoach-15.docx", data, DOCX)}, headers=AUTH
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["status"] == "added" and body["source"] == "index/uploads/ke-hoach-15.docx"
    doc_id = body["doc_id"]
    assert (tmp_path / body["source"]).read_bytes() == data

    hit = _search(client, "90% số xã đạt chuẩn cộng đồng học tập")[0]
    assert hit["doc_id"] == doc_id and hit["page"] is None
    raw = client.get(f"/api/documents/{doc_id}/raw").json()
    assert raw["extracted"] is True and raw["kind"] == "docx"
    span = raw["text"][hit["char_start"] : hit["char_end"]]
    assert "".join(span.split())[:20] == "".join(hit["text"].split())[:20]
    meta = client.get(f"/api/documents/{doc_id}").json()
    assert (meta["doc_number"], meta["doc_type"], meta["date"]) == (
        "15/KH-UBND",
        "Kế hoạch",
        "2023-03-20",
    )

    # The same bytes again: nothing to do.
    r = client.post("/api/documents", files={"file": ("ke-hoach-15.docx", data)}, headers=AUTH)
    assert r.status_code == 200 and r.json()["status"] == "unchanged"

    # A changed file of the same name replaces the old version.
    text = "Thông báo\n\nXã tổ chức lễ tuyên dương 25 học sinh giỏi cấp huyện năm học 2023.\n"
    r = client.post(
        "/api/documents", files={"file": ("thong-bao.txt", text.encode())}, headers=AUTH
    )
    assert r.status_code == 201
    new = text.replace("25 học sinh", "40 học sinh")
    r = client.post("/api/documents", files={"file": ("thong-bao.txt", new.encode())}, headers=AUTH)
    assert r.status_code == 200 and r.json()["status"] == "updated"
    tb_id = r.json()["doc_id"]
    hits = _search(client, "tuyên dương học sinh giỏi")
    mine = [h for h in hits if h["doc_id"] == tb_id]
    assert len(mine) == 1 and "40 học sinh" in mine[0]["text"]
    assert hits[0]["doc_id"] == tb_id

    # A broken upload of an indexed name fails and leaves the old version and its file.
    r = client.post(
        "/api/documents", files={"file": ("ke-hoach-15.docx", b"PK\x03\x04junk")}, headers=AUTH
    )
    assert r.status_code == 422 and r.json()["error"]["code"] == "ingest_failed"
    assert "not a readable Word .docx" in r.json()["error"]["message"]
    assert (tmp_path / "index/uploads/ke-hoach-15.docx").read_bytes() == data
    assert _search(client, "90% số xã đạt chuẩn")[0]["doc_id"] == doc_id

    # Delete: gone from the index and from uploads/.
    r = client.delete(f"/api/documents/{doc_id}", headers=AUTH)
    assert r.status_code == 200 and r.json() == {
        "doc_id": doc_id,
        "source": "index/uploads/ke-hoach-15.docx",
        "deleted": True,
    }
    assert not (tmp_path / "index/uploads/ke-hoach-15.docx").exists()
    assert all(h["doc_id"] != doc_id for h in _search(client, "90% số xã đạt chuẩn"))
    assert client.get(f"/api/documents/{doc_id}").status_code == 404
    r = client.delete(f"/api/documents/{doc_id}", headers=AUTH)
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    assert not list((tmp_path / "index" / "extracted").glob("*.txt"))  # its text went too


@pytest.mark.parametrize(
    ("name", "data", "status", "code"),
    [
        ("setup.exe", b"MZ\x90\x00", 415, "unsupported_file_type"),
        ("big.txt", b"a" * 200_001, 413, "file_too_large"),
        ("empty.txt", b"", 422, "ingest_failed"),
        ("scan.pdf", b"%PDF-1.7 not really", 422, "ingest_failed"),
    ],
)
def test_bad_uploads_are_refused_with_a_reason(
    tmp_path: Path, embedder: Embedder, name: str, data: bytes, status: int, code: str
) -> None:
    client = _client(tmp_path, embedder)
    r = client.post("/api/documents", files={"file": (name, data)}, headers=AUTH)
    assert r.status_code == status, r.text
    assert r.json()["error"]["code"] == code and r.json()["error"]["message"]
    assert not (tmp_path / "escape.txt").exists()
    leftovers = list((tmp_path / "index" / "uploads").glob("*")) if status != 415 else []
    assert leftovers == []


@pytest.mark.parametrize("name", ["../../escape.txt", "..\\..\\escape.txt", "/tmp/../escape.txt"])
def test_a_traversing_file_name_stays_in_the_uploads(
    tmp_path: Path, embedder: Embedder, name: str
) -> None:
    client = _client(tmp_path, embedder)
    data = "KẾ HOẠCH\nTriển khai mô hình học tập suốt đời ở thôn bản.\n".encode()
    r = client.post("/api/documents", files={"file": (name, data)}, headers=AUTH)
    assert r.status_code == 201, r.text
    assert r.json()["source"] == "index/uploads/escape.txt"
    assert (tmp_path / "index" / "uploads" / "escape.txt").read_bytes() == data
    assert not (tmp_path / "escape.txt").exists() and not (tmp_path.parent / "escape.txt").exists()


def test_missing_file_field_is_a_clear_400(tmp_path: Path, embedder: Embedder) -> None:
    client = _client(tmp_path, embedder)
    r = client.post("/api/documents", data={"x": "1"}, headers=AUTH)
    assert r.status_code == 400 and "file" in r.json()["error"]["message"]
