"""Measure precedent wording: R@10 and MRR@10 of /api/similar and of /api/search, side by side.

The pasted drafting sentences were written by helpers who had not read the code
(eval/unseen/SPEC.md): ``kind: precedent`` records of ``eval/unseen/corpus.jsonl``
(answered by ``corpus/``, ``split`` dev or test) and of ``eval/unseen/<split>.jsonl``
(answered by the new documents of other provinces in ``eval/unseen/<split>/``, or by
``corpus/``). For the latter the bench copies ``--index`` (built from ``corpus/``) to a
directory in the temp folder and ingests ``eval/unseen/<split>/`` into the copy, once
per content. The ``precedent`` kind of ``eval/queries.jsonl`` is a smoke set.

A result is relevant when a raw span it shows overlaps an occurrence of an evidence
string in that source: for similar, the sentence and every document listed as using
the same wording; for search, the passage. Both are called as the routes call them
(``Precedent.similar``, ``SearchIndex.search``, hybrid).

    python -m eval.precedent_bench --index DIR [--splits dev,test] [--json] [--misses]

``--misses`` lists the dev queries whose evidence is not first (never the test ones:
tune on dev only). Goals (issue 19), on test and the new documents: similar R@10 >=
0.95, MRR@10 >= 0.80, and never below search.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from answers.precedent import Precedent
from eval.metrics import mrr_at, recall_at
from eval.run import evidence_spans, load_queries
from index.build import ingest_paths
from index.search import SearchIndex

ROOT = Path(__file__).resolve().parent.parent
UNSEEN = ROOT / "eval" / "unseen"
SMOKE = ROOT / "eval" / "queries.jsonl"
K = 10
GOAL_RECALL = 0.95
GOAL_MRR = 0.80

Span = tuple[str, int, int]


def _similar_spans(hit: Any) -> list[Span]:
    uses = getattr(hit, "uses", None)
    if uses:
        return [(u.source, u.char_start, u.char_end) for u in uses]
    sentence = getattr(hit, "sentence", None)
    if sentence is not None:
        return [(hit.source, sentence.char_start, sentence.char_end)]
    return [(hit.source, hit.char_start, hit.char_end)]


def _found(
    spans: list[tuple[str, list[tuple[int, int]]]], shown: Sequence[list[Span]]
) -> list[set[int]]:
    return [
        {
            i
            for i, (src, occ) in enumerate(spans)
            for s, a, b in hit
            if s == src and any(x < b and a < y for x, y in occ)
        }
        for hit in shown
    ]


def load_sets(splits: Sequence[str]) -> dict[str, tuple[str, list[dict[str, Any]]]]:
    """Returns ``{set name: (index kind, records)}``; index kind is ``corpus`` or a split."""
    sets: dict[str, tuple[str, list[dict[str, Any]]]] = {}
    corpus = UNSEEN / "corpus.jsonl"
    for split in splits:
        if corpus.exists():
            recs = [
                r
                for r in load_queries(corpus)
                if r.get("kind") == "precedent" and r.get("split") == split
            ]
            if recs:
                sets[f"corpus {split}"] = ("corpus", recs)
        path = UNSEEN / f"{split}.jsonl"
        if path.exists():
            recs = [r for r in load_queries(path) if r.get("kind") == "precedent"]
            if recs:
                sets[f"new documents {split}"] = (split, recs)
    smoke = [r for r in load_queries(SMOKE) if r.get("kind") == "precedent"]
    sets["smoke (eval/queries.jsonl)"] = (
        "corpus",
        [{"id": r["id"], "text": r["query"], "relevant": r["relevant"]} for r in smoke],
    )
    return sets


def index_with(base: Path, split: str) -> Path:
    """Returns an index of ``corpus/`` plus ``eval/unseen/<split>/``, built once in the temp dir."""
    folder = UNSEEN / split
    digest = hashlib.sha256()
    for f in sorted(folder.rglob("*")):
        if f.is_file():
            digest.update(f.name.encode() + f.read_bytes())
    db = base / "tracuu.sqlite"
    digest.update(str(db.stat().st_mtime_ns).encode())
    target = Path(tempfile.gettempdir()) / f"tracuu-precedent-{split}-{digest.hexdigest()[:12]}"
    if not (target / ".done").exists():
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(base, target)
        report = ingest_paths([folder], target, ROOT)
        if report.failed:
            raise RuntimeError(f"cannot ingest {folder}: {report.failed}")
        (target / ".done").write_text("ok")
    return target


def score_set(
    records: list[dict[str, Any]],
    searchers: dict[str, Callable[[str], list[list[Span]]]],
) -> dict[str, Any]:
    """Returns R@10 and MRR@10 per searcher, and per query the rank of the first relevant hit."""
    sums = {m: {"recall@10": 0.0, "mrr@10": 0.0} for m in searchers}
    rows = []
    for r in records:
        spans = evidence_spans(ROOT, r["relevant"])
        row: dict[str, Any] = {"id": r["id"], "text": r["text"]}
        for m, search in searchers.items():
            found = _found(spans, search(r["text"]))
            rec, mrr = recall_at(found, len(spans), K), mrr_at(found, K)
            sums[m]["recall@10"] += rec
            sums[m]["mrr@10"] += mrr
            first = next((i for i, f in enumerate(found, start=1) if f), None)
            row[m] = {"recall@10": rec, "first": first}
        rows.append(row)
    n = max(len(records), 1)
    return {
        "queries": len(records),
        "methods": {m: {k: round(v / n, 4) for k, v in s.items()} for m, s in sums.items()},
        "rows": rows,
    }


def run_bench(index_dir: Path, splits: Sequence[str]) -> dict[str, Any]:
    """Runs every set; returns the figures per set."""
    out: dict[str, Any] = {}
    opened: dict[str, tuple[SearchIndex, Precedent]] = {}
    for name, (kind, records) in load_sets(splits).items():
        if kind not in opened:
            where = index_dir if kind == "corpus" else index_with(index_dir, kind)
            index = SearchIndex(where)
            opened[kind] = (index, Precedent(index, ROOT))
        index, finder = opened[kind]

        def similar(t: str, f: Precedent = finder) -> list[list[Span]]:
            return [_similar_spans(h) for h in f.similar(t, k=K)]

        def search(t: str, i: SearchIndex = index) -> list[list[Span]]:
            return [[(h.source, h.char_start, h.char_end)] for h in i.search(t, k=K).hits]

        searchers: dict[str, Callable[[str], list[list[Span]]]] = {
            "similar": similar,
            "search": search,
        }
        out[name] = score_set(records, searchers)
    return out


def goals_met(report: dict[str, Any]) -> bool:
    """Tells whether similar meets the goals on the test split and the new documents.

    Goals (issue 19): R@10 >= 0.95, MRR@10 >= 0.80, and never below search on the
    same sentences. The corpus dev set and the smoke set (descriptive queries, not
    pasted sentences) are reported, not judged.
    """
    ok = True
    for name, s in report.items():
        if "test" not in name and not name.startswith("new documents"):
            continue
        sim, sea = s["methods"]["similar"], s["methods"]["search"]
        if sim["recall@10"] < sea["recall@10"] or sim["mrr@10"] < sea["mrr@10"]:
            ok = False
        if sim["recall@10"] < GOAL_RECALL or sim["mrr@10"] < GOAL_MRR:
            ok = False
    return ok


def format_report(report: dict[str, Any], misses: bool = False) -> str:
    """Returns a Markdown table (and the dev misses when asked)."""
    lines = [
        "| set | n | similar R@10 | similar MRR@10 | search R@10 | search MRR@10 |",
        "|---|---|---|---|---|---|",
    ]
    for name, s in report.items():
        sim, sea = s["methods"]["similar"], s["methods"]["search"]
        lines.append(
            f"| {name} | {s['queries']} | {sim['recall@10']:.3f} | {sim['mrr@10']:.3f} | "
            f"{sea['recall@10']:.3f} | {sea['mrr@10']:.3f} |"
        )
    lines.append(f"goals met: {'yes' if goals_met(report) else 'NO'}")
    if misses:
        for name, s in report.items():
            if "test" in name:
                continue  # never read test failures while tuning
            for r in s["rows"]:
                if r["similar"]["first"] != 1 or r["similar"]["recall@10"] < 1:
                    lines.append(
                        f"  [{name}] {r['id']}: similar first={r['similar']['first']} "
                        f"R={r['similar']['recall@10']:.2f}, search first={r['search']['first']}"
                        f" — {r['text'][:90]}"
                    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Runs the bench from the command line."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--index", default=os.environ.get("TRACUU_INDEX") or ".tracuu")
    p.add_argument("--splits", default="dev,test", help="comma-separated: dev, test")
    p.add_argument("--json", action="store_true")
    p.add_argument("--misses", action="store_true", help="list dev queries not ranked first")
    args = p.parse_args(argv)
    report = run_bench(Path(args.index), [s for s in args.splits.split(",") if s])
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(format_report(report, args.misses))
    return 0 if goals_met(report) else 1


if __name__ == "__main__":
    sys.exit(main())
