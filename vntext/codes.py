"""Knowledge of document symbols as data: type codes, body codes and OCR confusions.

A symbol such as "89/QĐ-TTg" or "12-CTHĐ/TU" is made of a type code ("QĐ", "CTHĐ") and a
body code ("TTg", "TU"). OCR and hurried typing spell them many ways ("Qb", "QP", "QD" for
"QĐ"; "K1L" for "KL"; "HDND" for "HĐND"). Rather than one patch per spelling, a symbol part
is folded (diacritics off, lower case) and, when it is not a known code as it stands, the
OCR confusions below are tried, cheapest first, until it is one (eyecite's reporters_db
keeps spelling variants as data the same way). A part that matches nothing keeps its
written letters in upper case.
"""

from __future__ import annotations

from functools import lru_cache

from vntext.normalize import fold

# Type codes as written in a symbol → the document type they name.
TYPE_CODES: dict[str, str] = {
    "QĐ": "Quyết định",
    "NĐ": "Nghị định",
    "NQ": "Nghị quyết",
    "CT": "Chỉ thị",
    "KL": "Kết luận",
    "KH": "Kế hoạch",
    "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch",
    "CV": "Công văn",
    "BC": "Báo cáo",
    "TB": "Thông báo",
    "HD": "Hướng dẫn",
    "CTr": "Chương trình",
    "CTHĐ": "Chương trình hành động",
    "CTPH": "Chương trình phối hợp",
    "TTr": "Tờ trình",
    "QC": "Quy chế",
    "QĐi": "Quy định",
    "ĐA": "Đề án",
}
# Body codes as written: national bodies first, then the local ones whose symbols repeat
# in every province ("162-KH/TU" of one Tỉnh ủy is not another's).
NATIONAL_BODIES: tuple[str, ...] = (
    "TW", "TTg", "CP", "QH", "UBTVQH", "VPCP", "BCT", "BBT",
    "BGDĐT", "BNV", "BTC", "BLĐTBXH", "BKHĐT", "BVHTTDL", "BTTTT", "BYT", "BQP", "BCA",
    "BTGTW", "BTCTW", "BDVTW", "UBKTTW", "VPTW", "KHVN", "TWHKH", "TLĐ", "MTTQ",
)  # fmt: skip
LOCAL_BODIES: tuple[str, ...] = (
    "TU", "HU", "THU", "QU", "ĐU", "BTGTU", "BTGHU", "BTCTU", "BDVTU", "UBKTTU", "UBKTHU",
    "VPTU", "VPHU", "UBND", "HĐND", "VP", "SGDĐT", "SGD&ĐT", "PGDĐT", "PGD&ĐT", "SNV",
    "SLĐTBXH", "HKH", "BCĐ", "LN", "ĐTN", "TH", "KGVX", "VX", "VHXH", "GDĐT", "NV", "TC",
)  # fmt: skip
# Bodies of the Party: their documents are numbered "số-LOẠI/CƠ QUAN" ("11-CT/TW").
PARTY_BODIES: frozenset[str] = frozenset(
    {"TW", "TU", "HU", "THU", "QU", "ĐU", "BTGTW", "BTGTU", "BTGHU", "VPTW", "VPTU", "VPHU"}
    | {"BTCTW", "BTCTU", "UBKTTW", "UBKTTU", "UBKTHU", "BDVTW", "BDVTU", "BCT", "BBT"}
)
# Spelled differently inside a symbol than on its own: a Bộ's "BGD&ĐT" is "BGDĐT".
SPELLINGS: dict[str, str] = {"bgd&dt": "BGDĐT", "bgd-dt": "BGDĐT"}

# OCR confusions (read → meant), on folded text, each with its cost. The scans read "Đ" as
# "P", "B" or "b", "l" as "1" or "I", "o" as "0" or "6", and double a thin letter.
OCR_CONFUSIONS: tuple[tuple[str, str, int], ...] = (
    ("p", "d", 1),
    ("b", "d", 1),
    ("1", "l", 1),
    ("i", "l", 1),
    ("0", "o", 1),
    ("6", "o", 1),
    ("1l", "l", 1),
    ("l1", "l", 1),
    ("&", "", 1),
    ("rn", "m", 1),
)
MAX_CONFUSIONS = 2
# Readings of "số" between a type word and its number that lose the "s" (a scan's "Công văn
# 36 457-CV/BTGTU", "Chỉ thị 6 11-CT/TW"); the "s"-initial ones ("s6", "sé", "sb") are in
# the pattern itself (ingest.regexes).
SO_READINGS: tuple[str, ...] = ("36", "6")


def _key(code: str) -> str:
    return fold(code).replace(" ", "")


_KNOWN: dict[str, str] = {
    _key(c): c for c in (*TYPE_CODES, *NATIONAL_BODIES, *LOCAL_BODIES, *PARTY_BODIES)
} | SPELLINGS


@lru_cache(maxsize=4096)
def normalise(written: str) -> str:
    """Returns a symbol part as it is properly written: "Qb" → "QĐ", "HDND" → "HĐND".

    Args:
        written: one part of a symbol as the text gives it (type code or body code).

    Returns:
        The known code the part spells, directly or through at most
        :data:`MAX_CONFUSIONS` OCR confusions; else the written letters in upper case.
    """
    key = _key(written)
    if key in _KNOWN:
        return _KNOWN[key]
    frontier = {key}
    for _ in range(MAX_CONFUSIONS):
        nxt = set()
        for k in frontier:
            for read, meant, _cost in OCR_CONFUSIONS:
                start = k.find(read)
                while start >= 0:
                    cand = k[:start] + meant + k[start + len(read) :]
                    if cand in _KNOWN:
                        return _KNOWN[cand]
                    nxt.add(cand)
                    start = k.find(read, start + 1)
        frontier = nxt
    return written.upper().replace(" ", "")


def is_known(written: str) -> bool:
    """Tells whether a symbol part is a known code (after OCR confusions)."""
    return _key(normalise(written)) in _KNOWN


def is_party_body(code: str) -> bool:
    """Tells whether a (normalised) body code is a Party body ("TW", "TU", "UBKTTU")."""
    return code in PARTY_BODIES


def is_national(code: str) -> bool:
    """Tells whether a (normalised) body code is national, its numbers unique countrywide."""
    first = code.split("-")[0]
    return first in NATIONAL_BODIES or (first.startswith("QH") and first[2:].isdigit())


def type_of_code(code: str) -> str | None:
    """Returns the document type a (normalised) type code names ("QĐ" → "Quyết định")."""
    return TYPE_CODES.get(code)


# An issuer as the text names it (folded, its first words) → the body codes its documents
# carry. Used to check that a short form ("Kế hoạch 12 của Huyện ủy") fits a full number.
ISSUER_BODIES: tuple[tuple[str, frozenset[str]], ...] = (
    ("thu tuong", frozenset({"TTg"})),
    ("chinh phu", frozenset({"CP", "TTg"})),
    ("quoc hoi", frozenset({"QH"})),
    ("bo chinh tri", frozenset({"TW"})),
    ("ban bi thu", frozenset({"TW"})),
    ("trung uong", frozenset({"TW"})),
    ("ban tuyen giao trung uong", frozenset({"BTGTW"})),
    ("ban tuyen giao tinh uy", frozenset({"BTGTU"})),
    ("ban tuyen giao huyen uy", frozenset({"BTGHU"})),
    ("ban thuong vu tinh uy", frozenset({"TU"})),
    ("ban thuong vu huyen uy", frozenset({"HU"})),
    ("tinh uy", frozenset({"TU"})),
    ("thanh uy", frozenset({"TU", "THU"})),
    ("huyen uy", frozenset({"HU"})),
    ("thi uy", frozenset({"THU", "HU"})),
    ("quan uy", frozenset({"QU"})),
    ("dang uy", frozenset({"ĐU"})),
    ("uy ban kiem tra", frozenset({"UBKTTW", "UBKTTU", "UBKTHU"})),
    ("uy ban nhan dan", frozenset({"UBND"})),
    ("ubnd", frozenset({"UBND"})),
    ("hoi dong nhan dan", frozenset({"HĐND"})),
    ("hdnd", frozenset({"HĐND"})),
    ("bo giao duc", frozenset({"BGDĐT"})),
    ("bo gd", frozenset({"BGDĐT"})),
    ("bo noi vu", frozenset({"BNV"})),
    ("bo tai chinh", frozenset({"BTC"})),
    ("bo lao dong", frozenset({"BLĐTBXH"})),
    ("so giao duc", frozenset({"SGD&ĐT", "SGDĐT"})),
    ("so gd", frozenset({"SGD&ĐT", "SGDĐT"})),
    ("phong giao duc", frozenset({"PGD&ĐT", "PGDĐT"})),
    ("hoi khuyen hoc", frozenset({"HKH", "TWHKH", "KHVN"})),
    ("ban chi dao", frozenset({"BCĐ"})),
)


def bodies_of_issuer(issuer: str) -> frozenset[str] | None:
    """Returns the body codes an issuer's documents carry, or ``None`` when unknown.

    Args:
        issuer: the issuer as written ("Huyện ủy Krông Pắc", "UBND tỉnh", "Thủ tướng
            Chính phủ"); OCR'd spellings fold alike.
    """
    f = " ".join(fold(issuer).split())
    best: tuple[int, frozenset[str]] | None = None
    for words, bodies in ISSUER_BODIES:
        at = f.find(words)
        if at >= 0 and (best is None or at < best[0]):
            best = (at, bodies)  # the first body named is the issuer: "Ban Thường vụ Tỉnh ủy"
    return best[1] if best else None


# Which symbol codes a type word may name ("Đề án 89" is the Đề án QĐ 89 approves).
TYPE_WORD_CODES: dict[str, set[str]] = {
    "Chỉ thị": {"CT"},
    "Kết luận": {"KL"},
    "Quyết định": {"QĐ"},
    "Đề án": {"QĐ"},
    "Kế hoạch": {"KH"},
    "Thông tư": {"TT"},
    "Thông tư liên tịch": {"TTLT"},
    "Luật": {"QH"},
    "Quy định": {"QĐ", "QĐi"},
    "Quy chế": {"QC", "QĐ"},
    "Thông tri": {"TT"},
    "Nghị định": {"NĐ"},
    "Nghị quyết": {"NQ"},
    "Công văn": {"CV"},
    "Chương trình": {"CTr", "CT", "CTPH", "CTHĐ"},
    "Thông báo": {"TB"},
    "Hướng dẫn": {"HD"},
    "Báo cáo": {"BC"},
    "Tờ trình": {"TTr"},
}
