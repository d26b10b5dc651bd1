"""Relating each mention to its citing document: the cue a clause gives it, the details
(date, issuer, title) after it, and one relation per pair by :data:`RELATIONS` precedence.

The cue grammar itself is :mod:`ingest.references.relations`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence

from ingest import regexes as rx
from ingest.references import relations
from ingest.references.find import Mention
from vntext.dates import EARLIEST_CITED, iso_date

# One relation per (citing, cited) pair, chosen by this precedence (ingest.references.relations).
RELATIONS = relations.PRECEDENCE


_MAX_GAP = 220


def cue_between(
    folded: str, prev: Mention, cur: Mention, tail: int | None = None
) -> relations.Cue | None:
    """Returns the cue the words after ``prev`` give it to ``cur``, if they do.

    "Kết luận 49-KL/TW, ngày 10/5/2019 của Ban Bí thư về tiếp tục thực hiện Chỉ thị
    11-CT/TW": the cue follows "về" (or only a date) and ends right at ``cur``. The cue's
    offsets index ``folded``.
    """
    gap = folded[prev.end : cur.start]
    if len(gap) > _MAX_GAP or ";" in gap or re.search(r"\n\s*\n|\.\s", gap):
        return None
    if _VERB_ONLY.fullmatch(gap):
        # "Kế hoạch số 85/KH-UBND triển khai Quyết định 387": the first one's title verb
        if _JOINS.match(gap):
            return None  # "… Chỉ thị 11 gắn với sơ kết Kết luận 49": the citing one's verb
        cue = relations.last_cue(gap)
        if (
            cue is not None
            and cue.relation in ("implements", "continues", "reviews")
            and not gap[cue.end :].strip()
        ):
            return relations.Cue(cue.relation, prev.end + cue.start, prev.end + cue.end)
        return None
    m = rx.REF_ABOUT.search(gap) or rx.REF_DATE_ONLY.match(gap)
    if m is None:
        # "Kế hoạch 96-KH/TU ngày 12/8/2019 của Ban Thường vụ Tỉnh ủy thực hiện Kết luận 49":
        # after the previous mention's date and issuer, a cue that ends at this one.
        if tail is None or not prev.end < tail <= cur.start:
            return None
        m = _AFTER_ISSUER.match(folded, tail, cur.start)
        if m is None:
            return None
        cue = relations.last_cue(m.group("cue"))
        if cue is None or cue.relation not in ("implements", "continues", "reviews"):
            return None
        return relations.Cue(cue.relation, m.start("cue") + cue.start, m.start("cue") + cue.end)
    text = m.group("cue")
    if re.match(r"\s*(?:v[a&]|,|;)\s", text):
        return None  # "A ngày … và bãi bỏ B": a verb of the citing document again
    cue = relations.last_cue(text)
    ends = relations.cue_ends(text)
    if cue is None or not ends or len(text.rstrip(' \n*“"')) - ends[-1] > 2:
        return None
    if _COORDINATED.search(text, 0, cue.start):
        return None  # "A ngày … của UBND xã và bãi bỏ B": the citing document's verb again
    at = prev.end + m.start("cue")
    return relations.Cue(cue.relation, at + cue.start, at + cue.end)


def issued_under(
    folded: str,
    mentions: Sequence[Mention],
    details: Sequence[tuple[str | None, str | None, str | None, int]],
    related: Sequence[relations.Related],
) -> dict[int, int]:
    """Finds "Thực hiện A, B, Ban Thường vụ Tỉnh ủy (đã) ban hành C" (or "Trên cơ sở A,
    … ban hành C"): a body's issuance narrated, C carrying out (or resting on) A and B.
    Returns ``{index of A: index of C}``; for the citing document A and B are then only
    named (another body acted on them).
    """
    out: dict[int, int] = {}
    for j in range(1, len(mentions)):
        gap = folded[max(details[j - 1][3], mentions[j - 1].end) : mentions[j].start]
        if not relations.ISSUED.search(gap) or relations.SENTENCE_END.search(gap):
            continue
        last = j - 1
        while last > 0 and related[last].subject_relation is not None:
            last -= 1  # named in the title of the item before it
        cue = related[last].cue
        if cue is None or related[last].relation not in ("implements", "continues", "based_on"):
            continue
        k = last  # every item of the list the opening cue governs
        while k >= 0 and k not in out:
            if related[k].subject_relation is not None:
                k -= 1  # named inside an item's title ("Kế hoạch 45 … thực hiện Đề án 89")
                continue
            if related[k].cue != cue:
                break
            out[k] = j
            k -= 1
    return out


# Only a verb of two to four words between two mentions (no date, issuer or "về").
_VERB_ONLY = re.compile(r"[ \t]+(?:[a-z&]+[ \t]+){2,4}")


# "và", a comma or a semicolon right before a verb: it is coordinated with the citing
# document's own verb, not part of the previous mention's title.
_COORDINATED = re.compile(r"(?:(?<![a-z])v[a&]|[,;])\s*$")


# A gap that opens by joining another task to the citing document's: "gắn (liền) với",
# "và", "đồng thời", "cùng với".
_JOINS = re.compile(
    r"\s*(?:v[a&]|g[a&]n\s+(?:li[e&]n\s+)?v[o0&ed]i|d[o0]ng\s+th[o0]i|c[u]ng\s+v[o0&ed]i)(?![a-z])"
)


# A title's verb right after the previous mention's issuer, and nothing else before this one.
# ("… của Thủ tướng Chính phủ ban hành Kế hoạch thực hiện Kết luận 49": up to six words)
_AFTER_ISSUER = re.compile(r"\s+(?P<cue>(?:[a-z&]+\s+){1,5}[a-z&]+)\s+$")


def mention_details(
    text: str, folded: str, end: int, stop: int, openers: Sequence[int] = ()
) -> tuple[str | None, str | None, str | None, int]:
    """Reads the date, issuer and title the words after a mention give, and where they end.

    ``openers`` (sorted, :func:`relations.line_openers`): a line that opens with "Thực hiện
    …", "Căn cứ …" starts the text after the title.
    """
    pos = end
    date = issuer = title = None
    limit = min(len(text), end + 400)
    k = bisect.bisect_right(openers, end)
    if k < len(openers) and openers[k] < limit:
        limit = max(end, text.rfind("\n", end, openers[k]))
    m = rx.REF_DATE_AFTER.match(folded, pos, min(limit, stop))
    if m:
        d, mo, y = (m.group("d"), m.group("m"), m.group("y"))
        if d is None:
            d, mo, y = m.group("d2"), m.group("m2"), m.group("y2")
        date = iso_date(d, mo, y, earliest=EARLIEST_CITED)
        pos = m.end()
    m = rx.REF_ISSUER_AFTER.match(folded, pos, min(limit, stop))
    if m:
        issuer = _tidy(text[m.start("issuer") : m.end("issuer")])
        pos = m.end()
    m = rx.REF_TITLE_START.match(folded, pos, limit)
    if m:
        body_start = m.end()
        e = rx.REF_TITLE_END.search(folded, body_start, limit)
        body_end = e.start() if e else None
        if text[body_start - 1 : body_start] == "*":  # "về *tên văn bản*" (Markdown italics)
            star = text.find("*", body_start, limit)
            body_end = star if star >= 0 and (body_end is None or star < body_end) else body_end
        # A quoted name ends the title at its closing quote, curly or straight
        # ("về việc tổng kết Đề án "Xây dựng xã hội học tập …", Ủy ban nhân dân tỉnh báo cáo").
        for left, right in (("“", "”"), ('"', '"')):
            opened = folded.find(left, body_start, body_end or limit)
            if opened < 0:
                continue
            closed = folded.find(right, opened + 1, limit)
            if closed >= 0 and (body_end is None or closed < body_end):
                body_end = closed + 1
            break
        if body_end is not None and body_end - body_start >= 8:
            title = _tidy(text[body_start:body_end])
            pos = max(pos, min(body_end, stop))
    return date, issuer, title, pos


def _tidy(s: str) -> str | None:
    s = " ".join(s.replace("*", " ").split()).strip(" ,.;:…")
    if s.count("“") > s.count("”"):
        s += "”"
    return (s[:1].upper() + s[1:]) if s else None


def edge_relation(rels: Iterable[str]) -> str:
    """Returns one relation for a document pair's mentions, by :data:`RELATIONS` precedence."""
    return relations.pair_relation(list(rels))
