"""Finding mentions of documents in a text: full numbers and short forms ("Chỉ thị 11").

Mentions are found on the diacritic-folded text (see :mod:`ingest.regexes`), so the OCR'd
"Két luan sé 49- KL/TW" matches like the clean "Kết luận số 49-KL/TW".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest import regexes as rx
from ingest.references.canonical import (
    canonical,
    symbol_code,
    type_of,
)
from vntext import codes, symbols
from vntext.normalize import fold

_TYPE_NAMES = tuple(name for name, _ in symbols.REF_TYPE_WORDS)


_HEADER_CHARS = 1500  # the document's own "Số …" line stands in its header


def parse_id(text: str) -> str | None:
    """Returns the canonical id a written number names ("89/QD-TTg" → "89/QĐ-TTg").

    Accepts a full number, with or without a type word, or a short id such as
    "Thông tư 07"; returns ``None`` when ``text`` names no document number.
    """
    text = " ".join(text.split())
    folded = fold(text)
    m = symbols.REF_FULL.search(folded)
    if m:
        return full_id(m, text)
    m = symbols.REF_SHORT.fullmatch(folded)
    if m:
        return f"{type_name(m)} {m.group('num')}"
    return None


def type_name(m: re.Match[str]) -> str | None:
    for i, name in enumerate(_TYPE_NAMES):
        if m.group(f"t{i}") is not None:
            return name
    return None


def full_id(m: re.Match[str], text: str) -> str:
    def raw(group: str) -> str:
        return text[m.start(group) : m.end(group)]

    if m.group("lnum") is not None:
        return f"{m.group('lnum')}/{m.group('lyear')}/{raw('lorg').replace(' ', '').upper()}"
    if m.group("pnum") is not None:
        return canonical(m.group("pnum"), raw("ptype"), raw("porg"))
    if m.group("unum") is not None:
        return f"{m.group('unum')}/{symbol_code(raw('uorg'))}"
    return canonical(m.group("snum"), raw("stype"), raw("sorg"), m.group("year"))


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    target: str
    number: str
    doc_type: str | None
    form: str
    bodies: frozenset[str] | None = None  # of the issuer named after it ("của Huyện ủy")


def issuer_bodies(text: str, folded: str, end: int) -> frozenset[str] | None:
    m = rx.REF_ISSUER_AFTER.match(folded, end, min(len(text), end + 120))
    return codes.bodies_of_issuer(text[m.start("issuer") : m.end("issuer")]) if m else None


def find_mentions(text: str, every: bool = False) -> list[Mention]:
    """Finds full and short mentions in an NFC text; offsets index ``text``.

    Args:
        text: the text.
        every: also the numbers that name a document without citing another one: the
            document's own number on its "Số:" line, and a short form whose number looks
            like a year ("Đề án 1956"). A question or an answer's masks want these; the
            references of a document do not.
    """
    return _mentions(text, every)


def number_spans(text: str) -> list[tuple[int, int]]:
    """Returns the spans of every document number an NFC text writes, in order.

    Where numbers that name documents stand, so that "130" of "130-KH/HU" is not read as
    a count (:func:`find_mentions` with ``every``).
    """
    return [(m.start, m.end) for m in _mentions(text, every=True)]


def _mentions(text: str, every: bool) -> list[Mention]:
    folded = fold(text)
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for m in symbols.REF_FULL.finditer(folded):
        if (
            not every
            and m.start() < _HEADER_CHARS
            and rx.REF_OWN_NUMBER_LINE.search(folded, max(0, m.start() - 12), m.start())
        ):
            continue  # "Số: 298/BC-UBND" is the document's own number
        target = full_id(m, text)
        if not _plausible(m, text):
            continue
        number = m.group("lnum") or m.group("pnum") or m.group("snum") or m.group("unum")
        found.append(
            Mention(m.start(), m.end(), target, number, type_name(m) or type_of(target), "full")
        )
        taken.append((m.start(), m.end()))
    for m in symbols.REF_SHORT.finditer(folded):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        name = type_name(m)
        number = m.group("num")
        if name is None or (not every and _looks_like_year(number)):
            continue
        if "\n" in folded[m.start() : m.start("num")] and _LIST_MARK.match(folded, m.end()):
            continue  # a heading ("KẾ HOẠCH") above a list's first item ("1. Cụ thể hóa …")
        bodies = issuer_bodies(text, folded, m.end()) if not every else None
        found.append(Mention(m.start(), m.end(), f"{name} {number}", number, name, "short", bodies))
    return sorted(found, key=lambda x: x.start)


_LIST_MARK = re.compile(r"[.)]\s")


def _plausible(m: re.Match[str], text: str) -> bool:
    """Tells whether a number-and-symbol match is a document number, not "15-25 tuổi/năm".

    A Party-style match ("11-CT/TW") needs a Party body after the slash; a state-style one
    a known type or body code (or a type word before it).
    """
    if m.group("pnum") is not None:
        org = codes.normalise(text[m.start("porg") : m.end("porg")])
        return codes.is_party_body(org) or (
            m.group("type") is not None and codes.is_known(text[m.start("ptype") : m.end("ptype")])
        )
    if m.group("snum") is not None:
        stype = text[m.start("stype") : m.end("stype")]
        sorg = text[m.start("sorg") : m.end("sorg")].split("-")[0]
        return m.group("type") is not None or codes.is_known(stype) or codes.is_known(sorg)
    if m.group("unum") is not None:
        return m.group("type") is not None  # "Công văn số 58/PGDĐT", never a bare "3/ha"
    return True


def _looks_like_year(number: str) -> bool:
    return len(number) == 4 and 1945 <= int(number) <= 2100
