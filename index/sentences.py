"""Sentence units of passages, with exact raw spans and vectors (issue 19).

A unit is a sentence or a list item of a passage, as :func:`index.spans.sentence_spans`
cuts it (the one sentence splitter: sentence ends and line breaks, over-long runs cut
at clauses). Units are stored in SQLite at ingest beside their passage, with their
vector in the passage role, and deleted with their document. Precedent search ranks
them; answer selection can score the sentences of the passages it read.

Provenance: ``raw[char_start:char_end]`` of the passage's source is the unit's text
up to whitespace (the passage text is the cleaned copy of its raw span), as for
passages. ``reading`` is the unit restored for display when its document is OCR'd
with garbled accents (:func:`vntext.restore.readable`), and is also what the model
reads for it.

Usage::

    units = Sentences(store)                     # cached per index generation
    for s, score in units.search(query_vector, k=50, allowed_doc_ids={"doc-a"}):
        ...
    units.for_passages(["doc-a:0003", 17])       # passage ids or row ids
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.embed import Embedder
from index.models import Sentence, SentenceUnit
from index.spans import RawSources, place_spans, sentence_spans
from index.store import Store
from vntext.garbled import part_garbled
from vntext.restore import readable

log = logging.getLogger("tracuu")

# Clauses of a longer run become units of their own: OCR'd lists run for a page
# without a full stop, and e5 reads a sentence, not a page.
MAX_UNIT_CHARS = 500
# What a unit is and what its vector reads; an index with another version rebuilds
# its sentence units (index.sentences.ensure) without re-reading the documents.
SENTENCES_VERSION = "4"
# Units embedded per call to the model while building (longest first, so each batch
# holds texts of like length).
EMBED_CHUNK = 256


def split(text: str) -> list[tuple[int, int]]:
    """Returns the ``[start, end)`` spans of a passage's sentence units."""
    return sentence_spans(text, MAX_UNIT_CHARS)


def units_for(
    doc_id: str,
    passages: Iterable[tuple[int, str, int, int]],
    raw: str,
    garbled: bool,
) -> list[SentenceUnit]:
    """Cuts passages into sentence units with their raw spans.

    Args:
        doc_id: the document.
        passages: ``(key, text, char_start, char_end)`` per passage; ``key`` (its
            ordinal or row id) becomes each unit's ``passage``.
        raw: the text the passages' offsets index.
        garbled: the document is OCR'd with garbled accents; units of a passage judged
            garbled (:func:`vntext.garbled.part_garbled`) get a ``reading``.

    Returns:
        The units in document order; a piece that cannot be placed in ``raw`` is left out.
    """
    out: list[SentenceUnit] = []
    for key, text, start, end in passages:
        # a clean report's scanned annex is garbled in its own passages (issue 14)
        restore = part_garbled(text, garbled)
        spans = split(text)
        placed = place_spans(raw, start, end, text, spans)
        n = 0
        for (a, b), at in zip(spans, placed, strict=True):
            if at is None:
                continue
            piece = text[a:b]
            reading = readable(piece, True) if restore else None
            out.append(
                SentenceUnit(
                    doc_id=doc_id,
                    passage=key,
                    ord=n,
                    start=a,
                    end=b,
                    char_start=at[0],
                    char_end=at[1],
                    text=piece,
                    reading=reading if reading != piece else None,
                )
            )
            n += 1
    return out


def embedding_text(unit: SentenceUnit | Sentence) -> str:
    """Returns what the model reads for a unit: its reading (OCR'd), else its text."""
    return unit.reading or unit.text


def stored_vectors(store: Store, doc_id: str) -> dict[str, np.ndarray]:
    """Returns the vectors a document's stored units have, by what the model read.

    A changed file replaces its document: the sentences it kept need not be embedded
    again (the index records one model, so a stored vector is that model's).
    """
    dim = int(store.get_meta("dim") or 0)
    out: dict[str, np.ndarray] = {}
    rows = store.conn.execute(
        "SELECT text, reading, embedding FROM sentences WHERE doc_id = ?", (doc_id,)
    )
    for text, reading, blob in rows:
        vector = np.frombuffer(blob, dtype=np.float32)
        if len(vector) == dim:
            out[reading or text] = vector
    return out


def embed_units(
    embedder: Embedder,
    units: Sequence[SentenceUnit],
    progress: Callable[[int], None] | None = None,
    known: dict[str, np.ndarray] | None = None,
) -> np.ndarray:
    """Embeds units in the passage role, longest first; returns rows in ``units`` order.

    Each distinct text is embedded once (a report repeats its formulas), and a text in
    ``known`` (:func:`stored_vectors`) not at all.
    """
    out = np.zeros((len(units), embedder.dim), dtype=np.float32)
    rows: dict[str, list[int]] = {}
    for i, u in enumerate(units):
        rows.setdefault(embedding_text(u), []).append(i)
    todo = []
    for text, at in rows.items():
        if known is not None and text in known and len(known[text]) == embedder.dim:
            out[at] = known[text]
        else:
            todo.append(text)
    todo.sort(key=lambda t: -len(t))
    for c in range(0, len(todo), EMBED_CHUNK):
        part = todo[c : c + EMBED_CHUNK]
        vectors = embedder.embed(part, progress=progress)
        for text, v in zip(part, vectors, strict=True):
            out[rows[text]] = v
    return out


def check_version(store: Store) -> None:
    """Drops sentence units of another :data:`SENTENCES_VERSION` (:func:`ensure` rebuilds them).

    Call it before writing units of this version: an index without a recorded version
    either has no units yet or was made before versions were recorded.
    """
    if store.get_meta("sentences_version") == SENTENCES_VERSION:
        return
    with store.transaction() as c:
        if store.get_meta("sentences_version") != SENTENCES_VERSION:
            if store.get_meta("sentences_version") is not None:
                log.warning(
                    "%s: sentence units of another version; rebuilding them", store.index_dir
                )
            c.execute("DELETE FROM sentences")
            store.set_meta(c, "sentences_version", SENTENCES_VERSION)


def _missing(store: Store) -> list[tuple[int, str, int, int, str, str, str]]:
    """Returns passages without units: row id, text, span, doc id, source, sha256."""
    rows = store.conn.execute(
        "SELECT p.id, p.text, p.char_start, p.char_end, p.doc_id, d.source, d.sha256 "
        "FROM passages p JOIN documents d ON d.doc_id = p.doc_id "
        "WHERE NOT EXISTS (SELECT 1 FROM sentences s WHERE s.passage = p.id) "
        "ORDER BY p.doc_id, p.ord"
    ).fetchall()
    return [tuple(r) for r in rows]  # type: ignore[misc]


def ensure(
    store: Store,
    embedder: Embedder,
    root: Path,
    progress: Callable[[str, int, int], None] | None = None,
) -> int:
    """Builds the sentence units of passages that have none (an index made before them).

    Runs once per index generation; each document's units land in one transaction,
    and a passage given units meanwhile (by another process) is skipped, so it is
    safe to run beside an ingest or another server.

    Args:
        store: the index's store.
        embedder: the index's embedder (the passage role).
        root: the directory ``source`` paths are relative to.
        progress: called as ``progress(source, done, total)`` per document.

    Returns:
        The number of units written.
    """
    check_version(store)
    missing = _missing(store)
    if not missing:
        return 0
    t0 = time.perf_counter()
    log.warning(
        "%s: %d passages have no sentence units yet (an index built before them, or by "
        "another recipe); computing them once, with their vectors…",
        store.index_dir,
        len(missing),
    )
    raw = RawSources(root, store.index_dir)
    by_doc: dict[str, list[tuple[int, str, int, int, str, str, str]]] = {}
    for row in missing:
        by_doc.setdefault(row[4], []).append(row)
    garbled = store.garbled_documents()
    written = 0
    for n, (doc_id, rows) in enumerate(by_doc.items(), start=1):
        source, sha = rows[0][5], rows[0][6]
        text = raw.raw(source, sha.removeprefix("stale:"))
        if text is None:
            log.warning("%s: cannot read %s; its passages get no sentence units", doc_id, source)
            continue
        units = units_for(
            doc_id, [(r[0], r[1], r[2], r[3]) for r in rows], text, garbled.get(doc_id, False)
        )
        vectors = embed_units(embedder, units)
        with store.transaction() as c:
            ids = {u.passage for u in units}
            taken = {
                r[0]
                for r in c.execute(
                    f"SELECT DISTINCT passage FROM sentences WHERE passage IN "
                    f"({','.join('?' * len(ids))})",
                    list(ids),
                )
            }
            alive = {
                r[0]
                for r in c.execute(
                    f"SELECT id FROM passages WHERE id IN ({','.join('?' * len(ids))})", list(ids)
                )
            }
            keep = [i for i, u in enumerate(units) if u.passage in alive - taken]
            store.insert_sentences(c, [units[i] for i in keep], vectors[keep])
            stamp = int(store.get_meta("sentences_stamp") or 0) + 1
            store.set_meta(c, "sentences_stamp", str(stamp))
        written += len(keep)
        if progress:
            progress(source, n, len(by_doc))
    log.warning(
        "%s: %d sentence units written in %.1f s",
        store.index_dir,
        written,
        time.perf_counter() - t0,
    )
    return written


@dataclass(frozen=True)
class _Matrix:
    units: list[Sentence]
    vectors: np.ndarray  # (n, dim) float32, rows of unit length
    doc_codes: np.ndarray  # (n,) int32: index into ``docs``
    docs: list[str]
    by_passage: dict[int, list[int]]  # passage row id -> rows
    by_passage_id: dict[str, list[int]]


class Sentences:
    """Sentence units of an index in memory: their vectors as one matrix.

    Built from SQLite once per index generation (``Store.cached``), and again when
    :func:`ensure` adds units to an older index.

    Args:
        store: the index's store.
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    def _matrix(self) -> _Matrix:
        return self.store.cached(
            "sentences", self._load, stamp=self.store.get_meta("sentences_stamp") or ""
        )

    def _load(self) -> _Matrix:
        rows = self.store.conn.execute(
            "SELECT s.id, s.passage, p.passage_id, s.doc_id, s.ord, s.text_start, s.text_end, "
            "s.char_start, s.char_end, s.text, s.reading, s.embedding FROM sentences s "
            "JOIN passages p ON p.id = s.passage ORDER BY s.doc_id, p.ord, s.ord"
        ).fetchall()
        dim = int(self.store.get_meta("dim") or 0)
        units: list[Sentence] = []
        by_passage: dict[int, list[int]] = {}
        by_passage_id: dict[str, list[int]] = {}
        docs: dict[str, int] = {}
        codes = np.zeros(len(rows), dtype=np.int32)
        for i, r in enumerate(rows):
            units.append(
                Sentence(
                    id=r[0],
                    passage=r[1],
                    passage_id=r[2],
                    doc_id=r[3],
                    ord=r[4],
                    start=r[5],
                    end=r[6],
                    char_start=r[7],
                    char_end=r[8],
                    text=r[9],
                    reading=r[10],
                    row=i,
                )
            )
            by_passage.setdefault(r[1], []).append(i)
            by_passage_id.setdefault(r[2], []).append(i)
            codes[i] = docs.setdefault(r[3], len(docs))
        blob = b"".join(r[11] for r in rows)
        vectors = np.frombuffer(blob, dtype=np.float32).reshape(len(rows), dim or 1)
        if not rows:
            vectors = np.zeros((0, dim), dtype=np.float32)
        return _Matrix(units, vectors, codes, list(docs), by_passage, by_passage_id)

    def __len__(self) -> int:
        return len(self._matrix().units)

    @property
    def units(self) -> list[Sentence]:
        """Every unit, in document order (row ``i`` of :attr:`vectors`)."""
        return self._matrix().units

    @property
    def vectors(self) -> np.ndarray:
        """The units' vectors, one row each (do not modify)."""
        return self._matrix().vectors

    def search(
        self, query_vector: np.ndarray, k: int, allowed_doc_ids: Iterable[str] | None = None
    ) -> list[tuple[Sentence, float]]:
        """Returns the ``k`` units nearest a query vector (cosine), best first.

        Args:
            query_vector: a unit-length vector (the query role, for a pasted text).
            k: how many units to return.
            allowed_doc_ids: only units of these documents.
        """
        m = self._matrix()
        if not m.units or k <= 0:
            return []
        scores = m.vectors @ np.asarray(query_vector, dtype=np.float32)
        if allowed_doc_ids is not None:
            wanted = {d for d in allowed_doc_ids}
            codes = [i for i, d in enumerate(m.docs) if d in wanted]
            if not codes:
                return []
            scores = np.where(np.isin(m.doc_codes, codes), scores, -np.inf)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(m.units[i], float(scores[i])) for i in top if np.isfinite(scores[i])]

    def for_passages(self, passage_ids: Iterable[str | int]) -> list[Sentence]:
        """Returns the units of passages, given by ``passage_id`` or by row id, in order."""
        m = self._matrix()
        out: list[Sentence] = []
        for p in passage_ids:
            rows = m.by_passage.get(p, []) if isinstance(p, int) else m.by_passage_id.get(p, [])
            out.extend(m.units[i] for i in rows)
        return out

    def neighbours(self, unit: Sentence) -> tuple[Sentence | None, Sentence | None]:
        """Returns the units before and after ``unit`` in its document (across passages)."""
        m = self._matrix()
        i = unit.row
        before = m.units[i - 1] if i > 0 and m.units[i - 1].doc_id == unit.doc_id else None
        nxt = i + 1 < len(m.units) and m.units[i + 1].doc_id == unit.doc_id
        return before, (m.units[i + 1] if nxt else None)
