"""Run the labelled queries through every search mode and report Recall, MRR and nDCG at 10.

A label is a corpus file plus evidence copied verbatim from it; a hit is relevant
when its raw span overlaps an occurrence of the evidence, so labels survive
re-chunking.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from eval.metrics import mrr_at, ndcg_at, recall_at
from index.search import MODES, SearchIndex

METHODS = ("lexical", "dense", "hybrid")


def load_queries(path: Path) -> list[dict[str, Any]]:
    """Reads the JSONL query set."""
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not valid JSON ({exc})") from exc
    return out


def evidence_spans(
    root: Path, relevant: list[dict[str, str]]
) -> list[tuple[str, list[tuple[int, int]]]]:
    """Returns, per relevant entry, its source and every raw span where the evidence occurs.

    Raises:
        ValueError: an evidence string is not in its file.
    """
    out = []
    for rel in relevant:
        raw = (root / rel["source"]).read_text(encoding="utf-8")
        ev = rel["evidence"]
        spans = []
        start = raw.find(ev)
        while start >= 0:
            spans.append((start, start + len(ev)))
            start = raw.find(ev, start + 1)
        if not spans:
            raise ValueError(f"evidence not found in {rel['source']}: {ev[:60]!r}")
        out.append((rel["source"], spans))
    return out


def run_eval(
    index: SearchIndex,
    queries_path: Path,
    root: Path,
    k: int = 10,
    methods: tuple[str, ...] = METHODS,
) -> dict[str, Any]:
    """Evaluates every method on every query.

    Returns:
        ``{"queries": N, "methods": {m: {"recall@10", "mrr@10", "ndcg@10"}},
        "by_kind": {kind: {m: {...}}}, "per_query": [...]}``.
    """
    queries = load_queries(queries_path)
    sums: dict[str, dict[str, float]] = {m: defaultdict(float) for m in methods}
    kind_sums: dict[str, dict[str, dict[str, float]]] = defaultdict(
        lambda: {m: defaultdict(float) for m in methods}
    )
    kind_n: dict[str, int] = defaultdict(int)
    per_query = []
    for q in queries:
        spans = evidence_spans(root, q["relevant"])
        kind = q.get("kind", "other")
        kind_n[kind] += 1
        row: dict[str, Any] = {"id": q.get("id"), "kind": kind, "query": q["query"]}
        for m in methods:
            assert m in MODES
            result = index.search(q["query"], k=k, mode=m)
            found = []
            for h in result.hits:
                items = {
                    i
                    for i, (src, occ) in enumerate(spans)
                    if src == h.source and any(a < h.char_end and h.char_start < b for a, b in occ)
                }
                found.append(items)
            scores = {
                f"recall@{k}": recall_at(found, len(spans), k),
                f"mrr@{k}": mrr_at(found, k),
                f"ndcg@{k}": ndcg_at(found, len(spans), k),
            }
            for name, v in scores.items():
                sums[m][name] += v
                kind_sums[kind][m][name] += v
            row[m] = scores
        per_query.append(row)
    n = max(len(queries), 1)
    return {
        "queries": len(queries),
        "methods": {m: {name: round(v / n, 4) for name, v in sums[m].items()} for m in methods},
        "by_kind": {
            kind: {"queries": kind_n[kind]}
            | {
                m: {name: round(v / kind_n[kind], 4) for name, v in ms.items()}
                for m, ms in kind_sums[kind].items()
            }
            for kind in sorted(kind_sums)
        },
        "per_query": per_query,
    }


def format_table(report: dict[str, Any]) -> str:
    """Formats the report as a Markdown table: methods, then methods per kind."""
    lines = [
        f"{report['queries']} queries",
        "",
        "| method | Recall@10 | MRR@10 | nDCG@10 |",
        "|---|---|---|---|",
    ]
    for m, s in report["methods"].items():
        lines.append(f"| {m} | {s['recall@10']:.3f} | {s['mrr@10']:.3f} | {s['ndcg@10']:.3f} |")
    lines += [
        "",
        "| kind | n | " + " | ".join(f"{m} R@10 / MRR" for m in report["methods"]) + " |",
        "|---|---|" + "---|" * len(report["methods"]),
    ]
    for kind, ks in report["by_kind"].items():
        cells = [f"{ks[m]['recall@10']:.2f} / {ks[m]['mrr@10']:.2f}" for m in report["methods"]]
        lines.append(f"| {kind} | {ks['queries']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
