"""Measure cited Q&A per split and per kind: right, wrong, abstained rightly or wrongly.

Three sets of questions, each asked of its own index:

- ``corpus``: ``eval/questions.jsonl`` (written by the people who tuned the first
  answerer; all of it counts as ``dev``) and ``eval/unseen/corpus.jsonl`` (written by
  helpers who never read the code; each record has its ``split``), asked of an index of
  ``corpus/``;
- ``unseen-dev`` / ``unseen-test``: ``eval/unseen/<split>.jsonl``, about new documents
  from other provinces, asked of an index of ``corpus/`` plus ``eval/unseen/<split>/``.

A question's ``kind`` (``qkind`` in the unseen files) is ``fact``, ``keyword``,
``no_diacritics``, ``ocr``, ``requirement``, ``unanswerable`` or ``out_of_corpus``; the
last two must be abstained on. ``expect`` lists terms a right answer contains (compared
without accents, case or line breaks). A quote is exact when it is
``raw[char_start:char_end]`` of its source, re-read here independently.

    python -m eval.answers_bench [--sets corpus,unseen-dev,unseen-test] [--json]

Indexes are built once under ``--work`` (default ``/tmp/tracuu-answers-bench``) and
reused while their files are unchanged. Misses are listed for ``dev`` only: ``test``
is reported, never read question by question.

Goals (issue 13), on ``test`` and the new documents: >= 85 % of answerable questions
answered with the expected terms, >= 80 % of unanswerable ones abstained, every quote
exact, every answer from an OCR'd source with a ``reading``. Exit status 1 when a goal
is missed on a reported split.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from index.search import SearchIndex
from vntext.normalize import fold

ROOT = Path(__file__).resolve().parent.parent
UNSEEN = ROOT / "eval" / "unseen"
SETS = ("corpus", "unseen-dev", "unseen-test")
ABSTAIN_KINDS = frozenset({"unanswerable", "out_of_corpus"})
GOAL_ANSWER_RATE = 0.85
GOAL_ABSTAIN_RATE = 0.8
# Verdicts: the answer holds the expected terms / does not / null rightly / null wrongly.
VERDICTS = ("right", "wrong", "abstained_ok", "abstained_wrong")


def _norm(text: str) -> str:
    return " ".join(fold(text).split())


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    """Reads a JSONL file (blank lines skipped)."""
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not valid JSON ({exc})") from exc
    return out


def load_questions(path: Path, split: str | None = None) -> list[dict[str, Any]]:
    """Reads question records in either format, as ``{id, kind, split, question, expect}``.

    Args:
        path: ``eval/questions.jsonl`` (``kind`` per record) or a gold file of
            ``eval/unseen`` (records with ``"kind": "question"`` and a ``qkind``).
        split: the split of records that carry none.
    """
    out = []
    for r in load_jsonl(path):
        if "qkind" in r:
            kind = r["qkind"]
        elif r.get("kind") in ("metadata", "reference", "pair", "precedent", "question"):
            continue
        else:
            kind = r["kind"]
        out.append(
            {
                "id": r["id"],
                "kind": kind,
                "split": r.get("split") or split or "dev",
                "question": r["question"],
                "expect": list(r.get("expect") or []),
                "figure": r.get("figure"),
                "source": r.get("source"),
            }
        )
    return out


@dataclass
class BenchSet:
    """One question set and the documents its index is built from."""

    name: str
    questions: list[dict[str, Any]]
    paths: list[Path] = field(default_factory=list)


def bench_sets(names: Iterable[str], root: Path = ROOT) -> list[BenchSet]:
    """Returns the named sets whose files exist."""
    unseen = root / "eval" / "unseen"
    out = []
    for name in names:
        if name == "corpus":
            qs = load_questions(root / "eval" / "questions.jsonl", "dev")
            if (unseen / "corpus.jsonl").exists():
                qs += load_questions(unseen / "corpus.jsonl")
            out.append(BenchSet(name, qs, [root / "corpus"]))
        elif name in ("unseen-dev", "unseen-test"):
            split = name.split("-", 1)[1]
            gold = unseen / f"{split}.jsonl"
            if gold.exists() and (unseen / split).is_dir():
                qs = load_questions(gold, split)
                out.append(BenchSet(name, qs, [root / "corpus", unseen / split]))
        else:
            raise ValueError(f"unknown set {name!r}; valid: {', '.join(SETS)}")
    return out


def _fingerprint(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        for f in sorted(p.rglob("*")) if p.is_dir() else [p]:
            if f.is_file():
                h.update(str(f.relative_to(p.parent)).encode())
                h.update(hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()[:16]


def build_index(paths: list[Path], work: Path, root: Path = ROOT) -> Path:
    """Returns an index of ``paths`` under ``work``, built unless an identical one is there."""
    from index.build import ingest_paths

    target = work / _fingerprint(paths)
    if not (target / "DONE").exists():
        report = ingest_paths(paths, target, root, rebuild=True)
        if report.failed:
            raise RuntimeError(f"could not index {report.failed}")
        (target / "DONE").write_text("ok\n")
    else:  # an index made before sentence units were stored: add them
        from index.sentences import ensure

        index = SearchIndex(target)
        ensure(index.store, index.embedder, root)
    return target


def verdict(kind: str, answer: str | None, expect: list[str]) -> str:
    """Judges one answer: ``right``, ``wrong``, ``abstained_ok`` or ``abstained_wrong``."""
    if kind in ABSTAIN_KINDS:
        return "abstained_ok" if answer is None else "wrong"
    if answer is None:
        return "abstained_wrong"
    return "right" if all(_norm(e) in _norm(answer) for e in expect) else "wrong"


def run_set(
    index: SearchIndex, questions: list[dict[str, Any]], root: Path, k: int = 6
) -> list[dict[str, Any]]:
    """Asks every question of one index; returns one row per question."""
    from answers.answer import Answerer

    answerer = Answerer(index, root)
    rows = []
    for q in questions:
        a = answerer.ask(q["question"], k=k)
        exact = 0
        for c in a.citations:
            path = Path(c.source) if Path(c.source).is_absolute() else root / c.source
            if path.suffix.lower() in (".txt", ".md", ".html", ".htm"):
                raw: str | None = path.read_bytes().decode("utf-8")
            else:  # PDF, Word: offsets index the extracted text
                raw = answerer.raw.raw(c.source, None)
            raw = raw or ""
            exact += raw[c.char_start : c.char_end] == c.quote
        restored = [c for c in a.citations if getattr(c, "restored", False)]
        rows.append(
            {
                "id": q["id"],
                "kind": q["kind"],
                "split": q["split"],
                "question": q["question"],
                "verdict": verdict(q["kind"], a.answer, q["expect"]),
                "answer": a.answer,
                "confidence": a.confidence,
                "quotes": len(a.citations),
                "quotes_exact": exact,
                "ocr_citations": len(restored),
                "ocr_read": sum(bool(getattr(c, "reading", None)) for c in restored),
                "took_ms": a.took_ms,
                "citations": [f"{c.source}[{c.char_start}:{c.char_end}]" for c in a.citations],
            }
        )
    return rows


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts verdicts per (set, split, kind), and per (set, split) overall."""
    table: dict[str, dict[str, int]] = {}
    for r in rows:
        for key in (f"{r['set']}|{r['split']}|{r['kind']}", f"{r['set']}|{r['split']}|all"):
            d = table.setdefault(key, {v: 0 for v in VERDICTS} | {"total": 0})
            d[r["verdict"]] += 1
            d["total"] += 1
    splits: dict[str, dict[str, Any]] = {}
    for r in rows:
        key = f"{r['set']}|{r['split']}"
        s = splits.setdefault(key, {"answerable": 0, "right": 0, "unanswerable": 0, "abstained": 0})
        if r["kind"] in ABSTAIN_KINDS:
            s["unanswerable"] += 1
            s["abstained"] += r["verdict"] == "abstained_ok"
        else:
            s["answerable"] += 1
            s["right"] += r["verdict"] == "right"
    for s in splits.values():
        s["answer_rate"] = round(s["right"] / s["answerable"], 4) if s["answerable"] else None
        s["abstain_rate"] = (
            round(s["abstained"] / s["unanswerable"], 4) if s["unanswerable"] else None
        )
    quotes = sum(r["quotes"] for r in rows)
    exact = sum(r["quotes_exact"] for r in rows)
    ocr = sum(r["ocr_citations"] for r in rows)
    read = sum(r["ocr_read"] for r in rows)
    took = sorted(r["took_ms"] for r in rows)
    return {
        "table": table,
        "splits": splits,
        "quotes": quotes,
        "quotes_exact": exact,
        "ocr_citations": ocr,
        "ocr_citations_with_reading": read,
        "took_ms_p50": took[len(took) // 2] if took else None,
    }


def goals_met(summary: dict[str, Any]) -> bool:
    """Tells whether the goals hold on every held-out split (``test`` and new documents)."""
    ok = summary["quotes"] == summary["quotes_exact"]
    ok = ok and summary["ocr_citations"] == summary["ocr_citations_with_reading"]
    for key, s in summary["splits"].items():
        set_name, split = key.split("|")
        if split != "test" and set_name == "corpus":
            continue
        if s["answer_rate"] is not None and s["answer_rate"] < GOAL_ANSWER_RATE:
            ok = False
        if s["abstain_rate"] is not None and s["abstain_rate"] < GOAL_ABSTAIN_RATE:
            ok = False
    return bool(ok)


def format_table(summary: dict[str, Any]) -> str:
    """Returns the per-split, per-kind table as Markdown."""
    lines = [
        "| set | split | kind | n | right | wrong | abstained (ok) | abstained (should not) |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    for key in sorted(summary["table"], key=lambda k: (k.split("|")[:2], k.endswith("|all"), k)):
        s, split, kind = key.split("|")
        d = summary["table"][key]
        name = f"**{kind}**" if kind == "all" else kind
        lines.append(
            f"| {s} | {split} | {name} | {d['total']} | {d['right']} | {d['wrong']} | "
            f"{d['abstained_ok']} | {d['abstained_wrong']} |"
        )
    lines.append("")
    for key, s in sorted(summary["splits"].items()):
        ar = f"{s['right']}/{s['answerable']}" if s["answerable"] else "–"
        ab = f"{s['abstained']}/{s['unanswerable']}" if s["unanswerable"] else "–"
        lines.append(f"- {key.replace('|', ' ')}: answered right {ar}, abstained {ab}")
    lines.append(
        f"- quotes exact {summary['quotes_exact']}/{summary['quotes']}; OCR'd citations "
        f"with a reading {summary['ocr_citations_with_reading']}/{summary['ocr_citations']}"
    )
    return "\n".join(lines)


def format_misses(rows: list[dict[str, Any]]) -> str:
    """Lists the dev questions answered wrongly or not at all (never test ones)."""
    out = []
    for r in rows:
        if r["split"] == "dev" and r["verdict"] in ("wrong", "abstained_wrong"):
            out.append(
                f"  {r['set']} {r['id']} [{r['kind']}] {r['verdict']}: {r['question']} → "
                f"{(r['answer'] or '')[:110]}"
            )
    return "\n".join(out)


def run(
    names: Iterable[str], work: Path, root: Path = ROOT, k: int = 6, split: str | None = None
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Builds (or reuses) each set's index, asks its questions; returns rows and summary.

    Args:
        split: ask only the questions of this split (``dev`` while tuning).
    """
    rows: list[dict[str, Any]] = []
    for bs in bench_sets(names, root):
        questions = [q for q in bs.questions if split is None or q["split"] == split]
        if not questions:
            continue
        index = SearchIndex(build_index(bs.paths, work, root))
        for r in run_set(index, questions, root, k):
            rows.append({"set": bs.name, **r})
    return rows, summarise(rows)


def main(argv: list[str] | None = None) -> int:
    """Runs the bench from the command line."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sets", default=",".join(SETS), help=f"comma-separated: {', '.join(SETS)}")
    p.add_argument("--work", default="/tmp/tracuu-answers-bench2", help="where indexes are built")
    p.add_argument("--root", default=str(ROOT), help="directory source paths are relative to")
    p.add_argument("-k", type=int, default=6, help="passages read per question")
    p.add_argument("--split", choices=("dev", "test"), help="ask only this split's questions")
    p.add_argument("--misses", action="store_true", help="list dev misses")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    rows, summary = run(args.sets.split(","), Path(args.work), Path(args.root), args.k, args.split)
    summary["goals_met"] = goals_met(summary)
    if args.json:
        dev_rows = [r for r in rows if r["split"] == "dev"]
        print(json.dumps({"summary": summary, "dev_rows": dev_rows}, ensure_ascii=False, indent=2))
    else:
        print(format_table(summary))
        print(f"goals met on held-out splits: {'yes' if summary['goals_met'] else 'NO'}")
        if args.misses:
            print(format_misses(rows))
    return 0 if summary["goals_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
