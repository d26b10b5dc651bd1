"""Passages in Milvus: their vectors and lexical terms, for the scale-out backend.

``TRACUU_BACKEND=milvus`` keeps what a search ranks — each passage's vector and its BM25
terms — in a Milvus collection, and searches both there; documents, passages' text and
offsets, references and the graph stay in the SQLite store beside the index, which stays
the truth. The collection mirrors the store: :meth:`MilvusPassages.sync` (run by every
write: ingest, upload, delete, reindex) makes it hold exactly the store's passages, so a
reader needs no state of its own and several ``tracuu serve`` processes over one Milvus
and one store answer alike.

Milvus has no Vietnamese analyzer, so the engine is given text it can split on its own:
the terms :mod:`vntext.analysis` made at ingest (segmented words with their diacritics,
folded syllables, syllable bigrams), split as the in-memory BM25 splits them
(:func:`index.bm25.tokens`), each word's syllables joined by ``_`` and each term marked
with its column (``w_``, ``f_``, ``b_``), so that the engine's ``standard`` analyzer
(``\\w+``, lower case) reads them as one token each. The engine computes BM25 on them;
the columns' weights (:data:`vntext.analysis.WEIGHTS`) are given by repeating a query's
terms.

``TRACUU_MILVUS_URI`` is a file path (Milvus Lite, embedded: one process at a time) or an
``http://host:19530`` URI of a Milvus server or cluster (or of ``milvus-lite server``);
the client code is the same. Reads use ``consistency_level="Strong"``: an upload is seen
by the next search of any reader.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from index.bm25 import tokens
from index.models import Filters
from index.options import EngineOptions
from index.store import Store
from vntext.analysis import COLUMNS, LEXICAL_VERSION, WEIGHTS
from vntext.normalize import fold

if TYPE_CHECKING:
    from pymilvus import MilvusClient

# The column marks of the terms, in COLUMNS order ("seg", "folded", "bigrams").
MARKS = ("w_", "f_", "b_")
COLLECTION_META = "milvus_collection"
# How the terms are written (:func:`lexical_text`): part of each row's key, so a change
# sends every row again.
TERMS_VERSION = "2"
# Milvus Lite's file inside the index directory when no URI is given.
MILVUS_FILE = "milvus.db"
STRONG = "Strong"
BATCH = 500
KEY_WINDOW = 10_000
# The dense index: exact (FLAT) up to this many passages, HNSW above (as index/ann.py
# chooses an exact FAISS index below its threshold).
FLAT_MAX = 50_000
HNSW_EF = 256
MAX_TERMS_CHARS = 65_535


def lexical_text(seg: str, folded: str, grams: str) -> str:
    """Returns the text the engine's BM25 reads for a passage: marked folded terms."""
    out: list[str] = []
    for mark, value in zip(MARKS, (seg, folded, grams), strict=True):
        out.extend(mark + t for t in tokens(value or ""))
    return " ".join(out)


def _repeats(weights: Sequence[float]) -> tuple[int, ...]:
    """The smallest whole numbers in the ratio of ``weights`` (1, 1, 1.5 → 2, 2, 3)."""
    fracs = [Fraction(w).limit_denominator(10) for w in weights]
    scale = 1
    for f in fracs:
        scale = scale * f.denominator // np.gcd(scale, f.denominator)
    return tuple(max(1, int(f * scale)) for f in fracs)


REPEATS = _repeats(WEIGHTS)


def query_text(terms: Iterable[tuple[str, str]]) -> str:
    """Returns the engine's query for ``(column, term)`` pairs, each repeated by its weight."""
    out: list[str] = []
    for column, term in dict.fromkeys(terms):
        toks = tokens(term)
        if len(toks) != 1:
            continue  # a phrase to FTS5; its syllables match through the bigrams already
        c = COLUMNS.index(column)
        out.extend([MARKS[c] + toks[0]] * REPEATS[c])
    return " ".join(out)


def _quoted(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def filter_expr(f: Filters) -> str:
    """Returns the Milvus boolean expression of the filters ("" when none is set).

    The same conditions as :meth:`index.store.Store.filter_sql`: the type equal and the
    issuer contained once folded, the year of the document's date within the bounds (a
    document without a date passes no year bound).
    """
    conds: list[str] = []
    if f.doc_id:
        conds.append(f"doc_id == {_quoted(f.doc_id)}")
    if f.doc_type:
        conds.append(f"doc_type == {_quoted(fold(f.doc_type))}")
    if f.issuer:
        pattern = fold(f.issuer).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conds.append(f"issuer like {_quoted('%' + pattern + '%')}")
    if f.year_from is not None:
        conds.append(f"year >= {int(f.year_from)}")
    if f.year_to is not None:
        conds.append(f"(year >= 0 and year <= {int(f.year_to)})")
    return " and ".join(conds)


_clients: dict[str, MilvusClient] = {}
_clients_lock = threading.Lock()


def client_for(uri: str) -> MilvusClient:
    """Returns this process's client of ``uri`` (one per URI: Milvus Lite allows one)."""
    try:
        from pymilvus import MilvusClient
    except ImportError as exc:  # pragma: no cover - the extra is not installed
        raise RuntimeError(
            "the Milvus backend needs pymilvus and milvus-lite: pip install -e '.[milvus]'"
        ) from exc
    with _clients_lock:
        if uri not in _clients:
            if "://" not in uri:
                # Milvus Lite, embedded: its in-process gRPC server logs a traceback for
                # each call it does not implement (AllocTimestamp, asked for by pymilvus
                # when creating a collection) although the call then succeeds.
                logging.getLogger("grpc._server").setLevel(logging.CRITICAL)
            _clients[uri] = MilvusClient(uri)
        return _clients[uri]


@dataclass(frozen=True)
class Synced:
    """What :meth:`MilvusPassages.sync` changed."""

    added: int
    removed: int
    total: int


class MilvusPassages:
    """The passages of one store in one Milvus collection.

    Args:
        store: the SQLite store (documents, passages, vectors: the truth).
        uri: a Milvus Lite file path or a server URI.
    """

    def __init__(self, store: Store, uri: str) -> None:
        self.store = store
        self.uri = uri
        self._loaded = False
        self._lock = threading.Lock()

    @property
    def client(self) -> MilvusClient:
        return client_for(self.uri)

    @property
    def name(self) -> str | None:
        """The collection's name (set by the first sync; per index, so a rebuilt index,
        a new store, gets a collection of its own)."""
        return self.store.get_meta(COLLECTION_META)

    def _create(self, name: str, dim: int) -> None:
        from pymilvus import DataType, Function, FunctionType

        c = self.client
        schema = c.create_schema(auto_id=False, enable_dynamic_field=False)
        schema.add_field("pid", DataType.INT64, is_primary=True)
        schema.add_field("key", DataType.VARCHAR, max_length=512)
        schema.add_field("dense", DataType.FLOAT_VECTOR, dim=dim)
        schema.add_field(
            "terms",
            DataType.VARCHAR,
            max_length=MAX_TERMS_CHARS,
            enable_analyzer=True,
            analyzer_params={"type": "standard"},
        )
        schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
        schema.add_field("doc_id", DataType.VARCHAR, max_length=512)
        schema.add_field("doc_type", DataType.VARCHAR, max_length=512)
        schema.add_field("issuer", DataType.VARCHAR, max_length=2048)
        schema.add_field("year", DataType.INT64)
        schema.add_function(
            Function(
                name="bm25",
                function_type=FunctionType.BM25,
                input_field_names=["terms"],
                output_field_names=["sparse"],
            )
        )
        params = c.prepare_index_params()
        if self.store.count_passages() > FLAT_MAX:
            params.add_index(
                "dense",
                index_type="HNSW",
                metric_type="IP",
                params={"M": 16, "efConstruction": 200},
            )
        else:
            params.add_index("dense", index_type="FLAT", metric_type="IP")
        params.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25")
        c.create_collection(name, schema=schema, index_params=params)

    def _ensure_loaded(self, name: str) -> None:
        if not self._loaded:
            self.client.load_collection(name)  # a restarted server holds it unloaded
            self._loaded = True

    def _keys(self, name: str, top: int) -> dict[int, str]:
        """Returns ``{row id: key}`` of every passage the collection holds.

        Read in windows of row ids (Milvus Lite has no query iterator), up to ``top`` (the
        store's largest row id), then whatever lies above it.
        """
        out: dict[int, str] = {}
        fields = ["pid", "key"]
        for a in range(0, top + 1, KEY_WINDOW):
            expr = f"pid >= {a} and pid < {a + KEY_WINDOW}"
            rows = self.client.query(
                name, filter=expr, output_fields=fields, limit=KEY_WINDOW, consistency_level=STRONG
            )
            out.update((int(r["pid"]), str(r["key"])) for r in rows)
        rows = self.client.query(
            name, filter=f"pid > {top}", output_fields=fields, consistency_level=STRONG, limit=16384
        )
        out.update((int(r["pid"]), str(r["key"])) for r in rows)
        return out

    def sync(self) -> Synced:
        """Makes the collection hold exactly the store's passages; returns what changed.

        A passage is keyed by its row id, its passage id, its document's hash and the
        lexical version, so a re-ingested document or re-analysed terms are sent again.
        Run by the one writer after each write; idempotent.
        """
        with self._lock:
            dim = int(self.store.get_meta("dim") or 0)
            with self.store.transaction() as conn:  # one name, whoever syncs first
                name = self.store.get_meta(COLLECTION_META)
                if name is None:
                    name = f"tracuu_{uuid.uuid4().hex[:16]}"
                    self.store.set_meta(conn, COLLECTION_META, name)
            if not self.client.has_collection(name):
                if not dim:
                    return Synced(0, 0, 0)  # an empty index: no model yet, nothing to hold
                try:
                    self._create(name, dim)
                except Exception:
                    if not self.client.has_collection(name):
                        raise  # not another process creating it at the same moment
                self._loaded = True
            self._ensure_loaded(name)
            with self.store.snapshot() as conn:
                want = {
                    int(r[0]): str(r[1])
                    for r in conn.execute(
                        "SELECT p.id, p.passage_id || ':' || d.sha256 || ':' || ? "
                        "FROM passages p JOIN documents d ON d.doc_id = p.doc_id",
                        (f"{LEXICAL_VERSION}.{TERMS_VERSION}",),
                    )
                }
            have = self._keys(name, max(want, default=0))
            stale = [pid for pid, key in have.items() if want.get(pid) != key]
            new = sorted(pid for pid, key in want.items() if have.get(pid) != key)
            if stale:
                for i in range(0, len(stale), BATCH):
                    self.client.delete(name, ids=stale[i : i + BATCH])
            for i in range(0, len(new), BATCH):
                self.client.upsert(name, self._rows(new[i : i + BATCH], want))
            return Synced(len(new), len(stale), len(want))

    def _rows(self, ids: list[int], keys: dict[int, str]) -> list[dict[str, Any]]:
        marks = ",".join("?" * len(ids))
        cols = ", ".join(f"f.{c}" for c in COLUMNS)
        rows = self.store.conn.execute(
            f"SELECT p.id, p.embedding, p.doc_id, d.doc_type, d.issuer, d.date, {cols} "
            "FROM passages p JOIN documents d ON d.doc_id = p.doc_id "
            f"JOIN passages_fts f ON f.rowid = p.id WHERE p.id IN ({marks})",
            ids,
        ).fetchall()
        out = []
        for r in rows:
            date = str(r[5] or "")
            out.append(
                {
                    "pid": int(r[0]),
                    "key": keys[int(r[0])],
                    "dense": np.frombuffer(r[1], dtype=np.float32).tolist(),
                    "terms": lexical_text(r[6], r[7], r[8])[:MAX_TERMS_CHARS],
                    "doc_id": str(r[2]),
                    "doc_type": fold(r[3] or ""),
                    "issuer": fold(r[4] or ""),
                    "year": int(date[:4]) if date[:4].isdigit() else -1,
                }
            )
        return out

    def _search(
        self,
        data: list[Any],
        field: str,
        limit: int,
        filters: Filters,
        params: dict[str, Any],
        allowed: AbstractSet[int] | np.ndarray | None,
    ) -> list[tuple[int, float]]:
        name = self.name
        if name is None or not self.client.has_collection(name):
            return []
        if allowed is not None and len(allowed) == 0:
            return []
        self._ensure_loaded(name)
        expr = filter_expr(filters)
        if allowed is not None:
            ids = f"pid in [{','.join(str(i) for i in sorted(int(i) for i in allowed))}]"
            expr = f"{expr} and {ids}" if expr else ids
        hits = self.client.search(
            name,
            data=data,
            anns_field=field,
            limit=limit,
            filter=expr,
            search_params=params,
            output_fields=["pid"],
            consistency_level=STRONG,
        )
        return [(int(h["pid"]), float(h["distance"])) for h in hits[0]] if hits else []

    def dense(
        self,
        vector: np.ndarray,
        limit: int,
        filters: Filters,
        allowed: AbstractSet[int] | np.ndarray | None = None,
    ) -> dict[int, float]:
        """The ``limit`` nearest passages by cosine: ``{row id: cosine}``.

        ``allowed``: row ids to keep to besides ``filters`` (sent as ``pid in [...]``).
        """
        found = self._search(
            [np.asarray(vector, dtype=np.float32).ravel().tolist()],
            "dense",
            limit,
            filters,
            {"metric_type": "IP", "params": {"ef": max(HNSW_EF, limit)}},
            allowed,
        )
        return dict(found)

    def lexical(
        self,
        terms: Iterable[tuple[str, str]],
        limit: int,
        filters: Filters,
        allowed: AbstractSet[int] | np.ndarray | None = None,
    ) -> dict[int, float]:
        """The ``limit`` best passages by the engine's BM25: ``{row id: score}``."""
        text = query_text(terms)
        if not text:
            return {}
        bm25 = {"metric_type": "BM25"}
        found = self._search([text], "sparse", limit, filters, bm25, allowed)
        # Milvus Lite gives BM25 as a distance (-score); a server gives the score.
        scores = [s for _, s in found]
        sign = -1.0 if scores and max(scores) <= 0 else 1.0
        return {pid: sign * s for pid, s in found}

    def count(self) -> int:
        """Passages the collection holds."""
        name = self.name
        if name is None or not self.client.has_collection(name):
            return 0
        self._ensure_loaded(name)
        res = self.client.query(
            name, filter="pid >= 0", output_fields=["count(*)"], consistency_level=STRONG
        )
        return int(res[0]["count(*)"]) if res else 0


def passages_for(store: Store, options: EngineOptions) -> MilvusPassages | None:
    """The store's Milvus passages when ``options`` choose the Milvus backend, else None."""
    if options.backend != "milvus":
        return None
    return MilvusPassages(store, options.milvus_uri or str(store.index_dir / MILVUS_FILE))


def drop_collection(uri: str, name: str) -> None:
    """Drops the collection ``name`` at ``uri`` when it is there (a rebuilt index's old one)."""
    client = client_for(uri)
    if client.has_collection(name):
        client.drop_collection(name)
