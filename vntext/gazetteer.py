"""Vietnamese administrative units (the 63 provinces and their districts before 2025).

The names come from the maintained ``vietnamadminunits`` package (its legacy, 63-province
table), not from this corpus: every province's documents name their province, district or
commune in the header, and the index uses that locality (issue 14). Names are matched on
the folded text (diacritics off, lower case), so OCR'd capitals ("HUYEN UY PUC TRONG",
"Son La") find "Đức Trọng" and "Sơn La"; the names come back properly written.
"""

from __future__ import annotations

import importlib.util
import re
import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from vntext.normalize import fold


@dataclass(frozen=True)
class Unit:
    """One administrative unit: its short name, level and province."""

    name: str  # "Đức Trọng"
    level: str  # "province", "district" or "ward"
    kind: str  # "Tỉnh", "Thành phố", "Huyện", "Quận", "Thị xã", "Xã", "Phường", "Thị trấn"
    province: str  # "Lâm Đồng"
    district: str | None = None


@dataclass(frozen=True)
class Found:
    """A unit named in a text, with the folded span that names it."""

    unit: Unit
    start: int
    end: int


def _dataset() -> Path | None:
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "dataset.db"
    return path if path.is_file() else None


def _province_kind(full: str, short: str) -> str:
    return full[: -len(short)].strip() or "Tỉnh"


@lru_cache(maxsize=1)
def units() -> tuple[Unit, ...]:
    """Returns every province and district, then every commune, of the 63-province map.

    Raises:
        RuntimeError: the ``vietnamadminunits`` package is not installed.
    """
    path = _dataset()
    if path is None:
        raise RuntimeError(
            "the gazetteer needs the vietnamadminunits package: pip install vietnamadminunits"
        )
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        rows = conn.execute(
            "SELECT DISTINCT province, provinceShort, districtShort, districtType, wardShort, "
            "wardType FROM admin_units_legacy"
        ).fetchall()
    provinces: dict[str, Unit] = {}
    districts: dict[tuple[str, str], Unit] = {}
    wards: dict[tuple[str, str, str], Unit] = {}
    for prov_full, prov, dist, dist_kind, ward, ward_kind in rows:
        provinces.setdefault(prov, Unit(prov, "province", _province_kind(prov_full, prov), prov))
        if dist:
            districts.setdefault((prov, dist), Unit(dist, "district", dist_kind, prov))
        if ward:
            key = (prov, dist, ward)
            wards.setdefault(key, Unit(ward, "ward", ward_kind or "Xã", prov, dist))
    return (*provinces.values(), *districts.values(), *wards.values())


# How OCR reads the "Đ" a syllable starts with (see vntext.codes.OCR_CONFUSIONS).
_D_READINGS = ("p", "b")


def _keys(name: str) -> set[str]:
    """Returns the folded spellings of a name: as written, and with an OCR'd initial "Đ"."""
    syllables = name.split()
    keys = {fold(name)}
    for i, syl in enumerate(syllables):
        if syl[:1] in "Đđ":
            for key in list(keys):
                parts = key.split()
                for r in _D_READINGS:
                    keys.add(" ".join([*parts[:i], r + parts[i][1:], *parts[i + 1 :]]))
    return keys


@lru_cache(maxsize=1)
def _by_name() -> dict[str, tuple[Unit, ...]]:
    out: dict[str, list[Unit]] = {}
    for u in units():
        out.setdefault(fold(u.name), []).append(u)
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def _by_key() -> dict[str, tuple[Unit, ...]]:
    """Province and district names by every folded spelling, OCR'd "Đ" included."""
    out: dict[str, list[Unit]] = {}
    for u in units():
        if u.level != "ward":
            for k in _keys(u.name):
                out.setdefault(k, []).append(u)
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    # Province and district names of two syllables or more (one-syllable names would
    # match common words); the longest first, whole words only.
    names = sorted((n for n in _by_key() if " " in n), key=len, reverse=True)
    alts = (r"\s+".join(re.escape(w) for w in n.split()) for n in names)
    return re.compile(r"(?<![\w])(?:" + "|".join(alts) + r")(?![\w])")


def lookup(name: str, level: str | None = None) -> tuple[Unit, ...]:
    """Returns the units called ``name`` (folded match), optionally of one level."""
    got = _by_name().get(" ".join(fold(name).split()), ())
    return tuple(u for u in got if level is None or u.level == level)


def province_names() -> frozenset[str]:
    """Returns the folded names of the 63 provinces."""
    return frozenset(fold(u.name) for u in units() if u.level == "province")


def find(text: str) -> list[Found]:
    """Finds the province and district names in ``text`` (NFC), in text order.

    A name shared by several units yields one :class:`Found` per unit (provinces first),
    for the caller to choose among by what else the text says. Communes are looked up with
    :func:`lookup` only, where a text says "xã X".
    """
    out: list[Found] = []
    for m in _pattern().finditer(fold(text)):
        for u in _by_key()[" ".join(m.group().split())]:
            out.append(Found(u, m.start(), m.end()))
    return out


# Words that say which kind of unit the name after them is ("huyện Hòa An", "tỉnh Sơn La").
LEVEL_WORDS: dict[str, str] = {
    "tinh": "province",
    "thanh pho": "province",
    "tp": "province",
    "huyen": "district",
    "quan": "district",
    "thi xa": "district",
    "xa": "ward",
    "phuong": "ward",
    "thi tran": "ward",
}


def locate(text: str) -> tuple[str | None, str | None]:
    """Reads the province and the district (or city) a header or issuer line names.

    Args:
        text: a few lines: the issuer ("UBND HUYỆN HOẰNG HÓA"), its superior ("ĐẢNG BỘ
            TỈNH LÂM ĐỒNG") or a place-date line ("Đức Trọng, ngày …").

    Returns:
        ``(province, district)``, each properly written or ``None``. A district name shared
        by several provinces is taken only when the province is named too.
    """
    found = find(text)
    folded = fold(text)
    districts = [f for f in found if f.unit.level == "district"]
    province = None
    # A province named after "tỉnh" (or alone) wins over a district of the same name.
    for f in found:
        before = folded[max(0, f.start - 12) : f.start].split()
        word = before[-1] if before else ""
        if f.unit.level == "province" and word not in ("huyen", "quan", "xa", "phuong"):
            province = f.unit.name
            break
    district = None
    for f in districts:
        before = folded[max(0, f.start - 12) : f.start].split()
        word = before[-1] if before else ""
        if word == "tinh":
            continue  # "tỉnh Hòa Bình" is the province, not the district of that name
        if province is not None and f.unit.province != province:
            continue
        same = [d for d in districts if d.unit.name == f.unit.name]
        if province is None and len({d.unit.province for d in same}) > 1:
            continue
        if province is not None and f.unit.name == province and word not in ("huyen", "quan"):
            continue  # "Sơn La" the province, not its city
        district = f.unit.name
        province = province or f.unit.province
        break
    if province is None:
        for f in found:
            before = folded[max(0, f.start - 12) : f.start].split()
            if f.unit.level == "province" and (before[-1:] or [""])[0] not in LEVEL_WORDS:
                province = f.unit.name
                break
    return province, district


def names_in(text: str) -> list[tuple[int, int, str]]:
    """Returns the place names ``text`` names as units ("huyện Krông Pắc"), properly spelled.

    Used to keep OCR repair from rewriting them ("Krông Pắc" is no dictionary word).

    Returns:
        ``(start, end, name)`` for each, offsets of ``text``.
    """
    out: list[tuple[int, int, str]] = []
    folded = fold(text)
    for f in find(text):
        before = folded[max(0, f.start - 16) : f.start].split()[-2:]
        named = any(w in _NAMING_WORDS for w in before)  # "huyện Krông Pắc", "Huyện ủy …"
        if (
            named
            and text[f.start : f.start + 1].isupper()
            and not any(a <= f.start < b for a, b, _ in out)
        ):
            out.append((f.start, f.end, f.unit.name))
    return out


# Words a place name follows when a text names a unit: "tỉnh", "huyện", "xã", "Huyện ủy",
# "UBND" … (an OCR'd sentence start such as "Tan Phu" is not taken for a place).
_NAMING_WORDS = frozenset(
    {"tinh", "huyen", "xa", "quan", "phuong", "tran", "pho", "uy", "ubnd", "hdnd", "thi"}
)
