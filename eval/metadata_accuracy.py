"""Accuracy of metadata read from document headers, against hand-written gold.

Run: ``.venv/bin/python -m eval.metadata_accuracy [corpus/] [--unseen dev|test] [--json]``

Gold: ``corpus/manifest.toml`` for the corpus; the ``metadata`` records of
``eval/unseen/<split>.jsonl`` for the new documents of other provinces (written by people
who had not read the code; tune on ``dev`` only).

For every field the manifest states, the value read from the file alone (no
manifest) is compared two ways: exact (NFC, spaces collapsed, case ignored) and
accent-blind (diacritics folded too, which forgives OCR'd headers that lost them).
A field the manifest leaves out is not scored: the document does not state it.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

from ingest.errors import IngestError
from ingest.load import supported
from ingest.metadata import MANIFEST_NAME, from_header, load_manifest
from ingest.pipeline import read
from vntext.normalize import fold, has_diacritics, nfc

FIELDS = ("number", "doc_type", "issuer", "place", "province", "date", "title")
# The fields the bar is set on (DESIGN.md: header metadata ≥ 95 % on new documents).
BAR_FIELDS = ("number", "doc_type", "issuer", "place", "province", "date")
ROOT = Path(__file__).resolve().parent.parent
UNSEEN = Path(__file__).resolve().parent / "unseen"
# An issuer is the same body whether it is written "UBND tỉnh X" or "Ủy ban nhân dân X":
# abbreviations are expanded and the level words dropped before comparing issuers.
_LEVEL_WORDS = {"tinh", "huyen", "xa", "quan", "phuong"}


def _norm(value: str) -> str:
    return " ".join(nfc(value).split()).lower().strip(" .,;:")


def _issuer_key(value: str) -> str:
    words = fold(_norm(value)).replace("&", " & ").split()
    text = " ".join(w for w in words if w not in _LEVEL_WORDS)
    for short, full in (("ubnd", "uy ban nhan dan"), ("hdnd", "hoi dong nhan dan")):
        text = text.replace(short, full)
    for short in ("gd & dt", "gddt"):
        text = text.replace(short, "giao duc va dao tao")
    return " ".join(text.split())


def _same(field: str, want: str, got: str, accents: bool) -> bool:
    if field == "issuer":
        if accents:  # the same body, written with the same letters once abbreviations are out
            return _issuer_key(want) == _issuer_key(got) and has_diacritics(got)
        return _issuer_key(want) == _issuer_key(got)
    if accents:
        return _norm(want) == _norm(got)
    return fold(_norm(want)) == fold(_norm(got))


def unseen_gold(split: str) -> dict[Path, dict]:
    """Returns the metadata gold of the new documents of one split, by file."""
    out = {}
    with (UNSEEN / f"{split}.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec.get("kind") == "metadata":
                out[ROOT / rec["source"]] = {k: v for k, v in rec.items() if k in FIELDS}
    return out


def score(corpus: Path | None = None, gold: dict[Path, dict] | None = None) -> dict:
    """Compares header metadata with the gold for every file of ``corpus`` (or of ``gold``).

    Returns:
        ``{"fields": {field: {"stated", "exact", "folded"}}, "overall": {...},
        "files": [{"file", field: {"expected", "found", "exact", "folded"}}]}``.
    """
    if gold is None:
        assert corpus is not None
        manifest = load_manifest(corpus)
        paths = sorted(p for p in corpus.iterdir() if supported(p) and p.name != MANIFEST_NAME)
        gold = {p: manifest.get(p.name, {}) for p in paths}
    totals = {f: {"stated": 0, "exact": 0, "folded": 0} for f in FIELDS}
    files = []
    for path, expected in sorted(gold.items()):
        try:
            *_, cleaned = read(path)
        except IngestError as exc:
            files.append({"file": path.name, "error": str(exc)})
            continue
        found = asdict(from_header(cleaned.paragraphs, cleaned.timestamp))
        row: dict = {"file": path.name}
        for f in FIELDS:
            if not expected.get(f):
                continue
            want, got = str(expected[f]), found.get(f) or ""
            exact = _same(f, want, got, True)
            folded = _same(f, want, got, False)
            totals[f]["stated"] += 1
            totals[f]["exact"] += exact
            totals[f]["folded"] += folded
            row[f] = {"expected": want, "found": got or None, "exact": exact, "folded": folded}
        files.append(row)
    stated = sum(t["stated"] for t in totals.values())
    overall = {
        "stated": stated,
        "exact": sum(t["exact"] for t in totals.values()),
        "folded": sum(t["folded"] for t in totals.values()),
    }
    return {"fields": totals, "overall": overall, "files": files}


def format_report(report: dict) -> str:
    """Formats the per-field table and the misses."""
    lines = [f"{'field':<10} {'stated':>6} {'exact':>7} {'accent-blind':>13}"]
    for f, t in report["fields"].items():
        n = t["stated"] or 1
        lines.append(f"{f:<10} {t['stated']:>6} {t['exact'] / n:>7.0%} {t['folded'] / n:>13.0%}")
    o = report["overall"]
    n = o["stated"] or 1
    lines.append(
        f"{'all':<10} {o['stated']:>6} {o['exact'] / n:>7.1%} {o['folded'] / n:>13.1%}"
        f"   ({o['exact']}/{o['stated']} exact, {o['folded']}/{o['stated']} accent-blind)"
    )
    bar = [report["fields"][f] for f in BAR_FIELDS]
    stated, exact = sum(t["stated"] for t in bar), sum(t["exact"] for t in bar)
    lines.append(
        f"{'bar fields':<10} {stated:>6} {exact / (stated or 1):>7.1%}"
        f"   ({exact}/{stated}: {', '.join(BAR_FIELDS)})"
    )
    lines.append("")
    lines.append("misses (expected → found):")
    for row in report["files"]:
        if "error" in row:
            lines.append(f"  {row['file']}: {row['error']}")
            continue
        for f in FIELDS:
            cell = row.get(f)
            if cell and not cell["exact"]:
                want, got = cell["expected"][:60], (cell["found"] or "")[:60]
                lines.append(f"  {row['file']} {f}: {want!r} → {got!r}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Prints the metadata accuracy of a corpus folder."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("corpus", nargs="?", default="corpus", help="folder with manifest.toml")
    p.add_argument("--unseen", choices=("dev", "test"), help="score eval/unseen/<split> instead")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    report = score(gold=unseen_gold(args.unseen)) if args.unseen else score(Path(args.corpus))
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print(format_report(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
