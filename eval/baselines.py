"""Baselines run beside tracuu's own modes, so every report shows the margin.

``bm25_words``: BM25 (bm25s, Lucene variant) over underthesea words of each passage,
lower-cased but not folded — what a plain Vietnamese BM25 set-up would do.
"""

from __future__ import annotations

from dataclasses import dataclass

from index.search import SearchIndex
from vntext.segment import words


@dataclass(frozen=True)
class BaselineHit:
    """The fields of a hit the metrics need."""

    source: str
    char_start: int
    char_end: int


class Bm25Words:
    """BM25 over unfolded underthesea words of the index's passages."""

    name = "bm25_words"

    def __init__(self, index: SearchIndex) -> None:
        import bm25s

        rows = index.store.conn.execute(
            "SELECT p.text, p.char_start, p.char_end, d.source FROM passages p "
            "JOIN documents d ON d.doc_id = p.doc_id ORDER BY p.id"
        ).fetchall()
        self._hits = [BaselineHit(r["source"], r["char_start"], r["char_end"]) for r in rows]
        self._bm25 = bm25s.BM25()
        self._bm25.index([words(r["text"]) or ["∅"] for r in rows], show_progress=False)

    def search(self, query: str, k: int = 10) -> list[BaselineHit]:
        """Returns the top ``k`` passages for the query."""
        terms = words(query)
        if not terms:
            return []
        k = min(k, len(self._hits))
        docs, scores = self._bm25.retrieve([terms], k=k, show_progress=False)
        return [self._hits[int(d)] for d, s in zip(docs[0], scores[0], strict=True) if s > 0]
