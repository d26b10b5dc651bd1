"""Words of the domain as data: abbreviations, function words, answer-type cues, places.

Every module that needs to know which words of a question carry no topic, what an
abbreviation stands for, or which words name a place reads it from here (STYLE.md,
"each fact once"). The tables are general Vietnamese administrative usage, not drawn
from the labelled questions.
"""

from __future__ import annotations

import re

from vntext.normalize import fold

# Abbreviation -> long form, as officials write them. The flag says whether a search
# query is expanded with the row (vntext/analysis.py): two-letter ones ("CT", "GD", "ĐT")
# collide with other words in a bag of query terms; answer scoring (answers/answer.py)
# matches them only as whole words on both sides, where they are safe.
ABBREVIATIONS: tuple[tuple[str, str, bool], ...] = (
    ("UBND", "Ủy ban nhân dân", True),
    ("HĐND", "Hội đồng nhân dân", True),
    ("MTTQ", "Mặt trận Tổ quốc", True),
    ("BCH", "Ban chấp hành", True),
    ("BCĐ", "Ban chỉ đạo", True),
    ("BTV", "Ban Thường vụ", True),
    ("BTG", "Ban Tuyên giáo", True),
    ("TTHTCĐ", "Trung tâm học tập cộng đồng", True),
    ("CĐHT", "cộng đồng học tập", True),
    ("ĐVHT", "đơn vị học tập", True),
    ("XHHT", "xã hội học tập", True),
    ("XDXHHT", "xây dựng xã hội học tập", True),
    ("KHKT", "khuyến học, khuyến tài", True),
    ("KT-XH", "kinh tế - xã hội", True),
    ("THCS", "trung học cơ sở", True),
    ("THPT", "trung học phổ thông", True),
    ("GDTX", "giáo dục thường xuyên", True),
    ("GDNN", "giáo dục nghề nghiệp", True),
    ("GD&ĐT", "Giáo dục và Đào tạo", True),
    ("GDĐT", "Giáo dục và Đào tạo", True),
    ("BGDĐT", "Bộ Giáo dục và Đào tạo", True),
    ("PCGD", "phổ cập giáo dục", True),
    ("XMC", "xóa mù chữ", True),
    ("CNTT", "công nghệ thông tin", True),
    ("NTM", "nông thôn mới", True),
    ("LĐTB&XH", "Lao động - Thương binh và Xã hội", True),
    ("TTg", "Thủ tướng", True),
    ("CBQL", "cán bộ quản lý", False),
    ("CBCCVC", "cán bộ công chức viên chức", False),
    ("LHPN", "Liên hiệp Phụ nữ", False),
    ("HKH", "Hội Khuyến học", False),
    ("BCS", "Ban cán sự", False),
    ("GD", "giáo dục", False),
    ("ĐT", "đào tạo", False),
    ("CT", "chỉ thị", False),
    ("KL", "kết luận", False),
    ("QĐ", "quyết định", False),
    ("KH", "kế hoạch", False),
)

# The abbreviations of bodies an actor filter of the requirements table reads as their
# long forms ("UBND huyện" finds "Ủy ban nhân dân huyện").
ACTOR_ABBREVIATIONS: tuple[str, ...] = ("UBND", "HĐND", "MTTQ", "BTG", "BCS", "GD", "ĐT")

# Question words and particles that name no topic ("có bao nhiêu", "mấy", "nào"); a
# search query drops them (vntext/analysis.py).
QUESTION_WORDS: tuple[str, ...] = (
    "bao", "nhiêu", "mấy", "nào", "gì", "ai", "đâu", "không", "chưa", "sao", "thế",
    "như", "hay", "là", "có", "phải", "được", "bị", "những", "các", "của", "và", "thì", "mà",
)  # fmt: skip
# Function words of a question beyond those: what answer scoring ignores as well.
FUNCTION_WORDS: frozenset[str] = frozenset(QUESTION_WORDS) | {
    "hãy", "vậy", "những", "một", "ở", "tại", "cho", "với", "về", "từ", "đến", "để", "đã",
    "sẽ", "đang", "trong", "này", "đó", "hoặc", "nên", "rằng", "nhé", "ạ", "vào", "ra",
    "bằng", "theo", "cần", "gồm", "bao", "nhiêu", "tổng", "số", "lượng",
}  # fmt: skip
# Pairs that are function words only together ("bao giờ", "như thế nào").
FUNCTION_PAIRS: frozenset[tuple[str, str]] = frozenset(
    {
        ("bao", "nhiêu"), ("bao", "giờ"), ("thế", "nào"), ("như", "thế"), ("khi", "nào"),
        ("vì", "sao"), ("tại", "sao"), ("là", "gì"), ("làm", "gì"), ("ra", "sao"),
    }
)  # fmt: skip
# Folded, "đang" is "đảng", "đó" is "độ", "bằng" is "bảng"; those stay content words.
FUNCTION_WORDS_FOLDED: frozenset[str] = frozenset(fold(w) for w in FUNCTION_WORDS) - {
    "dang",
    "do",
    "bang",
    "ra",
    "so",
}
# Classifiers before a counted noun ("bao nhiêu em học sinh", "mấy chiếc xe lăn"): the noun
# after them is what is counted (folded).
CLASSIFIERS_FOLDED: frozenset[str] = frozenset(
    fold(w) for w in ("em", "chiếc", "cái", "con", "tấm", "quyển", "cuốn")
)
FUNCTION_PAIRS_FOLDED: frozenset[tuple[str, str]] = frozenset(
    (fold(a), fold(b)) for a, b in FUNCTION_PAIRS
)

# --- words for one another ------------------------------------------------------
# Words and phrases officials write for one another in this domain, as (variant, the one
# it is read as, also folded): answer scoring reads a question's words and a unit's
# through this table (answers/question.py, ``expand_words``), so "tặng bao nhiêu suất" is
# covered by "trao 4.860 suất" and "thầy cô giáo" by "giáo viên". General usage, not drawn
# from the labelled questions. The flag says whether the row also applies to text written
# or read without diacritics: not when the folded variant is another word ("tặng" folded
# is "tăng"; "bon" is "bốn"). "Bản" is no village here: it is "văn bản".
SYNONYMS: tuple[tuple[str, str, bool], ...] = (
    ("trao tặng", "trao", True),
    ("tặng", "trao", False),
    ("thầy cô giáo", "giáo viên", True),
    ("thầy giáo", "giáo viên", True),
    ("cô giáo", "giáo viên", True),
    ("thầy cô", "giáo viên", True),
    ("nhà giáo", "giáo viên", True),
    ("người học", "học viên", True),
    ("quyên góp", "huy động", True),
    ("vận động", "huy động", True),
    ("ủng hộ", "huy động", True),
    ("bồi dưỡng", "tập huấn", True),
    ("tuyên dương", "biểu dương", True),
    ("khen thưởng", "biểu dương", True),
    ("trường học", "trường", True),
    ("nhà trường", "trường", True),
    ("máy vi tính", "máy tính", True),
    ("người già", "người cao tuổi", True),
    ("cha mẹ học sinh", "phụ huynh", True),
    ("tổ dân phố", "thôn", True),
    ("khu phố", "thôn", True),
    ("xóm", "thôn", True),
    ("ấp", "thôn", True),
    ("buôn", "thôn", True),
    ("làng", "thôn", True),
    ("bon", "thôn", False),
)

# SYNONYMS by the words of the variant, accented and folded.
_SYN_EXACT = {tuple(v.split()): c.split() for v, c, _ in SYNONYMS}
_SYN_FOLDED = {tuple(fold(v).split()): fold(c).split() for v, c, folded in SYNONYMS if folded}
_SYN_LONGEST = max(len(k) for k in _SYN_EXACT)
# "tỷ" or "tỉ", "lý" or "lí", "kỷ" or "kỉ", "quy" or "qui": after these consonants a
# syllable of one i/y vowel is spelt either way; it is read with y.
_I_SPELLING = re.compile(r"(?:[tlkmhs]|qu)[iíìỉĩị]")
_AS_Y = str.maketrans("iíìỉĩị", "yýỳỷỹỵ")


def read_as(words: list[str], exact: bool) -> list[str]:
    """Returns lower-case words (accented when ``exact``, else folded) with the variants of
    :data:`SYNONYMS` read as the word they stand for, longest first, and "i" spelt "y"
    where either is written."""
    syn = _SYN_EXACT if exact else _SYN_FOLDED
    spelt = [w.translate(_AS_Y) if _I_SPELLING.fullmatch(w) else w for w in words]
    out: list[str] = []
    i = 0
    while i < len(spelt):
        for n in range(min(_SYN_LONGEST, len(spelt) - i), 0, -1):
            read = syn.get(tuple(spelt[i : i + n]))
            if read is not None:
                out.extend(read)
                i += n
                break
        else:
            out.append(spelt[i])
            i += 1
    return out


# Words of a question that name the answer's type ("tỷ lệ" asks for a percentage): a
# candidate that holds an answer of that type says them, whether or not it writes them
# ("số phòng học kiên cố chiếm 62,32%" answers "tỷ lệ phòng học kiên cố"). Folded.
TYPE_WORDS: dict[str, frozenset[str]] = {
    "percentage": frozenset({"ty", "ti", "le", "phan", "tram"}),
    "amount": frozenset({"kinh", "phi", "tien"}),
}

# --- answer types ---------------------------------------------------------------
# What a question asks for, from its folded words (answers/answer.py tries them in this
# order; the first that matches wins). Each cue is a regex on the folded question.
ANSWER_TYPE_CUES: tuple[tuple[str, str], ...] = (
    # a person, by name: who holds a post, who signed
    ("person", r"\bai (?:giu|dam nhiem|dam nhan|la nguoi|ky)\b|\bnguoi ky\b|\bdo ai ky\b"
     r"|\bho (?:va )?ten\b|\bai la (?:truong|pho|chu tich|giam doc|bi thu)\b"),
    ("actor", r"^ai\b|\bai (?:chu tri|chiu|phu trach|lam|co trach nhiem|chi dao|thuc hien|"
     r"phai|duoc|ky|ban hanh|tham muu)\b|\b(?:co quan|don vi|to chuc|ban|nganh|cap) nao\b"
     r"|\bdo ai\b|\bai\b\s*\??$"),
    ("deadline", r"\b(?:truoc|cham nhat|han chot|thoi han|han cuoi)\b.*\b(?:nao|bao gio|khi nao)\b"
     r"|\bthoi han\b|\bhan chot\b|\bkhi nao phai\b|\bphai\b.*\b(?:khi nao|bao gio|ngay nao|"
     r"thang nao|luc nao)\b|\bdinh ky\b.*\b(?:may|bao lau)\b|\bbao lau mot lan\b"),
    ("percentage", r"\bty le\b|\bti le\b|\bphan tram\b|%|\bbao nhieu phan\b"),
    ("amount", r"\bbao nhieu tien\b|\bkinh phi\b|\btong tri gia\b|\btri gia\b|\bgia tri\b"
     r"|\bso tien\b|\bngan sach\b|\bquy\b.*\bbao nhieu\b"
     r"|\bbao nhieu (?:dong(?! ho)|trieu|ty|ti|nghin|ngan)\b"
     # "tỷ đồng", "triệu đồng": not the folded "đồng" of "cộng đồng", "lao động", "dòng họ"
     r"|\bbao nhieu\b.*\b(?<!cong )(?:trieu|ty|ti)\b(?! le\b)"
     r"|\bvan dong duoc bao nhieu\b|\bung ho\b.*\bbao nhieu\b"),
    ("date", r"\b(?:ngay|nam|thang|khi|luc|dip) nao\b|\bbao gio\b|\bthoi gian nao\b"
     r"|\bthoi diem nao\b"),
    ("figure", r"\bbao nhieu\b|\bmay\b(?! tinh)|\bso luong\b|^(?:tong )?so \w+|\btong so\b"
     r"|\bco \w+ (?:nguoi|lop|xa|truong|chi hoi|hoi vien)\b"),
    ("place", r"\b(?:o|tai) dau\b|\bdia diem\b.*\b(?:nao|dau)\b"),
    ("name", r"\bchu de\b.*\b(?:gi|nao)\b|\bkhau hieu\b|\bten (?:goi |cua )?(?:la )?gi\b"
     r"|\bmang ten\b"),
    ("list", r"\bnhung (?:gi|nao|noi dung|nhiem vu|giai phap|viec)\b|\bgom nhung\b"
     r"|\bnhung \w+(?: \w+)? nao\b"
     r"|\bcac (?:noi dung|nhiem vu|giai phap|hinh thuc|tieu chi) (?:nao|gi)\b|\bgom\b.*\bgi\b"),
)  # fmt: skip
# Units after a number that make it an amount of money.
MONEY_UNITS: tuple[str, ...] = (
    "đồng",
    "nghìn đồng",
    "ngàn đồng",
    "triệu",
    "tỷ",
    "tỉ",
    "vnđ",
    "vnd",
)
# Words after a number that make it a duration or period, not a count.
PERIOD_UNITS: tuple[str, ...] = ("tháng", "năm", "ngày", "tuần", "quý")

# --- places ---------------------------------------------------------------------
# Words that introduce a place name ("huyện Hòa An", "tỉnh Sơn La").
PLACE_WORDS: tuple[str, ...] = (
    "tỉnh", "thành phố", "huyện", "quận", "thị xã", "thị trấn", "xã", "phường", "thôn",
    "bản", "buôn", "ấp", "tp",
)  # fmt: skip
# Provinces and districts come from the one gazetteer (vntext/gazetteer.py).
# Capitalised words of a question that are no name: sentence starts, bodies, titles
# (lower case, accented; compared folded when the question has no accents).
NOT_NAMES: frozenset[str] = frozenset(
    w.lower()
    for w in (
        "Ai",
        "Bao",
        "Có",
        "Các",
        "Những",
        "Theo",
        "Trong",
        "Tại",
        "Ở",
        "Năm",
        "Số",
        "Tổng",
        "Tỷ",
        "Tỉ",
        "Hội",
        "Ban",
        "Ủy",
        "Uỷ",
        "Sở",
        "Phòng",
        "Trung",
        "Tâm",
        "Huyện",
        "Tỉnh",
        "Xã",
        "Thành",
        "Phố",
        "Thị",
        "Trấn",
        "Quận",
        "Phường",
        "Đảng",
        "Bộ",
        "Chính",
        "Trị",
        "Bí",
        "Thư",
        "Thủ",
        "Tướng",
        "Chỉ",
        "Thị",
        "Kết",
        "Luận",
        "Quyết",
        "Định",
        "Kế",
        "Hoạch",
        "Nghị",
        "Quyết",
        "Công",
        "Văn",
        "Đề",
        "Án",
        "Chương",
        "Trình",
        "Thông",
        "Báo",
        "Cáo",
        "Mặt",
        "Trận",
        "Tổ",
        "Quốc",
        "Khuyến",
        "Học",
        "Tài",
        "Giáo",
        "Dục",
        "Đào",
        "Tạo",
        "Nhân",
        "Dân",
        "Hội",
        "Đồng",
        "Thường",
        "Vụ",
        "Tuyên",
        "Giáo",
        "Liên",
        "Hiệp",
        "Phụ",
        "Nữ",
        "Đoàn",
        "Thanh",
        "Niên",
        "Cựu",
        "Chiến",
        "Binh",
        "Nông",
        "Dân",
        "Lao",
        "Động",
        "Xã",
        "Hội",
        "Việt",
        "Nam",
        "Nhà",
        "Nước",
        "Chủ",
        "Tịch",
        "Gia",
        "Đình",
        "Dòng",
        "Họ",
        "Cộng",
        "Đơn",
        "Vị",
        "Công",
        "Học",
        "Tập",
        "Tuần",
        "Lễ",
        "Suốt",
        "Đời",
        "Ngày",
        "Tháng",
        "Quý",
        "Giai",
        "Đoạn",
        "Đại",
        "Hạng",
        "Mục",
        "Phần",
        "Điều",
        "Khoản",
        "Thắp",
        "Sáng",
        "Ước",
        "Mơ",
        "Máy",
        "Tính",
        "Cho",
        "Em",
        "Quỹ",
        "Học",
        "Bổng",
        "Thông",
        "Tư",
        "Luật",
        "Nghị",
        "Định",
        "Tri",
    )
)
