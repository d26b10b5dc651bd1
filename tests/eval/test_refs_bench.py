"""How the relation bench compares the code with two labellers (eval/refs_bench.py)."""

from __future__ import annotations

import json

import pytest

from eval.refs_bench import CORPUS_RELATIONS, CORPUS_RELATIONS_B, cited_relation, labeller_figures
from ingest.references import find_references

TEXT = (
    "Thực hiện Kế hoạch số 96-KH/TU ngày 12/8/2019 của Ban Thường vụ Tỉnh ủy, Ủy ban nhân dân "
    "huyện báo cáo như sau. Cộng đồng học tập được đánh giá theo Thông tư số 44/2014/TT-BGDĐT. "
    "Ban Thường vụ đã ban hành Kế hoạch số 45-KH/HU."
)


def test_agreement_of_two_labellers_and_of_the_code_with_each() -> None:
    refs = find_references(TEXT)
    got = [cited_relation(r) for r in refs]
    assert got == ["implements", "guided_by", "mentions"]
    # A agrees with the code everywhere; B calls the yardstick a mention.
    pairs = [
        ({"relation": a, "relation_b": b}, r)
        for (a, b), r in zip(
            [("implements", "implements"), ("guided_by", "mentions"), ("mentions", "mentions")],
            refs,
            strict=True,
        )
    ]
    f = labeller_figures(pairs)
    assert f is not None
    assert f["labelled"] == 3 and f["a_b_agreement"] == pytest.approx(2 / 3, abs=1e-4)
    assert f["code_vs_a"] == 1.0 and f["code_vs_b"] == pytest.approx(2 / 3, abs=1e-4)
    assert f["agreed"] == 2 and f["code_vs_agreed"] == 1.0 and f["code_vs_either"] == 1.0
    # kappa: 2/3 observed against 1/3 by chance (A: a third each; B: 1/3 implements,
    # 2/3 mentions → 1/9 + 2/9)
    assert f["a_b_kappa"] == pytest.approx((2 / 3 - 1 / 3) / (1 - 1 / 3), abs=1e-4)
    assert labeller_figures([({"relation": "mentions"}, refs[2])]) is None


def test_the_second_labeller_labelled_every_reference_the_first_did() -> None:
    def keys(path):  # type: ignore[no-untyped-def]
        rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x]
        return {(r["source"], r["char_start"]) for r in rows if r["kind"] == "reference"}

    assert keys(CORPUS_RELATIONS) == keys(CORPUS_RELATIONS_B)
