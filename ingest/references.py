"""References to other documents: find → canonicalise → resolve → relate → reconcile.

Mentions are found on the diacritic-folded text (see :mod:`ingest.regexes`), so the
OCR'd reports' "Két luan sé 49- KL/TW" and "Quyét dinh s61373/QD-TTg" match like the
clean "Kết luận số 49-KL/TW". Canonical ids carry proper Vietnamese letters
("89/QĐ-TTg", "22/2020/TT-BGDĐT", "1668/KH-SGD&ĐT"). Short forms ("Chỉ thị 11",
"Đề án 89", "Ké hoach 2547") resolve to the full id another mention gives, first in
the same document, then across the corpus (:func:`resolve_across`).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from ingest import regexes as rx
from ingest import relations
from ingest.models import Passage, Reference, ReferencedDocument
from vntext import codes
from vntext.dates import EARLIEST_CITED, iso_date
from vntext.garbled import has_hooks
from vntext.normalize import MappedText, fold

# One relation per (citing, cited) pair, chosen by this precedence (ingest.relations).
RELATIONS = relations.PRECEDENCE

# Which symbol codes a type word may name ("Đề án 89" is the Đề án QĐ 89 approves).
_TYPE_CODES = {
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
_TYPE_NAMES = tuple(name for name, _ in rx.REF_TYPE_WORDS)
_PARTY_ID = re.compile(r"^(\d+)-([^/]+)/(.+)$")
_STATE_ID = re.compile(r"^(\d+)/(?:(\d{4})/)?([^-/]+)-(.+)$")
_LAW_ID = re.compile(r"^(\d+)/(\d{4})/((?:UBTV)?QH\d+)$")
_SHORT_ID = re.compile(r"^(\D+) (\d+)$")
_HEADER_CHARS = 1500  # the document's own "Số …" line stands in its header
_MAX_GAP = 220


@dataclass(frozen=True)
class IdParts:
    """The parts of a canonical id."""

    number: str
    year: str | None
    code: str
    org: str
    party: bool


def _code(written: str) -> str:
    """Returns a symbol part as it is written: "QD" → "QĐ", "bgd&dt" → "BGDĐT"."""
    return "-".join(codes.normalise(part) for part in written.split("-") if part.strip())


def canonical(number: str, code: str, org: str, year: str | None = None) -> str:
    """Returns the canonical id of a number and symbol.

    Party documents take "số-LOẠI/CƠ QUAN" ("11-CT/TW"); state documents take
    "số/năm/LOẠI-CƠ QUAN" or "số/LOẠI-CƠ QUAN" ("70/2014/QĐ-UBND", "89/QĐ-TTg"). A
    party body written state-style ("49/KL-TW", "162/KH/TU") gets the party form.

    Args:
        number: the number as written ("09" keeps its zero).
        code: the type code ("QĐ", "qp", "K1L").
        org: the issuing body's code ("TTg", "tw", "BGDDT").
        year: the year in a state number.
    """
    c, o = _code(code), _code(org)
    if o.startswith("QH") and year:  # a law: "43/2019/QH14"
        return f"{number}/{year}/{o}"
    if year is None and codes.is_party_body(o):
        return f"{number}-{c}/{o}"
    return f"{number}/{year}/{c}-{o}" if year else f"{number}/{c}-{o}"


def id_parts(ref_id: str) -> IdParts | None:
    """Splits a canonical id into its parts; ``None`` for a short id ("Thông tư 07")."""
    m = _PARTY_ID.match(ref_id)
    if m:
        return IdParts(m.group(1), None, m.group(2), m.group(3), True)
    m = _LAW_ID.match(ref_id)
    if m:
        return IdParts(m.group(1), m.group(2), "QH", m.group(3), False)
    m = _STATE_ID.match(ref_id)
    if m:
        return IdParts(m.group(1), m.group(2), m.group(3), m.group(4), False)
    return None


def parse_id(text: str) -> str | None:
    """Returns the canonical id a written number names ("89/QD-TTg" → "89/QĐ-TTg").

    Accepts a full number, with or without a type word, or a short id such as
    "Thông tư 07"; returns ``None`` when ``text`` names no document number.
    """
    text = " ".join(text.split())
    folded = fold(text)
    m = rx.REF_FULL.search(folded)
    if m:
        return _full_id(m, text)
    m = rx.REF_SHORT.fullmatch(folded)
    if m:
        return f"{_type_name(m)} {m.group('num')}"
    return None


def type_of(ref_id: str) -> str | None:
    """Returns the document type a canonical id's symbol names ("89/QĐ-TTg" → "Quyết định")."""
    parts = id_parts(ref_id)
    if parts is None:
        m = _SHORT_ID.match(ref_id)
        return m.group(1) if m else None
    if parts.code == "TT" and parts.party:
        return "Thông tri"
    if parts.code == "QH":
        return "Luật"
    if parts.code in codes.TYPE_CODES:
        return codes.TYPE_CODES[parts.code]
    # "1815/UBND-TH": a body's code first is how official letters are numbered.
    return "Công văn" if parts.code in ("UBND", "HĐND", "VP") else None


def _type_name(m: re.Match[str]) -> str | None:
    for i, name in enumerate(_TYPE_NAMES):
        if m.group(f"t{i}") is not None:
            return name
    return None


def _full_id(m: re.Match[str], text: str) -> str:
    def raw(group: str) -> str:
        return text[m.start(group) : m.end(group)]

    if m.group("lnum") is not None:
        return f"{m.group('lnum')}/{m.group('lyear')}/{raw('lorg').replace(' ', '').upper()}"
    if m.group("pnum") is not None:
        return canonical(m.group("pnum"), raw("ptype"), raw("porg"))
    if m.group("unum") is not None:
        return f"{m.group('unum')}/{_code(raw('uorg'))}"
    return canonical(m.group("snum"), raw("stype"), raw("sorg"), m.group("year"))


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    target: str
    number: str
    doc_type: str | None
    form: str
    bodies: frozenset[str] | None = None  # of the issuer named after it ("của Huyện ủy")


def _issuer_bodies(text: str, folded: str, end: int) -> frozenset[str] | None:
    m = rx.REF_ISSUER_AFTER.match(folded, end, min(len(text), end + 120))
    return codes.bodies_of_issuer(text[m.start("issuer") : m.end("issuer")]) if m else None


def find_mentions(text: str) -> list[_Mention]:
    """Finds full and short mentions in an NFC text; offsets index ``text``."""
    folded = fold(text)
    found: list[_Mention] = []
    taken: list[tuple[int, int]] = []
    for m in rx.REF_FULL.finditer(folded):
        if m.start() < _HEADER_CHARS and rx.REF_OWN_NUMBER_LINE.search(
            folded, max(0, m.start() - 12), m.start()
        ):
            continue  # "Số: 298/BC-UBND" is the document's own number
        target = _full_id(m, text)
        if not _plausible(m, text):
            continue
        number = m.group("lnum") or m.group("pnum") or m.group("snum") or m.group("unum")
        found.append(
            _Mention(m.start(), m.end(), target, number, _type_name(m) or type_of(target), "full")
        )
        taken.append((m.start(), m.end()))
    for m in rx.REF_SHORT.finditer(folded):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue
        name = _type_name(m)
        number = m.group("num")
        if name is None or _looks_like_year(number):
            continue
        bodies = _issuer_bodies(text, folded, m.end())
        found.append(
            _Mention(m.start(), m.end(), f"{name} {number}", number, name, "short", bodies)
        )
    return sorted(found, key=lambda x: x.start)


def _plausible(m: re.Match[str], text: str) -> bool:
    """Tells whether a number-and-symbol match is a document number, not "15-25 tuổi/năm".

    A Party-style match ("11-CT/TW") needs a Party body after the slash; a state-style one
    a known type or body code (or a type word before it).
    """
    if m.group("pnum") is not None:
        org = codes.normalise(text[m.start("porg") : m.end("porg")])
        return codes.is_party_body(org) or (
            m.group("type") is not None and codes.is_known(text[m.start("ptype") : m.end("ptype")])
        )
    if m.group("snum") is not None:
        stype = text[m.start("stype") : m.end("stype")]
        sorg = text[m.start("sorg") : m.end("sorg")].split("-")[0]
        return m.group("type") is not None or codes.is_known(stype) or codes.is_known(sorg)
    if m.group("unum") is not None:
        return m.group("type") is not None  # "Công văn số 58/PGDĐT", never a bare "3/ha"
    return True


def _looks_like_year(number: str) -> bool:
    return len(number) == 4 and 1945 <= int(number) <= 2100


def resolve_short(
    type_name: str | None,
    number: str,
    full_ids: Sequence[str],
    form: str = "short",
    bodies: frozenset[str] | None = None,
) -> str | None:
    """Returns the full id a short or yearless mention names, if one fits; never by number alone.

    Args:
        type_name: the type word of the mention ("Đề án").
        number: its number ("89").
        full_ids: full ids to choose from, the most likely first (e.g. nearest before).
        form: "short" for "Thông tư 44", "yearless" for "44/TT-BGDĐT".
        bodies: the body codes of the issuer the mention names ("của Huyện ủy" → HU), if any.

    Returns:
        The first candidate with the same number whose type code fits the type word and,
        when the mention names its issuer, whose body is that issuer's; a candidate of
        another type only when the named issuer is its body ("Kế hoạch 2547 của UBND
        tỉnh" → "2547/QĐ-UBND", the decision that issued the plan).
    """
    cands = []
    for fid in full_ids:
        parts = id_parts(fid)
        if parts is not None and int(parts.number) == int(number) and fid not in cands:
            cands.append(fid)
    if form == "yearless":
        return cands[0] if len(cands) == 1 else None
    codes_ok = _TYPE_CODES.get(type_name or "", set())

    def body_ok(fid: str) -> bool:
        p = id_parts(fid)
        return bodies is None or (p is not None and bool(set(p.org.split("-")) & bodies))

    fitting = [c for c in cands if (p := id_parts(c)) is not None and p.code in codes_ok]
    fitting = [c for c in fitting if body_ok(c)]
    if fitting:
        return fitting[0]
    if bodies is not None:
        named = [c for c in cands if body_ok(c)]
        return named[0] if len(named) == 1 else None
    return None


def _yearless_key(ref_id: str) -> tuple[int, str, str] | None:
    parts = id_parts(ref_id)
    if parts is None or parts.party:
        return None
    return int(parts.number), parts.code, parts.org


def _resolve(mentions: list[_Mention], known: Sequence[str]) -> list[_Mention]:
    """Resolves short and yearless mentions against full ids in ``mentions`` and ``known``."""
    full = [m.target for m in mentions if m.form == "full"]
    yeared: dict[tuple[int, str, str], set[str]] = {}
    for fid in [*full, *known]:
        parts = id_parts(fid)
        key = _yearless_key(fid)
        if parts is not None and parts.year and key is not None:
            yeared.setdefault(key, set()).add(fid)
    out = []
    for i, m in enumerate(mentions):
        if m.form == "full":
            parts = id_parts(m.target)
            key = _yearless_key(m.target)
            if parts is not None and not parts.year and key in yeared and len(yeared[key]) == 1:
                # "Thông tư số 44/TT-BGD&ĐT" names 44/2014/TT-BGDĐT when that is given too.
                m = replace(m, target=next(iter(yeared[key])))
            out.append(m)
            continue
        before = [x.target for x in reversed(mentions[:i]) if x.form == "full"]
        after = [x.target for x in mentions[i + 1 :] if x.form == "full"]
        bodies = m.bodies
        hit = resolve_short(m.doc_type, m.number, [*before, *after], bodies=bodies)
        if hit is None:
            hit = resolve_short(m.doc_type, m.number, list(known), bodies=bodies)
        out.append(replace(m, target=hit, form="short") if hit else m)
    return out


def _between(
    folded: str, prev: _Mention, cur: _Mention, tail: int | None = None
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


def _issued_under(
    folded: str,
    mentions: Sequence[_Mention],
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
_AFTER_ISSUER = re.compile(r"\s+(?P<cue>(?:[a-z&]+\s+){1,3}[a-z&]+)\s+$")


def _details(
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


def find_references(text: str, known: Sequence[str] = ()) -> list[Reference]:
    """Finds the references of an NFC text; offsets index ``text``.

    Args:
        text: the document's text.
        known: full ids named elsewhere (other documents) that short forms may take.

    Returns:
        The references in text order, with relation (read from the clause that governs
        each mention, :mod:`ingest.relations`), its cue, date, issuer and title.
    """
    folded = fold(text)
    mentions = _resolve(find_mentions(text), known)
    openers = relations.line_openers(text, folded)
    details = [
        _details(
            text,
            folded,
            m.end,
            mentions[i + 1].start if i + 1 < len(mentions) else len(text),
            openers,
        )
        for i, m in enumerate(mentions)
    ]
    about: list[relations.Cue | None] = []
    for i, m in enumerate(mentions):
        prev = mentions[i - 1] if i else None
        inside = None
        if (
            prev is not None
            and prev.target != m.target
            # "…\nThực hiện B": a line that opens with a cue is no part of A's title
            and not any(prev.end < p <= m.start for p in openers)
        ):
            tail = details[i - 1][3] if details[i - 1][1] else None
            inside = _between(folded, prev, m, tail)
        about.append(inside)
    related = relations.relate(
        folded,
        [(m.start, m.end) for m in mentions],
        [m.target for m in mentions],
        [a.relation if a else None for a in about],
        [d[3] for d in details],
        openers,
    )
    issued = _issued_under(folded, mentions, details, related)
    out: list[Reference] = []
    for i, m in enumerate(mentions):
        rel = related[i]
        inside = about[i]
        subject = mentions[i - 1].target if inside is not None else None
        if i in issued:
            subject = mentions[issued[i]].target  # that document carries this one out
        relation = inside.relation if inside is not None else rel.relation
        cue = inside if inside is not None else rel.cue
        date, issuer, title, _tail = details[i]
        out.append(
            Reference(
                char_start=m.start,
                char_end=m.end,
                surface=text[m.start : m.end],
                target=m.target,
                number=m.number,
                doc_type=m.doc_type,
                form="full" if m.form == "full" else "short",
                resolved=id_parts(m.target) is not None,
                relation=relation or "mentions",
                subject=subject,
                cue_start=cue.start if cue else None,
                cue_end=cue.end if cue else None,
                cue_text=text[cue.start : cue.end] if cue else None,
                date=date,
                issuer=issuer,
                title=title,
            )
        )
    return out


def extract_references(
    mapped: MappedText, raw: str, passages: Sequence[Passage] = ()
) -> tuple[Reference, ...]:
    """Finds a document's references with raw spans and the passage holding each.

    Args:
        mapped: the NFC text with its map to ``raw``.
        raw: the text offsets index (the file read as UTF-8, or the extracted text).
        passages: the document's passages, to place each reference in one.

    Returns:
        References whose ``raw[char_start:char_end]`` is their ``surface``.
    """
    out = []
    for r in find_references(mapped.text):
        start, end = mapped.raw_span(r.char_start, r.char_end)
        holder = next((p.ordinal for p in passages if p.char_start <= start < p.char_end), None)
        cue = None
        if r.cue_start is not None and r.cue_end is not None:
            cue = mapped.raw_span(r.cue_start, r.cue_end)
        out.append(
            replace(
                r,
                char_start=start,
                char_end=end,
                surface=raw[start:end],
                passage=holder,
                cue_start=cue[0] if cue else None,
                cue_end=cue[1] if cue else None,
                cue_text=raw[cue[0] : cue[1]] if cue else None,
            )
        )
    return tuple(out)


def resolve_across(
    refs: Sequence[Reference],
    known: Iterable[str] | Mapping[str, Collection[str | None]],
    province: str | None = None,
) -> list[Reference]:
    """Resolves short and yearless references of one document with ids other documents give.

    "Thong tu 22" in one report names 22/2020/TT-BGDĐT when another gives that id. A local
    body's number ("162-KH/TU", "12/QĐ-UBND") recurs in every province, so it is taken only
    from documents of the citing document's province (or of unknown province).

    Args:
        refs: one document's references.
        known: full ids other documents give, or a map of them to the provinces of the
            documents that give them (``None`` for a document of unknown province).
        province: the citing document's province, if known.
    """
    where: dict[str, set[str | None]] = {}
    if isinstance(known, Mapping):
        for k, provs in known.items():
            where[k] = set(provs) or {None}
    else:
        for k in known:
            where[k] = {None}

    def fits(fid: str) -> bool:
        parts = id_parts(fid)
        if parts is None:
            return False
        if codes.is_national(parts.org) or province is None:
            return True
        provs = where.get(fid, {None})
        return province in provs or provs == {None}

    usable = sorted(k for k in where if fits(k))
    out = []
    for r in refs:
        target = r.target
        if r.form == "short" and not r.resolved:
            bodies = codes.bodies_of_issuer(r.issuer) if r.issuer else None
            target = resolve_short(r.doc_type, r.number, usable, bodies=bodies) or target
        else:
            key = _yearless_key(target)
            parts = id_parts(target)
            if key is not None and parts is not None and not parts.year:
                yeared = {k for k in usable if _yearless_key(k) == key and id_parts(k).year}  # type: ignore[union-attr]
                if len(yeared) == 1:
                    target = next(iter(yeared))
        out.append(replace(r, target=target, resolved=id_parts(target) is not None))
    return out


def _vote(values: Iterable[str | None]) -> str | None:
    vals = [v for v in values if v]
    if any(has_hooks(v) for v in vals):
        vals = [v for v in vals if has_hooks(v)]
    if not vals:
        return None
    counts = Counter(fold(v) for v in vals)
    # Most frequent; on a tie the first stated (its fullest statement comes first).
    best = max(counts, key=lambda k: counts[k])
    return next(v for v in vals if counts[fold(v)] == counts[best])


def reconcile(refs: Iterable[Reference]) -> dict[str, ReferencedDocument]:
    """Builds the registry of referenced documents from all their mentions.

    Type, issuer and title are the majority over mentions, mentions with Vietnamese
    letters before OCR'd ones; every date given is kept, most frequent first, so a
    Chỉ thị given as both 22/5/2021 and 25/5/2021 shows both.
    """
    groups: dict[str, list[Reference]] = {}
    for r in refs:
        groups.setdefault(r.target, []).append(r)
    out = {}
    for target, rs in groups.items():
        full = [r for r in rs if r.form == "full"] or rs
        # "Đề án 89" is the Đề án QĐ 89 approves: the document is the Quyết định.
        types = [r.doc_type for r in full if r.doc_type != "Đề án"]
        doc_type = _vote(types) or type_of(target)
        dates = Counter(r.date for r in rs if r.date)
        order = {d: i for i, d in reversed(list(enumerate(r.date for r in rs if r.date)))}
        ranked = sorted(dates, key=lambda d: (-dates[d], order[d]))
        out[target] = ReferencedDocument(
            id=target,
            doc_type=doc_type,
            issuer=_vote(r.issuer for r in rs),
            date=ranked[0] if ranked else None,
            dates=tuple(ranked),
            title=_vote(r.title for r in rs),
            mentions=len(rs),
        )
    return out


def edge_relation(rels: Iterable[str]) -> str:
    """Returns one relation for a document pair's mentions, by :data:`RELATIONS` precedence."""
    return relations.pair_relation(list(rels))
