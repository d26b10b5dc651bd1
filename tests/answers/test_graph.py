"""The citation graph of the corpus index, and references kept through updates."""

from __future__ import annotations

from pathlib import Path

from answers.graph import graph_for
from index.build import ingest_paths
from index.embed import Embedder
from index.search import SearchIndex
from index.store import Store

ROOT = Path(__file__).resolve().parents[2]

# As the corpus states them (issue 4): title and date of each directive.
EXPECTED = {
    "11-CT/TW": ("Chỉ thị", "2007-04-13", "Tăng cường sự lãnh đạo của Đảng"),
    "49-KL/TW": ("Kết luận", "2019-05-10", "Tiếp tục thực hiện Chỉ thị số 11-CT/TW"),
    "89/QĐ-TTg": ("Quyết định", "2013-01-09", "Phê duyệt Đề án “Xây dựng xã hội học tập"),
    "281/QĐ-TTg": ("Quyết định", "2014-02-20", "Phé duyét Pé an “Day manh hoc tap"),
    "1373/QĐ-TTg": ("Quyết định", "2021-07-30", "Phé duyét Bé an “Xay dung xa hoi hoc tap"),
    "387/QĐ-TTg": ("Quyết định", "2022-03-25", "Phê duyệt Chương trình “Đẩy mạnh phong trào"),
    "677/QĐ-TTg": ("Quyết định", "2022-06-03", "Phê duyệt Chương trình “Xây dựng mô hình"),
}


def test_directive_nodes_have_titles_and_dates(corpus_index: SearchIndex) -> None:
    graph = graph_for(corpus_index.store)
    for node_id, (doc_type, date, title) in EXPECTED.items():
        node = graph.nodes[node_id]
        assert not node.in_corpus and node.doc_id is None
        assert (node.type, node.date) == (doc_type, date), node
        assert node.title and node.title.startswith(title), node.title


def test_ct11_to_kl49_and_the_chain(corpus_index: SearchIndex) -> None:
    graph = graph_for(corpus_index.store)
    edge = graph.edges[("49-KL/TW", "11-CT/TW")]
    assert edge.relation == "continues" and edge.count >= 3
    # stated in the web article and both OCR'd reports
    assert {m.doc_id for m in edge.mentions} >= {
        "web-dam-rong-5-nam-kl49-2024",
        "bc-64-hkh-son-la-2022",
        "bc-huyen-uy-duc-trong-2022-tong-ket-ct11",
    }
    chain = {link.id: link for link in graph.chain("11-CT/TW")}
    assert chain["49-KL/TW"].depth == 1
    assert chain["132-BC/HU"].relation == "reviews"
    assert chain["kh-tong-ket-10-nam-ct11-2017"].via == "11-CT/TW"
    assert chain["web-dam-rong-5-nam-kl49-2024"].via == "49-KL/TW"
    assert chain["489/QĐ-TTg"].via == "49-KL/TW"


def test_conflicting_dates_are_kept(corpus_index: SearchIndex) -> None:
    node = graph_for(corpus_index.store).nodes["14/CT-TTg"]
    assert set(node.dates) == {"2021-05-25", "2021-05-22"}


def test_mentions_point_at_raw_spans(corpus_index: SearchIndex) -> None:
    graph = graph_for(corpus_index.store)
    for edge in list(graph.edges.values())[:40]:
        for m in edge.mentions:
            raw = (ROOT / m.source).read_text(encoding="utf-8")
            assert raw[m.char_start : m.char_end] == m.surface
            assert m.passage_id and m.passage_id.startswith(m.doc_id + ":")


def test_short_forms_resolve_across_documents(corpus_index: SearchIndex) -> None:
    graph = graph_for(corpus_index.store)
    # "Thông tư số 44/TT-BGD&ĐT" (Hòa An) and "Thong tu 22" (Sơn La) take the full ids
    # the other documents give.
    assert "44/TT-BGDĐT" not in graph.nodes and "Thông tư 22" not in graph.nodes
    hoa_an = graph.node_of_doc("bc-298-ubnd-hoa-an-2020")
    assert (hoa_an, "44/2014/TT-BGDĐT") == ("298/BC-UBND", "44/2014/TT-BGDĐT")
    assert (hoa_an, "44/2014/TT-BGDĐT") in graph.edges
    assert ("64/BC-HKH", "22/2020/TT-BGDĐT") in graph.edges


def test_a_new_document_citing_the_corpus(
    writable_index: Path, tmp_path: Path, embedder: Embedder
) -> None:
    note = tmp_path / "cv-tiep-thu.txt"
    note.write_text(
        "Căn cứ Báo cáo số 298/BC-UBND ngày 09/9/2020 của Ủy ban nhân dân huyện Hòa An; "
        "thực hiện Kết luận số 49-KL/TW, Sở đề nghị các huyện tiếp tục thực hiện.\n",
        encoding="utf-8",
    )
    report = ingest_paths([note], writable_index, tmp_path, embedder=embedder)
    assert report.added == ["cv-tiep-thu.txt"]
    store = Store(writable_index)
    graph = graph_for(store)
    refs = graph.references_json("bc-298-ubnd-hoa-an-2020")
    (entry,) = refs["cited_by"]
    assert entry["target"] == "cv-tiep-thu" and entry["relation"] == "based_on"
    assert entry["in_corpus"] and entry["target_doc_id"] == "cv-tiep-thu"
    assert entry["mentions"][0]["surface"] == "Báo cáo số 298/BC-UBND"
    assert graph.edges[("cv-tiep-thu", "49-KL/TW")].relation == "implements"
    # deleting the document deletes its references (and the graph follows)
    store.delete_document("cv-tiep-thu")
    assert graph_for(store).references_json("bc-298-ubnd-hoa-an-2020")["cited_by"] == []
    rows = store.conn.execute("SELECT COUNT(*) FROM doc_references WHERE doc_id = 'cv-tiep-thu'")
    assert rows.fetchone()[0] == 0


def _doc(doc_id: str, province: str, number: str, text: str) -> tuple[dict, list[dict]]:
    from ingest.references import find_references

    doc = {"doc_id": doc_id, "source": f"{doc_id}.txt", "number": number, "doc_type": None,
           "issuer": None, "date": None, "title": None, "province": province}  # fmt: skip
    rows = []
    for r in find_references(text):
        row = {k: v for k, v in r.__dict__.items() if k != "passage"}
        rows.append(row | {"doc_id": doc_id, "resolved": int(r.resolved), "passage_id": None})
    return doc, rows


def test_two_provinces_plans_of_one_number_stay_two_documents() -> None:
    from answers.graph import CitationGraph

    a, ra = _doc("a", "Sơn La", "64/BC-HKH", "Thực hiện Kế hoạch số 162-KH/TU ngày 04/10/2019.")
    b, rb = _doc("b", "Hà Tĩnh", "12/BC-UBND", "Thực hiện Kế hoạch số 162-KH/TU ngày 01/9/2019.")
    c, rc = _doc("c", "Hà Tĩnh", "13/BC-UBND", "Theo Kế hoạch 162 của Tỉnh ủy và Chỉ thị 11-CT/TW.")
    g = CitationGraph([a, b, c], ra + rb + rc)
    assert {"162-KH/TU (Sơn La)", "162-KH/TU (Hà Tĩnh)"} <= set(g.nodes)
    # The short form takes the plan of its own province, never the other's.
    assert ("13/BC-UBND", "162-KH/TU (Hà Tĩnh)") in g.edges
    assert ("13/BC-UBND", "162-KH/TU (Sơn La)") not in g.edges
    assert "11-CT/TW" in g.nodes  # a national id keeps its canonical form


def test_a_short_form_never_resolves_by_number_alone() -> None:
    from answers.graph import CitationGraph

    a, ra = _doc("a", "Đắk Lắk", "5/BC-UBND", "Thực hiện Quyết định số 12/QĐ-UBND ngày 2/3/2020.")
    b, rb = _doc("b", "Đắk Lắk", "6-BC/HU", "Thực hiện Kế hoạch 12 của Huyện ủy Krông Pắc.")
    g = CitationGraph([a, b], ra + rb)
    assert ("6-BC/HU", "12/QĐ-UBND") not in g.edges
    assert ("6-BC/HU", "Kế hoạch 12") in g.edges
