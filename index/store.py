"""SQLite store: documents, passages (with their vectors) and a full-text table."""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from index.errors import IndexMissing, NotFound
from index.models import Filters, SentenceUnit
from index.schema import DB_NAME, MIGRATIONS, SENTENCE_COLUMNS
from ingest.models import ParsedDocument
from vntext import analysis
from vntext.analysis import COLUMNS, LEXICAL_VERSION, analyze, doc_context
from vntext.garbled import is_garbled, part_garbled
from vntext.normalize import fold

_T = TypeVar("_T")

# Filter answers kept per generation by Store.allowed_rows.
ALLOWED_MEMO = 32


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=30, check_same_thread=False, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA synchronous=NORMAL")
    # For the migration that records each document's judgement (index/schema.py, 5).
    conn.create_function(
        "tracuu_garbled", 1, lambda text: int(is_garbled(text or "")), deterministic=True
    )
    return conn


def _sqlite_int(text: str) -> int:
    """``CAST(text AS INTEGER)`` as SQLite reads it: the leading integer, else 0."""
    m = _LEADING_INT.match(text)
    return int(m.group()) if m else 0


_LEADING_INT = re.compile(r"\s*[+-]?\d+")


@dataclass(frozen=True)
class _FilterTable:
    """What filters test, per document, and each passage's document (``Store._filter_table``)."""

    doc_ids: list[str]
    types: list[str]  # folded
    issuers: list[str]  # folded
    years: list[int | None]  # CAST(substr(date, 1, 4) AS INTEGER); None: no date
    ids: np.ndarray  # passage row ids, ascending
    codes: np.ndarray  # each passage's index into doc_ids


class Store:
    """The SQLite side of an index directory; one connection per thread."""

    def __init__(self, index_dir: Path, create: bool = False) -> None:
        self.index_dir = Path(index_dir)
        self.path = self.index_dir / DB_NAME
        if not self.path.exists():
            if not create:
                raise IndexMissing(
                    f"no index in {self.index_dir}; build one with `tracuu ingest corpus/`"
                )
            self.index_dir.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._derived: dict[str, tuple[str, Any]] = {}
        self._derived_lock = threading.Lock()
        self._migrate()
        self._ensure_lexical()

    @property
    def conn(self) -> sqlite3.Connection:
        """This thread's connection."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = _connect(self.path)
            self._local.conn = conn
        return conn

    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version == 3 and self._has_table("sentences"):
            # Built on a branch where sentence units were migration 3, before the
            # relations' cue columns took that number: run the cue migration now.
            version = 2
        for i, script in enumerate(MIGRATIONS[version:], start=version):
            with self.transaction() as c:
                for statement in script.split(";"):
                    if statement.strip():
                        c.execute(statement)
                c.execute(f"PRAGMA user_version = {i + 1}")

    def _has_table(self, name: str) -> bool:
        row = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
        )
        return row.fetchone() is not None

    def _ensure_lexical(self) -> None:
        """Rebuilds the full-text table from the passages when its analysis changed."""
        if self.get_meta("lexical_version") == LEXICAL_VERSION:
            return
        with self.transaction() as c:
            if self.get_meta("lexical_version") == LEXICAL_VERSION:
                return
            c.execute("DROP TABLE IF EXISTS passages_fts")
            c.execute(
                f"CREATE VIRTUAL TABLE passages_fts USING fts5({', '.join(COLUMNS)}, "
                "tokenize = \"unicode61 remove_diacritics 0 tokenchars '_'\")"
            )
            docs = {
                r["doc_id"]: (bool(r["garbled"]), doc_context(r["place"], r["province"]))
                for r in c.execute("SELECT doc_id, garbled, place, province FROM documents")
            }
            values = []
            for r in c.execute("SELECT id, doc_id, section, text FROM passages").fetchall():
                garbled, issuer = docs[r["doc_id"]]
                part = part_garbled(r["text"], garbled)
                values.append((r["id"], *analyze(r["section"], r["text"], part, context=issuer)))
            c.executemany(
                f"INSERT INTO passages_fts(rowid, {', '.join(COLUMNS)}) VALUES(?,?,?,?)", values
            )
            self.set_meta(c, "lexical_version", LEXICAL_VERSION)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Runs a write transaction: all of it lands, or none of it."""
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """Runs reads on one snapshot of the database (WAL: writers go on meanwhile).

        A search reads the generation, the candidates and the passages inside one
        snapshot, so an ingest committing between two of its queries cannot hand
        it ids that are gone (issue 8). Nested use joins the open transaction.
        """
        conn = self.conn
        if conn.in_transaction:
            yield conn
            return
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            if conn.in_transaction:
                conn.execute("COMMIT")

    # --- meta -----------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        """Returns a meta value."""
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, conn: sqlite3.Connection, key: str, value: str) -> None:
        """Sets a meta value inside a transaction."""
        conn.execute(
            "INSERT INTO meta(key, value) VALUES(?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def generation(self) -> int:
        """Returns the write generation: it grows with every change of passages."""
        return int(self.get_meta("generation") or 0)

    def cached(self, name: str, build: Callable[[], _T], stamp: str = "") -> _T:
        """Returns ``build()``, computed once per generation of this index.

        For data derived from the passages (graph, requirements, word statistics…):
        any write moves the generation, so nothing stale is ever served. ``stamp``
        names a further state the value depends on (e.g. sentence vectors added to
        an older index without a new generation); a new stamp rebuilds it too.
        """
        generation = f"{self.generation()}:{stamp}"
        with self._derived_lock:
            hit = self._derived.get(name)
            if hit is not None and hit[0] == generation:
                return hit[1]  # type: ignore[no-any-return]
        value = build()
        with self._derived_lock:
            self._derived[name] = (generation, value)
        return value

    def _bump(self, conn: sqlite3.Connection) -> None:
        self.set_meta(conn, "generation", str(self.generation() + 1))

    # --- documents ------------------------------------------------------------
    def doc_by_source(self, source: str) -> sqlite3.Row | None:
        """Returns the document stored for a source path."""
        return self.conn.execute(
            "SELECT doc_id, sha256 FROM documents WHERE source = ?", (source,)
        ).fetchone()

    def doc_id_taken(self, doc_id: str) -> bool:
        """Tells whether a document id exists."""
        row = self.conn.execute("SELECT 1 FROM documents WHERE doc_id = ?", (doc_id,))
        return row.fetchone() is not None

    def put_document(
        self,
        doc: ParsedDocument,
        vectors: np.ndarray,
        sentences: Sequence[SentenceUnit] = (),
        sentence_vectors: np.ndarray | None = None,
    ) -> None:
        """Replaces a document and its passages (and their sentences) atomically.

        The lexical index holds each passage with its section path in front, so a
        query naming a section's topic finds the passages under it.

        Args:
            doc: the parsed document.
            vectors: one float32 row per passage.
            sentences: the passages' sentence units (:func:`index.sentences.units_for`),
                ``passage`` being the passage's ordinal; without them the document's
                sentences are built later by :func:`index.sentences.ensure`.
            sentence_vectors: one float32 row per sentence unit (the passage role).
        """
        garbled = is_garbled(doc.clean_text)
        context = doc_context(doc.meta.place, doc.meta.province)
        rows = [
            (
                f"{doc.doc_id}:{p.ordinal:04d}",
                p,
                vectors[i],
                analyze(p.section, p.text, part_garbled(p.text, garbled), p.seg, context),
            )
            for i, p in enumerate(doc.passages)
        ]
        with self.transaction() as c:
            self._delete(c, doc.doc_id)
            old = c.execute("SELECT doc_id FROM documents WHERE source = ?", (doc.source,))
            for r in old.fetchall():
                self._delete(c, r[0])
            m = doc.meta
            outline = [s.__dict__ for s in doc.sections]
            c.execute(
                "INSERT INTO documents(doc_id, source, sha256, kind, number, doc_type, issuer, "
                "place, date, title, province, clean_text, outline, ingested_at, garbled) "
                "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    doc.doc_id,
                    doc.source,
                    doc.sha256,
                    doc.kind,
                    m.number,
                    m.doc_type,
                    m.issuer,
                    m.place,
                    m.date,
                    m.title,
                    m.province,
                    doc.clean_text,
                    json.dumps(outline, ensure_ascii=False),
                    time.time(),
                    int(garbled),
                ),
            )
            rowid_of: dict[int, int] = {}
            for pid, p, vec, lexical in rows:
                cur = c.execute(
                    "INSERT INTO passages(passage_id, doc_id, ord, char_start, char_end, page, "
                    "section, text, embedding) VALUES(?,?,?,?,?,?,?,?,?)",
                    (
                        pid,
                        doc.doc_id,
                        p.ordinal,
                        p.char_start,
                        p.char_end,
                        p.page,
                        p.section,
                        p.text,
                        np.asarray(vec, dtype=np.float32).tobytes(),
                    ),
                )
                c.execute(
                    f"INSERT INTO passages_fts(rowid, {', '.join(COLUMNS)}) VALUES(?,?,?,?)",
                    (cur.lastrowid, *lexical),
                )
                rowid_of[p.ordinal] = int(cur.lastrowid or 0)
            if sentences:
                assert sentence_vectors is not None and len(sentence_vectors) == len(sentences)
                placed = [replace(u, passage=rowid_of[u.passage]) for u in sentences]
                self.insert_sentences(c, placed, sentence_vectors)
            c.executemany(
                "INSERT INTO doc_references(doc_id, ord, char_start, char_end, surface, target, "
                "number, doc_type, form, resolved, relation, subject, date, issuer, title, "
                "passage_id, cue_start, cue_end, cue_text) "
                "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    (
                        doc.doc_id,
                        i,
                        r.char_start,
                        r.char_end,
                        r.surface,
                        r.target,
                        r.number,
                        r.doc_type,
                        r.form,
                        int(r.resolved),
                        r.relation,
                        r.subject,
                        r.date,
                        r.issuer,
                        r.title,
                        None if r.passage is None else f"{doc.doc_id}:{r.passage:04d}",
                        r.cue_start,
                        r.cue_end,
                        r.cue_text,
                    )
                    for i, r in enumerate(doc.references)
                ],
            )
            self._bump(c)

    def insert_sentences(
        self, c: sqlite3.Connection, units: Sequence[SentenceUnit], vectors: np.ndarray
    ) -> None:
        """Inserts sentence units (``passage`` = the passage's row id) inside a transaction."""
        c.executemany(
            f"INSERT INTO sentences({SENTENCE_COLUMNS}) VALUES(?,?,?,?,?,?,?,?,?,?)",
            [
                (
                    u.passage,
                    u.doc_id,
                    u.ord,
                    u.start,
                    u.end,
                    u.char_start,
                    u.char_end,
                    u.text,
                    u.reading,
                    np.asarray(vectors[i], dtype=np.float32).tobytes(),
                )
                for i, u in enumerate(units)
            ],
        )

    def _delete(self, c: sqlite3.Connection, doc_id: str) -> bool:
        ids = [r[0] for r in c.execute("SELECT id FROM passages WHERE doc_id = ?", (doc_id,))]
        c.executemany("DELETE FROM passages_fts WHERE rowid = ?", [(i,) for i in ids])
        c.execute("DELETE FROM sentences WHERE doc_id = ?", (doc_id,))
        c.execute("DELETE FROM passages WHERE doc_id = ?", (doc_id,))
        c.execute("DELETE FROM doc_references WHERE doc_id = ?", (doc_id,))
        return c.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,)).rowcount > 0

    def delete_document(self, doc_id: str) -> None:
        """Deletes a document and its passages.

        Raises:
            NotFound: no such document.
        """
        with self.transaction() as c:
            if not self._delete(c, doc_id):
                raise NotFound(f"no document with id {doc_id!r}")
            self._bump(c)

    def documents(self) -> list[dict[str, Any]]:
        """Returns every document's metadata with its passage count."""
        rows = self.conn.execute(
            "SELECT d.doc_id, d.source, d.number, d.doc_type, d.title, d.issuer, d.place, "
            "d.date, d.province, d.kind, d.sha256, "
            "(SELECT COUNT(*) FROM passages p WHERE p.doc_id = d.doc_id) AS passages "
            "FROM documents d ORDER BY d.date, d.doc_id"
        )
        return [dict(r) for r in rows]

    def document(self, doc_id: str) -> dict[str, Any]:
        """Returns one document with its cleaned text and outline.

        Raises:
            NotFound: no such document.
        """
        row = self.conn.execute(
            "SELECT d.*, (SELECT COUNT(*) FROM passages p WHERE p.doc_id = d.doc_id) AS passages "
            "FROM documents d WHERE doc_id = ?",
            (doc_id,),
        ).fetchone()
        if row is None:
            raise NotFound(f"no document with id {doc_id!r}")
        doc = dict(row)
        doc["outline"] = json.loads(doc["outline"])
        return doc

    def document_passages(self, doc_id: str) -> list[dict[str, Any]]:
        """Returns a document's passages in order."""
        rows = self.conn.execute(
            "SELECT passage_id, ord, char_start, char_end, page, section, text FROM passages "
            "WHERE doc_id = ? ORDER BY ord",
            (doc_id,),
        )
        return [dict(r) for r in rows]

    # --- passages -------------------------------------------------------------
    def passages(self, ids: Iterable[int]) -> dict[int, sqlite3.Row]:
        """Returns passages with their document's metadata, keyed by row id."""
        ids = list(ids)
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self.conn.execute(
            "SELECT p.id, p.passage_id, p.doc_id, p.char_start, p.char_end, p.page, p.section, "
            "p.text, d.title AS doc_title, d.number AS doc_number, d.source "
            f"FROM passages p JOIN documents d ON d.doc_id = p.doc_id WHERE p.id IN ({marks})",
            ids,
        )
        return {r["id"]: r for r in rows}

    def count_passages(self) -> int:
        """Returns the number of passages."""
        return int(self.conn.execute("SELECT COUNT(*) FROM passages").fetchone()[0])

    def embeddings(self) -> tuple[np.ndarray, np.ndarray]:
        """Returns all passage row ids and their vectors."""
        rows = self.conn.execute("SELECT id, embedding FROM passages ORDER BY id").fetchall()
        ids = np.array([r[0] for r in rows], dtype=np.int64)
        if not rows:
            return ids, np.zeros((0, 0), dtype=np.float32)
        vecs = np.vstack([np.frombuffer(r[1], dtype=np.float32) for r in rows])
        return ids, vecs

    def filter_sql(self, f: Filters) -> tuple[str, list[Any]]:
        """Returns a SQL condition on ``d`` (documents) for the filters, and its parameters."""
        conds: list[str] = []
        params: list[Any] = []
        if f.doc_id:
            conds.append("d.doc_id = ?")
            params.append(f.doc_id)
        if f.doc_type:
            conds.append("fold(d.doc_type) = ?")
            params.append(fold(f.doc_type))
        if f.issuer:
            conds.append("instr(fold(d.issuer), ?) > 0")
            params.append(fold(f.issuer))
        if f.year_from is not None:
            conds.append("CAST(substr(d.date, 1, 4) AS INTEGER) >= ?")
            params.append(f.year_from)
        if f.year_to is not None:
            conds.append("CAST(substr(d.date, 1, 4) AS INTEGER) <= ?")
            params.append(f.year_to)
        return (" AND ".join(conds) or "1"), params

    def garbled_documents(self) -> dict[str, bool]:
        """``{doc_id: whether its text is OCR output with garbled accents}``, judged at ingest."""

        def build() -> dict[str, bool]:
            rows = self.conn.execute("SELECT doc_id, garbled FROM documents")
            return {r[0]: bool(r[1]) for r in rows}

        return self.cached("garbled_documents", build)

    def _filter_table(self) -> _FilterTable:
        def build() -> _FilterTable:
            docs = self.conn.execute(
                "SELECT doc_id, doc_type, issuer, date FROM documents ORDER BY rowid"
            ).fetchall()
            code = {r[0]: i for i, r in enumerate(docs)}
            # In doc_id order, so SQLite reads the index passages_doc alone (1.8 s at 1M
            # passages) instead of every passage's row, text and vector (65 s from disk).
            rows = self.conn.execute("SELECT id, doc_id FROM passages ORDER BY doc_id").fetchall()
            ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
            codes = np.fromiter((code[r[1]] for r in rows), dtype=np.int32, count=len(rows))
            order = np.argsort(ids, kind="stable")
            return _FilterTable(
                doc_ids=[r[0] for r in docs],
                types=[fold(r[1]) if r[1] else "" for r in docs],
                issuers=[fold(r[2]) if r[2] else "" for r in docs],
                years=[_sqlite_int(r[3][:4]) if r[3] is not None else None for r in docs],
                ids=ids[order],
                codes=codes[order],
            )

        return self.cached("filter_table", build)

    def allowed_rows(self, f: Filters) -> np.ndarray:
        """Returns the passage row ids that pass the filters, ascending (int64).

        The filters are conditions on documents: they are tested once per document, on
        a table of the documents' folded type and issuer and their year kept for the
        generation, with the same meaning as :meth:`filter_sql`; the passages of the
        documents that pass are then picked with one array operation. (Testing them in
        SQL with the Python ``fold`` on every joined passage cost 0.3 s a search at 100k
        passages, and 0.13 s once per document at 1M.) The last ``ALLOWED_MEMO`` answers
        are kept too: paging under one filter, or a facet many users pick, costs nothing.
        """
        memo: dict[Filters, np.ndarray] = self.cached("allowed_rows", dict)
        hit = memo.get(f)
        if hit is not None:
            return hit
        t = self._filter_table()
        want_type = fold(f.doc_type) if f.doc_type else None
        want_issuer = fold(f.issuer) if f.issuer else None
        keep = np.zeros(len(t.doc_ids), dtype=bool)
        for i, doc_id in enumerate(t.doc_ids):
            year = t.years[i]
            keep[i] = (
                (not f.doc_id or doc_id == f.doc_id)
                and (want_type is None or t.types[i] == want_type)
                and (want_issuer is None or want_issuer in t.issuers[i])
                and (f.year_from is None or (year is not None and year >= f.year_from))
                and (f.year_to is None or (year is not None and year <= f.year_to))
            )
        hit = t.ids[keep[t.codes]]
        hit.flags.writeable = False
        with self._derived_lock:
            while len(memo) >= ALLOWED_MEMO:
                memo.pop(next(iter(memo)))
            memo[f] = hit
        return hit

    def allowed_ids(self, f: Filters) -> frozenset[int]:
        """Returns the passage row ids that pass the filters, as a set."""
        return frozenset(self.allowed_rows(f).tolist())

    def _ensure_fold(self) -> None:
        if not getattr(self._local, "fold", False):
            self.conn.create_function("fold", 1, lambda s: fold(s) if s else "", deterministic=True)
            self._local.fold = True

    def lexical(self, match: str, limit: int, f: Filters) -> list[tuple[int, float]]:
        """Runs an FTS5 query; returns ``(row id, score)`` best first (score = -bm25)."""
        self._ensure_fold()
        where, params = self.filter_sql(f)
        weights = ", ".join(str(w) for w in analysis.WEIGHTS)
        sql = (
            f"SELECT passages_fts.rowid, -bm25(passages_fts, {weights}) AS score FROM passages_fts "
            "JOIN passages p ON p.id = passages_fts.rowid "
            "JOIN documents d ON d.doc_id = p.doc_id "
            f"WHERE passages_fts MATCH ? AND {where} ORDER BY score DESC LIMIT ?"
        )
        rows = self.conn.execute(sql, [match, *params, limit])
        return [(int(r[0]), float(r[1])) for r in rows]
