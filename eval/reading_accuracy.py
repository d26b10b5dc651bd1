"""Character accuracy of the readings of OCR'd text, against the clean originals.

The OCR'd documents of ``eval/unseen/<split>/`` were made from the clean files kept in
``eval/unseen/originals/`` (``X.txt`` for a whole document, ``X.annex.txt`` for the OCR'd
annex appended to a clean body). For each, this prints the character accuracy (1 − edit
distance / length, whitespace collapsed) of the raw OCR text and of its reading — what
answers, citations and hits show (:class:`index.reading.Readings`: the restorer of
:mod:`vntext.restore` with ``repair=True``, learnt from Viet74K and the clean seed
documents). Accents compared too, so the raw OCR scores low where it lost them.

    python -m eval.reading_accuracy [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from vntext.garbled import is_garbled
from vntext.normalize import nfc
from vntext.restore import Restorer

ROOT = Path(__file__).resolve().parent.parent
UNSEEN = ROOT / "eval" / "unseen"


def edit_distance(a: str, b: str) -> int:
    """Returns the Levenshtein distance, one numpy pass per character of ``a``.

    Row ``j`` of the usual table is ``min(prev[j] + 1, prev[j-1] + cost)`` then the
    insertion chain ``cur[j] = min(cur[j], cur[j-1] + 1)``, a prefix minimum of
    ``cur[k] - k`` plus ``j``.
    """
    bb = np.frombuffer(b.encode("utf-32-le"), dtype=np.uint32)
    idx = np.arange(len(b) + 1)
    prev = idx.copy()
    for i, ca in enumerate(a, 1):
        cost = (bb != ord(ca)).astype(np.int64)
        tmp = np.empty(len(b) + 1, dtype=np.int64)
        tmp[0] = i
        tmp[1:] = np.minimum(prev[1:] + 1, prev[:-1] + cost)
        prev = np.minimum.accumulate(tmp - idx) + idx
    return int(prev[-1])


def char_accuracy(expected: str, got: str) -> float:
    """Returns 1 − edit distance / len(expected), whitespace runs collapsed to one space."""
    a, b = " ".join(expected.split()), " ".join(got.split())
    return 1 - edit_distance(a, b) / max(1, len(a))


def pairs(split: str) -> list[tuple[Path, str, str]]:
    """Returns (OCR'd file, its OCR'd text, the clean original) of a split."""
    out = []
    for f in sorted((UNSEEN / split).glob("*.txt")):
        whole = UNSEEN / "originals" / f.name
        annex = UNSEEN / "originals" / f.name.replace(".txt", ".annex.txt")
        text = nfc(f.read_text(encoding="utf-8"))
        if whole.exists():
            out.append((f, text, nfc(whole.read_text(encoding="utf-8"))))
        elif annex.exists():
            clean = nfc(annex.read_text(encoding="utf-8"))
            # the OCR'd annex is the end of the file: as many non-space characters
            want = len("".join(clean.split()))
            seen, cut = 0, len(text)
            while cut > 0 and seen < want:
                cut -= 1
                seen += not text[cut].isspace()
            out.append((f, text[cut:], clean))
    return out


def run() -> list[dict[str, object]]:
    """Measures every pair of both splits."""
    clean = [
        t for f in sorted((ROOT / "corpus").glob("*.txt"))
        if not is_garbled(t := f.read_text(encoding="utf-8"))
    ]  # fmt: skip
    restorer = Restorer.for_corpus(clean)
    rows: list[dict[str, object]] = []
    for split in ("dev", "test"):
        for f, ocr, original in pairs(split):
            reading = restorer.restore(ocr, repair=True)
            rows.append(
                {
                    "split": split,
                    "file": str(f.relative_to(ROOT)),
                    "chars": len(" ".join(original.split())),
                    "ocr": round(char_accuracy(original, ocr), 4),
                    "reading": round(char_accuracy(original, reading), 4),
                }
            )
    return rows


def main(argv: list[str] | None = None) -> int:
    """Prints the table (or JSON)."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    rows = run()
    if args.json:
        print(json.dumps(rows, indent=1))
        return 0
    print("| split | file | characters | raw OCR | reading |")
    print("|---|---|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['split']} | {r['file']} | {r['chars']} | {r['ocr']:.1%} | {r['reading']:.1%} |"
        )
    for split in ("dev", "test"):
        sel = [r for r in rows if r["split"] == split]
        n = sum(int(str(r["chars"])) for r in sel) or 1
        ocr = sum(float(str(r["ocr"])) * int(str(r["chars"])) for r in sel) / n
        rd = sum(float(str(r["reading"])) * int(str(r["chars"])) for r in sel) / n
        print(f"| {split} | all ({len(sel)} files) | {n} | {ocr:.1%} | {rd:.1%} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
