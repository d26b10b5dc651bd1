"""Exact wording: a phrase found everywhere it occurs, and near-identical sentences of
different documents grouped (:class:`answers.precedent.Precedent` serves both).

Both match on the diacritic-folded text (same length as the passage text), so every span
found maps back to the raw file exactly.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from index.errors import BadQuery
from index.models import DuplicateGroup, PhraseHit
from index.spans import PassageRow, RawSources, sentence_spans
from vntext.normalize import fold, nfc

MAX_PHRASE_CHARS = 300
MAX_RESULTS = 100
_WORD = re.compile(r"\w+", re.UNICODE)


def phrase_pattern(phrase: str) -> re.Pattern[str]:
    """Builds a pattern for the folded phrase: any whitespace between words, punctuation kept."""
    folded = fold(phrase)
    parts: list[str] = []
    pos = 0
    for m in _WORD.finditer(folded):
        gap = folded[pos : m.start()]
        if parts:
            punct = "".join(gap.split())
            parts.append(r"\s*" + re.escape(punct) + r"\s*" if punct else r"\s+")
        parts.append(re.escape(m.group()))
        pos = m.end()
    return re.compile(r"(?<!\w)" + "".join(parts) + r"(?!\w)")


def passage_fields(row: PassageRow) -> dict[str, Any]:
    """Returns the passage fields every precedent hit carries (the search hit's)."""
    return {
        "passage_id": row.passage_id,
        "doc_id": row.doc_id,
        "doc_title": row.doc_title,
        "doc_number": row.doc_number,
        "source": row.source,
        "char_start": row.char_start,
        "char_end": row.char_end,
        "page": row.page,
        "section": row.section,
        "text": row.text,
    }


def _hit(raw: RawSources, row: PassageRow, spans: list[tuple[int, int]], score: float) -> PhraseHit:
    matches = [c for c in (raw.cite(row, row.sha256, a, b) for a, b in spans) if c is not None]
    return PhraseHit(
        **passage_fields(row),
        highlights=spans,
        matches=matches,
        score=round(score, 4),
    )


def find_phrase(
    rows: Sequence[tuple[PassageRow, str]],
    raw: RawSources,
    phrase: str,
    limit: int = 50,
    doc_id: str | None = None,
) -> tuple[list[PhraseHit], int]:
    """Finds every occurrence of a phrase in ``rows`` (passages with their folded text).

    Raises:
        BadQuery: the phrase is empty, has no word, or is too long; bad ``limit``.
    """
    phrase = " ".join(nfc(phrase or "").split())
    if not phrase or not _WORD.search(phrase):
        raise BadQuery("the phrase is empty; type the words to find, e.g. khuyến học")
    if len(phrase) > MAX_PHRASE_CHARS:
        raise BadQuery(f"the phrase is {len(phrase)} characters; the limit is {MAX_PHRASE_CHARS}")
    if not 1 <= limit <= MAX_RESULTS:
        raise BadQuery(f"limit must be between 1 and {MAX_RESULTS}, not {limit}")
    pattern = phrase_pattern(phrase)
    hits: list[PhraseHit] = []
    total = 0
    for row, folded in rows:
        if doc_id and row.doc_id != doc_id:
            continue
        spans = [(m.start(), m.end()) for m in pattern.finditer(folded)]
        if not spans:
            continue
        total += len(spans)
        if len(hits) < limit:
            hits.append(_hit(raw, row, spans, float(len(spans))))
    return hits, total


def duplicate_groups(
    rows: Sequence[tuple[PassageRow, str]], raw: RawSources, min_similarity: float, min_words: int
) -> list[DuplicateGroup]:
    """Groups near-identical sentences of different documents: word triples in common
    (the domain's boilerplate triples left out) cover ``min_similarity`` of the shorter."""
    units: list[tuple[PassageRow, int, int, set[tuple[str, ...]]]] = []
    for row, folded in rows:
        for a, b in sentence_spans(row.text, 600):
            words = _WORD.findall(folded[a:b])
            if len(words) >= min_words:
                units.append((row, a, b, {tuple(words[i : i + 3]) for i in range(len(words) - 2)}))
    counts: dict[tuple[str, ...], int] = defaultdict(int)
    for unit in units:
        for g in unit[3]:
            counts[g] += 1
    # A triple in many sentences ("khuyến học, khuyến tài, xây dựng xã hội học tập")
    # is the domain's boilerplate: it neither proposes nor measures a duplicate.
    common = max(20, len(units) // 10)
    units = [(row, a, b, {g for g in grams if counts[g] <= common}) for row, a, b, grams in units]
    units = [u for u in units if len(u[3]) >= 4]
    postings: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, unit in enumerate(units):
        for g in unit[3]:
            postings[g].append(i)
    pairs: set[tuple[int, int]] = set()
    for ids in postings.values():
        for x in range(len(ids)):
            for y in range(x + 1, len(ids)):
                i, j = ids[x], ids[y]
                if units[i][0].doc_id != units[j][0].doc_id:
                    pairs.add((i, j))
    parent = list(range(len(units)))
    weakest: dict[int, float] = {}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in sorted(pairs):
        gi, gj = units[i][3], units[j][3]
        shared = len(gi & gj)
        sim = shared / min(len(gi), len(gj))
        if sim >= min_similarity and shared >= 4:
            ri, rj = find(i), find(j)
            low = min(sim, weakest.get(ri, 1.0), weakest.get(rj, 1.0))
            parent[ri] = rj
            weakest[rj] = low
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(units)):
        members[find(i)].append(i)
    groups = []
    for root, ids in members.items():
        if len(ids) < 2:
            continue
        cites = [
            c
            for c in (
                raw.cite(units[i][0], units[i][0].sha256, units[i][1], units[i][2]) for i in ids
            )
            if c
        ]
        docs = list(dict.fromkeys(c.doc_id for c in cites))
        if len(docs) < 2:
            continue
        groups.append((weakest.get(root, 1.0), docs, cites))
    groups.sort(key=lambda g: (-len(g[1]), -len(g[2]), -g[0]))
    return [
        DuplicateGroup(group_id=i + 1, similarity=round(sim, 4), documents=docs, members=cites)
        for i, (sim, docs, cites) in enumerate(groups)
    ]
