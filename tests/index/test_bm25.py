"""The in-memory BM25 ranks exactly as FTS5's bm25() over the same table."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from index.bm25 import BM25Index, build_file, tokens
from index.build import embedding_text, ingest_paths
from index.models import Filters
from index.options import EngineOptions
from index.search import BM25_FILE, SearchIndex
from vntext.analysis import COLUMNS, analyze, match_query, query_terms
from vntext.normalize import has_diacritics
from vntext.restore import restore_query

ROOT = Path(__file__).resolve().parents[2]
QUERIES = [json.loads(line)["query"] for line in (ROOT / "eval" / "queries.jsonl").open()]


def _both(index: SearchIndex, query: str, f: Filters, limit: int = 100) -> tuple[list, list]:
    restored = restore_query(query, index.restorer()) if not has_diacritics(query) else query
    match = match_query(query, restored)
    fts = index.store.lexical(match, limit, f) if match else []
    allowed = index.store.allowed_ids(f) if f.any() else None
    memory = index.bm25().search(query_terms(query, restored), limit, allowed)
    return fts, memory


def test_same_ranking_and_scores_as_fts5_on_every_labelled_query(
    corpus_index: SearchIndex,
) -> None:
    for query in QUERIES:
        fts, memory = _both(corpus_index, query, Filters())
        assert [i for i, _ in memory] == [i for i, _ in fts], query
        for (_, a), (_, b) in zip(fts, memory, strict=True):
            assert b == pytest.approx(a, rel=1e-5), query


def test_filters_keep_only_allowed_passages(corpus_index: SearchIndex) -> None:
    for f in (
        Filters(doc_id="bc-64-hkh-son-la-2022"),
        Filters(year_from=2022, year_to=2022),
        Filters(doc_id="no-such-document"),
    ):
        fts, memory = _both(corpus_index, "hội khuyến học cấp huyện", f)
        assert [i for i, _ in memory] == [i for i, _ in fts]
        allowed = corpus_index.store.allowed_ids(f)
        assert {i for i, _ in memory} <= allowed
    assert _both(corpus_index, "khuyến học", Filters(doc_id="no-such-document"))[1] == []


def test_limit_and_unknown_terms(corpus_index: SearchIndex) -> None:
    bm25 = corpus_index.bm25()
    assert len(bm25.search([("folded", "hoc")], 3)) == 3
    assert bm25.search([("folded", "zzqxj")], 10) == []
    assert bm25.search([], 10) == []
    # A term the tokenizer would split is a phrase, which the in-memory index does not hold.
    assert bm25.search([("seg", "qđ-ttg")], 10) == []
    # query_terms never asks for one: "QĐ-TTg" matches through its folded bigram.
    terms = query_terms("Quyết định 1373/QĐ-TTg", "Quyết định 1373/QĐ-TTg")
    assert all(len(tokens(t)) == 1 for _, t in terms)
    assert ("bigrams", "qd_ttg") in terms


def test_tokens_follow_the_fts5_tokenizer() -> None:
    assert tokens("Hội_Khuyến_học tỉnh, QĐ-TTg 2020") == [
        "hội_khuyến_học",
        "tỉnh",
        "qđ",
        "ttg",
        "2020",
    ]


def test_lexical_search_modes_agree(corpus_index: SearchIndex, corpus_index_dir: Path) -> None:
    query = "tỷ lệ thanh niên đạt chuẩn biết chữ mức 2"
    memory = corpus_index.search(query, k=10, mode="lexical")
    fts5 = SearchIndex(
        corpus_index_dir, embedder=corpus_index.embedder, options=EngineOptions(lexical="fts5")
    )
    fts = fts5.search(query, k=10, mode="lexical")
    assert [h.passage_id for h in memory.hits] == [h.passage_id for h in fts.hits]
    assert memory.hits and memory.hits[0].score == pytest.approx(fts.hits[0].score, rel=1e-5)


def test_saved_beside_the_index_and_reloaded(writable_index: Path) -> None:
    query = "xe lăn cho người khuyết tật"
    path = writable_index / BM25_FILE
    path.unlink()  # the ingest wrote one: the first search must write it again
    index = SearchIndex(writable_index)
    first = [h.passage_id for h in index.search(query, k=5, mode="lexical").hits]
    assert first and path.exists()
    assert BM25Index.load(path, index.bm25_stamp()) is not None
    written = path.stat().st_mtime_ns
    assert BM25Index.load(path, "0:old:1") is None  # another generation's file is ignored
    # A new process loads the file rather than re-reading the passages: same ranking.
    again = SearchIndex(writable_index)
    assert [h.passage_id for h in again.search(query, k=5, mode="lexical").hits] == first
    assert path.stat().st_mtime_ns == written  # loaded, not rebuilt and saved again
    # A corrupt file is rebuilt and rewritten, not trusted.
    path.write_bytes(b"not an index file")
    third = SearchIndex(writable_index)
    assert [h.passage_id for h in third.search(query, k=5, mode="lexical").hits] == first
    assert BM25Index.load(path, third.bm25_stamp()) is not None


def test_an_ingest_moves_the_index_forward(writable_index: Path, tmp_path: Path) -> None:
    index = SearchIndex(writable_index)
    assert all("zyxwvu" not in h.text for h in index.search("zyxwvu", k=5, mode="lexical").hits)
    new = tmp_path / "docs" / "ke-hoach-moi.txt"
    new.parent.mkdir()
    new.write_text(
        "KẾ HOẠCH\nTriển khai mô hình zyxwvu trong các trung tâm học tập cộng đồng.\n",
        encoding="utf-8",
    )
    report = ingest_paths([new.parent], writable_index, tmp_path, embedder=index.embedder)
    assert report.added, report.failed
    fresh = SearchIndex(writable_index, embedder=index.embedder)
    hits = fresh.search("zyxwvu", k=5, mode="lexical").hits
    assert hits and "zyxwvu" in hits[0].text
    # The same process sees it too: its cached copy belongs to the old generation.
    assert index.search("zyxwvu", k=5, mode="lexical").hits[0].text == hits[0].text


def test_passages_carry_their_document_locality(corpus_index: SearchIndex) -> None:
    seg, folded, pairs = analyze("I. MỤC TIÊU", "Mở 12 lớp nghề.", False, context="Hòa An Cao Bằng")
    assert folded.split()[:4] == ["hoa", "an", "cao", "bang"]
    # The segmented column carries the locality's words first, then the passage's own.
    assert seg.replace("_", " ").split()[:4] == ["hòa", "an", "cao", "bằng"]
    assert "mục_tiêu" in seg and seg.endswith("lớp nghề .")
    assert "hoa_an" in pairs.split()
    # In the corpus index: a Hòa An passage that never names Hòa An is still found by it.
    store = corpus_index.store
    rows = store.conn.execute(
        "SELECT p.id, p.text, f.folded FROM passages p JOIN passages_fts f ON f.rowid = p.id "
        "WHERE p.doc_id = 'bc-298-ubnd-hoa-an-2020'"
    ).fetchall()
    silent = [r for r in rows if "hòa an" not in r[1].lower()]
    assert silent, "every passage names Hòa An: pick another document for this test"
    assert all(r[2].startswith("hoa an cao bang") for r in silent)


def test_the_dense_model_reads_the_locality_too() -> None:
    text = embedding_text("II. KẾT QUẢ", "Cấp 127 xe lăn.", False, "Hòa An Cao Bằng")
    assert text.splitlines() == ["Hòa An Cao Bằng", "II. KẾT QUẢ", "Cấp 127 xe lăn."]
    assert embedding_text("", "Cấp 127 xe lăn.", False, "") == "Cấp 127 xe lăn."
    assert embedding_text("II. KẾT QUẢ", "x", False) == "II. KẾT QUẢ\nx"


def test_built_in_a_child_process_equals_the_in_process_build(writable_index: Path) -> None:
    # The server does not build it itself (the build's peak stays out of its memory):
    # a child writes bm25.idx and the server maps it; the result is the same index.
    from index.bm25 import build_in_child

    index = SearchIndex(writable_index)
    out = writable_index / "child.npz"
    assert build_in_child(index.store.path, out, "stamp-1")
    child = BM25Index.load(out, "stamp-1")
    here = BM25Index.from_sqlite(index.store.conn)
    assert child is not None and child.vocab == here.vocab
    for name in ("ids", "indptr", "rows", "weights", "row_len", "term_max"):
        assert (getattr(child, name) == getattr(here, name)).all(), name
    terms = query_terms("hội khuyến học học bổng", "hội khuyến học học bổng")
    assert child.search(terms, 10) == here.search(terms, 10) != []
    # The database moved on since the caller's snapshot: no file (the caller builds
    # from its snapshot instead); at the caller's generation: written.
    now = str(index.store.generation())
    assert not build_in_child(index.store.path, writable_index / "old.npz", "s", "0" + now)
    assert not (writable_index / "old.npz").exists()
    assert build_in_child(index.store.path, writable_index / "now.npz", "s", now)
    # A database it cannot read: no file, and the caller builds in process instead.
    assert not build_in_child(writable_index / "missing.sqlite", writable_index / "x.npz", "s")
    assert not (writable_index / "x.npz").exists()


def test_the_saved_index_is_mapped_not_read(writable_index: Path, tmp_path: Path) -> None:
    index = SearchIndex(writable_index)
    query = [("folded", "khuyen"), ("bigrams", "khuyen_hoc")]
    held = index.bm25()
    want = held.search(query, 10)
    path = tmp_path / "copy.idx"
    held.save(path, "s1")
    mapped = BM25Index.load(path, "s1")
    assert mapped is not None
    assert all(isinstance(a, np.memmap) for a in (mapped.rows, mapped.weights, mapped.ids))
    assert mapped.search(query, 10) == want and mapped.vocab == held.vocab
    # a new file renamed over it leaves the mapping as it was
    held.save(path, "s2")
    assert mapped.search(query, 10) == want
    assert BM25Index.load(path, "s1") is None and BM25Index.load(path, "s2") is not None
    # a file cut short (a full disk) is not trusted
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    assert BM25Index.load(path, "s2") is None


@pytest.mark.parametrize("chunk_rows", [7, 50, 100_000])
def test_a_streamed_build_writes_the_same_index(
    corpus_index: SearchIndex, tmp_path: Path, chunk_rows: int
) -> None:
    cols = ", ".join(COLUMNS)
    rows = corpus_index.store.conn.execute(
        f"SELECT rowid, {cols} FROM passages_fts ORDER BY rowid"
    ).fetchall()
    built = BM25Index.build(rows)
    whole, streamed = tmp_path / "whole.idx", tmp_path / "streamed.idx"
    built.save(whole, "s")
    assert build_file(iter(rows), streamed, "s", chunk_rows=chunk_rows) == len(rows)
    assert streamed.read_bytes() == whole.read_bytes()
    assert set(tmp_path.iterdir()) == {whole, streamed}  # the spilled chunks are gone
    with pytest.raises(ValueError, match="ascending rowid"):
        build_file(iter(rows[::-1]), tmp_path / "bad.idx", "s")
    assert not (tmp_path / "bad.idx").exists()
