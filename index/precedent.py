"""Precedent wording for drafters: exact phrases, similar wording, near-duplicate sentences.

Everything matches on the diacritic-folded text (same length as the passage text, see
:func:`ingest.text.fold`), so "xay dung xa hoi hoc tap" finds "xây dựng xã hội học
tập" and the OCR'd reports, and every span found maps back to the raw file exactly.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from index.errors import BadQuery
from index.models import Citation, DuplicateGroup, PhraseHit
from index.search import SearchIndex
from index.spans import PassageRow, RawSources, passage_rows, sentence_spans
from ingest.text import fold, nfc

MAX_PHRASE_CHARS = 300
MAX_TEXT_CHARS = 5000
MAX_RESULTS = 100
SHARED_MIN_WORDS = 3  # a run of this many words in common counts as shared wording
_WORD = re.compile(r"\w+", re.UNICODE)


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
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


def _merge(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Merges spans that touch or are separated only by spaces and punctuation."""
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and (a <= out[-1][1] or not any(c.isalnum() for c in text[out[-1][1] : a])):
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


class Precedent:
    """Finds earlier wording across all documents of an index.

    Args:
        index: the open index.
        root: the directory ``source`` paths are relative to.
    """

    def __init__(self, index: SearchIndex, root: Path) -> None:
        self.index = index
        self.raw = RawSources(root, index.store.index_dir)

    def _rows(self) -> list[tuple[PassageRow, str]]:
        store = self.index.store
        return store.cached(
            "precedent:folded", lambda: [(r, fold(r.text)) for r in passage_rows(store)]
        )

    def _cite(self, row: PassageRow, a: int, b: int) -> Citation | None:
        span = self.raw.locate(row.source, row.sha256, row.char_start, row.char_end, row.text, a, b)
        raw = self.raw.raw(row.source, row.sha256)
        if span is None or raw is None:
            return None
        return Citation(
            doc_id=row.doc_id,
            doc_title=row.doc_title,
            doc_number=row.doc_number,
            source=row.source,
            char_start=span[0],
            char_end=span[1],
            page=row.page,
            section=row.section,
            passage_id=row.passage_id,
            quote=raw[span[0] : span[1]],
        )

    def _hit(self, row: PassageRow, spans: list[tuple[int, int]], score: float) -> PhraseHit:
        matches = [c for c in (self._cite(row, a, b) for a, b in spans) if c is not None]
        return PhraseHit(
            passage_id=row.passage_id,
            doc_id=row.doc_id,
            doc_title=row.doc_title,
            doc_number=row.doc_number,
            source=row.source,
            char_start=row.char_start,
            char_end=row.char_end,
            page=row.page,
            section=row.section,
            text=row.text,
            highlights=spans,
            matches=matches,
            score=round(score, 4),
        )

    def phrase(
        self, phrase: str, limit: int = 50, doc_id: str | None = None
    ) -> tuple[list[PhraseHit], int]:
        """Finds every occurrence of a phrase, accents, case and line breaks ignored.

        Args:
            phrase: the words to find, in order.
            limit: passages to return (1..100).
            doc_id: search one document only.

        Returns:
            The passages with their occurrences (document order), and the number of
            occurrences in all passages.

        Raises:
            BadQuery: the phrase is empty, has no word, or is too long; bad ``limit``.
        """
        phrase = " ".join(nfc(phrase or "").split())
        if not phrase or not _WORD.search(phrase):
            raise BadQuery("the phrase is empty; type the words to find, e.g. khuyến học")
        if len(phrase) > MAX_PHRASE_CHARS:
            raise BadQuery(
                f"the phrase is {len(phrase)} characters; the limit is {MAX_PHRASE_CHARS}"
            )
        if not 1 <= limit <= MAX_RESULTS:
            raise BadQuery(f"limit must be between 1 and {MAX_RESULTS}, not {limit}")
        pattern = _phrase_pattern(phrase)
        hits: list[PhraseHit] = []
        total = 0
        for row, folded in self._rows():
            if doc_id and row.doc_id != doc_id:
                continue
            spans = [(m.start(), m.end()) for m in pattern.finditer(folded)]
            if not spans:
                continue
            total += len(spans)
            if len(hits) < limit:
                hits.append(self._hit(row, spans, float(len(spans))))
        return hits, total

    def similar(self, text: str, k: int = 10) -> list[PhraseHit]:
        """Finds passages worded like ``text`` in any document, the shared wording marked.

        Candidates come from hybrid search; each is scored by the share of the pasted
        words it repeats in runs of at least three words, then by search score.

        Args:
            text: a sentence or paragraph.
            k: passages to return (1..50).

        Raises:
            BadQuery: the text is empty or too long; bad ``k``.
        """
        text = nfc(text or "").strip()
        if not text or not _WORD.search(text):
            raise BadQuery("the text is empty; paste a sentence or a paragraph")
        if len(text) > MAX_TEXT_CHARS:
            raise BadQuery(f"the text is {len(text)} characters; the limit is {MAX_TEXT_CHARS}")
        if not 1 <= k <= 50:
            raise BadQuery(f"k must be between 1 and 50, not {k}")
        mine = [m.group() for m in _WORD.finditer(fold(text))]
        n = SHARED_MIN_WORDS if len(mine) >= SHARED_MIN_WORDS else len(mine)
        grams = {tuple(mine[i : i + n]) for i in range(len(mine) - n + 1)}
        query = " ".join(text.split())[:2000]
        result = self.index.search(query, k=50)
        by_id = {r.passage_id: r for r, _ in self._rows()}
        folded_by_id = {r.passage_id: f for r, f in self._rows()}
        scored: list[tuple[float, PassageRow, list[tuple[int, int]]]] = []
        for rank, h in enumerate(result.hits):
            row = by_id.get(h.passage_id)
            if row is None:
                continue
            words = list(_WORD.finditer(folded_by_id[h.passage_id]))
            shared = [False] * len(words)
            their = [w.group() for w in words]
            for i in range(len(their) - n + 1):
                if tuple(their[i : i + n]) in grams:
                    for j in range(i, i + n):
                        shared[j] = True
            spans = _merge(
                [(w.start(), w.end()) for w, s in zip(words, shared, strict=True) if s], row.text
            )
            theirs = {tuple(their[i : i + n]) for i in range(len(their) - n + 1)}
            covered = sum(
                1
                for i in range(len(mine))
                if any(tuple(mine[j : j + n]) in theirs for j in range(max(0, i - n + 1), i + 1))
            )
            share = covered / len(mine) if mine else 0.0
            scored.append((0.75 * share + 0.25 * (1 - rank / len(result.hits)), row, spans))
        scored.sort(key=lambda x: -x[0])
        return [self._hit(row, spans, score) for score, row, spans in scored[:k]]

    def duplicates(
        self, min_similarity: float = 0.7, min_words: int = 8, limit: int = 50
    ) -> list[DuplicateGroup]:
        """Groups near-identical sentences used in different documents.

        Two sentences join when they share word triples covering ``min_similarity``
        of the shorter one (the overlap coefficient), so a formula reused inside a
        longer sentence is found too.

        Args:
            min_similarity: 0.3..1.0.
            min_words: shortest sentence considered (4..100 words).
            limit: groups to return (1..100), largest first.

        Raises:
            BadQuery: a parameter is out of range.
        """
        if not 0.3 <= min_similarity <= 1.0:
            raise BadQuery(f"min_similarity must be between 0.3 and 1.0, not {min_similarity}")
        if not 4 <= min_words <= 100:
            raise BadQuery(f"min_words must be between 4 and 100, not {min_words}")
        if not 1 <= limit <= MAX_RESULTS:
            raise BadQuery(f"limit must be between 1 and {MAX_RESULTS}, not {limit}")
        groups = self.index.store.cached(
            f"precedent:duplicates:{round(min_similarity, 3)}:{min_words}",
            lambda: self._groups(min_similarity, min_words),
        )
        return groups[:limit]

    def _groups(self, min_similarity: float, min_words: int) -> list[DuplicateGroup]:
        units: list[tuple[PassageRow, int, int, set[tuple[str, ...]]]] = []
        for row, folded in self._rows():
            for a, b in sentence_spans(row.text, 600):
                words = _WORD.findall(folded[a:b])
                if len(words) >= min_words:
                    units.append(
                        (row, a, b, {tuple(words[i : i + 3]) for i in range(len(words) - 2)})
                    )
        counts: dict[tuple[str, ...], int] = defaultdict(int)
        for unit in units:
            for g in unit[3]:
                counts[g] += 1
        # A triple in many sentences ("khuyến học, khuyến tài, xây dựng xã hội học tập")
        # is the domain's boilerplate: it neither proposes nor measures a duplicate.
        common = max(20, len(units) // 10)
        units = [
            (row, a, b, {g for g in grams if counts[g] <= common}) for row, a, b, grams in units
        ]
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
                c for c in (self._cite(units[i][0], units[i][1], units[i][2]) for i in ids) if c
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
