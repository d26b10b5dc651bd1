"""What answer scoring reads of a question: its content words with their weights, what it
asks for, what it counts and the entities it names; and how a unit's words cover them.

Function words and abbreviations come from the one table of :mod:`vntext.lexicon`.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

from answers.entities import Entities, question_entities
from answers.typed import Typed, question_type, required_kinds
from vntext.lexicon import (
    ABBREVIATIONS,
    CLASSIFIERS_FOLDED,
    FUNCTION_PAIRS,
    FUNCTION_PAIRS_FOLDED,
    FUNCTION_WORDS,
    FUNCTION_WORDS_FOLDED,
    read_as,
)
from vntext.normalize import fold, has_diacritics, nfc, tokens

# What a "how many" question counts: the words after "bao nhiêu", "mấy", "số" (folded).
_COUNTED = re.compile(r"\b(?:bao nhieu|may|so luong|tong so|so)\s+((?:\w+\s*){1,3})")


# A requirement question: who must do what, by when (folded).
_ASKS_REQUIREMENT = re.compile(
    r"\b(?:phai|nhiem vu|trach nhiem|chu tri|yeu cau|duoc giao|giao cho|can lam|lam gi"
    r"|co trach nhiem|tham muu|phoi hop)\b"
)


WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Term:
    """A content word of the question: folded, as typed (lower-case), and its weight."""

    word: str
    exact: str | None  # None when the question was typed without diacritics
    weight: float


@dataclass(frozen=True)
class Question:
    """What answer scoring needs of a question."""

    text: str
    accented: bool
    terms: list[Term]
    bigrams: list[tuple[str, str, float]]
    qtype: str | None
    requirement: bool
    entities: Entities = field(default_factory=Entities)
    counted: tuple[str, ...] = ()  # folded words of what is counted ("hoi", "vien")
    needs: frozenset[str] = frozenset()  # span kinds an answer must hold (answers.typed)

    @property
    def mass(self) -> float:
        return sum(t.weight for t in self.terms) or 1.0


_ABBR_EXACT = {k.lower(): v.lower().replace(",", "").split() for k, v, _ in ABBREVIATIONS}


_ABBR_FOLDED = {fold(k): fold(v).replace(",", "").split() for k, v, _ in ABBREVIATIONS}


def expand_words(words: list[str], exact: bool) -> list[str]:
    """Returns the words as answer scoring compares them: abbreviations written out, the
    words of :data:`vntext.lexicon.SYNONYMS` read as the one they stand for, and "i" after
    t, l, k, m, h, s, qu spelt "y" (:func:`vntext.lexicon.read_as`). ``words`` are
    lower-case, accented when ``exact``, folded otherwise."""
    table = _ABBR_EXACT if exact else _ABBR_FOLDED
    out: list[str] = []
    for w in words:
        out.extend(table.get(w, (w,)))
    return read_as(out, exact)


def _weight(word: str, n: int, df: Counter[str]) -> float:
    # BM25's idf (Robertson & Spärck Jones), floored so frequent words still count a little.
    d = df.get(word, 0)
    return max(0.05, math.log(1 + (n - d + 0.5) / (d + 0.5)))


def analyse_question(
    question: str, n: int, df: Counter[str], places: frozenset[str] = frozenset()
) -> Question:
    """Returns the question's content words with weights, its answer type and entities.

    Args:
        question: the question as typed.
        n: the number of passages (for word rarity).
        df: document frequency of folded words.
        places: the index's gazetteer (:func:`answers.entities.gazetteer`).
    """
    accented = has_diacritics(question)
    raw_words = [w.lower() for w in WORD.findall(nfc(question))]
    raw_words = expand_words(raw_words if accented else [fold(w) for w in raw_words], accented)
    words = [fold(w) for w in raw_words]
    keys = raw_words if accented else words
    stop_pairs = FUNCTION_PAIRS if accented else FUNCTION_PAIRS_FOLDED
    stop = FUNCTION_WORDS if accented else FUNCTION_WORDS_FOLDED
    drop = [False] * len(words)
    for i in range(len(keys) - 1):
        if (keys[i], keys[i + 1]) in stop_pairs:
            drop[i] = drop[i + 1] = True
    for i, k in enumerate(keys):
        if k in stop:
            drop[i] = True
    seen: dict[str, Term] = {}
    for w, r, d in zip(words, raw_words, drop, strict=True):
        if not d and w not in seen:
            seen[w] = Term(w, r if accented else None, _weight(w, n, df))
    pairs = []
    for i in range(len(words) - 1):
        if not drop[i] and not drop[i + 1]:
            a, b = words[i], words[i + 1]
            pairs.append((a, b, (seen[a].weight + seen[b].weight) / 2))
    folded = " ".join(fold(question).split())
    qtype = question_type(question)
    counted: tuple[str, ...] = ()
    m = _COUNTED.search(folded)
    if m and qtype in ("figure", "amount", "percentage"):
        content: list[str] = []
        for w in expand_words(m.group(1).split(), False):
            if not content and w in CLASSIFIERS_FOLDED:
                continue  # "bao nhiêu em học sinh", "bao nhiêu chiếc xe đạp"
            if w in FUNCTION_WORDS_FOLDED or w.isdigit():
                break
            content.append(w)
        counted = tuple(content[:2])
    return Question(
        text=question,
        accented=accented,
        terms=list(seen.values()),
        bigrams=pairs,
        qtype=qtype,
        requirement=qtype in ("actor", "deadline") or bool(_ASKS_REQUIREMENT.search(folded)),
        entities=question_entities(question, places),
        counted=counted,
        needs=required_kinds(question, qtype),
    )


@dataclass(frozen=True)
class Words:
    """Words of a text in the form a question's terms are matched against."""

    exact: bool
    items: list[str]

    @classmethod
    def of(cls, text: str, exact: bool, reading: str | None = None) -> Words:
        if exact:
            return cls(True, expand_words(WORD.findall(nfc(text).lower()), True))
        items = expand_words(tokens(text), False)
        if reading is not None:
            items = items + expand_words(tokens(reading), False)
        return cls(False, items)

    def key(self, t: Term) -> str:
        return t.exact if self.exact and t.exact is not None else t.word


def word_pairs(words: list[str]) -> set[tuple[str, str]]:
    return set(zip(words, words[1:], strict=False))


def local_cover(q_terms: list[Term], words: Words, positions: list[int]) -> float:
    """Returns the best share of the terms found around a typed span's word positions.

    "Chỉ thị số 11-CT/TW, ngày 13 tháng 4 năm 2007": the date follows the words that
    name what is dated; a figure far from the words of the question counts something else.
    """
    mass = sum(t.weight for t in q_terms) or 1.0
    best = 0.0
    for i in positions:
        window = set(words.items[max(0, i - 10) : i + 4])
        best = max(best, sum(t.weight for t in q_terms if words.key(t) in window) / mass)
    return best


def word_positions(text: str, spans: list[Typed]) -> list[int]:
    """Returns the index, among the words of ``text``, where each span starts."""
    starts = [m.start() for m in WORD.finditer(text)]
    out = []
    for t in spans:
        out.append(sum(1 for s in starts if s < t.start))
    return out
