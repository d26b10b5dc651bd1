"""What kind of answer a question asks for, and the typed spans of a text that can be one.

A "how many" question wants a count, not the year or the document number of the
sentence ("Kế hoạch số 130-KH/HU năm 2019 … 285 chi hội"); a "by when" question wants a
deadline ("trước ngày 15/3 hằng năm", "trong quý I/2024", "định kỳ 6 tháng"). All
patterns run on the diacritic-folded text, which has the length of the original
(:func:`vntext.normalize.fold`), so a span found there is a span of the text — and OCR'd
reports, whose accents are garbled, read alike.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from ingest.references import number_spans
from vntext.lexicon import ANSWER_TYPE_CUES, MONEY_UNITS, PERIOD_UNITS, read_as
from vntext.normalize import fold

# "number": what a search typed as keywords asks, when no cue word says more
ANSWER_TYPES = (*(kind for kind, _ in ANSWER_TYPE_CUES), "number")
_TYPE_CUES = [(kind, re.compile(p)) for kind, p in ANSWER_TYPE_CUES]

# A number as Vietnamese documents write it: "8.275", "98,75", "1.251.000.000", "04".
# Not glued to letters: OCR writes "có" as "c6" and "lớp" as "16p".
_NUM = r"(?<![\w.,/])\d+(?:[.,]\d+)*(?![\w])"
_NUM_ANY = r"\d+(?:[.,]\d+)*"
_DATE_FULL = (
    r"ngay\s+\d{1,2}\s+thang\s+\d{1,2}\s+nam\s+\d{4}"
    r"|(?<![\d/])\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*(?:19|20)\d\d(?!\d)"
)
_DATE_PART = (
    r"thang\s+\d{1,2}\s*(?:/|nam)\s*\d{4}|ngay\s+\d{1,2}\s*/\s*\d{1,2}(?![\d/])"
    r"|ngay\s+\d{1,2}\s+thang\s+\d{1,2}(?!\d|\s+nam)|quy\s+(?:[ivx]+|[1-4])\s*(?:/|nam)\s*\d{4}"
)
_YEAR = r"(?<![\w.,/])(?:19|20)\d\d(?![\w]|[.,/]\d)"
_PERIOD = (
    r"hang\s+(?:nam|quy|thang|tuan)|dinh\s+ky(?:\s+(?:\d+|sau|ba|hai)\s+thang(?:\s+mot\s+lan)?)?"
)
# A deadline: a cue word, then a date, a month, a quarter; or a period ("định kỳ 6 tháng").
DEADLINE = re.compile(
    r"\b(?:truoc|cham\s+nhat|han\s+chot|han\s+cuoi|khong\s+muon\s+hon|den\s+het|trong|vao"
    r"|hoan\s+thanh\s+trong)\s+"
    r"(?:(?:ngay\s+)?(?P<d>\d{1,2})\s*(?:thang\s*|[/.-]\s*)(?P<m>\d{1,2})"
    r"(?:\s*(?:nam\s*|[/.-]\s*)(?P<y>(?:19|20)\d\d))?(?:\s*,?\s*(?:hang\s+nam|hang\s+quy))?"
    r"|thang\s+(?P<mm>\d{1,2})\s*(?:/|nam)\s*(?P<my>(?:19|20)\d\d)"
    r"|quy\s+(?:[ivx]+|[1-4])(?:\s*(?:/|nam)\s*(?:19|20)\d\d)?"
    r"|nam\s+(?:19|20)\d\d)"
    rf"|\b(?:{_PERIOD})\b"
)
# "Điều 3", "khoản 2", "mục 1", "khóa XII", "giai đoạn 2021-2025", "số 130": the number
# names a part, a term or a period; it counts nothing. (Numbers that name documents,
# "Chỉ thị 11", "130-KH/HU", are found by the references' grammar: ``number_spans``.)
_PART_NUMBER = r"\b(?:so|khoa|dieu|khoan|muc|phan|giai\s+doan)\s+(?:so\s+)?\d+(?:\s*[-–]\s*\d+)?"
_MONEY = "|".join(re.escape(fold(u)) for u in MONEY_UNITS)
_NUM_GLUED = r"(?<![\w.,/])\d+(?:[.,]\d+)*"
# "1,25 tỷ đồng", "6 tỷ 100 triệu", "350.000.000 đồng", "40.552.000đ"; and a sum in the
# millions after words of money ("tiền mặt 1.251.000.000").
_AMOUNT = (
    rf"{_NUM_GLUED}\s*(?:ty|ti|trieu|nghin|ngan)(?![a-z])(?:\s+{_NUM_ANY}\s*(?:trieu|nghin|ngan))?"
    rf"(?:\s+dong)?|{_NUM_GLUED}\s*(?:{_MONEY}|d)(?![a-z])"
)
_MILLIONS = re.compile(r"\d{1,3}(?:[.,]\d{3}){2,}")
_MONEY_BEFORE = re.compile(r"\b(?:tien|kinh phi|tri gia|ung ho|quy|ngan sach|dong gop)\b")
_PERCENT = rf"{_NUM}\s*(?:%|phan\s+tram)"
_FRACTION = r"(?<![\w.,/])\d+\s*/\s*\d+(?![\w/])"
_PERIOD_UNIT = "|".join(fold(u) for u in PERIOD_UNITS)
# Bullet numbers at the start of a line: "2- Các huyện ủy", "1.7. Hội khuyến học".
_BULLET = r"(?:^|\n)\s*\d{1,2}(?:\.\d{1,2})*\s*[.\-–)](?=\s)"

Spans = Callable[[str, str], Iterable[tuple[int, int]]]


def _pattern(p: str) -> Spans:
    """A finder of ``p``'s matches on the folded text."""
    compiled = re.compile(p)
    return lambda _text, folded: (m.span() for m in compiled.finditer(folded))


_MASKS: list[tuple[str, Spans]] = [
    ("date", _pattern(_DATE_FULL)),
    ("doc_number", lambda text, _folded: number_spans(text)),
    ("named_number", _pattern(_PART_NUMBER)),
    ("date", _pattern(_DATE_PART)),
    ("bullet", _pattern(_BULLET)),
    ("percentage", _pattern(_PERCENT)),
    ("amount", _pattern(_AMOUNT)),
    ("figure", _pattern(_FRACTION)),
    ("year", _pattern(_YEAR)),
    ("figure", _pattern(_NUM)),
]


@dataclass(frozen=True)
class Typed:
    """A span of a text that can answer a typed question: ``text[start:end]``."""

    kind: str  # figure | percentage | amount | date | deadline | year | doc_number | …
    start: int
    end: int


# A search typed as keywords ("dòng họ học tập Bắc Ninh năm 2023", "hội viên khuyến học tỉnh
# Hải Dương") asks the figure its words name: it has no question word and asks for no
# document, date, task or content (folded, lower case).
_QUESTION_WORD = re.compile(
    r"\?|\b(?:gi|nao|ai|dau|sao|khong|bao gio|khi|la|nhu the|the nao|bang cach)\b"
)
_NOT_A_FIGURE = re.compile(
    r"^(?:(?:cac|nhung)\s+)?(?:quyet dinh|thong tu|ke hoach|chuong trinh|chi thi|nghi quyet"
    r"|nghi dinh|cong van|ket luan|luat|de an|van ban|huong dan|ngay|thoi han|han|thoi gian"
    r"|noi dung|nhiem vu|giai phap|muc dich|yeu cau|ten|chu de|khau hieu|hinh thuc|bai hoc"
    r"|kho khan|han che|nguyen nhan|dia diem)\b"
    r"|\b(?:phai|nhiem vu|trach nhiem|chu tri|duoc giao|giao cho|tham muu|phoi hop|ky|ban hanh"
    r"|thay the|can cu)\b"
)
_KEYWORDS_AT_MOST = 14


def question_type(question: str) -> str | None:
    """Returns what a question asks for (one of :data:`ANSWER_TYPES`), or ``None``."""
    folded = " ".join(fold(question).split())
    for kind, pattern in _TYPE_CUES:
        if pattern.search(folded):
            return kind
    lower = folded.lower()
    if (
        len(lower.split()) <= _KEYWORDS_AT_MOST
        and not _QUESTION_WORD.search(lower)
        and not _NOT_A_FIGURE.search(lower)
    ):
        return "number"  # keywords naming what is counted, paid or reached (a count, a sum, a %)
    return None


def typed_spans(text: str) -> list[Typed]:
    """Returns the typed spans of ``text`` in order: figures, dates, deadlines, …

    Each character belongs to at most one span; earlier patterns win (a date is not
    read as three figures, "130-KH/HU" not as a figure, a year not as a count). The
    sentence units of an index come back question after question, so the spans of the
    last few thousand texts are kept.
    """
    return list(_typed_spans(text))


@lru_cache(maxsize=8192)
def _typed_spans(text: str) -> tuple[Typed, ...]:
    folded = fold(text)
    taken = [False] * len(folded)
    out: list[Typed] = []
    for m in DEADLINE.finditer(folded):
        out.append(Typed("deadline", m.start(), m.end()))
        # the date inside stays a date as well: "trước ngày 31/3/2017" answers "ngày nào"
        inner = re.search(_DATE_FULL + "|" + _DATE_PART, folded[m.start() : m.end()])
        if inner:
            out.append(Typed("date", m.start() + inner.start(), m.start() + inner.end()))
        for i in range(m.start(), m.end()):
            taken[i] = True
    for kind, spans in _MASKS:
        for a, b in spans(text, folded):
            while a < b and folded[a].isspace():
                a += 1
            if a >= b or any(taken[a:b]):
                continue
            for i in range(a, b):
                taken[i] = True
            kind_here = kind
            if kind == "figure" and _is_period(folded, b):
                kind_here = "period"
            elif (
                kind == "figure"
                and _MILLIONS.fullmatch(folded[a:b])
                and _MONEY_BEFORE.search(folded[max(0, a - 30) : a])
            ):
                kind_here = "amount"
            out.append(Typed(kind_here, a, b))
    return tuple(sorted(out, key=lambda t: (t.start, t.end)))


def _is_period(folded: str, end: int) -> bool:
    """Tells whether a number is followed by a unit of time ("3 tháng", "5 năm")."""
    return bool(re.match(rf"\s*(?:{_PERIOD_UNIT})\b", folded[end : end + 8]))


# The kinds of span that answer each kind of question.
ANSWERS: dict[str, frozenset[str]] = {
    "figure": frozenset({"figure", "amount", "period"}),
    "number": frozenset({"figure", "amount", "percentage", "period"}),
    "percentage": frozenset({"percentage"}),
    "amount": frozenset({"amount"}),
    "date": frozenset({"date", "year", "deadline"}),
    "deadline": frozenset({"deadline", "date"}),
}


# Questions that ask for a number or a date in so many words ("bao nhiêu", "mấy", "tỷ lệ",
# "số hội viên …", "ngày nào"): an answer without one is no answer, whatever it says.
_ASKS_NUMBER = re.compile(
    r"\bbao nhieu\b|\bmay\b(?! tinh)|\bso luong\b|\bty le\b|\bti le\b|\bphan tram\b"
    r"|^(?:tong )?so \w+|\btong so\b"
)
_ASKS_DATE = re.compile(r"\b(?:ngay|nam|thang|khi|luc) nao\b|\bbao gio\b")
NUMBER_KINDS = frozenset({"figure", "amount", "percentage", "period"})
DATE_KINDS = frozenset({"date", "year", "deadline"})


def required_kinds(question: str, qtype: str | None) -> frozenset[str]:
    """Returns the span kinds one of which an answer must hold (empty: no such need).

    A "how many" question needs a number that is no year and no document number; a
    "which day" question needs a date. Looser than :data:`ANSWERS` on purpose: an
    OCR'd "1,25 tj déng" is still a number, if no longer an amount.
    """
    folded = " ".join(fold(question).lower().split())
    if qtype in ("figure", "amount", "percentage") and _ASKS_NUMBER.search(folded):
        return NUMBER_KINDS
    if qtype == "date" and _ASKS_DATE.search(folded):
        return DATE_KINDS
    return frozenset()


def answer_spans(spans: list[Typed], qtype: str | None) -> list[Typed]:
    """Returns the spans that answer a question of type ``qtype`` (none for other types)."""
    want = ANSWERS.get(qtype or "")
    return [t for t in spans if want and t.kind in want]


# Who can be an actor: the head of a noun phrase naming a body (folded).
ACTOR_HEAD = re.compile(
    r"(?:cac\s+)?(?:ban\s+chi\s+dao\b|ban\b|(?:huyen|tinh|thi|thanh|dang|cap)\s+uy|cap\s+uy"
    r"|uy\s+ban|ubnd|so\b(?!\s+(?:lieu|luong|nguoi|hoc|xa|ca|ho|tien|phong)\b)"
    r"|phong\b|hoi\b|trung\s+tam|mat\s+tran|mttq|lien\s+doan|huyen\s+doan|doan\b|van\s+phong"
    r"|dia\s+phuong|co\s+quan|nganh|truong\b|to\s+chuc|chi\s+bo|dang\s+bo|cong\s+an"
    r"|thu\s+truong|chu\s+tich|bo\b|tinh\s+doan|cac\s+cap|don\s+vi)"
)
# A person named with a title ("ông Nguyễn Văn A", "đồng chí Trần Thị B"), on the text.
_PERSON = re.compile(r"\b(?:[Ôô]ng|[Bb]à|[Đđ]ồng chí|[Đđ]/c)\s+[A-ZĐÀ-Ỹ][\w]+\s+[A-ZĐÀ-Ỹ]")
# A place: "tại" / "ở" then a capitalised name or a venue word (on the folded text).
_PLACE = re.compile(
    r"\b(?:tai|o)\s+(?:hoi truong|nha van hoa|trung tam|truong|san|quang truong|tru so|uy ban"
    r"|xa|phuong|huyen|thi tran|thanh pho)\b"
)
# A name or a theme: words in quotation marks.
_QUOTED = re.compile(r"[“\"«][^”\"»]{6,}[”\"»]")
_LIST_LEAD = re.compile(r":\s*$|(?:[,;]\s*\S[^,;]{0,80}){2,}")


# "mỗi suất trị giá bao nhiêu", "bình quân mỗi trung tâm": a value per item is asked
# (folded question), and a unit states one ("500.000 đồng/suất", "mỗi suất", "bình quân").
_PER_ITEM = re.compile(r"(?<![a-z])(?:moi|binh quan|trung binh)(?![a-z])")
# (OCR'd "mỗi" reads "méi", "mi": any m…i word before the item counts.)
_PER_ITEM_STATED = re.compile(
    r"(?<![a-z])(?:m[a-z]{0,2}i|binh quan|trung binh)(?![a-z])"
    r"|\d[\d.,]*\s*(?:[a-z]+\s*){0,2}/\s*[a-z]"
)


def asks_per_item(question: str) -> bool:
    """Tells whether the question asks a value per item ("giá trị mỗi suất học bổng")."""
    return bool(_PER_ITEM.search(fold(question)))


def states_per_item(*texts: str | None) -> bool:
    """Tells whether a text of the unit (its raw text, its reading) states a value per
    item; "trao 2.150 suất, tổng trị giá 1,2 tỷ đồng" states only a total."""
    return any(_PER_ITEM_STATED.search(fold(t)) for t in texts if t)


def per_item_missing(question: str, *texts: str | None) -> bool:
    """Tells whether the question asks a value per item and no text of the unit states one."""
    return asks_per_item(question) and not states_per_item(*texts)


# A "by when" question that asks a point in time ("trước ngày nào", "thời điểm nào",
# "hạn chót"), on the folded question; "bao lâu một lần", "định kỳ mấy tháng" ask how often.
_ASKS_POINT = re.compile(
    r"\b(?:ngay|thang|thoi diem|khi|luc|nam) nao\b|\bbao gio\b|\bhan chot\b|\bhan cuoi\b"
)
_POINT = re.compile(r"\d|\bquy\s+[ivx]+\b")
_HOW_OFTEN = re.compile(r"(?:dinh ky|hang|moi)\b")


def asks_point(question: str) -> bool:
    """Tells whether a "by when" question asks a point in time, not how often."""
    return bool(_ASKS_POINT.search(" ".join(fold(question).lower().split())))


def states_point(*texts: str | None) -> bool:
    """Tells whether a text states a deadline or a date with a day, month, quarter or year
    ("trước ngày 30/11/2021", "trong quý I/2024"), not only how often ("hằng năm")."""
    for text in texts:
        if not text:
            continue
        folded = fold(text).lower()
        for t in typed_spans(text):
            span = folded[t.start : t.end]
            point = _POINT.search(span) and not _HOW_OFTEN.match(span)
            if t.kind in ("deadline", "date") and point:
                return True
    return False


def _name_alone(text: str) -> bool:
    """Tells whether a unit is a person's name alone, as a signature block ends: 2-4 words
    in title case ("Hồ Văn Niên"), not a heading in capitals ("KẾ HOẠCH")."""
    words = text.strip(" .,;*_").split()
    return 2 <= len(words) <= 4 and all(
        w.isalpha() and w[0].isupper() and (len(w) == 1 or w[1:].islower()) for w in words
    )


def has_type(text: str, spans: list[Typed], qtype: str | None) -> bool:
    """Tells whether ``text`` (with its typed spans) holds an answer of type ``qtype``."""
    if qtype is None:
        return False
    if qtype == "person":
        return bool(_PERSON.search(text) or _name_alone(text))
    if qtype == "actor":
        return bool(ACTOR_HEAD.search(fold(text)) or _PERSON.search(text))
    if qtype == "place":
        return bool(_PLACE.search(fold(text)))
    if qtype == "name":
        return bool(_QUOTED.search(text))
    if qtype == "list":
        return bool(_LIST_LEAD.search(text))
    return bool(answer_spans(spans, qtype))


# What "bao nhiêu người" / "bao nhiêu lượt" may count: any noun of people (folded).
PERSON_NOUNS: tuple[str, ...] = (
    "nguoi", "luot", "hoc vien", "hoi vien", "dang vien", "doan vien", "cong dan",
    "hoc sinh", "sinh vien", "giao vien", "can bo", "cong chuc", "vien chuc", "lao dong",
    "thanh vien", "dai bieu", "chau", "em", "doi tuong", "nguoi hoc", "nguoi dan",
)  # fmt: skip
_NUMBER_TOKEN = re.compile(r"\d+(?:[.,/]\d+)*")
_BREAKS = frozenset(";,.()")


def counted_near(counted: tuple[str, ...], text: str) -> float:
    """Tells whether a number of ``text`` counts what a "how many" question counts.

    "bao nhiêu hội viên" is answered by "8.275 hội viên" or "số hội viên là 8.275", not by
    "28 thành viên" in the same sentence as "hội khuyến học". 1.0: a number has the
    counted words within five words after or before it, in its clause, or the counted
    noun's first word right after it ("30/30 trường" for "trường phổ thông"), or "người"
    after it when people are counted ("2.325 người" for "công chức", but not "96.420 lượt
    người" for "hội viên": a turn is no person); 0.0: none has;
    1.0 as well when nothing is counted (no constraint).
    """
    if not counted:
        return 1.0
    # a clause ends at punctuation: "28 thành viên; hội viên …" does not count hội viên
    words = read_as(re.findall(r"\w+(?:[.,/]\d+)*|[;,.()]", fold(text).lower()), False)
    heads = [tuple(n.split()) for n in PERSON_NOUNS] if counted[0] in ("nguoi", "luot") else []
    wanted = [tuple(counted)] + heads

    def holds(window: list[str]) -> bool:
        for w in wanted:
            n = len(w)
            if any(tuple(window[j : j + n]) == w for j in range(len(window) - n + 1)):
                return True
        return False

    def after(i: int) -> list[str]:
        out = []
        for w in words[i + 1 : i + 6]:
            if w in _BREAKS:
                break
            out.append(w)
        return out

    def before(i: int) -> list[str]:
        out: list[str] = []
        for w in reversed(words[max(0, i - 5) : i]):
            if w in _BREAKS:
                break
            out.insert(0, w)
        return out

    person = " ".join(counted) in PERSON_NOUNS or " ".join(counted[:1]) in PERSON_NOUNS
    for i, w in enumerate(words):
        if not _NUMBER_TOKEN.fullmatch(w):
            continue
        if holds(after(i)) or holds(before(i)):
            return 1.0
        nxt = words[i + 1] if i + 1 < len(words) else ""
        # "lượt" counts turns, not people: "96.420 lượt người tham gia" is no membership
        if nxt == counted[0] or (person and nxt == "nguoi"):
            return 1.0  # "30/30 trường" (trường phổ thông), "2.325 người" (công chức)
    return 0.0
