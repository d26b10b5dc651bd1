"""The grammar of document numbers, as they are cited in folded text.

"Kết luận số 49-KL/TW", "Quyết định 1373/QĐ-TTg", "Luật Giáo dục số 43/2019/QH14",
"Công văn số 58/PGDĐT", and the short forms "Chỉ thị 11", "Đề án 89". The patterns run on
diacritic-folded, lower-cased text (:func:`vntext.normalize.fold`) and accept the OCR'd
spellings of the scanned reports; which symbol parts are codes is data
(:mod:`vntext.codes`).

Everything that finds a document number uses these: the references of ingest
(:mod:`ingest.references.find`) and, through its finder, the answers' masks and entities.
"""

import re

from vntext.codes import SO_READINGS

# OCR of the scanned reports garbles the words before a number ("Két luan sé", "K&t
# ludn sb6", "Quyét dinh s61373", "Cong vén 36 457") and the letters of the symbol
# ("Qb-TTg", "QP —TTg", "K1L/TW", "49/KL-TW"); these patterns accept those spellings.
REF_TYPE_WORDS: tuple[tuple[str, str], ...] = (
    ("Chỉ thị", r"ch[i1]\s+th[i1j]"),
    ("Kết luận", r"k[e&]t\s+lu[a-z]{0,2}n"),
    ("Quyết định", r"quy[e&]t\s+d[i1]nh"),
    ("Kế hoạch", r"k[e&]\s+ho[a-z]?ch"),
    ("Công văn", r"c[o0e]ng\s+v[a-z]{1,2}n"),
    ("Thông tri", r"th[o0e]ng\s+tri"),
    ("Thông tư liên tịch", r"th[o0e]ng\s+t[uw]\s+li[e&]n\s+t[i1]ch"),
    ("Thông tư", r"th[o0e]ng\s+t[uw]"),
    ("Nghị định", r"ngh[i1]\s+d[i1]nh"),
    ("Nghị quyết", r"ngh[i1]\s+quy[e&]t"),
    ("Đề án", r"(?:[dpb][e&]|&)\s+[a4]n"),
    (
        "Chương trình",
        r"ch[uw]{1,2}[o0]ng\s+tr[i1]nh(?:\s+ph[o0]i\s+h[o0]p)?(?:\s+li[e&]n\s+ng[a-z]nh)?"
        r"(?:\s+h[a-z]{1,2}nh\s+d[o0e]ng)?",
    ),
    ("Thông báo", r"th[o0e]ng\s+b[a-z]o(?:\s+k[e&]t\s+lu[a-z]{0,2}n)?"),
    ("Hướng dẫn", r"h[uw]{0,2}[o0d]?ng\s+d[a-z]n"),
    ("Báo cáo", r"b[a-z]o\s+c[a-z]o"),
    ("Tờ trình", r"t[o0]\s+tr[i1]nh"),
    ("Quy định", r"quy\s+d[i1]nh"),
    ("Quy chế", r"quy\s+ch[e&]"),
    # "Luật Giáo dục số 43/2019/QH14": the law's name may stand between the word and "số".
    ("Luật", r"lu[a-z]t(?:\s+(?!s[o6e]\b)[a-z][a-z0-9&]*){0,7}?(?=\s+s[o6e]\s*\d)"),
    ("Quyết định", r"qd"),  # the abbreviation in "QĐ 387/QĐ-TTg"
)
_REF_TYPES = "|".join(f"(?P<t{i}>{p})(?![a-z])" for i, (_, p) in enumerate(REF_TYPE_WORDS))
# "số" and its OCR spellings: so, s6, sé, sb, sb6, s&, s; a lone "36" or "6" where a
# "số" stands between a type word and a number.
_REF_SO = (
    r"(?:s[o6e&b]?6?(?=\s|\d)|(?:" + "|".join(re.escape(r) for r in SO_READINGS) + r")(?=\s+\d))"
)
# Between the words, spaces and at most one line break ("Ké hoach\ns 253/KH-UBND").
_GAP = r"[ \t]*(?:\n[ \t]*)?"
_REF_LEAD = rf"(?:(?<![a-z0-9&])(?P<type>{_REF_TYPES}){_GAP}(?:[,:]{_GAP})?(?:{_REF_SO}{_GAP})?)"
# Every number is whole: "(?!\d)" keeps a regex from giving back a digit ("1373" → "137").
_NUM = r"\d{1,5}(?!\d)"
# A symbol part: letters, digits read for letters ("K1L"), an ampersand ("SGD&ĐT").
_PART = r"[a-z][a-z0-9&]{0,9}"
# Party numbers: 11-CT/TW, 11CT/TW, 21 CT/TU, 49-K1L/TW, "130-\nKH/HU", 12-CTHĐ/TU; which
# parts are Party bodies is decided in code (:mod:`vntext.codes`).
_REF_PARTY = rf"(?P<pnum>{_NUM})\s*[-–]?\s*(?P<ptype>{_PART})\s*/\s*(?P<porg>{_PART})(?![a-z0-9])"
# Laws and the Standing Committee's resolutions: 43/2019/QH14, 08/2022/UBTVQH15.
_REF_LAW = (
    rf"(?P<lnum>{_NUM})\s*/\s*(?P<lyear>(?:19|20)\d{{2}})\s*/\s*"
    r"(?P<lorg>(?:ubtv)?qh\s*\d{1,2})(?![a-z0-9])"
)
# State numbers: 89/QĐ-TTg, 70/2014/QĐ-UBND, "1373/QP —TTg", 162/KH/TU, 1815/UBND-TH,
# 06/2012/TTLT-BGDĐT-BNV (a joint circular names each body).
_REF_STATE = (
    rf"(?P<snum>{_NUM})\s*/\s*(?:(?P<year>(?:19|20)\d{{2}})\s*/\s*)?"
    r"(?P<stype>[a-z&]{1,8})\s*[-–—/]\s*"
    r"(?P<sorg>[a-z&]{0,8}qh\s*\d{1,2}|[a-z&]{1,10}(?:-[a-z&]{1,10}){0,3})(?![a-z0-9])"
)
# A Công văn's number names only the issuing office: "Công văn số 58/PGDĐT" (taken only
# after a type word).
_REF_UNIT = r"(?P<unum>\d{1,5})(?!\d)\s*/\s*(?P<uorg>[a-z&]{3,10})(?![a-z0-9&]|\s*[-–—/]\s*\w)"
# Without a type word the number must stand alone; after one, a glued "s6" may come
# first ("Quyét dinh s61373/QD-TTg").
REF_FULL = re.compile(
    rf"{_REF_LEAD}?(?(type)|(?<![\w./]))(?:{_REF_LAW}|{_REF_PARTY}|{_REF_STATE}|{_REF_UNIT})"
)
# Short forms: "Chỉ thị 11", "Đề án 89", "Thông tư 44", "Ké hoach 2547" (no symbol); not
# "kế hoạch 5 năm" or "chương trình 3 tháng", but "Chỉ thị 11 ngày 13/4/2007" is one.
REF_SHORT = re.compile(
    rf"{_REF_LEAD}(?P<num>{_NUM})(?![.,]\d|\s*[-–—/]\s*[a-z0-9&])"
    r"(?!\s*(?:thang|tuan|gio|phut|%|lop|nguoi|xa|truong)\b)"
    # "kế hoạch 5 năm", "sau 10 năm"; but "Quyết định 387 năm 2024" names the decision
    r"(?!\s*nam\b(?!\s+(?:19|20)\d\d\b))(?!(?<![0-9]\d\d)\s*nam\b)"
    r"(?!\s*ngay\b(?!\s+\d{1,2}\s*[/\-.]|\s+\d{1,2}\s+th))"
)
