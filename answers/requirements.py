"""Requirement statements: who must do what, by when or to what target, and where it says so.

Plans and the task sections of reports assign work in a fixed register: a numbered
item or a bullet that opens with the actor ("2- Các huyện ủy, thị ủy, thành ủy trực
thuộc tổ chức tổng kết và gửi báo cáo … trước ngày 31 tháng 3 năm 2017"), or bullets
under a heading that names the actor ("5.6. Phòng Nội vụ" → "- Chủ trì, phối hợp …").
Patterns run on the diacritic-folded text, so the OCR'd reports are read alike.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from answers.typed import ACTOR_HEAD, DEADLINE
from index.errors import BadQuery
from index.models import Requirement
from index.search import SearchIndex
from index.spans import PassageRow, RawSources, passage_rows, sentence_spans
from ingest.references import find_mentions
from vntext.dates import iso_date
from vntext.lexicon import ABBREVIATIONS, ACTOR_ABBREVIATIONS
from vntext.normalize import fold, nfc, tokens

MAX_SENTENCE_CHARS = 600

# Sections that assign work, and sections that only report on it (folded).
_TASK_SECTION = re.compile(
    r"to chuc thuc hien|nhiem vu|giai phap|kien nghi|de xuat|phuong huong|yeu cau"
    r"|trach nhiem|phan cong"
)
_REPORT_SECTION = re.compile(
    r"ket qua|uu diem|han che|nguyen nhan|bai hoc|danh gia chung|bao tinh hinh|ton tai"
)
_ACTOR_HEAD = ACTOR_HEAD  # matched at the start of the folded text
# Verbs that open the action (folded); the actor is what comes before the first one.
_VERB = re.compile(
    r"\b(?:chi dao|chu tri|to chuc|xay dung|gui|phoi hop|trien khai|co trach nhiem|thuc hien"
    r"|tham muu|ra soat|bao cao|huong dan|bo tri|theo doi|kiem tra|tong hop|nghien cuu"
    r"|dam bao|tang cuong|day manh|van dong|ban hanh|yeu cau|de nghi|chiu trach nhiem"
    r"|tien hanh|bam vao|can cu|quan ly|cung ung|la co quan|tiep tuc|phat huy|nang cao"
    r"|tao dieu kien|lua chon|huy dong|phat dong|cung co|kien toan|danh gia)\b"
)
# Verbs that hand the work to their object: "Ban Thường vụ yêu cầu các cấp ủy … triển khai".
_DELEGATE = re.compile(r"^(?:yeu cau|de nghi)\b")
_OBLIGATION = re.compile(r"\b(?:phai|can phai|yeu cau|khong duoc|co trach nhiem|nghiem cam)\b")
_PAST = re.compile(r"^(?:\S+\s+){0,8}?da\s")
_BULLET = re.compile(r"^\s*(?:[-+•*–]\s*|\d{1,2}(?:\.\d{1,2})*\s*[.\-–)]\s*|[a-h]\)\s*)+")
# Deadlines and periods: one grammar (answers/typed.py) for answers and requirements.
# A deadline that names a day, a month or a quarter makes a sentence a requirement
# even outside the task sections; a bare year ("trong năm 2020") does not.
_DATED = ("d", "mm")
_PERIODIC = re.compile(r"\b(?:dinh ky|hang nam|hang quy|hang thang|hang tuan)\b")


def find_deadline(folded: str) -> tuple[re.Match[str] | None, re.Match[str] | None]:
    """Returns the first dated deadline and the first period of a folded sentence.

    "trước ngày 15/3 hằng năm", "trước ngày 20/12/2023", "trước tháng 6/2023", "trong
    quý I/2024" are deadlines; "định kỳ 6 tháng", "hằng năm" periods.
    """
    dated = period = None
    for m in DEADLINE.finditer(folded):
        text = m.group()
        if any(m.group(g) for g in _DATED) or re.search(r"\bquy\s", text):
            dated = dated or m
        elif _PERIODIC.match(text):
            period = period or m
    return dated, period


def deadline_iso(m: re.Match[str]) -> str | None:
    """Returns the ISO date of a deadline that states day, month and year."""
    if m.group("d") and m.group("m") and m.group("y"):
        return iso_date(m.group("d"), m.group("m"), m.group("y"))
    return None


_TARGET = re.compile(
    r"\b(?:phan dau|dat|toi thieu|it nhat|tren)\s+(?:ty le\s+|tren\s+)?\d+(?:[.,]\d+)?\s*%"
    r"|\bden nam (?:19|20)\d\d\b|\b\d+/\d+\s+(?:xa|truong|don vi)\b"
)


def directives_in(text: str) -> list[str]:
    """Returns the canonical ids of the full numbers ``text`` names, in order ("11-CT/TW")."""
    out: list[str] = []
    for m in find_mentions(nfc(text)):
        if m.form == "full" and m.target not in out:
            out.append(m.target)
    return out


def implemented_directives(title: str | None, opening: str) -> list[str]:
    """Returns what a document carries out, from its own title, else its opening sentence.

    Kept apart so that it can be answered by the citation graph (answers/graph.py,
    issue 4) once that lands: the graph's "implements"/"reviews" edges of the document.

    Args:
        title: the document's title.
        opening: the start of its text (its first passage).
    """
    found = directives_in(title or "")
    if found:
        return found
    first = fold(opening)
    m = re.search(r"\b(?:thuc hien|can cu)\b[^.;]*", first)
    return directives_in(opening[m.start() : m.end()]) if m else []


def _label(heading: str) -> str:
    """Returns a heading without its numbering: "5.6. Phòng Nội vụ" → "Phòng Nội vụ"."""
    return _BULLET.sub("", heading).strip(" .:…")


def _actor_action(text: str) -> tuple[str | None, str]:
    """Splits a requirement sentence into its actor (or ``None``) and its action."""
    body = _BULLET.sub("", text)
    offset = len(text) - len(body)
    folded = fold(body)
    head = _ACTOR_HEAD.match(folded)
    if not head or _VERB.match(folded):  # "Tổ chức tuyên truyền …", "Ban hành …": no actor
        return None, body.strip()
    verb = _VERB.search(folded, head.end())
    if verb is None or len(folded[: verb.start()].split()) > 14:
        return None, body.strip()
    actor = body[: verb.start()].strip(" ,:")
    rest = body[verb.start() :]
    delegate = _DELEGATE.match(fold(rest))
    if delegate:
        obj = rest[delegate.end() :].lstrip()
        f_obj = fold(obj)
        nxt = _VERB.search(f_obj)
        if _ACTOR_HEAD.match(f_obj) and nxt is not None and nxt.start() > 0:
            return obj[: nxt.start()].strip(" ,:"), obj[nxt.start() :].strip()
    del offset
    return actor or None, rest.strip()


def _clean(text: str) -> str:
    return " ".join(text.replace("**", "").replace("*", "").split()).strip(" ;,")


class Requirements:
    """The requirement statements of an index (extracted once per index generation).

    Args:
        index: the open index.
        root: the directory ``source`` paths are relative to.
    """

    def __init__(self, index: SearchIndex, root: Path) -> None:
        self.index = index
        self.raw = RawSources(root, index.store.index_dir)

    def all(self) -> list[Requirement]:
        """Returns every requirement, in document order (extracted once per generation)."""
        return self.index.store.cached(f"requirements:{self.raw.root}", self._extract)

    def find(
        self, actor: str | None = None, doc_id: str | None = None, q: str | None = None
    ) -> list[Requirement]:
        """Returns the requirements that match every given filter.

        Args:
            actor: words of the actor, accents optional ("huyện ủy", "UBND tỉnh").
            doc_id: one document.
            q: words anywhere in the statement.

        Raises:
            BadQuery: a filter is over 200 characters.
        """
        for name, value in (("actor", actor), ("doc_id", doc_id), ("q", q)):
            if value is not None and len(value) > 200:
                raise BadQuery(f"{name} is {len(value)} characters; the limit is 200")
        out = self.all()
        if doc_id:
            out = [r for r in out if r.citation.doc_id == doc_id.strip()]
        if actor and actor.strip():
            want = _words(actor)
            out = [r for r in out if r.actor and _matches(want, _words(r.actor))]
        if q and q.strip():
            want = _words(q)
            out = [r for r in out if _matches(want, _words(_haystack(r)))]
        return out

    def _extract(self) -> list[Requirement]:
        store = self.index.store
        docs = {d["doc_id"]: d for d in store.documents()}
        rows = passage_rows(store)
        openings: dict[str, str] = {}
        for r in rows:
            openings.setdefault(r.doc_id, r.text[:1500])
        implements = {
            doc_id: implemented_directives(d.get("title"), openings.get(doc_id, ""))
            for doc_id, d in docs.items()
        }
        out: list[Requirement] = []
        for row in rows:
            for a, b in sentence_spans(row.text, MAX_SENTENCE_CHARS):
                req = self._requirement(row, a, b, implements.get(row.doc_id, []))
                if req is not None:
                    out.append(replace(req, requirement_id=f"{row.passage_id}:{len(out):04d}"))
        return out

    def _requirement(
        self, row: PassageRow, a: int, b: int, implements: list[str]
    ) -> Requirement | None:
        text = row.text[a:b]
        folded = fold(text)
        deadline, periodic = find_deadline(folded)
        section = fold(row.section)
        leaf = row.section.rsplit(" > ", 1)[-1]
        in_tasks = bool(_TASK_SECTION.search(section)) and not _REPORT_SECTION.search(fold(leaf))
        if not deadline and not in_tasks:
            return None
        body = _BULLET.sub("", folded)
        if _PAST.match(body) or len(body) < 25 or text.rstrip().endswith(":"):
            return None
        actor, action = _actor_action(text)
        leaf_label = _label(leaf)
        f_label = fold(leaf_label)
        if actor is None and _ACTOR_HEAD.match(f_label) and not _VERB.match(f_label):
            actor = leaf_label  # "5.6. Phòng Nội vụ" over its bullets
        if not deadline and actor is None and not _OBLIGATION.search(folded):
            return None
        if not deadline and not _VERB.search(body) and not _OBLIGATION.search(folded):
            return None  # a list of names ("Nơi nhận: - Các phòng, ban, …;"), not a task
        target = _TARGET.search(folded)
        citation = self.raw.cite(row, row.sha256, a, b)
        if citation is None:
            return None  # no exact quote without the raw file
        deadline_text = None
        iso = None
        if deadline:
            deadline_text = _clean(text[deadline.start() : deadline.end()])
            iso = deadline_iso(deadline)
        elif periodic:
            deadline_text = _clean(text[periodic.start() : periodic.end()])
        return Requirement(
            requirement_id="",
            actor=_clean(actor) if actor else None,
            action=_clean(action),
            deadline=iso,
            deadline_text=deadline_text,
            target=_clean(text[target.start() : target.end()]) if target else None,
            implements=implements,
            citation=citation,
        )


# Abbreviations an actor filter may use for what the text spells out.
_ACTOR_ABBR = {
    fold(abbr).lower(): fold(long).lower()
    for abbr, long, _ in ABBREVIATIONS
    if abbr in ACTOR_ABBREVIATIONS
}


def _words(text: str) -> list[str]:
    out: list[str] = []
    for w in tokens(nfc(text)):
        out.extend(_ACTOR_ABBR.get(w, w).split())
    return out


def _matches(want: list[str], have: list[str]) -> bool:
    """Tells whether the wanted words are there as a phrase, or mostly, in order.

    "huyện ủy" must be a phrase (not "Ủy ban … huyện"); a long name may miss a word,
    so "Ban cán sự đảng UBND tỉnh" finds the plan's "Ban cán sự đảng Ủy ban nhân tỉnh".
    """
    if not want:
        return True
    n = len(want)
    if any(have[i : i + n] == want for i in range(len(have) - n + 1)):
        return True
    if n < 4:
        return False
    found, pos = 0, 0
    for w in want:
        try:
            pos = have.index(w, pos) + 1
            found += 1
        except ValueError:
            continue
    return found / n >= 0.75


def _haystack(r: Requirement) -> str:
    return " ".join(
        x
        for x in (
            r.actor,
            r.action,
            r.deadline_text,
            r.target,
            r.citation.doc_title,
            r.citation.section,
        )
        if x
    )


def requirement_row(r: Requirement) -> dict[str, object]:
    """Returns a requirement as one flat record (the API's shape, a CSV row)."""
    c = r.citation
    return {
        "requirement_id": r.requirement_id,
        "actor": r.actor,
        "action": r.action,
        "deadline": r.deadline,
        "deadline_text": r.deadline_text,
        "target": r.target,
        "implements": list(r.implements),
        "doc_id": c.doc_id,
        "doc_title": c.doc_title,
        "doc_number": c.doc_number,
        "source": c.source,
        "char_start": c.char_start,
        "char_end": c.char_end,
        "page": c.page,
        "section": c.section,
        "passage_id": c.passage_id,
        "quote": c.quote,
    }


CSV_COLUMNS = (
    "actor",
    "action",
    "deadline",
    "deadline_text",
    "target",
    "implements",
    "doc_number",
    "doc_title",
    "section",
    "source",
    "char_start",
    "char_end",
    "quote",
)


def to_csv(requirements: list[Requirement]) -> str:
    """Returns the requirements as CSV (UTF-8 text, a header row, one row each)."""
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(CSV_COLUMNS)
    for r in requirements:
        row = requirement_row(r)
        writer.writerow(
            "; ".join(v) if isinstance(v, list) else "" if v is None else v
            for v in (row[c] for c in CSV_COLUMNS)
        )
    return buf.getvalue()
