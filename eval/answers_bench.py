"""Measure cited Q&A on eval/questions.jsonl: answer rate, exact quotes, nulls out of corpus.

Each line of the question file is ``{"id", "kind", "question", "expect", "source"}``:
``kind`` is ``fact``, ``requirement`` or ``out_of_corpus``; ``expect`` lists figures or
terms that a right answer contains (compared without accents, case or line breaks,
since answers from the OCR'd reports lost their accents). A quote is exact when it is
``raw[char_start:char_end]`` of its source file, re-read here independently.

    python -m eval.answers_bench --index .tracuu [--json]

Goals (issue 5): >= 80% of answerable questions answered with the expected terms,
every quote exact, >= 5 of 6 out-of-corpus questions answered null. The exit status
is 1 when a goal is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from index.answers import Answerer
from index.search import SearchIndex
from ingest.text import fold

ROOT = Path(__file__).resolve().parent.parent
GOAL_ANSWER_RATE = 0.8
GOAL_NULL_SHARE = 5 / 6


def _norm(text: str) -> str:
    return " ".join(fold(text).split())


def load_questions(path: Path) -> list[dict[str, Any]]:
    """Reads the JSONL question set."""
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not valid JSON ({exc})") from exc
    return out


def run_bench(index: SearchIndex, questions: list[dict[str, Any]], root: Path, k: int = 6) -> dict:
    """Asks every question and scores the answers.

    Returns:
        Rates, counts and one row per question.
    """
    answerer = Answerer(index, root)
    rows = []
    quotes = exact = 0
    for q in questions:
        a = answerer.ask(q["question"], k=k)
        for c in a.citations:
            quotes += 1
            path = Path(c.source) if Path(c.source).is_absolute() else root / c.source
            raw = path.read_bytes().decode("utf-8")
            exact += raw[c.char_start : c.char_end] == c.quote
        if q["kind"] == "out_of_corpus":
            verdict = "null" if a.answer is None else "answered"
        elif a.answer is None:
            verdict = "null"
        else:
            hit = all(_norm(e) in _norm(a.answer) for e in q["expect"])
            verdict = "right" if hit else "wrong"
        rows.append(
            {
                "id": q["id"],
                "kind": q["kind"],
                "question": q["question"],
                "verdict": verdict,
                "answer": a.answer,
                "confidence": a.confidence,
                "citations": [f"{c.source}[{c.char_start}:{c.char_end}]" for c in a.citations],
            }
        )
    answerable = [r for r in rows if r["kind"] != "out_of_corpus"]
    outside = [r for r in rows if r["kind"] == "out_of_corpus"]
    right = sum(r["verdict"] == "right" for r in answerable)
    nulls = sum(r["verdict"] == "null" for r in outside)
    by_kind: dict[str, dict[str, int]] = {}
    for r in answerable:
        d = by_kind.setdefault(r["kind"], {"right": 0, "total": 0})
        d["total"] += 1
        d["right"] += r["verdict"] == "right"
    report = {
        "questions": len(rows),
        "answerable": len(answerable),
        "answered_right": right,
        "answer_rate": round(right / len(answerable), 4) if answerable else 0.0,
        "answered_wrong": sum(r["verdict"] == "wrong" for r in answerable),
        "null_on_answerable": sum(r["verdict"] == "null" for r in answerable),
        "by_kind": by_kind,
        "out_of_corpus": len(outside),
        "out_of_corpus_null": nulls,
        "quotes": quotes,
        "quotes_exact": exact,
        "rows": rows,
    }
    report["goals_met"] = bool(
        report["answer_rate"] >= GOAL_ANSWER_RATE
        and exact == quotes
        and (not outside or nulls / len(outside) >= GOAL_NULL_SHARE)
    )
    return report


def format_report(report: dict) -> str:
    """Returns the report as a few readable lines, misses listed."""
    lines = [
        f"answer rate: {report['answered_right']}/{report['answerable']} = "
        f"{report['answer_rate']:.1%} contain the expected terms (goal >= 80%)",
        "  by kind: "
        + ", ".join(f"{k} {v['right']}/{v['total']}" for k, v in report["by_kind"].items()),
        f"  wrong answers: {report['answered_wrong']}, null on answerable: "
        f"{report['null_on_answerable']}",
        f"quotes exact: {report['quotes_exact']}/{report['quotes']}",
        f"out of corpus answered null: {report['out_of_corpus_null']}/{report['out_of_corpus']}"
        " (goal >= 5 of 6)",
        f"goals met: {'yes' if report['goals_met'] else 'NO'}",
    ]
    misses = [r for r in report["rows"] if r["verdict"] in ("wrong", "answered")]
    misses += [r for r in report["rows"] if r["verdict"] == "null" and r["kind"] != "out_of_corpus"]
    for r in misses:
        lines.append(f"  {r['id']} {r['verdict']}: {r['question']} → {(r['answer'] or '')[:100]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Runs the bench from the command line."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--index", default=os.environ.get("TRACUU_INDEX") or ".tracuu")
    p.add_argument("--questions", default=str(ROOT / "eval" / "questions.jsonl"))
    p.add_argument("--root", default=str(ROOT), help="directory source paths are relative to")
    p.add_argument("-k", type=int, default=6, help="passages read per question")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    index = SearchIndex(Path(args.index))
    report = run_bench(index, load_questions(Path(args.questions)), Path(args.root), k=args.k)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(format_report(report))
    return 0 if report["goals_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
