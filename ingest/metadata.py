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
                number = _number(text[m.start(1) : m.end(1)])
        if date is None and len(text) <= 120:
            m = rx.DATE_WORDS.search(f)
            if m:
                date = _iso(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                before = text[: m.start()].rstrip(" ,")
                # "Hòa An, ngày 09 …" or "HUYỆN ỦY … Đức Trọng, ngày …": the place is the
                # last comma-free run of words before the date.
                tail = before.split("  ")[-1].split(",")[0].strip()
                named = _name_run(tail)
                if named:
                    place = named
                elif 0 < len(tail) <= 40:
                    place = tail
        if doc_type is None and f.strip() in rx.DOC_TYPES:
            doc_type = rx.DOC_TYPES[f.strip()]
            if i + 1 < len(head) and len(head[i + 1].text) <= 400:
                title = " ".join(head[i + 1].text.split())
    if timestamp and date is None:
        date = _iso(*timestamp)
    if timestamp and doc_type is None:
        doc_type = "Tin bài"  # a dated page saved from a portal: a news article
        lead = paras[0].text.split(":", 1)[0] if paras and ":" in paras[0].text[:40] else ""
        if place is None and _name_run(lead) == lead.strip():
            place = lead.strip() or None  # the dateline: "Đam Rông: Kết quả …"
    if title is None and paras:
        first = " ".join(paras[0].text.split())
        if len(first) <= 400:
            title = first
    issuer = _issuer_in_header(head) or _issuer_in_body(paras)
    return DocMeta(number, doc_type, issuer, place, date, title, None)


def _number(text: str) -> str:
    """Trims a số hiệu to its code: "64/BC-HKH Son La" → "64/BC-HKH"."""
    tokens = text.strip(" .,").split()
    kept = tokens[:1]
    for tok in tokens[1:]:
        if not any(c.isdigit() or c in "/-" for c in tok):
            break
        kept.append(tok)
    return " ".join(kept).strip(" .,")


def _name_run(text: str) -> str:
    """Returns the trailing words written as a name ("Sơn La", not "SƠN LA" or "ngày")."""
    words: list[str] = []
    for w in reversed(text.split()):
        if not w[:1].isupper() or (len(w) > 1 and w.isupper()) or not w.isalpha():
            break
        words.insert(0, w)
    return " ".join(words) if 0 < len(words) <= 5 else ""


def _upper_run(text: str) -> str:
    """Returns the leading words of ``text`` written in capitals."""
    words = []
    for w in text.split():
        if any(c.islower() for c in w):
            break
        words.append(w)
    return " ".join(words).strip(" ,.;:-")


def _issuer_in_header(head: list[MappedText]) -> str | None:
    """Reads the issuing body from the capitals at the top left of an official document.

    A second line that starts a body's name ("UBND TỈNH X" / "SỞ GIÁO DỤC") is the
    issuer under its superior; one that does not ("HỘI KHUYẾN HỌC" / "TỈNH SƠN LA")
    continues the first.
    """
    issuer: str | None = None
    for para in head:
        f = fold(para.text)
        if f.strip() in rx.DOC_TYPES:
            break
        for line in para.text.split("\n"):
            cut = rx.MOTTO.search(fold(line))
            name = _upper_run(line[: cut.start()] if cut else line)
            letters = [c for c in name if c.isalpha()]
            if len(letters) < 3:
                continue
            if rx.ISSUER_START.match(fold(name)):
                issuer = name
            elif issuer is not None and len(issuer) + len(name) < 120:
                issuer = f"{issuer} {name}"
    return " ".join(issuer.split()) if issuer else None


def _issuer_in_body(paras: list[MappedText]) -> str | None:
    """Finds a body named as the subject of "báo cáo", "xây dựng kế hoạch" … early in the text."""
    text = "\n".join(p.text for p in paras[:HEADER_PARAGRAPHS])[:4000]
    for m in rx.ISSUER_IN_BODY.finditer(fold(text)):
        name = text[m.start(1) : m.end(1)]
        # After the body's kind, only place words and capitalised names: "Ủy ban nhân
        # dân huyện Hòa An", not "Huyện ủy đã chỉ đạo UBND huyện".
        extra = name.split()[_kind_words(fold(name)) :]
        if extra and fold(extra[-1]) in _PLACE_WORDS and fold(extra[-1]) != "uy":
            continue  # "Hội khuyến học huyện" names no one
        if all(w[:1].isupper() or fold(w) in _PLACE_WORDS for w in extra):
            return name[:1].upper() + name[1:]
    return None


_PLACE_WORDS = {"huyen", "tinh", "xa", "thanh", "pho", "thi", "tran", "quan", "phuong", "uy"}


def _kind_words(folded: str) -> int:
    """Returns how many words the body's kind takes ("uy ban nhan dan" = 4)."""
    m = rx.ISSUER_IN_BODY_KIND.match(folded)
    return len(m.group().split()) if m else 1


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
