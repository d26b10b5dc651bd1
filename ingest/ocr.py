"""OCR of scanned pages with Tesseract's Vietnamese model.

Tesseract runs as a subprocess (``tesseract stdin stdout``): that is all pytesseract
does, and calling it directly keeps one dependency fewer and the errors ours.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from functools import lru_cache
from typing import TYPE_CHECKING

from ingest.errors import IngestError, OcrUnavailable

if TYPE_CHECKING:
    from PIL.Image import Image

LANG = "vie"
DPI = 300
TIMEOUT_S = 300
INSTALL_HINT = (
    "install Tesseract and its Vietnamese model: "
    "apt-get install tesseract-ocr tesseract-ocr-vie (Debian/Ubuntu; use sudo unless root)"
)


@lru_cache(maxsize=4)
def tesseract(lang: str = LANG) -> str:
    """Returns the tesseract executable after checking that ``lang`` is installed.

    Raises:
        OcrUnavailable: with the command that installs what is missing.
    """
    exe = shutil.which("tesseract")
    if exe is None:
        raise OcrUnavailable(
            f"scanned pages need OCR but tesseract is not installed; {INSTALL_HINT}"
        )
    out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=60)
    langs = {line.strip() for line in (out.stdout + out.stderr).splitlines()}
    if lang not in langs:
        raise OcrUnavailable(
            f"tesseract has no {lang!r} language model; {INSTALL_HINT}"
            if lang == LANG
            else f"tesseract has no {lang!r} language model"
        )
    return exe


def ocr_image(image: Image, lang: str = LANG, dpi: int = DPI) -> str:
    """Reads the text of one page image.

    Args:
        image: the page, ideally rendered at ``dpi``.
        lang: the Tesseract language model.
        dpi: the image's resolution (Tesseract sizes its glyph models by it).

    Returns:
        The recognised text, lines separated by newlines, paragraphs by blank lines.

    Raises:
        OcrUnavailable: tesseract or the model is missing.
        IngestError: tesseract failed on the image.
    """
    exe = tesseract(lang)
    buf = io.BytesIO()
    image.convert("L").save(buf, format="PNG")
    try:
        out = subprocess.run(
            [exe, "stdin", "stdout", "-l", lang, "--dpi", str(dpi)],
            input=buf.getvalue(),
            capture_output=True,
            timeout=TIMEOUT_S,
        )
    except subprocess.TimeoutExpired as exc:
        raise IngestError(f"tesseract took over {TIMEOUT_S} s on one page") from exc
    if out.returncode != 0:
        message = out.stderr.decode("utf-8", "replace").strip().splitlines()
        raise IngestError(f"tesseract failed: {message[-1] if message else out.returncode}")
    return out.stdout.decode("utf-8", "replace").replace("\f", "").rstrip() + "\n"
