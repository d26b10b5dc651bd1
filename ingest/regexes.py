"""Every pattern the ingest stage uses, in one place.

Patterns that must survive OCR run on the diacritic-folded, lower-cased text
(see :func:`ingest.text.fold`), so "Két luan" and "Kết luận" match alike.
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
# After this line, the rest of a web page is footer.
FOOTER_START = re.compile(r"^luot xem\s*:?\s*[\d.]*$")

# --- structure: headings (on folded text) ---------------------------------------
PART_HEADING = re.compile(r"^[\W_]*phan\s*thu\s*\w+|^[\W_]*phan\s+(?:[ivx]+|\d+)\b")
ROMAN_HEADING = re.compile(r"^(?:x{0,2}(?:ix|iv|v?i{1,3}|v|x))\s*[.\-–)]\s*\S")
MULTI_NUM_HEADING = re.compile(r"^\d{1,2}\.\d{1,2}(?:\.\d{1,2})?\s*[.\-–)]?\s+\S")
NUM_HEADING = re.compile(r"^\d{1,2}\s*[.\-–)]\s+\S")
LETTER_HEADING = re.compile(r"^[a-h]\s*\)\s+\S")
BULLET_START = re.compile(r"^(?:[-+•*–]\s|\d{1,2}\s*[.\-)]\s|[a-h]\)\s)")

# --- metadata from the header (on folded text) ----------------------------------
NUMBER_LINE = re.compile(r"\bs[o6oóé]\s*[:;]\s*([\w./&\- ]{2,40}?)\s*(?:$|\s{2,}|,)", re.M)
DATE_WORDS = re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})")
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
