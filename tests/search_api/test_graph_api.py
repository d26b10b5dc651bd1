"""GET /api/documents/{doc_id}/references, /api/graph, /api/graph/node and `tracuu refs`."""

from __future__ import annotations

import html as html_lib
import json
import re
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


def test_references_follow_the_contract(client: TestClient) -> None:
    r = client.get("/api/documents/bc-298-ubnd-hoa-an-2020/references")
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"doc_id", "cites", "cited_by"}
    assert body["doc_id"] == "bc-298-ubnd-hoa-an-2020"
    first = body["cites"][0]
    # The contract's keys, extended by the evidence of the relation (issue 20).
    assert set(first) == {"target", "relation", "cue", "in_corpus", "target_doc_id", "mentions"}
    assert first["target"] == "89/QĐ-TTg" and first["relation"] == "reviews"
    assert first["in_corpus"] is False and first["target_doc_id"] is None
    raw = (ROOT / "corpus/bc-298-ubnd-hoa-an-2020.txt").read_text(encoding="utf-8")
    cue = first["cue"]
    assert cue["doc_id"] == "bc-298-ubnd-hoa-an-2020"
    assert raw[cue["char_start"] : cue["char_end"]] == cue["text"]
    for m in first["mentions"]:
        assert set(m) == {"passage_id", "char_start", "char_end", "surface", "relation", "cue"}
        assert raw[m["char_start"] : m["char_end"]] == m["surface"]
        if m["cue"] is not None:
            assert raw[m["cue"]["char_start"] : m["cue"]["char_end"]] == m["cue"]["text"]
    targets = {c["target"] for c in body["cites"]}
    assert {"1668/KH-SGD&ĐT", "44/2014/TT-BGDĐT", "231/QĐ-TTg"} <= targets


def test_graph_follows_the_contract(client: TestClient) -> None:
    body = client.get("/api/graph").json()
    nodes = {n["id"]: n for n in body["nodes"]}
    for n in body["nodes"]:
        assert set(n) == {"id", "type", "issuer", "date", "title", "in_corpus", "doc_id"}
    for e in body["edges"]:
        assert set(e) == {"source", "target", "relation", "count"}
        assert e["source"] in nodes and e["target"] in nodes
    assert {"11-CT/TW", "49-KL/TW", "89/QĐ-TTg", "70/2014/QĐ-UBND"} <= set(nodes)
    assert nodes["11-CT/TW"]["date"] == "2007-04-13"
    assert nodes["132-BC/HU"]["in_corpus"] is True
    assert nodes["132-BC/HU"]["doc_id"] == "bc-huyen-uy-duc-trong-2022-tong-ket-ct11"
    edges = {(e["source"], e["target"]): e for e in body["edges"]}
    assert edges[("49-KL/TW", "11-CT/TW")]["relation"] == "continues"


def test_graph_node_with_chain(client: TestClient) -> None:
    r = client.get("/api/graph/node", params={"id": "11-CT/TW"})
    assert r.status_code == 200
    body = r.json()
    assert body["node"]["label"] == "Chỉ thị 11-CT/TW"
    assert body["mentions"] == 36  # 9 + 2 + 1 + 24 in the gold file
    chain = {c["id"]: c for c in body["chain"]}
    assert chain["49-KL/TW"]["relation"] == "continues"
    assert "web-dam-rong-5-nam-kl49-2024" in chain
    by = {c["target"] for c in body["cited_by"]}
    assert {"49-KL/TW", "132-BC/HU", "1849-CV/BTGTW"} <= by
    # a number as written (no Đ, OCR spelling) names the same node
    alt = client.get("/api/graph/node", params={"id": "89/QD-TTg"}).json()
    assert alt["node"]["id"] == "89/QĐ-TTg"
    assert alt["node"]["title"].startswith("Phê duyệt Đề án")


@pytest.mark.parametrize(
    ("path", "params", "status", "code"),
    [
        ("/api/documents/no-such-doc/references", {}, 404, "not_found"),
        ("/api/graph/node", {"id": "999/QĐ-TTg"}, 404, "not_found"),
        ("/api/graph/node", {}, 400, "invalid_parameter"),
        ("/api/graph/node", {"id": "x" * 500}, 400, "invalid_parameter"),
    ],
)
def test_graph_errors(client: TestClient, path: str, params: dict, status: int, code: str) -> None:
    r = client.get(path, params=params)
    assert r.status_code == status
    assert r.json()["error"]["code"] == code


def test_openapi_lists_the_graph(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/v1/graph", "/api/v1/graph/node", "/api/v1/documents/{doc_id}/references"} <= set(
        paths
    )


def test_cli_refs(corpus_index: SearchIndex, capsys: pytest.CaptureFixture[str]) -> None:
    index = str(corpus_index.store.index_dir)
    assert main(["--index", index, "refs", "web-dam-rong-5-nam-kl49-2024", "--json"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert body["doc_id"] == "web-dam-rong-5-nam-kl49-2024"
    assert {c["target"] for c in body["cites"]} >= {"49-KL/TW", "677/QĐ-TTg", "387/QĐ-TTg"}
    assert main(["--index", index, "refs", "11-CT/TW"]) == 0
    out = capsys.readouterr().out
    assert "Chỉ thị 11-CT/TW" in out and "tiếp tục thực hiện" in out and "Kết luận 49-KL/TW" in out
    assert main(["--index", index, "refs", "không-có"]) == 2
    assert "no document" in capsys.readouterr().err


def test_graph_picture(corpus_index: SearchIndex) -> None:
    from answers.graph import graph_for
    from ui.graph_draw import graph_svg, view_ids
    from ui.graph_tab import details_html

    graph = graph_for(corpus_index.store)
    svg = graph_svg(graph, view_ids(graph, "chain"), "11-CT/TW")
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    text = html_lib.unescape(svg)  # Graphviz writes "-" as "&#45;"
    assert "Chỉ thị 11-CT/TW" in text and "Kết luận 49-KL/TW" in text
    assert "tiếp tục thực hiện" in text  # the relation is named on the edge
    assert "tracuu-outside" in svg  # outside documents are drawn apart
    # one node per document, each with its id; corpus documents open the viewer
    ids = re.findall(r'data-id="([^"]+)"', svg)
    assert sorted(ids) == sorted(view_ids(graph, "chain")) and len(set(ids)) == len(ids)
    assert 'href="?doc=' in svg
    namespaces = ("http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink")
    assert "http" not in re.sub("|".join(namespaces), "", svg)  # nothing from a CDN
    html = details_html(graph, "49-KL/TW", {})
    assert "Được trích dẫn bởi" in html and "Văn bản này trích dẫn" in html


def test_ui_has_the_graph_tab(corpus_index: SearchIndex) -> None:
    from ui.app import build_ui

    demo = build_ui(lambda: corpus_index)
    labels = [getattr(b, "label", None) for b in demo.blocks.values()]
    assert "Sơ đồ trích dẫn" in labels
