"""Canonical ids of documents: "89/QĐ-TTg", "11-CT/TW", "43/2019/QH14", and their parts."""

from __future__ import annotations

import re
from dataclasses import dataclass

from vntext import codes

_PARTY_ID = re.compile(r"^(\d+)-([^/]+)/(.+)$")


_STATE_ID = re.compile(r"^(\d+)/(?:(\d{4})/)?([^-/]+)-(.+)$")


_LAW_ID = re.compile(r"^(\d+)/(\d{4})/((?:UBTV)?QH\d+)$")


_SHORT_ID = re.compile(r"^(\D+) (\d+)$")


@dataclass(frozen=True)
class IdParts:
    """The parts of a canonical id."""

    number: str
    year: str | None
    code: str
    org: str
    party: bool


def symbol_code(written: str) -> str:
    """Returns a symbol part as it is written: "QD" → "QĐ", "bgd&dt" → "BGDĐT"."""
    return "-".join(codes.normalise(part) for part in written.split("-") if part.strip())


def canonical(number: str, code: str, org: str, year: str | None = None) -> str:
    """Returns the canonical id of a number and symbol.

    Party documents take "số-LOẠI/CƠ QUAN" ("11-CT/TW"); state documents take
    "số/năm/LOẠI-CƠ QUAN" or "số/LOẠI-CƠ QUAN" ("70/2014/QĐ-UBND", "89/QĐ-TTg"). A
    party body written state-style ("49/KL-TW", "162/KH/TU") gets the party form.

    Args:
        number: the number as written ("09" keeps its zero).
        code: the type code ("QĐ", "qp", "K1L").
        org: the issuing body's code ("TTg", "tw", "BGDDT").
        year: the year in a state number.
    """
    c, o = symbol_code(code), symbol_code(org)
    if o.startswith("QH") and year:  # a law: "43/2019/QH14"
        return f"{number}/{year}/{o}"
    if year is None and codes.is_party_body(o):
        return f"{number}-{c}/{o}"
    return f"{number}/{year}/{c}-{o}" if year else f"{number}/{c}-{o}"


def id_parts(ref_id: str) -> IdParts | None:
    """Splits a canonical id into its parts; ``None`` for a short id ("Thông tư 07")."""
    m = _PARTY_ID.match(ref_id)
    if m:
        return IdParts(m.group(1), None, m.group(2), m.group(3), True)
    m = _LAW_ID.match(ref_id)
    if m:
        return IdParts(m.group(1), m.group(2), "QH", m.group(3), False)
    m = _STATE_ID.match(ref_id)
    if m:
        return IdParts(m.group(1), m.group(2), m.group(3), m.group(4), False)
    return None


def type_of(ref_id: str) -> str | None:
    """Returns the document type a canonical id's symbol names ("89/QĐ-TTg" → "Quyết định")."""
    parts = id_parts(ref_id)
    if parts is None:
        m = _SHORT_ID.match(ref_id)
        return m.group(1) if m else None
    if parts.code == "TT" and parts.party:
        return "Thông tri"
    if parts.code == "QH":
        return "Luật"
    if parts.code in codes.TYPE_CODES:
        return codes.TYPE_CODES[parts.code]
    # "1815/UBND-TH": a body's code first is how official letters are numbered.
    return "Công văn" if parts.code in ("UBND", "HĐND", "VP") else None
