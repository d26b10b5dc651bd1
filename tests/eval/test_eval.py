import json
import re
from collections import Counter
from pathlib import Path

import pytest

from eval.metrics import mrr_at, ndcg_at, recall_at
from eval.run import evidence_spans, format_table, load_queries, run_eval
from index.search import SearchIndex

ROOT = Path(__file__).resolve().parents[2]
QUERIES = ROOT / "eval" / "queries.jsonl"
KINDS = {"fact", "requirement", "precedent", "no_diacritics", "ocr", "multi_doc"}


def test_labelled_set_is_sound() -> None:
    queries = load_queries(QUERIES)
    assert len(queries) >= 100
    assert len({q["id"] for q in queries}) == len(queries)
    kinds = Counter(q["kind"] for q in queries)
    assert set(kinds) == KINDS and min(kinds.values()) >= 15
    for q in queries:
        assert q["query"].strip() and q["relevant"]
        # every evidence string is verbatim in its corpus file
        for source, spans in evidence_spans(ROOT, q["relevant"]):
            assert source.startswith("corpus/") and spans
        if q["kind"] == "no_diacritics":
            assert q["query"].isascii(), q["id"]
        if q["kind"] == "multi_doc":
            assert len({r["source"] for r in q["relevant"]}) >= 2, q["id"]


def test_missing_evidence_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="evidence not found"):
        evidence_spans(
            ROOT,
            [{"source": "corpus/bc-64-hkh-son-la-2022.txt", "evidence": "không có trong văn bản"}],
        )


@pytest.mark.parametrize(
    ("found", "n", "recall", "mrr", "ndcg"),
    [
        ([set(), {0}, set()], 1, 1.0, 0.5, 0.6309),
        ([{0}, {1}], 2, 1.0, 1.0, 1.0),
        ([set(), set()], 1, 0.0, 0.0, 0.0),
        ([{0}, {0}, {1}], 3, 2 / 3, 1.0, 0.7039),
    ],
)
def test_metrics(found: list[set[int]], n: int, recall: float, mrr: float, ndcg: float) -> None:
    assert recall_at(found, n) == pytest.approx(recall)
    assert mrr_at(found) == pytest.approx(mrr)
    assert ndcg_at(found, n) == pytest.approx(ndcg, abs=1e-4)


def test_eval_runs_all_methods(corpus_index: SearchIndex, tmp_path: Path) -> None:
    subset = tmp_path / "q.jsonl"
    lines = QUERIES.read_text(encoding="utf-8").splitlines()[:12]
    subset.write_text("\n".join(lines), encoding="utf-8")
    report = run_eval(corpus_index, subset, ROOT)
    assert report["queries"] == 12
    for method in ("lexical", "dense", "hybrid"):
        scores = report["methods"][method]
        assert set(scores) == {"recall@10", "mrr@10", "ndcg@10"}
        assert all(0.0 <= v <= 1.0 for v in scores.values())
    assert report["methods"]["hybrid"]["recall@10"] > 0.5
    assert "| hybrid |" in format_table(report)
    json.dumps(report)


def _committed_gate() -> float:
    report = (ROOT / "eval" / "REPORT.md").read_text(encoding="utf-8")
    m = re.search(r"<!-- gate: hybrid mrr@10 = ([0-9.]+) -->", report)
    assert m, "eval/REPORT.md must carry the gate line"
    return float(m.group(1))


def test_hybrid_mrr_does_not_fall_below_the_committed_figure(corpus_index: SearchIndex) -> None:
    """CI gate: hybrid MRR@10 on the labelled set stays within 0.02 of eval/REPORT.md."""
    report = run_eval(corpus_index, QUERIES, ROOT, methods=("lexical", "dense", "hybrid"))
    hybrid = report["methods"]["hybrid"]
    assert hybrid["mrr@10"] >= _committed_gate() - 0.02, format_table(report)
    # hybrid must beat each side alone
    for side in ("lexical", "dense"):
        assert hybrid["recall@10"] >= report["methods"][side]["recall@10"], format_table(report)
        assert hybrid["mrr@10"] >= report["methods"][side]["mrr@10"], format_table(report)
