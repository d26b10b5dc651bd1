"""Run the labelled queries through every search mode and report Recall, MRR and nDCG at 10.

A label is a corpus file plus evidence copied verbatim from it; a hit is relevant
when its raw span overlaps an occurrence of the evidence, so labels survive
re-chunking.
"""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

from eval.metrics import mrr_at, ndcg_at, recall_at
from index.search import SearchIndex

METHODS = ("lexical", "dense", "hybrid")
BASELINES = ("bm25_words",)


class _Span(Protocol):
    @property
    def source(self) -> str: ...
    @property
    def char_start(self) -> int: ...
    @property
    def char_end(self) -> int: ...


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


def _searchers(
    index: SearchIndex, methods: Sequence[str], baselines: Sequence[str], k: int
) -> dict[str, Callable[[str], Sequence[_Span]]]:
    out: dict[str, Callable[[str], Sequence[_Span]]] = {}

    def mode_search(mode: str) -> Callable[[str], Sequence[_Span]]:
        return lambda q: index.search(q, k=k, mode=mode).hits

    for m in methods:
        out[m] = mode_search(m)
    for b in baselines:
        if b != "bm25_words":
            raise ValueError(f"unknown baseline {b!r}; valid: {', '.join(BASELINES)}")
        from eval.baselines import Bm25Words

        out[b] = functools.partial(Bm25Words(index).search, k=k)
    return out


def run_eval(
    index: SearchIndex,
    queries_path: Path,
    root: Path,
    k: int = 10,
    methods: Sequence[str] = METHODS,
    baselines: Sequence[str] = (),
) -> dict[str, Any]:
    """Evaluates every method (and baseline) on every query.

    Returns:
        ``{"queries": N, "methods": {m: {"recall@10", "mrr@10", "ndcg@10"}},
        "by_kind": {kind: {"queries": n, m: {...}}}, "per_query": [...]}``.
    """
    queries = load_queries(queries_path)
    searchers = _searchers(index, methods, baselines, k)
    names = list(searchers)
    sums: dict[str, dict[str, float]] = {m: defaultdict(float) for m in names}
    kind_sums: dict[str, dict[str, dict[str, float]]] = defaultdict(
        lambda: {m: defaultdict(float) for m in names}
    )
    kind_n: dict[str, int] = defaultdict(int)
    per_query = []
    for q in queries:
        spans = evidence_spans(root, q["relevant"])
        kind = q.get("kind", "other")
        kind_n[kind] += 1
        row: dict[str, Any] = {"id": q.get("id"), "kind": kind, "query": q["query"]}
        for m, search in searchers.items():
            found = [
                {
                    i
                    for i, (src, occ) in enumerate(spans)
                    if src == h.source and any(a < h.char_end and h.char_start < b for a, b in occ)
                }
                for h in search(q["query"])
            ]
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
        "methods": {m: {name: round(v / n, 4) for name, v in sums[m].items()} for m in names},
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
    """Formats the report as Markdown tables: methods, then methods per kind."""
    methods = list(report["methods"])
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
        "| kind | n | " + " | ".join(f"{m} R@10 / MRR" for m in methods) + " |",
        "|---|---|" + "---|" * len(methods),
    ]
    for kind, ks in report["by_kind"].items():
        cells = [f"{ks[m]['recall@10']:.2f} / {ks[m]['mrr@10']:.2f}" for m in methods]
        lines.append(f"| {kind} | {ks['queries']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def plot_svg(report: dict[str, Any], path: Path) -> None:
    """Writes a bar chart (SVG, no plotting library) of Recall@10 and MRR@10 per method."""
    methods = list(report["methods"])
    bar, gap, height, left = 28, 30, 220, 50
    width = left + len(methods) * (2 * bar + gap) + 20
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + 70}" '
        'font-family="sans-serif" font-size="11">',
        f'<text x="{left}" y="14">Recall@10 (blue) and MRR@10 (orange), '
        f"{report['queries']} queries</text>",
    ]
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        y = 20 + height * (1 - tick)
        parts.append(f'<line x1="{left - 4}" x2="{width - 10}" y1="{y}" y2="{y}" stroke="#ddd"/>')
        parts.append(f'<text x="{left - 8}" y="{y + 4}" text-anchor="end">{tick:.2f}</text>')
    for i, m in enumerate(methods):
        x = left + i * (2 * bar + gap)
        for j, (metric, color) in enumerate((("recall@10", "#4477aa"), ("mrr@10", "#ee7733"))):
            v = report["methods"][m][metric]
            h = height * v
            parts.append(
                f'<rect x="{x + j * bar}" y="{20 + height - h}" width="{bar - 2}" height="{h}" '
                f'fill="{color}"><title>{m} {metric} {v:.3f}</title></rect>'
            )
            parts.append(
                f'<text x="{x + j * bar + bar / 2}" y="{16 + height - h}" '
                f'text-anchor="middle">{v:.2f}</text>'
            )
        parts.append(f'<text x="{x + bar}" y="{height + 38}" text-anchor="middle">{m}</text>')
    parts.append("</svg>")
    path.write_text("\n".join(parts), encoding="utf-8")
