"""Document metadata: read from the header, overridden by ``manifest.toml`` beside the files."""

from __future__ import annotations

import tomllib
from dataclasses import fields, replace
from pathlib import Path

from ingest import regexes as rx
from ingest.errors import IngestError
from ingest.models import DocMeta
from ingest.text import MappedText, fold, nfc

HEADER_PARAGRAPHS = 12
MANIFEST_NAME = "manifest.toml"


def _iso(day: int, month: int, year: int) -> str | None:
    if 1 <= day <= 31 and 1 <= month <= 12 and 1900 <= year <= 2100:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def from_header(paras: list[MappedText], timestamp: tuple[int, int, int] | None) -> DocMeta:
    """Reads số hiệu, loại, địa danh, ngày and trích yếu from the first paragraphs."""
    number = doc_type = place = date = title = None
    head = paras[:HEADER_PARAGRAPHS]
    for i, para in enumerate(head):
        text = para.text
        f = fold(text)
        if number is None:
            m = rx.NUMBER_LINE.search(f)
            if m and any(c.isdigit() for c in m.group(1)):
                number = text[m.start(1) : m.end(1)].strip(" .,")
        if date is None and len(text) <= 120:
            m = rx.DATE_WORDS.search(f)
            if m:
                date = _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                before = text[: m.start()].rstrip(" ,")
                # "Hòa An, ngày 09 …" or "HUYỆN ỦY … Đức Trọng, ngày …": the place is the
                # last comma-free run of words before the date.
                tail = before.split("  ")[-1].split(",")[0].strip()
                if 0 < len(tail) <= 40:
                    place = tail
        if doc_type is None and f.strip() in rx.DOC_TYPES:
            doc_type = rx.DOC_TYPES[f.strip()]
            if i + 1 < len(head) and len(head[i + 1].text) <= 400:
                title = " ".join(head[i + 1].text.split())
    if timestamp and date is None:
        date = _iso(*timestamp)
    if title is None and paras:
        first = " ".join(paras[0].text.split())
        if len(first) <= 400:
            title = first
    return DocMeta(number, doc_type, None, place, date, title, None)


def load_manifest(directory: Path) -> dict[str, dict]:
    """Reads ``manifest.toml`` in ``directory``: one table per file name."""
    path = directory / MANIFEST_NAME
    if not path.is_file():
        return {}
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise IngestError(f"{path}: not valid TOML ({exc})") from exc
    return {nfc(k): v for k, v in data.items() if isinstance(v, dict)}


def merge(auto: DocMeta, override: dict | None) -> DocMeta:
    """Returns ``auto`` with the manifest's values put over it."""
    if not override:
        return auto
    known = {f.name for f in fields(DocMeta)}
    values = {k: nfc(str(v)) for k, v in override.items() if k in known and v not in (None, "")}
    return replace(auto, **values)
