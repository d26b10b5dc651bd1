"""Fit the OCR channel (:mod:`vntext.ocr_channel`) from clean texts and their OCR.

The pairs are in ``eval/ocr_train/``: for each ``X.ocr.txt`` (the OCR of ``X`` rendered
to page images and read by Tesseract ``-l eng``, as the corpus's scans were made:
``render_ocr.py X.txt X.ocr.txt``), the clean text is ``eval/ocr_train/X.txt`` or
``corpus/X.txt``. The texts are the clean seed documents and a page set of words drawn
from underthesea's Viet74K dictionary; none is an evaluation document. Words are
paired where the clean and the OCR'd word sequences align one to one (``difflib`` on
the unaccented words, equal-length replaced runs included).

    python -m eval.fit_ocr_channel [--out vntext/ocr_channel.json] [--check]
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from pathlib import Path

from vntext.normalize import fold, nfc
from vntext.ocr_channel import CHANNEL_FILE, Channel

ROOT = Path(__file__).resolve().parent.parent
TRAIN = ROOT / "eval" / "ocr_train"
_WORD = re.compile(r"[^\W_]+")


def word_pairs(clean: str, ocr: str) -> list[tuple[str, str]]:
    """Returns (clean word, OCR'd word) pairs of two texts that align one to one."""
    a = [w.lower() for w in _WORD.findall(nfc(clean))]
    b = [w.lower() for w in _WORD.findall(nfc(ocr))]
    sm = difflib.SequenceMatcher(a=[fold(w) for w in a], b=[fold(w) for w in b], autojunk=False)
    out: list[tuple[str, str]] = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            out.extend(
                (a[i], b[j])
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
                if not a[i].isdigit() and len(b[j]) <= 2 * len(a[i]) + 1
            )
    return out


def training_pairs(train: Path = TRAIN, root: Path = ROOT) -> list[tuple[str, str]]:
    """Returns the word pairs of every OCR'd training text and its clean original."""
    out: list[tuple[str, str]] = []
    for ocr in sorted(train.glob("*.ocr.txt")):
        name = ocr.name.removesuffix(".ocr.txt") + ".txt"
        clean = train / name if (train / name).exists() else root / "corpus" / name
        out += word_pairs(clean.read_text(encoding="utf-8"), ocr.read_text(encoding="utf-8"))
    return out


def main(argv: list[str] | None = None) -> int:
    """Fits and writes the channel, or with ``--check`` compares it with the stored one."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", default=str(CHANNEL_FILE))
    p.add_argument("--check", action="store_true", help="refit and compare, write nothing")
    args = p.parse_args(argv)
    pairs = training_pairs()
    channel = Channel.fit(pairs)
    print(f"{len(pairs)} word pairs, {len(channel.counts)} letters", file=sys.stderr)
    if args.check:
        stored = json.loads(Path(args.out).read_text(encoding="utf-8"))
        same = stored == channel.counts
        print("the stored channel is reproduced" if same else "the stored channel differs")
        return 0 if same else 1
    channel.save(Path(args.out))
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
