"""Relation types of references, read from the clause that governs each mention (issue 20).

The citing document's relation to a document it names is decided by the cue the mention
depends on inside its clause (the text since the last sentence, paragraph or list-item
boundary), not by the nearest verb in a fixed window:

- a cue inside another document's title applies to that document ("Kết luận 49-KL/TW …
  về tiếp tục thực hiện Chỉ thị 11-CT/TW": 49-KL/TW continues 11-CT/TW; the citing
  document only mentions 11-CT/TW);
- a cue before a list of documents applies to every item ("Thực hiện A; B và C");
- "thực hiện", "triển khai" open the clause when the citing document is issued to carry
  the other out ("Thực hiện Kế hoạch …, UBND huyện báo cáo"); inside a clause they narrate
  someone's act ("Ban Thường vụ đã chỉ đạo triển khai Kết luận 49"), which is a mention,
  unless the clause takes stock ("đánh giá kết quả … triển khai thực hiện Chỉ thị 11",
  "sau 5 năm thực hiện") or the document's own title does for that document;
- a yardstick ("theo hướng dẫn tại", "theo tiêu chí tại", "đánh giá theo", "theo" right
  before the mention) is ``guided_by``.
- in a report ("BÁO CÁO" heads it), "Thực hiện X, …" opening a sentence is read from the rest
  of its clause: results of carrying X out ("đến nay toàn huyện có 38.946 hộ …") review X, a
  body's act ("Hội Khuyến học tỉnh chỉ đạo …") only names it, and the report's own verb ("UBND
  huyện báo cáo …") or a task it sets carries X out; a report approves and replaces nothing
  (it tells of another's "phê duyệt", "thay thế").

The cues are a table (:data:`CUES`), OCR-tolerant on the folded text. One relation per
(citing, cited) pair is chosen by :data:`PRECEDENCE`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from vntext.symbols import REF_TYPE_WORDS

# The vocabulary, in the order one pair's relation is chosen: the first any mention has.
PRECEDENCE: tuple[str, ...] = (
    "replaces",
    "approves",
    "based_on",
    "reviews",
    "continues",
    "implements",
    "guided_by",
    "mentions",
)
RELATION_TEXT: dict[str, str] = {
    "based_on": "căn cứ (cơ sở pháp lý)",
    "implements": "thực hiện, triển khai",
    "continues": "tiếp tục thực hiện",
    "reviews": "tổng kết, sơ kết, đánh giá kết quả",
    "approves": "phê duyệt, ban hành kèm theo",
    "replaces": "thay thế, bãi bỏ",
    "guided_by": "theo hướng dẫn, tiêu chí, quy định",
    "mentions": "nhắc đến",
}

_TH = r"th[a-z]{1,2}\s+h[a-z]{1,3}n(?![a-z])"  # thực hiện, OCR'd "thyc hién", "thwe hign"
_TK = r"tri[e&][a-z]?n\s+khai"  # triển khai
_TT = r"ti[e&][a-z]?p\s+t[uw]c"  # tiếp tục
_TONG_KET = r"t[eo][a-z]?ng\s+k[e&]t|s[o0]\s+k[e&]t"  # rendered OCR: "Tong két", "Téng két"
_KET_QUA = r"k[e&]t\s+qu[a-z]"
_DANH_GIA = r"d[a-z]nh\s+gi[a-z]"

# (relation, pattern): cue phrases on the folded text, longer ones first within a type. The
# vowel classes take how Tesseract's English model reads them (rendered with
# shared/tools/render_ocr.py): "căn cứ" → "can ctr", "bãi bỏ" → "bai b6", "hướng" → "hudng",
# "hóa" → "hea", "chức" → "chitc".
CUES: tuple[tuple[str, str], ...] = (
    ("replaces", r"thay\s+th[e&]|b[a-z]i\s+b[o0e6d]"),
    ("approves", r"ph[e&]\s+duy[e&]t|ban\s+h[a-z]nh\s+k[e&]m\s+theo"),
    (
        "based_on",
        r"c[a4]n\s+c(?:[uw]|tr|ir|it|t)(?![a-z])|tr[e&]n\s+c[o0e]\s+s[o0e6&]|(?:theo|x[e&]t)\s+d[e&]\s+ngh[i1]",
    ),
    ("continues", rf"{_TT}\s+(?:{_TH}|{_TK}|qu[a-z]n\s+tri[e&]t)"),
    (
        "reviews",
        rf"{_TONG_KET}|ki[e&]m\s+d[i1]?[e&]m|{_DANH_GIA}\s+(?:vi[e&]c\s+)?{_TH}"
        # "Sau 8 năm thực hiện Đề án 89 và 6 năm thực hiện Đề án 281"
        rf"|(?:sau|qua|h[o0]n|v[a&])\s+(?:\d+|m[o0]t|hai|ba|n[a-z]m|m[uw][o0]i)\s+n[a-z]m\s+(?:{_TK}(?:\s+{_TH})?|{_TH})"
        rf"|sau\s+khi(?:\s+{_TK})?\s+{_TH}|(?:t[i1]nh\s+h[i1]nh|qu[a-z]\s+tr[i1]nh)(?:\s+{_TK})?\s+{_TH}"
        r"|d[a-z]t\s+v[a-z]\s+v[uw][o0]?t"
        # results against a plan's targets: "vượt chỉ tiêu Kế hoạch 98", "các mục tiêu chủ
        # yếu của Kế hoạch 68", "các chỉ tiêu của Kế hoạch 35 … đều đạt"
        r"|v[uw][o0]?t\s+(?:ch[i1]\s+ti[e&]u|m[u]c\s+ti[e&]u)"
        r"|c[a-z]c\s+(?:ch[i1]\s+ti[e&]u|m[u]c\s+ti[e&]u)(?:\s+ch[a-z:]{0,2}\s*y[e&]u)?\s+c[a-z:]{1,3}a",
    ),
    ("result", _KET_QUA),  # "kết quả … thực hiện X" takes stock; "kết quả" alone does not
    (
        "guided_by",
        r"theo\s+(?:(?:t[a-z]i\s+li[e&]u\s+)?h[uw]{0,2}[o0de]?ng\s+d[a-z]n|(?:b[o0]\s+)?ti[e&]u\s+(?:ch[i1]|chu[a&]n)|quy\s+d[i1]nh|d[uw]ng\s+tinh"
        r"|tinh\s+th[a-z]n|y\s+ki[e&]n)(?:\s+(?:t[a-z]i|c[uv]a))?"
        rf"|{_DANH_GIA}(?:,?\s+x[e&]p\s+lo[a-z]i)?\s+theo|b[a-z]m\s+(?:s[a-z]t|v[a-z]o)"
        r"|c[u]\s+th[e&]\s+h[o0e][a-z]?\s+t[a-z]i|quy\s+d[i1]nh\s+t[a-z]i"
        r"|d[o06]i\s+chi[e&]u\s+(?:v[o0]i\s+)?(?:(?:b[o0]\s+)?ti[e&]u\s+ch[i1]\s+)?(?:t[a-z]i|c[uv]a)?",
    ),
    (
        "implements",
        # "quán triệt" (make its content known) opens a task as "thực hiện" does
        rf"{_TH}|{_TK}|c[u]\s+th[e&]\s+h[o0e][a-z]?|qu[a-z]n\s+tri[e&]t",
    ),
)
_CUE = re.compile("|".join(f"(?<![a-z])(?P<c{i}>{p})(?![a-z])" for i, (_, p) in enumerate(CUES)))
# Verbs that make a cue someone's act to come, not the citing document's: "tổ chức sơ kết 3
# năm thực hiện Kế hoạch 112", "tham mưu tổng kết …", "chỉ đạo thực hiện …", "chủ trì sơ kết …".
_NARRATING = re.compile(
    r"(?<![a-z])(?:t[o0e6]\s+ch[a-z]{1,3}c|tham\s+m[uw]u|ch[i1]\s+d[a-z]o|d[o0]n\s+d[o0]c|ch[uiy]\s+tr[i1]|"
    r"h[uw]{1,2}[o0]?ng\s+d[a-z]n|gi[a-z]m\s+s[a-z]t|ki[e&]m\s+tra)"
    r"(?:\s+[a-z]+){0,2}\s*$"
)
# A clause that opens with "Chỉ đạo <a body>" and no subject of its own: the citing document
# sets the task ("2. Chỉ đạo Ủy ban nhân dân huyện triển khai Quyết định 677"), where "Ban
# Thường vụ đã chỉ đạo triển khai …" narrates one.
_DIRECTS = re.compile(r"^[\s\-+•*–\d.)(a-h]*ch[i1]\s+d[a-z]o(?:\s+[a-z&]+){0,8}\s+$")
# "(gọi tắt là Chỉ thị 11-CT/TW)", "(sau đây gọi là Đề án 1373)": another name of the
# document just named, which keeps that one's relation.
_ALIAS = re.compile(r"\(\s*(?:sau\s+d[a-z]y\s+)?g[o0]i\s+(?:t[a-z]t\s+)?[l1][a-z]\s*$")
_KIND = {f"c{i}": r for i, (r, _) in enumerate(CUES)}
# "theo" right before a mention: the mention is the yardstick ("đánh giá … theo Đề án 281").
_THEO_END = re.compile(
    r"(?<![a-z(])(?<!\(\s)theo(?:\s+(?:d[uw]ng|c[a-z]c|quy[e&]t|n[o0]i\s+dung))?\s*$"
)
# An act done under a decision, before a bare "theo": "được kiện toàn theo Quyết định
# 1342", "thành lập ngày 20/11/1998 theo …", "tặng Bằng khen cho 12 tập thể theo …",
# "giám sát chuyên đề tại 8 đảng bộ xã theo …" —
# the decision is the instrument of someone's act, not a yardstick (a mention). Rules
# followed in an act ("khen thưởng … theo Quy chế 02") stay yardsticks.
_ACT_BEFORE_THEO = re.compile(
    r"(?<![a-z])(?:th[a-z]nh\s+l[a-z]p|ki[e&]n\s+to[a-z]n|c[u]ng\s+c[o0]|b[o0]\s+nhi[e&]m"
    r"|ph[a-z]n\s+c[o0]ng|c[o0]ng\s+nh[a-z]n|khen\s+th[uw][o0]?ng|gi[a-z]m\s+s[a-z]t|ki[e&]m\s+tra"
    r"|t[a-z]ng\s+(?:b[a-z]ng\s+khen|gi[a-z]y\s+khen|qu[a-z]|th[uw][o0]?ng|h[o0]c\s+b[o0]ng))"
    r"(?![a-z])[^.;:]{0,60}$"
)
# Where a line's first word starts (after its indent and list mark).
_LINE_START = re.compile(r"\n[ \t\-+•*–]*(?=\w)")
_OPENING = frozenset({"based_on", "implements", "continues"})  # cues that open a clause
# The targets of a plan named as a noun phrase ("các mục tiêu (chủ yếu) của", "các chỉ tiêu
# của"): a cue of "reviews" only when no verb opening the clause governs them.
_TARGETS = re.compile(r"c[a-z]c\s+(?:ch[i1]\s+ti[e&]u|m[u]c\s+ti[e&]u)")
_DECISION = re.compile(r"quy[e&]t\s+d[i1]nh(?![a-z])")
# Boundaries of a clause: sentence end, blank line, a new line or list item, a semicolon.
_BOUNDARY = re.compile(r"[.!?](?=\s)|\n\s*\n|\n\s*(?=[-+•*–]|\d{1,2}\s*[.)\-]\s|[a-h]\)\s)|;|:\s")
# What may stand before a cue that opens a clause: list marks, "để", "nhằm", "đồng thời".
_OPENER = re.compile(
    r"^[\s\-+•*–\d.)(a-h]*(?:(?:de|nham|dong\s+thoi|va|tiep\s+tuc|nhat\s+la|can|phai"
    r"|d[a-z]y\s+m[a-z]nh)\s+)*$"
)
# Between a list's items: commas, "và", "gắn (liền) với", semicolons, quotes: the list's
# cue carries.
_LIST_GAP = re.compile(
    r"^[\s,;*”\"]*(?:(?:v[a&]|g[a&]n\s+(?:li[e&]n\s+)?v[o0&ed]i)\s*)?(?:c[a-z]c\s*)?$"
)  # "… Quyết định 677/QĐ-TTg và các Thông tư 24/2023/TT-BGDĐT, 25/2023/TT-BGDĐT"
# A list item that opens with a document's name ("; Luật sửa đổi, bổ sung … Luật số 47/…").
_TYPE_WORD = "|".join(r"lu[a-z]t" if w == "Luật" else p for w, p in REF_TYPE_WORDS)
_TYPE_START = re.compile(rf"^[\s\-+•*–]*(?:{_TYPE_WORD})(?![a-z])")
_KEM_THEO = re.compile(r"ban\s+h[a-z]nh\s+k[e&]m\s+theo")
_SPREADS = re.compile(r"qu[a-z]n\s+tri[e&]t")
_PAGE_BREAK = re.compile(r"\n[ \t]*\n[ \t]*\d{1,3}[ \t]*\n[ \t]*\n")
# ", Ban Thường vụ Huyện ủy (đã) ban hành" right before a mention: a body's issuance
# narrated; the cue before the comma governs something else (references.py reads the
# issuance from it too).
ISSUED = re.compile(r",\s*(?:[a-z&]+\s+){1,8}?(?:da\s+)?ban\s+h[a-z]nh\s*$")
# Rules followed, named by what promulgates them: "(hoạt động) theo Quy chế ban hành kèm theo".
_THEO_RULES = re.compile(
    r"(?<![a-z])theo\s+(?:quy\s+ch[e&]|quy\s+d[i1]nh|d[i1][e&]u\s+l[e&]|h[uw]{0,2}[o0de]?ng\s+d[a-z]n)"
    r"(?:\s+[a-z]+){0,6}\s+$"
)
# A proposal, not an act: "đề nghị …", "kiến nghị …", "đề xuất …" (not "theo đề nghị").
_PROPOSES = re.compile(
    r"(?<!theo )(?<!xet )(?<![a-z])(?:d[e&]\s+ngh[i1]|ki[e&]n\s+ngh[i1]|d[e&]\s+xu[a-z]t)(?![a-z])"
)
_PASSIVE = re.compile(r"(?<![a-z])(?:d[uw][o0]?c|b[i1])\s+(?:d[a-z]\s+)?$")  # "được", "bị"
_PAREN_INTRO = re.compile(r"\(\s*(?:theo|t[a-z]i|c[a-z]{1,3}a)?\s*$")
SENTENCE_END = re.compile(r"[.!?](?=\s)|\n\s*\n")  # a sentence ends or a paragraph
# A report's title line ("BÁO CÁO", "Báo cáo kết quả …") in its header: the document tells
# what was done; it is issued to carry out only the instruction its opening answers.
_REPORT = re.compile(r"(?m)^[\s*#]*b[a-z]o\s+c[a-z]o(?![a-z])")
# What the rest of a sentence opened by "Thực hiện X, …" / "Triển khai X, …" tells, in a
# report: results of carrying X out ("đến nay toàn huyện có 38.946 hộ …", "đạt 78,4%")
# take stock of it; an act of a body ("Hội Khuyến học tỉnh chỉ đạo xây dựng …", "các xã
# đã phát động …") narrates it; the report's own verb ("UBND huyện báo cáo …") or a task
# to come keeps "implements".
_RESULT = re.compile(
    r"(?<![a-z])(?:d[e&]n\s+nay|d[e&]n\s+cu[o0]i\s+n[a-z]m|d[a-z]t\s+(?:t[y1]\s+l[e&]\s+)?\d"
    r"|to[a-z]n\s+(?:huy[e&]n|t[i1]nh|x[a-z]|th[a-z]nh\s+ph[o0]|th[i1]\s+x[a-z])\s+(?:d[a-z]\s+)?c[o06](?![a-z]))"
    # a count of what was done: "38.946 hộ", "1.140 học viên", "3.980 lớp", "78,4%"
    r"|(?<![\d/.,])\d[\d.,]*\s*(?:%|h[o0](?:\s+gia)?|ng[uw][o0]?i|l[uw][o0]?t|h[o0]i\s+vi[e&]n|h[o0]c\s+vi[e&]n|h[o0]c\s+sinh"
    r"|chi\s+h[o0]i|l[o0]p|su[a-z]t|d[o0]ng\s+h[o0]|d[o0]n\s+v[i1]|th[o0]n|t[y1]\s+d[o0]ng|tri[e&]u\s+d[o0]ng)(?![a-z])"
)
_ACT = re.compile(
    r"(?<![a-z])(?:ch[i1]\s+d[a-z]o|ban\s+h[a-z]nh|ph[a-z]t\s+d[o0]ng|t[o0e6]\s+ch[a-z]{1,3}c|qu[a-z]n\s+tri[e&]t|tuy[e&]n\s+truy[e&]n"
    r"|x[a-z]y\s+d[uw]ng\s+k[e&]\s+ho[a-z]ch|h[uw]{1,2}[o0]?ng\s+d[a-z]n|tham\s+m[uw]u|l[o0]ng\s+gh[e&]p|tri[e&][a-z]?n\s+khai)(?![a-z])"
)
# Who acts in a narrated clause: a body or its members ("Ban Thường vụ Huyện ủy", "Hội
# Khuyến học tỉnh", "các xã, thị trấn", "cấp ủy").
_BODY = re.compile(
    r"(?<![a-z])(?:ubnd|u[yy]\s+ban|ban\s+(?:th[uw][o0]?ng\s+v[uy]|ch[i1]\s+d[a-z]o|tuy[e&]n\s+gi[a-z]o|ch[a-z]p\s+h[a-z]nh)"
    r"|huy[e&]n\s+[uy]y|t[i1]nh\s+[uy]y|d[a-z]ng\s+[uy]y|c[a-z]p\s+[uy]y|h[o0]i|ph[o0]ng|s[o0]|m[a-z]t\s+tr[a-z]n|d[o0][a-z]n"
    r"|c[a-z]c\s+(?:x[a-z]|c[a-z]p|d[i1]a\s+ph[uw][o0]?ng|tr[uw][o0]?ng|c[o0]\s+quan|d[o0]n\s+v[i1]|ng[a-z]nh|chi\s+h[o0]i|h[o0]i|huy[e&]n)"
    r"|ch[i1]nh\s+quy[e&]n|tr[uw][o0]?ng|trung\s+t[a-z]m)(?![a-z])"
)
# Where the rest of a clause ends: a sentence's end, a paragraph, a semicolon.
_CLAUSE_END = re.compile(r"[.!?](?=\s)|\n\s*\n|;")
# Words of a task or target to come, not of what was done: "cần", "phải", "sẽ", "tiếp
# tục", "phấn đấu (đến năm 2025 có 70% …)".
_TO_COME = re.compile(
    r"(?<![a-z])(?:c[a&]n|ph[a-z]i|s[e&]|ti[e&]p\s+t[uw]c|ph[a-z]n\s+d[a-z]u|m[u]c\s+ti[e&]u)(?![a-z])"
)
_MAX_REACH_WORDS = 12  # a cue further back than this governs other words
_HEADER_CHARS = 1500


@dataclass(frozen=True)
class Cue:
    """The words that decide a mention's relation, as offsets of the folded text."""

    relation: str
    start: int
    end: int


@dataclass(frozen=True)
class Related:
    """A mention's relation for the citing document, the subject's one, and the evidence."""

    relation: str
    cue: Cue | None
    subject_relation: str | None = None  # when the cue is in another document's title


def _cues(folded: str, lo: int, hi: int) -> list[Cue]:
    return [
        Cue(_KIND[m.lastgroup or ""], m.start(), m.end()) for m in _CUE.finditer(folded, lo, hi)
    ]


def clause_start(folded: str, pos: int, floor: int = 0) -> int:
    """Returns where the clause holding ``pos`` begins (after the last boundary)."""
    lo = max(floor, pos - 600)
    cut = lo
    for b in _BOUNDARY.finditer(folded, lo, pos):
        cut = b.end()
    return cut


# A name in quotes is one phrase ("Đề án “Xây dựng xã hội học tập giai đoạn 2021-2030” và
# Kết luận 49"): its words do not put a cue out of reach.
_QUOTED_NAME = re.compile(r"[“\"][^“”\"\n]{1,200}[”\"]")


def _words(text: str) -> int:
    return len(re.findall(r"[a-z0-9&]+", _QUOTED_NAME.sub(" q ", text)))


def _governing(folded: str, start: int, end: int, mention_start: int) -> Cue | None:
    """Returns the cue of ``folded[start:end]`` that governs a mention at ``mention_start``."""
    cues = _cues(folded, start, end)
    if not cues:
        m = _THEO_END.search(folded, start, end)
        if m is None:
            return None
        if _instrument(folded, max(start, m.start() - 80), m.start(), mention_start):
            return None
        return Cue("guided_by", m.start(), m.end())
    last = cues[-1]
    if _THEO_END.search(folded, last.end, end):
        m = _THEO_END.search(folded, last.end, end)
        assert m is not None
        if _instrument(folded, max(start, m.start() - 80), m.start(), mention_start):
            return None
        if (
            last.relation in ("implements", "continues")
            and _OPENER.match(folded[start : last.start])
            and _words(folded[last.end : m.start()]) <= _MAX_REACH_WORDS
        ):
            return last  # "Triển khai mô hình … theo Quyết định 387": the plan carries it out
        return Cue("guided_by", m.start(), m.end())
    if _words(folded[last.end : mention_start]) > _MAX_REACH_WORDS:
        return None
    if ISSUED.search(folded, last.end, mention_start):
        return None  # "Trên cơ sở đó, Ban Thường vụ Huyện ủy ban hành Kế hoạch 35": its act
    if last.relation == "result":
        return None  # "kết quả được tổng hợp tại Báo cáo 98": not a relation of the citing one
    if last.relation == "reviews" and _TARGETS.match(folded, last.start):
        # "Cụ thể hóa các mục tiêu của Đề án 1373": the targets are what the opening verb
        # governs; "các chỉ tiêu của Kế hoạch 35 … đều đạt" takes stock of them
        opening = next(
            (c for c in cues[:-1] if c.relation in _OPENING and _opens(folded, start, c.start)),
            None,
        )
        if opening is not None:
            return opening
    if (
        last.relation == "approves"
        and _KEM_THEO.match(folded, last.start, last.end)
        and not folded[last.end : mention_start].strip()
    ):
        rules = _THEO_RULES.search(folded, start, last.start)
        if rules is not None:  # "hoạt động theo Quy chế ban hành kèm theo Thông tư 40"
            return Cue("guided_by", rules.start(), rules.end())
        return None  # "Đề án ban hành kèm theo Quyết định 677": names who promulgated it
    if last.relation == "replaces" and _PROPOSES.search(folded, start, last.start):
        return None  # "đề nghị ban hành quy định mới thay thế Quyết định 19": not done here
    if last.relation in ("implements", "continues"):
        review = next((c for c in reversed(cues[:-1]) if c.relation in ("reviews", "result")), None)
        if review is not None:
            return Cue(
                "reviews", review.start, review.end
            )  # "tổng kết 10 năm thực hiện X", "đánh giá kết quả … triển khai X"
        guide = next((c for c in reversed(cues[:-1]) if c.relation == "guided_by"), None)
        if guide is not None and _words(folded[guide.end : mention_start]) <= _MAX_REACH_WORDS:
            return guide
    return last


def _instrument(folded: str, lo: int, theo: int, mention_start: int) -> bool:
    """Tells whether a bare "theo" names the decision by which someone acted (a mention)."""
    return bool(
        _DECISION.match(folded, mention_start) and _ACT_BEFORE_THEO.search(folded, lo, theo)
    )


def opens_with_cue(folded: str, pos: int) -> bool:
    """Tells whether a clause-opening cue ("thực hiện", "căn cứ", "tiếp tục …") is at ``pos``."""
    m = _CUE.match(folded, pos)
    return bool(m and _KIND[m.lastgroup or ""] in _OPENING)


def line_openers(text: str, folded: str) -> list[int]:
    """Returns where a line of ``text`` opens with a capital letter and a clause-opening cue
    ("Thực hiện …", "Căn cứ …"), as offsets of ``folded`` (which has ``text``'s length)."""
    return [
        m.end()
        for m in _LINE_START.finditer(text)
        if text[m.end()].isupper() and opens_with_cue(folded, m.end())
    ]


def last_cue(text: str) -> Cue | None:
    """Returns the cue that governs the end of ``text`` (folded), if one does."""
    return _governing(text, 0, len(text), len(text))


def cue_ends(text: str) -> list[int]:
    """Returns where each cue of ``text`` (folded) ends."""
    return [c.end for c in _cues(text, 0, len(text))]


def relate(
    folded: str,
    spans: Sequence[tuple[int, int]],
    targets: Sequence[str],
    about: Sequence[str | None],
    tails: Sequence[int] | None = None,
    openers: Sequence[int] = (),
) -> list[Related]:
    """Reads each mention's relation from its clause.

    Args:
        folded: the document's folded text (:func:`vntext.normalize.fold`).
        spans: the mentions' ``(start, end)`` in text order.
        targets: the documents they name, to carry the title's relation to narrated ones.
        about: for each mention, the relation the words of the previous mention's title
            give it when it stands in that title (``None`` otherwise).
        tails: for each mention, where its date, issuer and title end (default: its end).
        openers: where a capitalised line opens with a clause-opening cue (the case
            ``folded`` lost, :func:`line_openers`): "…hội học tập\nThực hiện Công văn 412"
            opens a clause, though a wrapped line ("tổng kết 10 năm\nthực hiện …") does not.

    Returns:
        One :class:`Related` per mention.
    """
    # a page number standing alone between blank lines (a scan's page break) ends no clause
    folded = _PAGE_BREAK.sub(lambda m: " " * len(m.group()), folded)
    out: list[Related] = []
    carried: Related | None = None
    # What the document's own title (its header) says it does to a document.
    own_title: dict[str, str] = {}
    head: Related | None = None  # the relation opening the running sentence's list
    openers = sorted(openers)
    report = _REPORT.search(folded, 0, _HEADER_CHARS) is not None
    for i, (start, end) in enumerate(spans):
        tail = tails[i - 1] if tails is not None and i else spans[i - 1][1] if i else 0
        if about[i] is not None:
            out.append(Related("mentions", None, about[i]))
            continue
        if i and _ALIAS.search(folded, max(0, start - 40), start):
            out.append(out[-1])  # "(gọi tắt là …)" names the previous document again
            continue
        cs = clause_start(folded, start)
        k = bisect.bisect_right(openers, start) - 1
        if k >= 0 and cs < openers[k]:
            cs = openers[k]
        if SENTENCE_END.search(folded, max(tail, cs - 3) if i else 0, start):
            head = None
        prev_end = max(spans[i - 1][1], tail) if i else 0
        lo = max(cs, prev_end)
        gap = folded[prev_end:start]
        if (
            i
            and carried is not None
            and prev_end > cs
            and _governing(folded, prev_end, start, start) is None
            and (_LIST_GAP.match(gap) or _details_only(gap))
        ):
            out.append(carried)  # "Thực hiện A ngày …, B và C"
            continue
        lead = head or carried
        item = folded[cs:start]
        if (
            i
            and lead is not None
            and cs >= prev_end
            and (
                not item.strip(" *\n")
                or _LIST_GAP.match(item)
                or (_TYPE_START.match(item) and not _cues(item, 0, len(item)))
            )
        ):
            sep = folded[prev_end:cs]
            if ";" in sep and not _cues(folded, prev_end, cs):
                out.append(lead)  # "Thực hiện A về …; B …": the list's cue carries
                continue
        # "… Đề án giai đoạn 2005 - 2010 (theo Quyết định 112 …)": the parenthesis names
        # the basis of what stands before it, which keeps that one's relation.
        paren = _PAREN_INTRO.search(folded, max(lo, start - 16), start)
        at = paren.start() if paren else start
        cue = _governing(folded, lo, at, at)
        if cue is None and not paren and not item.strip(" *\n"):
            cue = _introduced(folded, cs, prev_end)  # "Đẩy mạnh thực hiện có hiệu quả: A; B"
        if paren and cue is None and carried is not None and i and prev_end > cs:
            out.append(carried)
            continue
        if cue is None:
            rel = Related("mentions", None)
        elif cue.relation in ("implements", "continues") and _DIRECTS.match(folded[cs : cue.start]):
            rel = Related(cue.relation, cue)  # "2. Chỉ đạo UBND huyện triển khai …": a task it sets
        elif cue.relation in ("implements", "continues") and not _opens(folded, cs, cue.start):
            # narrated: someone's act, unless the document's own title says what it does
            # (spreading a document's content, "quán triệt", takes no stock of it)
            spread = _SPREADS.match(folded, cue.start) is not None
            rel = Related("mentions" if spread else own_title.get(targets[i], "mentions"), None)
        elif cue.relation in ("reviews", "implements", "continues") and _NARRATING.search(
            folded, max(cs, cue.start - 40), cue.start
        ):
            rel = Related("mentions", None)  # "tổ chức sơ kết …": an act to come
        elif cue.relation in ("approves", "replaces") and _PASSIVE.search(
            folded, max(cs, cue.start - 12), cue.start
        ):
            rel = Related("mentions", None)  # "Chương trình … được phê duyệt tại Quyết định
            # 749": another's approval of a third thing, not the citing document's act
        elif cue.relation in ("approves", "replaces") and report:
            rel = Related("mentions", None)  # a report tells of another's act: it approves
            # or replaces nothing ("Ngay sau khi Thủ tướng phê duyệt Đề án 89, …")
        elif cue.relation == "implements" and report and _opens(folded, cs, cue.start):
            rel = _in_report(folded, cue, spans, tails or [e for _, e in spans], i)
        elif cue.relation == "guided_by" and own_title.get(targets[i]) == "reviews":
            rel = Related("reviews", cue)  # the reviewed document, used as its own yardstick
        else:
            rel = Related(cue.relation, cue)
        if start < _HEADER_CHARS and rel.relation in ("reviews", "implements", "continues"):
            own_title.setdefault(targets[i], rel.relation)
        if rel.cue is not None and _opens(folded, cs, rel.cue.start):
            head = rel
        out.append(rel)
        carried = rel if rel.relation != "mentions" else None
        del end
    return out


def _in_report(
    folded: str, cue: Cue, spans: Sequence[tuple[int, int]], tails: Sequence[int], i: int
) -> Related:
    """Reads "Thực hiện X, …" opening a sentence of a report from what the rest of its
    clause tells (to the sentence's end or a semicolon; the documents it names left out):
    results first ("đến nay toàn huyện có …", "38.946 hộ") review X; a body's act first
    ("Hội Khuyến học tỉnh chỉ đạo …", "Ban Thường vụ Huyện ủy ban hành …") only names it;
    else (the report's own verb, a task it sets, a target) the report carries X out."""
    at = spans[i][1]
    m = _CLAUSE_END.search(folded, max(at, tails[i] if tails[i] <= at + 300 else at))
    stop = m.start() if m else min(len(folded), at + 400)
    chars = list(folded[at:stop])
    for a, b in spans[i + 1 :]:
        if a >= stop:
            break
        chars[a - at : b - at] = " " * (b - a)
    rest = "".join(chars)
    found = [_RESULT.search(rest), _TO_COME.search(rest)]
    found += [
        act
        for act in _ACT.finditer(rest)
        if _BODY.search(rest, max(0, act.start() - 50), act.start())
    ][:1]
    first = min((f for f in found if f is not None), key=lambda f: f.start(), default=None)
    if first is None or first.re is _TO_COME:
        return Related(cue.relation, cue)
    if first.re is _RESULT:
        return Related("reviews", cue)
    return Related("mentions", None)


def _introduced(folded: str, cs: int, floor: int) -> Cue | None:
    """Returns the cue of the clause a colon ends right before ``cs``, when it opens that
    clause: a cue before a list introduced by a colon applies to its items."""
    before = folded[floor:cs].rstrip()
    if not before.endswith(":"):
        return None
    colon = floor + len(before) - 1
    opening = clause_start(folded, colon, floor)
    cue = _governing(folded, opening, colon, colon)
    if cue is None or cue.relation == "result" or not _opens(folded, opening, cue.start):
        return None
    return cue


def _opens(folded: str, clause: int, cue_start: int) -> bool:
    """Tells whether a cue opens its clause (only list marks or "để", "nhằm" before it)."""
    return bool(_OPENER.match(folded[clause:cue_start]))


# A mention's date, issuer and title, and nothing else, between two mentions.
_DETAILS = re.compile(
    r"^[\s,;()*]*(?:ng\w{1,3}\s+)?(?:\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}|\d{1,2}\s+th\w{1,4}\s+"
    r"\d{1,2}\s+n\w{1,3}\s+\d{4})?[\s,;()]*(?:c[a-z]{1,3}a\s+[^;]{0,120}?)?[\s,;.)]*(?:v[a&]\s*)?$"
)


def _details_only(gap: str) -> bool:
    return len(gap) <= 200 and bool(_DETAILS.match(gap)) and not _cues(gap, 0, len(gap))


def pair_relation(relations: Sequence[str]) -> str:
    """Returns one relation for a (citing, cited) pair: the first of :data:`PRECEDENCE`."""
    got = set(relations)
    return next((r for r in PRECEDENCE if r in got), "mentions")
