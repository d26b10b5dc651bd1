"""Places, documents and years a question names, and whether a candidate answer agrees.

"Sơn La đã cấp bao nhiêu xe lăn?" must not be answered with Hòa An's 127 wheelchairs:
a name in the question has to be the candidate's document's own (its place, province,
issuer, title or number) or be written in the candidate's passage. A question typed in
lower case and without accents still names places the index knows (the provinces, and
the places its documents name after "huyện", "xã", "tỉnh" …), found on folded words.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from index.levels import COMMUNE, LEVEL_NAMES, LEVELS, NOT_LEVEL, PLACE_LEVELS
from ingest.references import find_mentions
from vntext import gazetteer as units
from vntext.lexicon import NOT_NAMES, PLACE_WORDS
from vntext.normalize import fold, has_diacritics, nfc

_WORD = re.compile(r"\w+", re.UNICODE)
_PLACE_WORD = "|".join(sorted((re.escape(fold(w)) for w in PLACE_WORDS), key=len, reverse=True))
# "huyện Hòa An", "xã Ea Tih", "tỉnh Bà Rịa - Vũng Tàu": a place word, then capitalised words.
_NAMED_PLACE = re.compile(
    rf"(?i:\b(?:{'|'.join(re.escape(w) for w in PLACE_WORDS)})\b)((?:\s*-?\s*\w+){{1,4}})"
)
_YEAR = re.compile(r"(?<![\w./-])(?:19|20)\d\d(?![\w]|[./-]\w)")
# A year a text states, alone ("năm 2020") or closing a date ("tháng 9/2020", "12/6/2018");
# not the year inside a document number ("70/2014/QĐ-UBND").
_STATED_YEAR = re.compile(
    r"(?<![\w.-])(?:\d{1,2}\s*/\s*(?:\d{1,2}\s*/\s*)?)?((?:19|20)\d\d)(?![\w/])"
)
# "so với (cùng kỳ) (năm) 2022": the baseline of a comparison, on folded text.
_COMPARED = re.compile(
    r"\bso voi\s+(?:cung ky\s+)?(?:nam\s+|thang\s+\d{1,2}\s*/\s*)?(?:19|20)\d\d(?!\d)"
)
# A document's date as the index keeps it ("2024-06-18"; a manifest may give less).
_ISO_MONTH = re.compile(r"((?:19|20)\d\d)-(\d{1,2})\b")
# Words of a unit or section that sets a target, on folded lower-case text.
_TARGET = re.compile(r"\b(?:phan dau|muc tieu|chi tieu|ke hoach nam)\b")
# The year targets are for: "(phấn đấu) đến (hết) năm 2025", "tới năm 2030" (folded, lower).
_TARGET_YEAR = re.compile(r"\b(?:den|toi)\s+(?:het\s+|cuoi\s+)?nam\s+((?:19|20)\d\d)\b")
# Words of a unit that give its figure as of the time the document speaks from ("đến nay",
# "hiện nay", "hiện có", "tính đến thời điểm này"), on folded lower-case text.
_NOW = re.compile(
    r"\b(?:(?:tinh\s+)?den\s+(?:nay|thoi\s+diem\s+(?:nay|hien\s+tai|bao\s+cao))|hien\s+nay|"
    r"hien\s+co|hien\s+tai)\b"
)
_RANGE = re.compile(
    r"(?<!\d)((?:19|20)\d\d)(?:\s*(?:-|–|den|toi)\s*|\s+)(?:nam\s+)?((?:19|20)\d\d)(?!\d)"
)


@dataclass(frozen=True)
class Entities:
    """What a question names: places and other names (folded), documents, years."""

    names: tuple[str, ...] = ()
    provinces: tuple[str, ...] = ()  # names asked as a whole province ("tỉnh Lâm Đồng")
    documents: tuple[tuple[str | None, str], ...] = ()  # (folded type word, number)
    years: tuple[str, ...] = ()
    level: str | None = None  # the most local level a named place is asked at
    tiers: frozenset[str] = frozenset()  # levels a noun is asked at: "công chức cấp xã"


def gazetteer(docs: Iterable[Mapping[str, Any]], texts: Iterable[str]) -> frozenset[str]:
    """Returns the folded place names an index knows: provinces, metadata, named places.

    Args:
        docs: document metadata (``place``, ``province``, ``issuer``).
        texts: clean document texts, scanned for "huyện X Y", "xã X Y" ….
    """
    names = set(units.province_names())
    for d in docs:
        for key in ("place", "province"):
            if d.get(key):
                names.add(fold(str(d[key])))
    for text in texts:
        names.update(_places_after_place_words(text, min_words=2))
    return frozenset(" ".join(n.replace("-", " ").split()) for n in names if n)


_DISTRICT_WORDS = re.compile(r"\b(?:huyen|quan|thi xa|thanh pho|tp)\s+((?:\w+\s*){2,3})")


def _district_after_word(folded: str) -> list[str]:
    """Returns district names of the national gazetteer written after "huyện", "quận" …

    Only there: a district name alone may be common words ("thống nhất").
    """
    out = []
    for m in _DISTRICT_WORDS.finditer(folded):
        words = m.group(1).split()
        for n in (3, 2):
            name = " ".join(words[:n])
            if len(words) >= n and any(u.level == "district" for u in units.lookup(name)):
                out.append(name)
                break
    return out


_NOT_NAMES_FOLDED = frozenset(fold(w) for w in NOT_NAMES)


def _no_name(word: str, accented: bool) -> bool:
    return word.lower() in NOT_NAMES if accented else fold(word) in _NOT_NAMES_FOLDED


def _capitalised_runs(question: str) -> list[str]:
    """Returns runs of capitalised words that are names, folded ("Hòa An", "Tô Hiệu")."""
    accented = has_diacritics(question)
    words = list(_WORD.finditer(nfc(question)))
    runs: list[list[int]] = []
    for i, m in enumerate(words):
        w = m.group()
        cap = w[:1].isupper() and not (len(w) > 1 and w.isupper()) and not w[0].isdigit()
        glued = bool(runs) and runs[-1][-1] == i - 1
        glued = glued and question[words[i - 1].end() : m.start()].strip() in ("", "-")
        if cap and glued:
            runs[-1].append(i)
        elif cap:
            runs.append([i])
    out = []
    for run in runs:
        names = [words[i].group() for i in run]
        while names and _no_name(names[0], accented):
            names.pop(0)
        while names and _no_name(names[-1], accented):
            names.pop()
        if not names or (run[0] == 0 and len(run) == 1):
            continue  # the question's first word is capitalised anyway
        out.append(" ".join(fold(n) for n in names))
    return out


def question_entities(question: str, places: frozenset[str]) -> Entities:
    """Returns the names, documents and years a question names.

    Args:
        question: the question as typed.
        places: the index's :func:`gazetteer`.
    """
    folded = " ".join(fold(nfc(question)).replace("-", " ").split())
    names = set(_capitalised_runs(question))
    padded = f" {folded} "
    for p in places:
        if len(p.split()) >= 2 and f" {p} " in padded:
            names.add(p)
    names.update(_district_after_word(folded))
    # keep the longest of overlapping names ("son la" inside "tinh son la")
    kept = sorted(names, key=len, reverse=True)
    final: list[str] = []
    for n in kept:
        if not any(f" {n} " in f" {k} " for k in final):
            final.append(n)
    question = nfc(question)
    masked = fold(question)
    docs: list[tuple[str | None, str]] = []
    for m in find_mentions(question, every=True):
        # the type word as written ("Kế hoạch 162", "Quyết định số 387/QĐ-TTg"); none
        # before a bare number ("387/QĐ-TTg")
        kind = None if masked[m.start].isdigit() or m.doc_type is None else fold(m.doc_type)
        docs.append((kind, m.number.lstrip("0") or "0"))
        masked = masked[: m.start] + " " * (m.end - m.start) + masked[m.end :]
    # the year a figure is compared with ("so với năm 2021") is not one it is asked for
    years = tuple(dict.fromkeys(_YEAR.findall(_COMPARED.sub(" ", masked.lower()))))
    provinces = tuple(
        n for n in final if re.search(rf"\b(?:tinh|toan tinh)\s+{re.escape(n)}\b", folded)
    )
    return Entities(
        tuple(sorted(final)),
        provinces,
        tuple(dict.fromkeys(docs)),
        years,
        asked_level(folded, final),
        tiers_said(folded),
    )


_FOLDED_PLACE_LEVELS = {fold(w): level for w, level in PLACE_LEVELS}
_BEFORE_NAME = "|".join(sorted(map(re.escape, _FOLDED_PLACE_LEVELS), key=len, reverse=True))


def asked_level(folded: str, names: Iterable[str]) -> str | None:
    """Returns the most local level a question asks of a place it names by a place word
    ("huyện Gia Viễn"; "xã Song Vân, huyện Tân Yên": xã), ``None`` when it names none so.

    A name alone tells no level: "Tô Hiệu" is a scholarship fund's and a ward's name, and
    the gazetteer's wards share the names of many districts.

    Args:
        folded: the question folded, hyphens as spaces, single-spaced.
        names: its folded names (:func:`question_entities`).
    """
    found = [
        _FOLDED_PLACE_LEVELS[w]
        for n in names
        for w in re.findall(
            rf"(?<![a-z])(?<!cap )({_BEFORE_NAME})\s+{re.escape(n)}(?![a-z])", folded
        )
    ]
    return max(found, key=LEVELS.index) if found else None


# A level word in a text: "toàn huyện", "xã Gia Sinh", "Huyện ủy"; phrases that name no
# level ("xã hội", "tinh thần": index/levels.NOT_LEVEL) are blanked first.
_LEVEL_OF_WORD = dict(PLACE_LEVELS)
_SAYS_LEVEL = re.compile(rf"(?<!\w)({'|'.join(_LEVEL_OF_WORD)})(?!\w)", re.IGNORECASE)
_SAYS_LEVEL_FOLDED = re.compile(rf"(?<![a-z])({_BEFORE_NAME})(?![a-z])")
_NOT_LEVEL = re.compile(rf"(?<![a-z])(?:{'|'.join(map(re.escape, NOT_LEVEL))})(?![a-z])")


def levels_said(text: str) -> frozenset[str]:
    """Returns the levels a text speaks at by its place words ("Hội Khuyến học xã có 14 chi
    hội": xã). A text without diacritics is read folded ("tinh" may then be "tính")."""
    t = nfc(text)
    folded = fold(t).lower()
    for m in _NOT_LEVEL.finditer(folded):  # folding keeps lengths: blank both alike
        t = t[: m.start()] + " " * (m.end() - m.start()) + t[m.end() :]
        folded = folded[: m.start()] + " " * (m.end() - m.start()) + folded[m.end() :]
    if has_diacritics(t):
        return frozenset(_LEVEL_OF_WORD[m.lower()] for m in _SAYS_LEVEL.findall(t))
    return frozenset(_FOLDED_PLACE_LEVELS[m] for m in _SAYS_LEVEL_FOLDED.findall(folded))


# "cấp xã", "cấp huyện", "cấp tỉnh", "cấp cơ sở": the tier a noun belongs to ("công chức
# cấp xã", "hội khuyến học cấp huyện"), on folded text.
_TIER = re.compile(r"(?<![a-z])cap\s+(trung\s+uong|tinh|huyen|xa|co\s+so)(?![a-z])")


def tiers_said(text: str) -> frozenset[str]:
    """Returns the levels a text qualifies something by with "cấp …" ("công chức cấp xã":
    xã; "cơ sở" is the commune's tier)."""
    folded = " ".join(fold(nfc(text)).split())
    return frozenset(COMMUNE if t == "co so" else LEVEL_NAMES[t] for t in _TIER.findall(folded))


def other_tier(entities: Entities, text: str) -> bool:
    """Tells whether a unit qualifies by "cấp …" only at tiers the question does not ask:
    "Số công chức cấp huyện được đào tạo 358 người" does not answer how many "công chức cấp
    xã" were; a unit naming no tier may still speak of the one asked."""
    if not entities.tiers:
        return False
    said = tiers_said(text)
    return bool(said) and not said & entities.tiers


def other_level(entities: Entities, document_level: str | None, text: str) -> bool:
    """Tells whether a unit of a document of another level than the one asked speaks at
    none of the asked level: "Quỹ khuyến học xã đạt 386.500.000 đồng" in a commune's plan
    does not give huyện Gia Viễn's fund, nor "toàn huyện có 57.100 hộ" xã Song Vân's. A
    unit naming the asked place speaks of it."""
    asked = entities.level
    if asked is None or document_level is None or asked == document_level:
        return False
    hay = haystack(text)
    if any(_has_name(n.replace("-", " "), hay) for n in entities.names):
        return False  # "Hội Khuyến học Sông Mã được cấp …" speaks of the place asked
    return asked not in levels_said(text)


def _has_name(name: str, hay: str) -> bool:
    return f" {name} " in hay


def _has_document(doc: tuple[str | None, str], hay: str) -> bool:
    kind, num = doc
    num_re = rf"0*{re.escape(num)}(?![\d.,]\d)"
    kind_re = r"\s+".join(kind.split()) if kind else None
    if kind_re and re.search(rf"\b{kind_re}\s+(?:so\s+)?{num_re}", hay):
        return True
    return bool(re.search(rf"(?<![\w/.,]){num_re}\s*[-/]\s*[a-z]", hay))


def haystack(*texts: str | None) -> str:
    """Returns texts folded, hyphens and punctuation as spaces, padded for whole-word tests."""
    joined = " ".join(t for t in texts if t)
    words = re.sub(r"[^\w/\-]+", " ", fold(nfc(joined))).replace(" - ", " ")
    return " " + " ".join(words.split()) + " "


def agrees(entities: Entities, document: str, passage: str, own: str | None = None) -> bool:
    """Tells whether every name and document of the question is the candidate's.

    Args:
        entities: what the question names.
        document: :func:`haystack` of the document's metadata (place, province, issuer,
            number, title).
        passage: :func:`haystack` of the candidate's passage and section.
        own: the same as ``document`` without the province: a district's report does
            not give the figures of its whole province ("tỉnh Lâm Đồng có bao nhiêu …").
    """
    for name in entities.provinces:
        n = name.replace("-", " ")
        if own is not None and not (_has_name(n, own) or _has_name(n, passage)):
            return False
    for name in entities.names:
        n = name.replace("-", " ")
        if not (_has_name(n, document) or _has_name(n, passage)):
            return False
    for doc in entities.documents:
        if not (_has_document(doc, document) or _has_document(doc, passage)):
            return False
    return True


def year_agrees(entities: Entities, document_date: str | None, hay: str) -> bool:
    """Tells whether each year the question names is the document's or its passage's.

    A year inside a stated range counts ("giai đoạn 2016 - 2020" holds 2018).
    """
    if not entities.years:
        return True
    years = _with_ranges(set(_YEAR.findall(hay)), hay)
    if document_date:
        years.add(document_date[:4])
    return all(y in years for y in entities.years)


def _with_ranges(years: set[str], folded: str) -> set[str]:
    """Adds the years inside the ranges a folded text states ("giai đoạn 2016 - 2020")."""
    for a, b in _RANGE.findall(folded):
        if a < b and int(b) - int(a) <= 30:
            years.update(str(y) for y in range(int(a), int(b) + 1))
    return years


def undated_for(entities: Entities, text: str, passage: str, document_date: str | None) -> bool:
    """Tells whether a unit that states no year gives its figure for a time other than the
    years the question names.

    A figure written without a year ("toàn tỉnh có 312.640 hộ", "đến nay đạt 86,4 tỷ
    đồng") is for the time its document speaks from: the year of its date, or the year
    before when the document is dated in the first quarter (a report of January 2024 takes
    stock of 2023) — unless its passage (with its headings) names the year asked (a section
    "Năm 2019: …", a range "giai đoạn 2016 - 2020"), and the unit does not say its figure is
    as of now ("đến nay", "hiện có": then it is the document's time, whatever years the
    passage goes through). A later year asked is a target, which a
    unit that sets one ("Phấn đấu có ít nhất 42.000 người …") may state without its year. A
    document with no date says nothing either way.
    """
    dated = _ISO_MONTH.match(document_date or "")
    if not entities.years or dated is None:
        return False
    unit = fold(text).lower()
    if _STATED_YEAR.search(_COMPARED.sub(" ", unit)):
        return False  # the unit names its own year: :func:`other_year` judges it
    year, month = int(dated.group(1)), int(dated.group(2))
    spoken = {str(year)} | ({str(year - 1)} if month <= 3 else set())
    named, passage_target, target_years = _passage_time(passage)
    if _NOW.search(unit):
        named = frozenset()
    sets_target = passage_target or _TARGET.search(unit) is not None
    return not all(
        y in spoken
        or y in named
        # a target for a later year, unless the passage gives its targets' year and it is
        # another ("MỤC TIÊU ĐẾN NĂM 2025" answers no "đến năm 2030")
        or (int(y) > year and sets_target and (not target_years or y in target_years))
        for y in entities.years
    )


@functools.lru_cache(maxsize=256)
def _passage_time(passage: str) -> tuple[frozenset[str], bool, frozenset[str]]:
    """Returns the years a passage names (ranges filled in), whether it sets a target and
    the years its targets are for ("đến năm 2025"); read once per passage, not once per
    unit of it."""
    folded = fold(passage)
    named = _with_ranges(set(_STATED_YEAR.findall(_COMPARED.sub(" ", folded))), folded)
    lower = folded.lower()
    sets_target = _TARGET.search(lower) is not None
    by = frozenset(_TARGET_YEAR.findall(lower)) if sets_target else frozenset()
    return frozenset(named), sets_target, by


def other_year(entities: Entities, text: str) -> bool:
    """Tells whether ``text`` states a year, and none of the years the question names.

    "Đến tháng 9/2020, toàn tỉnh có 376.215 hộ …" gives a figure for 2020, not for the 2015
    asked about; a unit that states no year says nothing either way. The year a figure is
    compared with ("tăng 4.215 hội viên so với năm 2022", "so với cùng kỳ năm 2022") is not
    the year it is for.
    """
    if not entities.years:
        return False
    folded = _COMPARED.sub(" ", fold(text))
    years = set(_STATED_YEAR.findall(folded))
    if not years:
        return False
    return not all(y in _with_ranges(years, folded) for y in entities.years)


def named_places(text: str) -> frozenset[str]:
    """Returns the places a text names after a place word, folded ("thành phố Tuy Hòa",
    "huyện Sông Hinh" → "tuy hoa", "song hinh"); lower-case words after it are no name
    ("toàn tỉnh có …")."""
    return frozenset(_places_after_place_words(text, min_words=1))


def _places_after_place_words(text: str, min_words: int) -> set[str]:
    """Returns the folded capitalised names of 1–4 words after a place word in ``text``."""
    out = set()
    for m in _NAMED_PLACE.finditer(nfc(text)):
        words = []
        for w in _WORD.findall(m.group(1)):
            if not w[:1].isupper() or (len(w) > 1 and w.isupper()):
                break
            words.append(w)
        while words and _no_name(words[-1], True):
            words.pop()
        if min_words <= len(words) <= 4:
            out.add(" ".join(fold(w) for w in words))
    return out


def other_place(entities: Entities, text: str) -> bool:
    """Tells whether a unit is about another place than the one the question names: it
    names a place after "huyện", "thành phố", "xã" … before its first figure, that is
    none of the question's names nor the province or district holding one of them.

    "Hội Khuyến học thành phố Tuy Hòa có 31.870 hội viên" does not answer how many the
    province has, though the province's report says it; "Toàn tỉnh có 186.524 hội viên,
    thành phố Tuy Hòa 31.870" does, and "… theo Nghị quyết của HĐND tỉnh Bắc Giang" is
    about Tân Yên, a district of Bắc Giang. The question's name counts only before the
    figure too: "huyện Trần Văn Thời dẫn đầu toàn tỉnh với 23.940 hội viên; … thành phố
    Cà Mau …" is not the province's figure.
    """
    if not entities.names:
        return False
    figure = _FIGURE.search(text)
    lead = text[: figure.start()] if figure else text
    places = _places_after_place_words(lead, 1)
    if not places:
        return False
    hay = haystack(lead)  # a name written after the figure names what comes after it
    if any(_has_name(n.replace("-", " "), hay) for n in entities.names):
        return False
    holding = _holding(entities.names)
    return any(p not in entities.names and p not in holding for p in places)


# Names written one after another ("tại 4 huyện Tư Nghĩa, Mộ Đức, Bình Sơn, Sơn Tịnh", "các
# xã Đông Tảo, Bình Minh và Dạ Trạch"): capitalised words, by commas or "và".
_NAME = r"[A-ZĐÐ][\w’'-]*(?:\s+[A-ZĐÐ][\w’'-]*){0,3}"
_NAMES_LISTED = re.compile(rf"{_NAME}(?:\s*,\s*{_NAME})+(?:\s*,?\s+(?:và|va)\s+{_NAME})?")


def shared_figure(entities: Entities, text: str) -> bool:
    """Tells whether the place the question names stands in a list of places in the
    unit, so its figure is theirs together: "tại 4 huyện Tư Nghĩa, Mộ Đức, Bình Sơn, Sơn
    Tịnh … 86.420 công dân" does not say how many Mộ Đức has."""
    if not entities.names:
        return False
    for m in _NAMES_LISTED.finditer(text):
        items = re.split(r"\s*,\s*|\s+(?:và|va)\s+", m.group())
        if len(items) < 3:
            continue
        folded = {" ".join(fold(i).split()) for i in items}
        if any(n.replace("-", " ") in folded for n in entities.names):
            return True
    return False


@functools.lru_cache(maxsize=1024)
def _holding(names: tuple[str, ...]) -> frozenset[str]:
    """Returns the provinces and districts that hold a unit of one of these names (folded)."""
    return frozenset(
        fold(x) for n in names for u in units.lookup(n) for x in (u.province, u.district) if x
    )


_FIGURE = re.compile(r"(?<![\w/])\d[\d.,]*(?![\w/])")


_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")  # grave, acute, tilde, hook, dot below


def _letters(text: str) -> str:
    """Returns ``text`` lower-cased, words only, without tone marks but with the marks that
    make letters (ă â ê ô ơ ư đ): "Hoà An" and "Hòa An" alike, "Đức Trọng" no "dục trong"."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    kept = "".join(c for c in decomposed if c not in _TONES)
    return " " + " ".join(re.sub(r"[^\w]+", " ", unicodedata.normalize("NFC", kept)).split()) + " "


def written_in(name: str, text: str) -> bool:
    """Tells whether a name typed with diacritics is written in a clean (accented) text,
    letter for letter: folding alone finds "Đức Trọng" in "giáo dục trong bộ tiêu chí"."""
    return _letters(name) in _letters(text)
