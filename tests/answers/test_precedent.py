"""Precedent wording on the real corpus: phrases, similar wording, near-duplicates."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from answers.precedent import Precedent
from answers.wording import unit_terms
from index.build import ingest_paths
from index.embed import Embedder
from index.errors import BadQuery
from index.models import Citation, PrecedentFilters, Sentence, SimilarHit
from index.search import SearchIndex
from index.spans import passage_rows
from vntext.normalize import fold, nfc

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def finder(corpus_index: SearchIndex) -> Precedent:
    return Precedent(corpus_index, ROOT)


def _exact(c: Citation) -> bool:
    return (ROOT / c.source).read_text(encoding="utf-8")[c.char_start : c.char_end] == c.quote


@pytest.mark.parametrize("phrase", ["xã hội học tập", "xa hoi hoc tap", "XÃ HỘI  HỌC\nTẬP"])
def test_phrase_is_accent_case_and_space_blind(finder: Precedent, phrase: str) -> None:
    hits, total = finder.phrase(phrase, limit=100)
    assert total >= 50
    docs = {h.doc_id for h in hits}
    assert {"kh-tong-ket-10-nam-ct11-2017", "bc-64-hkh-son-la-2022"} <= docs  # OCR'd one too
    for h in hits:
        assert h.highlights and len(h.matches) == len(h.highlights)
        for (a, b), m in zip(h.highlights, h.matches, strict=True):
            assert " ".join(fold(h.text[a:b]).split()) == "xa hoi hoc tap"
            assert _exact(m)


def test_phrase_respects_word_boundaries_and_document_filter(finder: Precedent) -> None:
    hits, total = finder.phrase("trước ngày 31 tháng 3 năm 2017")
    assert total == 2 and {h.doc_id for h in hits} == {"kh-tong-ket-10-nam-ct11-2017"}
    assert finder.phrase("hoc tap", doc_id="kh-tong-ket-10-nam-ct11-2017")[1] > 0
    assert finder.phrase("hoc ta")[1] == 0  # "học tập" is not "học ta"
    assert finder.phrase("khong co cum tu nay dau")[1] == 0


def _squeezed(text: str) -> str:
    return "".join(fold(nfc(text)).split())


def test_a_repeated_phrase_reports_each_occurrence_at_its_own_offset(finder: Precedent) -> None:
    # issue 15: the Hoài Ân report says "dòng họ học tập" twice in one paragraph
    hits, total = finder.phrase("dòng họ học tập", limit=100)
    assert any(len(h.matches) >= 3 for h in hits)
    assert sum(len(h.matches) for h in hits) == total
    for h in hits:
        starts = [m.char_start for m in h.matches]
        assert starts == sorted(set(starts)) and len(starts) == len(h.highlights)
        for (a, b), m in zip(h.highlights, h.matches, strict=True):
            assert _exact(m) and _squeezed(m.quote) == _squeezed(h.text[a:b])


PROPERTY = settings(max_examples=30, derandomize=True, deadline=None, database=None)


@PROPERTY
@given(st.data())
def test_every_reported_phrase_span_is_the_phrase_folded(
    finder: Precedent, data: st.DataObject
) -> None:
    row = data.draw(st.sampled_from(passage_rows(finder.index.store)), label="passage")
    words = list(_W.finditer(row.text))
    i = data.draw(st.integers(0, len(words) - 1), label="first word")
    j = min(len(words), i + data.draw(st.integers(1, 6), label="words")) - 1
    phrase = row.text[words[i].start() : words[j].end()][:300]
    hits, total = finder.phrase(phrase, limit=100)
    assert row.passage_id in {h.passage_id for h in hits}
    spans = [(m.source, m.char_start, m.char_end) for h in hits for m in h.matches]
    # every occurrence, each at its own offset
    assert len(spans) == len(set(spans)) == sum(len(h.highlights) for h in hits)
    assert len(hits) == 100 or len(spans) == total
    for h in hits:
        for m in h.matches:
            assert _exact(m) and _squeezed(m.quote) == _squeezed(phrase)


@pytest.mark.parametrize(
    ("phrase", "limit"), [("", 10), ("  ", 10), ("!!!", 10), ("x" * 301, 10), ("học", 0)]
)
def test_bad_phrases_are_refused(finder: Precedent, phrase: str, limit: int) -> None:
    with pytest.raises(BadQuery):
        finder.phrase(phrase, limit=limit)


def test_similar_wording_finds_the_source_and_marks_what_is_shared(finder: Precedent) -> None:
    text = (
        "Việc tổng kết phải được thực hiện nghiêm túc, phản ánh đúng thực chất "
        "việc tổ chức thực hiện trong thời gian qua."
    )
    hits = finder.similar(text, k=5)
    top = hits[0]
    assert top.doc_id == "kh-tong-ket-10-nam-ct11-2017" and top.score > 0.9
    shared = " ".join(top.text[a:b] for a, b in top.highlights)
    assert "phản ánh đúng thực chất" in shared
    assert all(_exact(m) for h in hits for m in h.matches)
    # the same wording typed without accents
    plain = finder.similar(fold(text), k=3)
    assert plain[0].passage_id == top.passage_id


def test_similar_refuses_bad_input(finder: Precedent) -> None:
    for text, k in (("", 5), ("...", 5), ("x " * 3000, 5), ("khuyến học", 0), ("khuyến học", 51)):
        with pytest.raises(BadQuery):
            finder.similar(text, k=k)


def test_near_duplicates_are_grouped_across_documents(finder: Precedent) -> None:
    groups = finder.duplicates()
    assert groups
    for g in groups:
        assert len(g.documents) >= 2 and g.similarity >= 0.7
        assert {m.doc_id for m in g.members} == set(g.documents)
        assert all(_exact(m) for m in g.members)
    formula = "tang cuong su lanh dao cua"
    assert any(
        sum(formula in " ".join(fold(m.quote).split()) for m in g.members) >= 2 for g in groups
    )
    assert len(finder.duplicates(limit=1)) == 1
    for bad in ({"min_similarity": 0.1}, {"min_words": 2}, {"limit": 0}):
        with pytest.raises(BadQuery):
            finder.duplicates(**bad)  # type: ignore[arg-type]


# --- similar wording ranked by meaning (issue 19) ------------------------------------

_W = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return _W.findall(fold(text))


def _grams(text: str, n: int = 3) -> set[tuple[str, ...]]:
    w = _words(text)
    return {tuple(w[i : i + n]) for i in range(len(w) - n + 1)}


def _shown(hit: SimilarHit) -> set[int]:
    """Raw starts of the sentences a result shows (its own and every use's)."""
    return {u.char_start for u in hit.uses} | {hit.sentence.char_start}  # type: ignore[union-attr]


def _clean_units(finder: Precedent, min_words: int = 15) -> list[Sentence]:
    units = finder.sentences().units
    return [u for u in units if u.reading is None and len(_words(u.text)) >= min_words]


def test_a_near_verbatim_reuse_still_ranks_first(finder: Precedent) -> None:
    units = _clean_units(finder)
    for unit in units[:: max(1, len(units) // 6)][:6]:
        words = unit.text.split()
        words[2] = "mới"  # the drafter changed a word
        hits = finder.similar(" ".join(words), k=5)
        top = hits[0]
        assert top.doc_id == unit.doc_id and unit.char_start in _shown(top), unit.text


def test_a_paraphrase_with_no_three_word_run_in_common_is_found(finder: Precedent) -> None:
    target = next(
        u for u in finder.sentences().units if "phản biện xã hội" in u.text and "tư vấn" in u.text
    )
    text = (
        "Tổ chức khuyến học đã góp ý, tham mưu ra sao đối với các chủ trương lớn "
        "về giáo dục ở địa bàn mấy năm gần đây."
    )
    assert not _grams(text) & _grams(target.text)
    hits = finder.similar(text, k=10)
    ranks = [h.rank for h in hits if h.doc_id == target.doc_id and target.char_start in _shown(h)]
    assert ranks  # in the first ten, found by meaning alone
    assert hits[ranks[0] - 1].meaning > hits[ranks[0] - 1].wording


def test_results_are_sentences_with_exact_spans_and_shared_wording(finder: Precedent) -> None:
    unit = _clean_units(finder)[3]
    text = unit.text.replace(",", " và", 1)
    hits = finder.similar(text, k=10)
    assert hits and hits[0].sentence_highlights
    mine = _grams(text)
    for h in hits:
        s = h.sentence
        assert s is not None and h.rank == hits.index(h) + 1
        raw = (ROOT / h.source).read_text(encoding="utf-8")
        assert raw[s.char_start : s.char_end] == s.quote
        assert "".join(s.quote.split()) == "".join(s.text.split())
        assert h.char_start <= s.char_start < s.char_end <= h.char_end  # inside its passage
        assert len(s.text) < len(h.text) or h.text.strip() == s.text
        for ctx in (h.before, h.after):
            if ctx is not None:
                assert raw[ctx.char_start : ctx.char_end] == ctx.quote
        # shared wording: spans of the sentence, of the passage and of the raw file agree
        assert len(h.highlights) == len(h.sentence_highlights) == len(h.matches)
        for (a, b), (pa, pb), m in zip(h.sentence_highlights, h.highlights, h.matches, strict=True):
            assert s.text[a:b] == h.text[pa:pb]
            assert _exact(m)
            words = _words(m.quote)
            assert words == _words(s.text[a:b])
            # every marked word is in a run of three words the pasted text has too
            runs = [i for i in range(len(words) - 2) if tuple(words[i : i + 3]) in mine]
            assert {j for i in runs for j in (i, i + 1, i + 2)} == set(range(len(words)))
        dates = [u.date or "" for u in h.uses]
        assert dates == sorted(dates, reverse=True) and h.uses[0] is not None


@settings(max_examples=8, derandomize=True, deadline=None, database=None)
@given(st.data())
def test_every_shared_wording_span_is_the_raw_text_folded(
    finder: Precedent, data: st.DataObject
) -> None:
    unit = data.draw(st.sampled_from(finder.sentences().units), label="unit")
    words = unit.text.split()
    if len(words) > 4:
        words[len(words) // 2] = "mới"
    hits = finder.similar(" ".join(words), k=10)
    assert hits
    for h in hits:
        assert h.sentence is not None and len(h.highlights) == len(h.matches)
        assert len({m.char_start for m in h.matches}) == len(h.matches)
        for (a, b), m in zip(h.highlights, h.matches, strict=True):
            assert _exact(m) and _squeezed(m.quote) == _squeezed(h.text[a:b])
            assert h.sentence.char_start <= m.char_start < m.char_end <= h.sentence.char_end


def test_ocr_results_carry_a_reading(finder: Precedent) -> None:
    ocr = [u for u in finder.sentences().units if u.reading and len(_words(u.text)) >= 15]
    unit = ocr[len(ocr) // 2]
    hits = finder.similar(unit.reading or "", k=5)
    top = next(h for h in hits if unit.char_start in _shown(h))
    assert top.restored and top.reading and top.sentence is not None
    assert top.sentence.reading == top.reading and top.sentence.text == unit.text


def test_an_ocr_sentence_is_as_long_as_its_reading(finder: Precedent) -> None:
    # its raw OCR tokens are rare: were they counted in its length (the cosine's norm),
    # every restored sentence would look less like the pasted text than a clean one
    units, terms = finder.sentences().units, finder._terms()
    ocr = [u for u in units if u.reading and u.reading != u.text]
    assert ocr
    shorter = 0
    for u in ocr[:50]:
        raw_too = terms.norm(terms.sets[u.row])
        assert terms.norms[u.row] == terms.norm(unit_terms(u.reading or "", None)) <= raw_too
        shorter += terms.norms[u.row] < raw_too
    assert shorter > 25


def test_filters_restrict_the_documents(finder: Precedent) -> None:
    text = "Tăng cường sự lãnh đạo của cấp ủy đối với công tác khuyến học, khuyến tài."
    docs = {d["doc_id"]: d for d in finder.index.store.documents()}
    for f in (
        PrecedentFilters(doc_type="Báo cáo"),
        PrecedentFilters(issuer_level="huyện"),
        PrecedentFilters(issuer_level="tinh"),
        PrecedentFilters(year_from=2021, year_to=2022),
    ):
        hits = finder.similar(text, k=10, filters=f)
        assert hits, f
        allowed = finder.allowed_documents(f)
        assert allowed and {h.doc_id for h in hits} <= allowed
        assert {u.doc_id for h in hits for u in h.uses} <= allowed
        for doc_id in allowed:
            d = docs[doc_id]
            if f.doc_type:
                assert d["doc_type"] == f.doc_type
            if f.year_from:
                assert 2021 <= int(d["date"][:4]) <= 2022
    levels = {
        h.issuer_level for h in finder.similar(text, 10, PrecedentFilters(issuer_level="tỉnh"))
    }
    assert levels == {"tỉnh"}
    assert finder.similar(text, k=5, filters=PrecedentFilters(year_from=1990, year_to=1991)) == []
    for bad in (
        PrecedentFilters(issuer_level="liên hợp quốc"),
        PrecedentFilters(year_from=2022, year_to=2020),
        PrecedentFilters(year_to=10000),
    ):
        with pytest.raises(BadQuery):
            finder.similar(text, k=5, filters=bad)


def test_the_same_wording_in_several_documents_is_one_result_newest_first(
    writable_index: Path, embedder: Embedder, tmp_path: Path
) -> None:
    index = SearchIndex(writable_index, embedder=embedder)
    finder = Precedent(index, ROOT)
    unit = _clean_units(finder, 20)[5]
    later = tmp_path / "kh-12-ubnd-thu-nghiem-2025.txt"
    later.write_text(
        "ỦY BAN NHÂN DÂN HUYỆN THỬ NGHIỆM\n\nSố: 12/KH-UBND\t\tThử Nghiệm, ngày 05 tháng 3 "
        "năm 2025\n\nKẾ HOẠCH\n\nTổng kết công tác khuyến học năm 2024\n\nI. MỤC ĐÍCH\n\n"
        f"{unit.text}\n\nCác xã gửi báo cáo kết quả về Ủy ban nhân dân huyện trước ngày 30 "
        "tháng 11 năm 2025.\n",
        encoding="utf-8",
    )
    report = ingest_paths([later], writable_index, ROOT, embedder=embedder)
    assert not report.failed, report.failed
    hits = finder.similar(unit.text, k=10)
    top = hits[0]
    used = [u.doc_id for u in top.uses]
    assert unit.doc_id in used and "kh-12-ubnd-thu-nghiem-2025" in used
    assert used[0] == "kh-12-ubnd-thu-nghiem-2025" and top.uses[0].date == "2025-03-05"
    dense = "".join(unit.text.split())
    assert all("".join(h.sentence.text.split()) != dense for h in hits[1:] if h.sentence)
    for u in top.uses:
        path = Path(u.source) if Path(u.source).is_absolute() else ROOT / u.source
        assert path.read_text(encoding="utf-8")[u.char_start : u.char_end] == u.quote
