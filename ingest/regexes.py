"""Every pattern the ingest stage uses, in one place.

Patterns that must survive OCR run on the diacritic-folded, lower-cased text
(see :func:`vntext.normalize.fold`), so "Két luan" and "Kết luận" match alike.
"""

import re

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

# --- around a reference (on folded text); the numbers' grammar is vntext.symbols ---
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
# A title ends at a semicolon, a paragraph, "(gọi tắt …", a full stop, or where the citing
# sentence's own subject and verb begin after a comma ("Căn cứ Kế hoạch 312 về …, Ủy ban
# nhân dân huyện Lệ Thủy báo cáo …").
_MAIN_CLAUSE = (
    r",\s*(?=(?:ubnd|uy\s+ban|ban\s+(?:thuong\s+vu|chi\s+dao|chap\s+hanh)|hoi\s+khuyen\s+hoc"
    r"|so\s+giao\s+duc|phong\s+giao\s+duc|(?:huyen|tinh|thanh|thi|dang)\s+uy)(?![a-z])"
    r"(?:\s+[a-z&]+){0,8}?\s+(?:bao\s+cao|ban\s+hanh|xay\s+dung|trien\s+khai|huong\s+dan"
    r"|to\s+chuc|quyet\s+dinh|de\s+nghi|thong\s+bao)(?![a-z]))"
)
REF_TITLE_END = re.compile(
    rf";|\n\s*\n|\((?:goi\s+tat|sau\s+day)|\.(?=\s)|\s+in\s+trang\b|{_MAIN_CLAUSE}"
)
