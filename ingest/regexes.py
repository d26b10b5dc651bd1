"""Every pattern the ingest stage uses, in one place.

Patterns that must survive OCR run on the diacritic-folded, lower-cased text
(see :func:`vntext.normalize.fold`), so "Két luan" and "Kết luận" match alike.
"""

import re

from vntext.codes import SO_READINGS

# --- site chrome of pages saved from provincial portals -------------------------
IMAGE_FILE = re.compile(r"^\S+\.(?:jpe?g|png|gif|webp|bmp)$", re.I)
PRINT_SUFFIX = re.compile(r"\s+In trang\s*$")
TIMESTAMP_LINE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})\s+\d{1,2}:\d{2}(?:\s*(?:SA|CH|AM|PM))?$")
# folded forms: "Lượt xem: 41", "Liên kết website", "Thống kê truy cập", counters.
CHROME_LINE = re.compile(
    r"^(?:luot xem\s*:?\s*[\d.]*|lien ket website|thong ke truy cap|"
    r"(?:•\s*)?(?:dang online|trong tuan|trong thang|trong nam|hom nay|hom qua|tong truy cap)"
    r"\s*:?\s*[\d.]*|•\s*[\d.]+|chia se|in trang|tro ve|ve dau trang|binh luan)$"
)
# id/class of portal chrome: menus, banners, sidebars, share buttons, counters, links.
HTML_CHROME = re.compile(
    r"\b(?:menu|nav|navbar|navigation|footer|header|sidebar|side-bar|share|sharing|social|"
    r"breadcrumbs?|banner|advert|ads|quang-?cao|comments?|binh-?luan|related|lien-?quan|"
    r"counter|thong-?ke|statistics?|visitors?|lien-?ket|weblinks?|tags?|popup|modal|cookies?|"
    r"login|search|tim-?kiem|toolbar|topbar|copyright)\b"
)
# After this line, the rest of a web page is footer.
FOOTER_START = re.compile(r"^luot xem\s*:?\s*[\d.]*$")

# --- PDF pages (on folded text) ------------------------------------------------
# A bare page number at the top or bottom of a page: "3", "- 3 -", "Trang 3/12", "Page 3".
PAGE_NUMBER = re.compile(
    r"^[\W_]*(?:trang|page|tr\.)?\s*\d{1,4}(?:\s*(?:/|tren)\s*\d{1,4})?[\W_]*$"
)

# --- structure: headings (on folded text) ---------------------------------------
PART_HEADING = re.compile(r"^[\W_]*phan\s*thu\s*\w+|^[\W_]*phan\s+(?:[ivx]+|\d+)\b")
ROMAN_HEADING = re.compile(r"^(?:x{0,2}(?:ix|iv|v?i{1,3}|v|x))\s*[.\-–)]\s*\S")
MULTI_NUM_HEADING = re.compile(r"^\d{1,2}\.\d{1,2}(?:\.\d{1,2})?\s*[.\-–)]?\s+\S")
NUM_HEADING = re.compile(r"^\d{1,2}\s*[.\-–)]\s+\S")
LETTER_HEADING = re.compile(r"^[a-h]\s*\)\s+\S")
BULLET_START = re.compile(r"^(?:[-+•*–]\s|\d{1,2}\s*[.\-)]\s|[a-h]\)\s)")

# --- metadata from the header (on folded text) ----------------------------------
NUMBER_LINE = re.compile(r"\bs[o6oóé]\s*[:;]\s*([\w./&\- ]{2,40}?)\s*(?:$|\s{2,}|,)", re.M)
# The "Số" before a document's own number: "Số: 214/KH-UBND", "Số 15/BC-HKH", OCR'd
# "S6: 64/BC-HKH", "Sé: A32.-BC/HU"; a digit (or a letter OCR'd for one) follows.
NUMBER_MARK = re.compile(r"(?:^|(?<=\t)|(?<=\s\s))\s*s[o6e]\s*[:;.]?\s*(?=[0-9lia]{0,2}\d)")
# "ngày 17 tháng 5 năm 2022", also as OCR reads it ("ngdy 17 thang 5 ndm 2022", "A4").
DATE_WORDS = re.compile(
    r"ng\wy\s+([0-9lia]?\d|\d[0-9lio]?)\s+th\w{1,2}ng\s+([0-9]{1,2})\s+n\w{1,2}m\s+(\d{4})"
)
# "V/v triển khai …": the subject line of a Công văn, under its number.
SUBJECT_LINE = re.compile(r"^v\s*/\s*v\s*[:.]?\s*")
# The national or Party motto printed beside the issuer ("Đ" OCR'd as "P" or "D").
MOTTO = re.compile(
    r"c[o0]ng\s*h[o0]a\s*x[a@]\s*h|[dp]ang\s*c[o0]ng\s*san|d\w{0,2}c\s*l\w?p\s*-|"
    r"\bs[o6]\s*[:;]|,\s*ngay\b|ngay\s+\w{1,2}\s+thang"
)
# Words an issuing body's name starts with: Ủy ban, UBND, Hội, Huyện ủy, Đảng bộ, Sở, Ban …
ISSUER_START = re.compile(
    r"^(?:uy\s*ban|ubnd|hoi\b|huyen\s*uy|tinh\s*uy|thanh\s*uy|quan\s*uy|thi\s*uy|"
    r"[dp]ang\s*(?:uy|bo)|ban\b|so\b|bo\b|phong\b|truong\b|trung\s*tam|van\s*phong|"
    r"chinh\s*phu|thu\s*tuong|quoc\s*hoi|mat\s*tran|hoi\s*dong|cong\s*doan|doan\b|"
    r"tong\s*cuc|cuc\b|vien\b)"
)
# "Ủy ban nhân dân huyện Hòa An báo cáo …": an issuer named in the body, before its verb.
ISSUER_IN_BODY_KIND = re.compile(
    r"uy ban nhan dan|ubnd|ban thuong vu|ban chap hanh|hoi khuyen hoc|huyen uy|tinh uy|"
    r"thanh uy|dang uy|so giao duc"
)
ISSUER_IN_BODY = re.compile(
    r"\b((?:uy ban nhan dan|ubnd|ban thuong vu|ban chap hanh|hoi khuyen hoc|huyen uy|tinh uy|"
    r"thanh uy|dang uy|so giao duc)(?:\s+[^\W\d_]+){0,5}?)\s+(?:bao cao|xay dung ke hoach|"
    r"ban hanh|huong dan|thong bao|quyet dinh|chi thi|ket luan)\b"
)
DOC_TYPES = {
    "bao cao": "Báo cáo",
    "ke hoach": "Kế hoạch",
    "chi thi": "Chỉ thị",
    "ket luan": "Kết luận",
    "quyet dinh": "Quyết định",
    "nghi quyet": "Nghị quyết",
    "thong tri": "Thông tri",
    "cong van": "Công văn",
    "thong bao": "Thông báo",
    "to trinh": "Tờ trình",
    "huong dan": "Hướng dẫn",
    "chuong trinh": "Chương trình",
}

# --- references to other documents (issue 4; on folded text) ----------------------
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
# The document's own number on its "Số:" line is not a reference.
REF_OWN_NUMBER_LINE = re.compile(r"(?:^|\n)\s*s\S{0,2}\s*[:;.]?\s*$")
# "…, ngày 10/5/2019 của Ban Bí thư (khóa XII) về tiếp tục thực hiện <next mention>": the
# relation is the first document's. The words after "về" must reach the next mention.
REF_ABOUT = re.compile(r"(?<![a-z])v[e&]{1,2}\s+(?:vi\S{1,3}\s+)?[*“\"]?(?P<cue>[^;.]{0,60})$")
REF_DATE_ONLY = re.compile(
    r"^[\s,]*(?:ng\w{1,3}\s+)?\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}[\s,]*(?P<cue>[^;.]{0,40})$"
)
# What follows a mention: its date, issuer and title.
# (Used with ``pattern.match(text, pos)``, so no "^".)
REF_DATE_AFTER = re.compile(
    r"[\s,(]*(?:ng\w{1,3}\s+)?(?:(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})\s*/\s*(?P<y>\d{4})"
    r"|(?P<d2>\d{1,2})\s+th\w{1,4}\s+(?P<m2>\d{1,2})\s+n\w{1,3}\s+(?P<y2>\d{4}))\)?"
)
REF_ISSUER_AFTER = re.compile(
    r"[\s,]*c(?!hu)[a-z]{1,3}a\s+(?P<issuer>(?:(?!\n\s*\n)[^,;()“\"*.]){3,80}?)"
    r"(?=\s+v[e&]{1,2}\s|\s+phe\s+duyet|\s+ban\s+hanh|\s*[,;()“\"*.]|\s+ngay\s|$"
    r"|\s+(?:ti[e&][a-z]?p\s+t[uw]c\s+)?(?:th[a-z]{1,2}\s+h[a-z]{1,3}n|tri[e&][a-z]?n\s+khai)\s)"
    r"(?:\s*\(kh\w{1,3}\s+[ivxl]+\)?)?"
)
REF_TITLE_START = re.compile(
    r"[\s,]*(?:(?:v[e&]{1,2}\s+(?:viec\s+)?)|(?=ph[e&]\s+duy[e&]t\s))[*“\"]?"
)
REF_TITLE_END = re.compile(r";|\n\s*\n|\((?:goi\s+tat|sau\s+day)|\.(?=\s)|\s+in\s+trang\b")
