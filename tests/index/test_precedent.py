"""Precedent wording on the real corpus: phrases, similar wording, near-duplicates."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.errors import BadQuery
from index.models import Citation
from index.precedent import Precedent
from index.search import SearchIndex
from ingest.text import fold

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
