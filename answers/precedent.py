"""Precedent wording for drafters: exact phrases, similar wording, near-duplicate sentences.

Everything matches on the diacritic-folded text (same length as the passage text, see
:func:`vntext.normalize.fold`), so "xay dung xa hoi hoc tap" finds "xây dựng xã hội học
tập" and the OCR'd reports, and every span found maps back to the raw file exactly.
"""

from __future__ import annotations

import logging
import math
import re
import sqlite3
import threading
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from answers.phrases import (
    MAX_RESULTS,
    duplicate_groups,
    find_phrase,
    passage_fields,
)
from answers.wording import (
    Terms,
    WordingGroup,
    is_heading,
    shared_spans,
    unit_terms,
)
from index.errors import BadQuery
from index.levels import LEVELS, level_of, parse_level
from index.models import (
    Context,
    DuplicateGroup,
    Filters,
    PhraseHit,
    PrecedentFilters,
    Sentence,
    SimilarHit,
    WordingUse,
)
from index.search import CANDIDATES, MAX_YEAR, SearchIndex, check_text, fuse
from index.sentences import Sentences, ensure, split
from index.spans import PassageRow, RawSources, passage_rows
from vntext.normalize import fold, has_diacritics, nfc
from vntext.restore import restore_query

MAX_TEXT_CHARS = 5000
SHARED_MIN_WORDS = 3  # a run of this many words in common counts as shared wording
# Similar wording (issue 19): a candidate sentence's score is MEANING_WEIGHT x its cosine
# with the pasted text + WORDING_WEIGHT x the IDF-weighted cosine of their folded words
# and word pairs + PASSAGE_WEIGHT x its passage's BM25 over the best one's. Tuned on the
# dev sets only (eval/precedent_bench.py; figures in eval/REPORT.md).
MEANING_WEIGHT = 1.0
WORDING_WEIGHT = 0.4
PASSAGE_WEIGHT = 0.1
DENSE_CANDIDATES = 100  # nearest sentences by meaning, per piece of the pasted text
LEXICAL_PASSAGES = 30  # passages BM25 ranks first; all their sentences are candidates
# Never worse than /api/search (issue 19): the passages hybrid search ranks first (its
# own fusion of BM25 and passage vectors, over its CANDIDATES) lend their sentences to
# the candidates, and search's order is fused into the score by reciprocal rank
# (Cormack et al., SIGIR 2009): the best-ranked sentence of search's r-th passage gains
# SEARCH_WEIGHT x SEARCH_RRF_K / (SEARCH_RRF_K + r). Only that one: lifting all of a
# passage's sentences fills the ten results with one passage and lowered dev recall
# (0.981 -> 0.935 on corpus dev); dev plateau at weight 0.05-0.1, k 1-2.
SEARCH_PASSAGES = 10
SEARCH_WEIGHT = 0.1
SEARCH_RRF_K = 2.0
MAX_QUERY_PIECES = 8  # sentences of a pasted paragraph embedded on their own as well,
PIECES_FROM_CHARS = 400  # when it is longer than this (one sentence is embedded whole)
MIN_UNIT_WORDS = 3  # shorter units (headings, "Nơi nhận:") are no precedent
# Near-identical wording (answers/wording.py) is looked for among the GROUP_CANDIDATES
# sentences nearest by meaning, down to a cosine of NEAR_MEANING.
GROUP_CANDIDATES = 30
NEAR_MEANING = 0.85
_WORD = re.compile(r"\w+", re.UNICODE)
log = logging.getLogger("tracuu")


def _fuse_search(
    scored: list[tuple[float, int, float, float]],
    search_rank: dict[int, int],
    units: list[Sentence],
) -> list[tuple[float, int, float, float]]:
    """Adds search's passage order to its passages' best sentences by reciprocal rank.

    Args:
        scored: ``(score, unit row, meaning, wording)`` per candidate sentence.
        search_rank: passage row id -> its rank in hybrid search (1 = first).
        units: every sentence unit, by row.

    Returns:
        The candidates with their fused scores, best first.
    """
    scored = sorted(scored, key=lambda x: (-x[0], x[1]))
    if not SEARCH_WEIGHT:
        return scored
    seen: set[int] = set()
    out = []
    for score, row, cos, wording in scored:
        passage = units[row].passage
        r = search_rank.get(passage)
        if r is not None and passage not in seen:
            score += SEARCH_WEIGHT * SEARCH_RRF_K / (SEARCH_RRF_K + r)
            seen.add(passage)
        out.append((score, row, cos, wording))
    out.sort(key=lambda x: (-x[0], x[1]))
    return out


def other_cos(units: Sentences, row: int, qvecs: np.ndarray) -> float:
    """Returns the best cosine of a unit with the pasted text's vectors."""
    return float((qvecs @ units.vectors[row]).max())


class Precedent:
    """Finds earlier wording across all documents of an index.

    Args:
        index: the open index.
        root: the directory ``source`` paths are relative to.
    """

    def __init__(self, index: SearchIndex, root: Path) -> None:
        self.index = index
        self.raw = RawSources(root, index.store.index_dir)
        self.units = Sentences(index.store)
        self._ensured = -1
        self._lock = threading.Lock()

    def _rows(self) -> list[tuple[PassageRow, str]]:
        store = self.index.store
        return store.cached(
            "precedent:folded", lambda: [(r, fold(r.text)) for r in passage_rows(store)]
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
        return find_phrase(self._rows(), self.raw, phrase, limit, doc_id)

    # --- similar wording (issue 19) --------------------------------------------------
    def sentences(self) -> Sentences:
        """Returns the index's sentence units, building them first for an older index."""
        store = self.index.store
        generation = store.generation()
        with self._lock:
            if self._ensured != generation:
                try:
                    ensure(store, self.index.embedder, self.raw.root)
                except sqlite3.OperationalError as exc:  # a read-only index: search what it has
                    log.warning("%s: cannot write sentence units (%s)", store.index_dir, exc)
                self._ensured = generation
        return self.units

    def _documents(self) -> dict[str, dict[str, Any]]:
        store = self.index.store

        def build() -> dict[str, dict[str, Any]]:
            docs = {d["doc_id"]: d for d in store.documents()}
            for d in docs.values():
                d["issuer_level"] = level_of(d.get("number"), d.get("issuer"))
            return docs

        return store.cached("precedent:documents", build)

    def _by_rowid(self) -> dict[int, PassageRow]:
        store = self.index.store
        return store.cached("precedent:by-rowid", lambda: {r.rowid: r for r in passage_rows(store)})

    def _terms(self) -> Terms:
        units = self.sentences()
        store = self.index.store

        def build() -> Terms:
            sets = [unit_terms(u.text, u.reading) for u in units.units]
            df: dict[str, int] = defaultdict(int)
            for terms in sets:
                for t in terms:
                    df[t] += 1
            n = max(len(sets), 1)
            by_rowid = self._by_rowid()
            words = [tuple(_WORD.findall(fold(u.reading or u.text))) for u in units.units]
            out = Terms(
                sets=sets,
                norms=[],
                triples=[frozenset(zip(w, w[1:], w[2:], strict=False)) for w in words],
                words=words,
                headings=[
                    u.passage in by_rowid and is_heading(u.text, by_rowid[u.passage].section)
                    for u in units.units
                ],
                idf={t: math.log(1 + n / c) for t, c in df.items()},
                unseen=math.log(1 + n),
            )
            # A restored unit is as long as its reading: its raw OCR tokens ("téng",
            # "hudng") are rare, and their IDF would swell its norm and sink its cosine.
            out.norms = [
                out.norm(unit_terms(u.reading, None) if u.reading else t)
                for u, t in zip(units.units, sets, strict=True)
            ]
            return out

        return store.cached("precedent:terms", build, stamp=store.get_meta("sentences_stamp") or "")

    def allowed_documents(self, filters: PrecedentFilters | None) -> set[str] | None:
        """Returns the ids of documents passing the filters (``None``: no filter).

        Raises:
            BadQuery: an unknown issuer level, a year out of range or an empty range.
        """
        f = filters or PrecedentFilters()
        level = None
        if f.issuer_level is not None and f.issuer_level.strip():
            level = parse_level(f.issuer_level)
            if level is None:
                raise BadQuery(
                    f"unknown issuer_level {f.issuer_level!r}; valid: {', '.join(LEVELS)}"
                )
        for name, year in (("year_from", f.year_from), ("year_to", f.year_to)):
            if year is not None and not 0 <= year <= MAX_YEAR:
                raise BadQuery(f"{name} must be a year between 0 and {MAX_YEAR}, not {year}")
        if f.year_from is not None and f.year_to is not None and f.year_from > f.year_to:
            raise BadQuery(f"year_from {f.year_from} is after year_to {f.year_to}")
        doc_type = fold(f.doc_type).strip() if f.doc_type and f.doc_type.strip() else None
        if level is None and doc_type is None and f.year_from is None and f.year_to is None:
            return None
        out = set()
        for doc_id, d in self._documents().items():
            year = int(d["date"][:4]) if d.get("date") and d["date"][:4].isdigit() else None
            if doc_type is not None and fold(d.get("doc_type") or "") != doc_type:
                continue
            if level is not None and d["issuer_level"] != level:
                continue
            if f.year_from is not None and (year is None or year < f.year_from):
                continue
            if f.year_to is not None and (year is None or year > f.year_to):
                continue
            out.add(doc_id)
        return out

    def similar(
        self, text: str, k: int = 10, filters: PrecedentFilters | None = None
    ) -> list[SimilarHit]:
        """Finds the sentences of any document that say what ``text`` says, best first.

        Candidates are sentence units (:mod:`index.sentences`): the nearest to the
        pasted text by meaning (the text in the query role, sentences in the passage
        role) and those of the passages BM25 ranks first. Each is scored by its
        meaning (cosine), the IDF-weighted share of words it has in common with the
        text, and its passage's BM25, fused with the order of hybrid search's passages
        (so similar never loses what search finds); near-identical sentences of several documents
        make one result listing every document using the wording, newest first.
        The shared word runs are marked, not ranked on.

        Args:
            text: a sentence or paragraph (accents optional).
            k: results to return (1..50).
            filters: document type, issuer level, year range.

        Raises:
            BadQuery: the text is empty or too long; bad ``k`` or filters.
        """
        text = nfc(text or "").strip()
        if not text or not _WORD.search(text):
            raise BadQuery("the text is empty; paste a sentence or a paragraph")
        if len(text) > MAX_TEXT_CHARS:
            raise BadQuery(f"the text is {len(text)} characters; the limit is {MAX_TEXT_CHARS}")
        if not 1 <= k <= 50:
            raise BadQuery(f"k must be between 1 and 50, not {k}")
        check_text(text, "text")
        allowed = self.allowed_documents(filters)
        with self.index.store.snapshot():
            return self._similar(text, k, allowed)

    def _similar(self, text: str, k: int, allowed: set[str] | None) -> list[SimilarHit]:
        units = self.sentences()
        if not len(units) or allowed is not None and not allowed:
            return []
        terms = self._terms()
        restored = text if has_diacritics(text) else restore_query(text, self.index.restorer())
        pieces = [restored]
        spans = split(restored)
        if len(spans) > 1 and len(restored) > PIECES_FROM_CHARS:
            pieces += [restored[a:b] for a, b in spans[:MAX_QUERY_PIECES]]
        qvecs = self.index.embedder.embed(pieces, is_query=True)
        piece_terms = [(t, terms.norm(t)) for t in (unit_terms(p, None) for p in pieces)]

        rows: set[int] = set()
        for q in qvecs:
            rows.update(s.row for s, _ in units.search(q, DENSE_CANDIDATES, allowed))
        by_rowid = self._by_rowid()
        passage_ok = (
            None if allowed is None else {r for r, p in by_rowid.items() if p.doc_id in allowed}
        )
        bm25 = self.index.lexical(text, restored, CANDIDATES, Filters(), passage_ok)
        dense = self.index.dense(qvecs[0], CANDIDATES, Filters(), passage_ok)
        searched = sorted(fuse(bm25, dense).items(), key=lambda kv: (-kv[1], kv[0]))
        search_rank = {pid: r for r, (pid, _) in enumerate(searched[:SEARCH_PASSAGES], start=1)}
        lexical_first = sorted(bm25, key=lambda pid: (-bm25[pid], pid))[:LEXICAL_PASSAGES]
        in_lexical = set(lexical_first)

        top_bm25 = max(bm25.values(), default=0.0) or 1.0
        rows.update(s.row for s in units.for_passages([*lexical_first, *search_rank]))
        if not rows:
            return []
        order = sorted(rows)
        all_units = units.units
        meaning = (units.vectors[order] @ qvecs.T).max(axis=1)
        short_query = len(_WORD.findall(text)) < MIN_UNIT_WORDS
        scored: list[tuple[float, int, float, float]] = []
        for i, row in enumerate(order):
            unit = all_units[row]
            if not short_query and len(terms.words[row]) < MIN_UNIT_WORDS:
                continue
            if terms.headings[row]:
                continue  # a heading names a topic; it is no wording to reuse
            wording = max(terms.similarity(q, qn, row) for q, qn in piece_terms)
            lexical = bm25.get(unit.passage, 0.0) / top_bm25 if unit.passage in in_lexical else 0
            score = (
                MEANING_WEIGHT * float(meaning[i])
                + WORDING_WEIGHT * wording
                + PASSAGE_WEIGHT * lexical
            )
            scored.append((score, row, float(meaning[i]), wording))
        scored = _fuse_search(scored, search_rank, all_units)

        mine = _WORD.findall(fold(text))
        n = min(SHARED_MIN_WORDS, len(mine))
        grams = {tuple(mine[i : i + n]) for i in range(len(mine) - n + 1)}
        groups: list[WordingGroup] = []
        placed: set[int] = set()
        for score, row, cos, wording in scored:
            if len(groups) >= k:
                break
            if row in placed:
                continue
            unit = all_units[row]
            joined = next((g for g in groups if g.same_wording(unit, terms)), None)
            if joined is not None:
                joined.add(unit, cos)
                placed.add(row)
                continue
            group = WordingGroup(unit, score, cos, wording)
            placed.add(row)
            for other, near in units.search(units.vectors[row], GROUP_CANDIDATES, allowed):
                if near < NEAR_MEANING:
                    break
                if other.row not in placed and group.same_wording(other, terms):
                    group.add(other, float(other_cos(units, other.row, qvecs)))
                    placed.add(other.row)
            groups.append(group)
        hits: list[SimilarHit] = []
        for g in groups:
            hit = self._similar_hit(len(hits) + 1, g, grams, n, by_rowid)
            if hit is not None:
                hits.append(hit)
        return hits

    def _context(self, unit: Sentence | None, row: PassageRow) -> Context | None:
        if unit is None:
            return None
        raw = self.raw.raw(row.source, row.sha256)
        if raw is None or unit.char_end > len(raw):
            return None
        return Context(
            text=unit.text,
            char_start=unit.char_start,
            char_end=unit.char_end,
            quote=raw[unit.char_start : unit.char_end],
            # shown as search hits and answers show OCR'd text (index/reading.py: the
            # index's restorer, which knows the corpus's place names); the stored
            # unit.reading is what the model read
            reading=self.index.readings.reading(unit.doc_id, unit.text, row.text)
            if unit.reading is not None
            else None,
        )

    def _similar_hit(
        self,
        rank: int,
        group: WordingGroup,
        grams: set[tuple[str, ...]],
        n: int,
        by_rowid: dict[int, PassageRow],
    ) -> SimilarHit | None:
        head = group.head
        row = by_rowid.get(head.passage)
        sentence = self._context(head, row) if row is not None else None
        if row is None or sentence is None:
            return None
        docs = self._documents()
        shared = shared_spans(fold(head.text), grams, n, head.text)
        in_passage = [(head.start + a, head.start + b) for a, b in shared]
        matches = [
            c
            for c in (self.raw.cite(row, row.sha256, a, b) for a, b in in_passage)
            if c is not None
        ]
        before, after = self.units.neighbours(head)
        uses = []
        for member, cos in group.members:
            prow = by_rowid.get(member.passage)
            ctx = self._context(member, prow) if prow is not None else None
            if prow is None or ctx is None:
                continue
            d = docs.get(member.doc_id, {})
            uses.append(
                WordingUse(
                    doc_id=member.doc_id,
                    doc_title=prow.doc_title,
                    doc_number=prow.doc_number,
                    doc_type=d.get("doc_type"),
                    issuer=d.get("issuer"),
                    issuer_level=d.get("issuer_level"),
                    date=d.get("date"),
                    source=prow.source,
                    page=prow.page,
                    section=prow.section,
                    passage_id=prow.passage_id,
                    char_start=ctx.char_start,
                    char_end=ctx.char_end,
                    quote=ctx.quote,
                    reading=ctx.reading,
                    similarity=round(cos, 4),
                )
            )
        uses.sort(key=lambda u: (u.date or "", u.doc_id, -u.char_start), reverse=True)
        d = docs.get(head.doc_id, {})
        return SimilarHit(
            **passage_fields(row),
            highlights=in_passage,
            matches=matches,
            score=round(group.score, 4),
            rank=rank,
            doc_type=d.get("doc_type"),
            issuer=d.get("issuer"),
            issuer_level=d.get("issuer_level"),
            date=d.get("date"),
            sentence=sentence,
            sentence_highlights=shared,
            before=self._context(before, by_rowid[before.passage]) if before else None,
            after=self._context(after, by_rowid[after.passage]) if after else None,
            reading=sentence.reading,
            restored=sentence.reading is not None,
            uses=uses,
            meaning=round(group.meaning, 4),
            wording=round(group.wording, 4),
        )

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
            lambda: duplicate_groups(self._rows(), self.raw, min_similarity, min_words),
        )
        return groups[:limit]
