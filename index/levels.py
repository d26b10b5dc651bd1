"""Issuer level of a document — Trung ương, tỉnh, huyện, xã — from its number and issuer.

Knowledge as data: the body code of a document's number decides when it is tied to one
level ("11-CT/TW", "89/QĐ-TTg": Trung ương; "45-KH/TU": tỉnh; "132-BC/HU": huyện), else
the first level word the issuer's name holds ("Ủy ban nhân dân huyện …", "Hội Khuyến
học tỉnh …", "Sở Giáo dục và Đào tạo"). Codes are read with the OCR tolerance of
:mod:`vntext.codes`, words on folded text, so "HUYEN UY KIEN XUONG" is huyện.
"""

from __future__ import annotations

import re

from vntext.codes import is_national, normalise
from vntext.normalize import fold

CENTRAL, PROVINCE, DISTRICT, COMMUNE = "Trung ương", "tỉnh", "huyện", "xã"
LEVELS: tuple[str, ...] = (CENTRAL, PROVINCE, DISTRICT, COMMUNE)
# What a user may type for a level (folded) → the level.
LEVEL_NAMES: dict[str, str] = {
    "trung uong": CENTRAL,
    "tw": CENTRAL,
    "central": CENTRAL,
    "tinh": PROVINCE,
    "cap tinh": PROVINCE,
    "province": PROVINCE,
    "huyen": DISTRICT,
    "cap huyen": DISTRICT,
    "district": DISTRICT,
    "xa": COMMUNE,
    "cap xa": COMMUNE,
    "commune": COMMUNE,
}
# Body codes (as vntext.codes normalises them) tied to one local level; national codes
# are vntext.codes.NATIONAL_BODIES. "UBND", "HĐND", "HKH", "THU" serve several levels.
BODY_LEVELS: dict[str, str] = {
    "TU": PROVINCE,
    "BTGTU": PROVINCE,
    "BTCTU": PROVINCE,
    "BDVTU": PROVINCE,
    "UBKTTU": PROVINCE,
    "VPTU": PROVINCE,
    "SGDĐT": PROVINCE,
    "SGD&ĐT": PROVINCE,
    "SNV": PROVINCE,
    "SLĐTBXH": PROVINCE,
    "HU": DISTRICT,
    "QU": DISTRICT,
    "BTGHU": DISTRICT,
    "UBKTHU": DISTRICT,
    "VPHU": DISTRICT,
    "PGDĐT": DISTRICT,
    "PGD&ĐT": DISTRICT,
}
# Words of an issuer's name (folded) naming its level; the first found in the name wins
# ("Ban Thường vụ Tỉnh ủy" is tỉnh, "Phòng Giáo dục huyện" huyện).
ISSUER_WORDS: tuple[tuple[str, str], ...] = (
    ("trung uong", CENTRAL),
    ("bo chinh tri", CENTRAL),
    ("ban bi thu", CENTRAL),
    ("chinh phu", CENTRAL),
    ("thu tuong", CENTRAL),
    ("quoc hoi", CENTRAL),
    ("bo giao duc", CENTRAL),
    ("khuyen hoc viet nam", CENTRAL),
    ("tinh", PROVINCE),
    ("so giao duc", PROVINCE),
    ("so gd", PROVINCE),
    ("huyen", DISTRICT),
    ("thi xa", DISTRICT),
    ("quan uy", DISTRICT),
    ("nhan dan quan", DISTRICT),
    ("phong giao duc", DISTRICT),
    ("phong gd", DISTRICT),
    ("thi tran", COMMUNE),
    ("phuong", COMMUNE),
    ("xa", COMMUNE),
)
# The place words a text says a level with ("toàn huyện có …", "huyện Gia Viễn", "xã Gia
# Sinh"), accented, longer first ("thị xã" is a district, "xã hội" no level at all); "thành
# phố" is a province or a district, which only the gazetteer tells.
PLACE_LEVELS: tuple[tuple[str, str], ...] = (
    ("thị trấn", COMMUNE),
    ("thị xã", DISTRICT),
    ("phường", COMMUNE),
    ("tỉnh", PROVINCE),
    ("huyện", DISTRICT),
    ("quận", DISTRICT),
    ("xã", COMMUNE),
)
# Phrases holding a level word that name no level ("xã hội", "tinh thần").
NOT_LEVEL: tuple[str, ...] = ("xa hoi", "tinh than")
_ISSUER = [(re.compile(rf"(?<![a-z]){re.escape(w)}(?![a-z])"), level) for w, level in ISSUER_WORDS]
_PARTS = re.compile(r"[/\-–—]")


def level_of(number: str | None, issuer: str | None) -> str | None:
    """Returns the issuer level of a document, or ``None`` when neither tells.

    Args:
        number: the document's số hiệu ("298/BC-UBND", "11-CT/TW").
        issuer: its issuing body as the header names it.
    """
    for part in _PARTS.split(number or "")[1:]:
        code = normalise(part.strip()) if part.strip() else ""
        if code and is_national(code):
            return CENTRAL
        if code in BODY_LEVELS:
            return BODY_LEVELS[code]
    name = " ".join(fold(issuer or "").split())
    for phrase in NOT_LEVEL:
        name = name.replace(phrase, " " * len(phrase))
    found = [(m.start(), level) for rx, level in _ISSUER for m in [rx.search(name)] if m]
    return min(found)[1] if found else None


def parse_level(text: str) -> str | None:
    """Returns the level a user typed ("Trung ương", "tinh", "cấp huyện"), else ``None``."""
    return LEVEL_NAMES.get(" ".join(fold(text).split()))
