"""Wording in common: the folded words and word pairs of a sentence unit, their IDF-weighted
cosine, the runs of words two texts share, and near-identical sentences grouped.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from index.models import Sentence
from vntext.normalize import fold

_WORD = re.compile(r"\w+", re.UNICODE)


# Near-identical: word triples covering SAME_WORDING of the shorter sentence (the
# duplicates' default; precedent.py looks among the sentences nearest by meaning).
SAME_WORDING = 0.7


SAME_LENGTH = 0.5  # and the shorter has at least this share of the longer's triples


def merge_spans(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Merges spans that touch or are separated only by spaces and punctuation."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and (a <= out[-1][1] or not any(c.isalnum() for c in text[out[-1][1] : a])):
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def unit_terms(text: str, reading: str | None) -> frozenset[str]:
    """Returns a text's folded words and word pairs (and its reading's, when restored)."""
    out: set[str] = set()
    for t in (text, reading):
        if t:
            words = _WORD.findall(fold(t))
            out.update(words)
            out.update(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))
    return frozenset(out)


def is_heading(text: str, section: str) -> bool:
    """Tells whether a unit is one of its passage's section headings (without its number)."""
    mine = " ".join(fold(text).split())
    return any(" ".join(fold(part).split()).endswith(mine) for part in section.split(" > ") if part)


def shared_spans(
    folded: str, grams: set[tuple[str, ...]], n: int, text: str
) -> list[tuple[int, int]]:
    """Returns the spans of ``folded`` covered by runs of ``n`` words that are in ``grams``."""
    if n <= 0:
        return []
    words = list(_WORD.finditer(folded))
    theirs = [w.group() for w in words]
    shared = [False] * len(words)
    for i in range(len(theirs) - n + 1):
        if tuple(theirs[i : i + n]) in grams:
            for j in range(i, i + n):
                shared[j] = True
    return merge_spans(
        [(w.start(), w.end()) for w, s in zip(words, shared, strict=True) if s], text
    )


@dataclass
class Terms:
    """What the ranking needs of every sentence unit, computed once per index state.

    Per unit (row of :class:`index.sentences.Sentences`): its folded words and word
    pairs, their IDF-weighted norm, its word triples and words (same wording), its
    word count and whether it is a heading; and the IDF of every term over units.
    """

    sets: list[frozenset[str]]
    norms: list[float]
    triples: list[frozenset[tuple[str, ...]]]
    words: list[tuple[str, ...]]
    headings: list[bool]
    idf: dict[str, float]
    unseen: float  # the IDF of a term no unit has

    def norm(self, terms: frozenset[str]) -> float:
        """Returns the sum of the squared IDF of the terms."""
        w = self.idf.get
        return sum(w(t, self.unseen) ** 2 for t in terms)

    def similarity(self, mine: frozenset[str], mine_norm: float, row: int) -> float:
        """Returns the IDF-weighted cosine of a term set and a unit's terms (0..1)."""
        theirs = self.sets[row]
        if not mine_norm or not self.norms[row]:
            return 0.0
        shared = self.norm(mine & theirs)
        return shared / math.sqrt(mine_norm * self.norms[row]) if shared else 0.0


class WordingGroup:
    """Near-identical sentences of several documents, led by the best-ranked one."""

    def __init__(self, head: Sentence, score: float, meaning: float, wording: float) -> None:
        self.head = head
        self.score = score
        self.meaning = meaning
        self.wording = wording
        self.members: list[tuple[Sentence, float]] = [(head, meaning)]
        self.docs = {head.doc_id}

    def same_wording(self, unit: Sentence, terms: Terms) -> bool:
        """Tells whether ``unit`` words the head's sentence near-identically."""
        mine, theirs = terms.triples[self.head.row], terms.triples[unit.row]
        if len(mine) < 2 or len(theirs) < 2:
            return terms.words[self.head.row] == terms.words[unit.row]
        short, long_ = sorted((len(mine), len(theirs)))
        if short < SAME_LENGTH * long_:
            return False  # a fragment of the sentence is not the same wording
        return len(mine & theirs) / short >= SAME_WORDING

    def add(self, unit: Sentence, meaning: float) -> None:
        """Lists ``unit`` as a use of the wording (a document may use it more than once)."""
        self.docs.add(unit.doc_id)
        self.members.append((unit, meaning))
