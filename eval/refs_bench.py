"""Benchmark of reference extraction against the hand-labelled gold references.

Run ``.venv/bin/python -m eval.refs_bench`` (``--verbose`` lists misses and extras,
``--json`` prints the figures as JSON).

The gold file ``eval/references_gold.jsonl`` holds every reference of the five corpus
documents, labelled by reading them: one row per mention with ``source``,
``char_start``/``char_end`` (``raw[char_start:char_end] == surface``), ``surface`` and
the ``canonical`` id. Labelling rules:

- a reference names another document by number: number and symbol ("Chỉ thị số
  11-CT/TW", "Quyét dinh s61373/QD-TTg"), or a type word and number ("Đề án 89",
  "Thong tu 22"); the span runs from the type word (with "số") to the symbol's end;
- not references: a document's own number on its "Số:" line, a type word without a
  number ("bám sát Chỉ thị"), a bare number ("kinh phí cho 281");
- the canonical id is the full id the corpus gives for that document, with Vietnamese
  letters ("89/QĐ-TTg", "44/2014/TT-BGDĐT", "1668/KH-SGD&ĐT"); a short form no
  mention completes keeps "Type number" ("Thông tư 07").

A prediction matches a gold reference of the same file when their spans overlap (one
to one). Precision and recall count matches; "canonical exact" is the share of gold
references matched by a prediction with exactly the gold id.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ingest.models import Reference
from ingest.references import extract_references, has_hooks, resolve_across
from ingest.text import nfc_mapped

ROOT = Path(__file__).resolve().parent.parent
GOLD = Path(__file__).resolve().parent / "references_gold.jsonl"


def is_scan(raw: str) -> bool:
    """Tells whether a text is an OCR'd scan: its letters lack ă â đ ê ô ơ ư.

    Clean Vietnamese has one such letter in five or six; the OCR of the two scanned
    reports keeps accents like "é" but none of these.
    """
    letters = [c for c in raw if c.isalpha()]
    hooked = sum(1 for c in letters if has_hooks(c))
    return bool(letters) and hooked / len(letters) < 0.02


def extract_corpus(sources: list[str], root: Path = ROOT) -> dict[str, list[Reference]]:
    """Extracts every source's references, short forms resolved across the corpus."""
    raws = {s: (root / s).read_text(encoding="utf-8") for s in sources}
    found = {s: list(extract_references(nfc_mapped(raw), raw)) for s, raw in raws.items()}
    known = sorted({r.target for refs in found.values() for r in refs if r.resolved})
    return {s: resolve_across(refs, known) for s, refs in found.items()}


def _match(gold: list[dict], pred: list[Reference]) -> list[tuple[dict, Reference]]:
    pairs = []
    used: set[int] = set()
    for g in gold:
        best, best_overlap = None, 0
        for i, p in enumerate(pred):
            overlap = min(g["char_end"], p.char_end) - max(g["char_start"], p.char_start)
            if i not in used and overlap > best_overlap:
                best, best_overlap = i, overlap
        if best is not None:
            used.add(best)
            pairs.append((g, pred[best]))
    return pairs


def _figures(gold: int, pred: int, matched: int, exact: int) -> dict[str, Any]:
    return {
        "gold": gold,
        "predicted": pred,
        "matched": matched,
        "precision": round(matched / pred, 4) if pred else 1.0,
        "recall": round(matched / gold, 4) if gold else 1.0,
        "canonical_exact": round(exact / gold, 4) if gold else 1.0,
    }


def run(gold_path: Path = GOLD, root: Path = ROOT) -> dict[str, Any]:
    """Scores extraction against the gold file.

    Returns:
        Figures overall, for clean and scanned documents and per file, and the misses,
        extras and wrong ids.
    """
    rows = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line]
    sources = sorted({r["source"] for r in rows})
    predicted = extract_corpus(sources, root)
    per: dict[str, Any] = {}
    misses: list[dict] = []
    extras: list[dict] = []
    wrong: list[dict] = []
    totals: dict[str, list[int]] = {k: [0, 0, 0, 0] for k in ("all", "clean", "scan")}
    for source in sources:
        raw = (root / source).read_text(encoding="utf-8")
        gold = [r for r in rows if r["source"] == source]
        for g in gold:
            assert raw[g["char_start"] : g["char_end"]] == g["surface"], g
        pred = predicted[source]
        pairs = _match(gold, pred)
        exact = sum(1 for g, p in pairs if p.target == g["canonical"])
        kind = "scan" if is_scan(raw) else "clean"
        per[source] = {"kind": kind, **_figures(len(gold), len(pred), len(pairs), exact)}
        for key in ("all", kind):
            for i, v in enumerate((len(gold), len(pred), len(pairs), exact)):
                totals[key][i] += v
        hit_gold = {id(g) for g, _ in pairs}
        hit_pred = {id(p) for _, p in pairs}
        misses += [g for g in gold if id(g) not in hit_gold]
        extras += [
            {"source": source, "surface": p.surface, "char_start": p.char_start, "target": p.target}
            for p in pred
            if id(p) not in hit_pred
        ]
        wrong += [
            {"source": source, "surface": g["surface"], "gold": g["canonical"], "got": p.target}
            for g, p in pairs
            if p.target != g["canonical"]
        ]
    return {
        "overall": _figures(*totals["all"]),
        "clean": _figures(*totals["clean"]),
        "scanned": _figures(*totals["scan"]),
        "documents": per,
        "misses": misses,
        "extras": extras,
        "wrong_ids": wrong,
    }


def main(argv: list[str] | None = None) -> int:
    """Prints precision, recall and the share named exactly in canonical form."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", default=str(GOLD))
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--verbose", action="store_true", help="list misses, extras and wrong ids")
    args = ap.parse_args(argv)
    report = run(Path(args.gold))
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    print(f"{'':44} {'gold':>5} {'pred':>5} {'P':>6} {'R':>6} {'exact id':>8}")
    lines = [(k, report[k]) for k in ("overall", "clean", "scanned")]
    lines += [(Path(s).name, v) for s, v in report["documents"].items()]
    for name, f in lines:
        print(
            f"{name[:44]:44} {f['gold']:5} {f['predicted']:5} {f['precision']:6.3f} "
            f"{f['recall']:6.3f} {f['canonical_exact']:8.3f}"
        )
    if args.verbose:
        for key in ("misses", "extras", "wrong_ids"):
            print(f"\n{key}:")
            for row in report[key]:
                print("  ", json.dumps(row, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
