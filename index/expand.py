"""Query expansion: Vietnamese administrative abbreviations and question words.

Officials write "TTHTCĐ", "BCH", "KT-XH" as often as the full names, in queries and in
documents alike; a query in one form should find passages in the other. The table is
general administrative usage, not drawn from the labelled queries.
"""

from __future__ import annotations

import re

from ingest.text import fold, nfc

ABBREVIATIONS: dict[str, str] = {
    "UBND": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân",
    "MTTQ": "Mặt trận Tổ quốc",
    "BCH": "Ban chấp hành",
    "BCĐ": "Ban chỉ đạo",
    "BTV": "Ban Thường vụ",
    "BTG": "Ban Tuyên giáo",
    "TTHTCĐ": "Trung tâm học tập cộng đồng",
    "CĐHT": "cộng đồng học tập",
    "ĐVHT": "đơn vị học tập",
    "XHHT": "xã hội học tập",
    "XDXHHT": "xây dựng xã hội học tập",
    "KHKT": "khuyến học, khuyến tài",
    "KT-XH": "kinh tế - xã hội",
    "THCS": "trung học cơ sở",
    "THPT": "trung học phổ thông",
    "GDTX": "giáo dục thường xuyên",
    "GDNN": "giáo dục nghề nghiệp",
    "GD&ĐT": "Giáo dục và Đào tạo",
    "GDĐT": "Giáo dục và Đào tạo",
    "BGDĐT": "Bộ Giáo dục và Đào tạo",
    "PCGD": "phổ cập giáo dục",
    "XMC": "xóa mù chữ",
    "CNTT": "công nghệ thông tin",
    "NTM": "nông thôn mới",
    "LĐTB&XH": "Lao động - Thương binh và Xã hội",
    "TTg": "Thủ tướng",
    "CT11": "Chỉ thị 11",
    "KL49": "Kết luận 49",
}
_BY_FOLDED = {fold(k): (k, v) for k, v in ABBREVIATIONS.items()}
_LONG_FORMS = {fold(v): k for k, v in ABBREVIATIONS.items()}
_TOKEN = re.compile(r"[\w&\-]+")

# Question words and particles that carry no topic ("có bao nhiêu", "mấy", "nào").
QUESTION_WORDS = frozenset(
    fold(w)
    for w in [
        "bao",
        "nhiêu",
        "mấy",
        "nào",
        "gì",
        "ai",
        "đâu",
        "không",
        "chưa",
        "sao",
        "thế",
        "nào",
        "như",
        "thế",
        "nào",
        "hay",
        "là",
        "có",
        "phải",
        "được",
        "bị",
        "những",
        "các",
        "của",
        "và",
        "là",
        "thì",
        "mà",
    ]
)


def expansions(query: str) -> list[str]:
    """Returns the other forms of the abbreviations and long forms the query contains."""
    query = nfc(query)
    folded = fold(query)
    out: list[str] = []
    for token in _TOKEN.findall(query):
        hit = _BY_FOLDED.get(fold(token))
        if hit and token.upper() == token.upper() and any(c.isupper() for c in token):
            out.append(hit[1])
    for long_form, abbr in _LONG_FORMS.items():
        if re.search(rf"(?<!\w){re.escape(long_form)}(?!\w)", folded):
            out.append(abbr)
    return out
