"""OCR character accuracy on scanned pages generated from known Vietnamese text.

Run: ``.venv/bin/python -m eval.ocr_accuracy [--json]``

Each page is rendered from the opening of a corpus document (DejaVu fonts, 300 dpi),
saved as an image-only PDF and read back through the real ingest path (pypdfium2
rasterising, Tesseract ``vie``). Accuracy is 1 − Levenshtein distance / length of
the expected text, whitespace collapsed (the usual character accuracy of OCR
evaluations, e.g. the ISRI OCR toolkit). The "scan" variant is tilted 0.4°,
blurred and speckled like a photocopy.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from ingest.load import load
from vntext.normalize import nfc

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "corpus" / "kh-tong-ket-10-nam-ct11-2017.txt"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
DPI = 300
GOAL = 0.98


def char_accuracy(expected: str, got: str) -> float:
    """Returns 1 − edit distance / len(expected), whitespace runs collapsed to one space."""
    a, b = " ".join(expected.split()), " ".join(got.split())
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return 1 - prev[-1] / max(1, len(a))


def page_lines(chars: int = 1800, width: int = 68) -> list[str]:
    """Returns the opening of a corpus document, wrapped as a typed page would be."""
    text = nfc(SOURCE.read_text(encoding="utf-8")).replace("*", "")
    paras = [" ".join(p.split()) for p in text.split("\n") if p.strip()]
    lines: list[str] = []
    for para in paras:
        lines.extend(textwrap.wrap(para, width))
        if sum(len(x) for x in lines) >= chars:
            break
    return lines


def render(lines: list[str], font: str, degrade: bool = False):  # type: ignore[no-untyped-def]
    """Draws the lines on an A4 page at 300 dpi; ``degrade`` tilts, blurs and speckles it."""
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    px = int(11 / 72 * DPI)
    face = ImageFont.truetype(str(FONT_DIR / font), px)
    image = Image.new("L", (int(8.27 * DPI), int(11.69 * DPI)), 255)
    draw = ImageDraw.Draw(image)
    y = int(0.8 * DPI)
    for line in lines:
        draw.text((int(0.8 * DPI), y), line, font=face, fill=0)
        y += int(px * 1.5)
    if degrade:
        image = image.rotate(0.4, resample=Image.Resampling.BICUBIC, fillcolor=255)
        image = image.filter(ImageFilter.GaussianBlur(0.7))
        rng = random.Random(7)
        w, h = image.size
        for _ in range(w * h // 400):  # salt-and-pepper specks, 0.25% of pixels
            image.putpixel((rng.randrange(w), rng.randrange(h)), rng.choice((0, 255)))
    return image


VARIANTS = {
    "sans, clean": ("DejaVuSans.ttf", False),
    "serif, clean": ("DejaVuSerif.ttf", False),
    "serif, scan-like": ("DejaVuSerif.ttf", True),
}


def measure() -> dict:
    """OCRs each variant through the PDF loader and scores it against the text drawn."""
    lines = page_lines()
    expected = "\n".join(lines)
    out: dict = {"chars": len(" ".join(expected.split())), "variants": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for name, (font, degrade) in VARIANTS.items():
            path = Path(tmp) / f"{font}-{degrade}.pdf"
            render(lines, font, degrade).save(str(path), "PDF", resolution=DPI)
            t0 = time.perf_counter()
            loaded, _ = load(path)
            seconds = time.perf_counter() - t0
            assert loaded.kind == "pdf-ocr", loaded.kind
            out["variants"][name] = {
                "accuracy": round(char_accuracy(expected, nfc(loaded.raw)), 4),
                "seconds": round(seconds, 2),
            }
    accs = [v["accuracy"] for v in out["variants"].values()]
    out["mean"] = round(sum(accs) / len(accs), 4)
    out["goal"] = GOAL
    return out


def main(argv: list[str] | None = None) -> int:
    """Prints the OCR character accuracy per page variant."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    report = measure()
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    print(f"OCR character accuracy, tesseract vie, {DPI} dpi, {report['chars']} characters a page")
    for name, v in report["variants"].items():
        print(f"  {name:<18} {v['accuracy']:.2%}   ({v['seconds']:.1f} s)")
    print(f"  {'mean':<18} {report['mean']:.2%}   (goal ≥ {GOAL:.0%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
