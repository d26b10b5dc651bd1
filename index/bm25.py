"""BM25 over the full-text table in arrays, mapped from disk: FTS5's ranking, without a scan.

An FTS5 query ``folded : ("hoc" OR "tap" …)`` over common syllables visits and scores every
row that holds any of them, row by row, in SQLite's VM: about 2 queries/s at 100k passages.
Here the same table is held as one column-major sparse matrix whose entries are each
(row, term) pair's BM25 weight, so a query is a sum of a few posting arrays in NumPy. The
arrays are saved beside the index (``bm25.idx``) and mapped, not read, by a serving process.

The scores are FTS5's ``bm25()`` with the column weights of :data:`vntext.analysis.WEIGHTS`,
computed the same way (``tests/index/test_bm25.py`` checks the ranking against FTS5):

    score(row) = Σ_phrase idf(phrase) · f·(k1+1) / (f + k1·(1 − b + b·|row| / avg|row|))

where ``f`` is the phrase's weighted count in the row (each column's hits times its
weight), ``|row|`` counts the tokens of all columns, and
``idf = ln((N − n + 0.5) / (n + 0.5))`` over the ``n`` rows holding the phrase, floored
at 1e-6. A "phrase" here is one column-filtered, one-token term of
:func:`vntext.analysis.query_terms`.

Tokens are FTS5's ``unicode61 remove_diacritics 0 tokenchars '_'``: runs of letters,
digits and "_", lower-cased.
"""

from __future__ import annotations

import json
import math
import os
import re
import sqlite3
import subprocess
import sys
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numba import njit

from vntext import analysis
from vntext.analysis import COLUMNS

K1 = 1.2
B = 0.75
IDF_FLOOR = 1e-6
# The saved index (:meth:`BM25Index.save`): this line, a JSON header, then aligned arrays.
_MAGIC = b"tracuu-bm25 2\n"
_ALIGN = 64
# Rows per chunk of a streamed build (:func:`build_file`): ~50 MB of postings at a time.
CHUNK_ROWS = 20_000
_TOKEN = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    """Splits a column value as the FTS5 table's tokenizer does."""
    return _TOKEN.findall(text.lower())


@njit(cache=True, nogil=True)
def _accumulate(scores: np.ndarray, rows: np.ndarray, weights: np.ndarray, idf: float) -> None:
    """scores[rows] += idf * weights (a loop NumPy's fancy indexing runs ~6x slower)."""
    for i in range(rows.shape[0]):
        scores[rows[i]] += idf * weights[i]


@njit(cache=True, nogil=True)
def _top(scores: np.ndarray, mask: np.ndarray, use_mask: bool, k: int) -> np.ndarray:
    """Indices of the k largest positive scores (of the rows ``mask`` allows, if used),
    in no order; a min-heap of size k, so one pass over the rows."""
    heap = np.zeros(k)
    where = np.full(k, -1, dtype=np.int64)
    for i in range(scores.shape[0]):
        s = scores[i]
        if s > heap[0] and (not use_mask or mask[i]):
            heap[0] = s
            where[0] = i
            j = 0
            while True:
                left = 2 * j + 1
                if left >= k:
                    break
                m = left
                if left + 1 < k and heap[left + 1] < heap[left]:
                    m = left + 1
                if heap[m] >= heap[j]:
                    break
                heap[j], heap[m] = heap[m], heap[j]
                where[j], where[m] = where[m], where[j]
                j = m
    return where[where >= 0]


def _postings(
    row: Sequence[object],
    r: int,
    vocab: dict[tuple[int, str], int],
    weights: Sequence[float],
    term_of: array[int],
    row_of: array[int],
    freq: array[float],
) -> int:
    """Appends row ``r``'s postings (term id, row, weighted count); returns its length.

    ``row`` is ``(rowid, seg, folded, bigrams)``; a new (column, token) gets the next id.
    """
    length = 0
    for c in range(len(COLUMNS)):
        toks = tokens(str(row[c + 1] or ""))
        length += len(toks)
        seen = Counter(toks)
        term_of.extend([vocab.setdefault((c, tok), len(vocab)) for tok in seen])
        row_of.extend([r] * len(seen))
        freq.extend([n * weights[c] for n in seen.values()])
    return length


@dataclass
class BM25Index:
    """The full-text table as a CSC matrix of BM25 weights (rows = passages).

    Attributes:
        ids: passage row ids, ascending; matrix row ``i`` is passage ``ids[i]``.
        vocab: ``(column, token)`` → term number.
        indptr, rows, weights: term ``t``'s postings are ``rows[indptr[t]:indptr[t+1]]``
            with BM25 weights (idf left out) ``weights[…]``.
        row_len: tokens per row over all columns; ``avg_len`` their mean.
        term_max: each term's largest weight (its bound, times idf, for pruning).
    """

    ids: np.ndarray
    vocab: dict[tuple[int, str], int]
    indptr: np.ndarray
    rows: np.ndarray
    weights: np.ndarray
    row_len: np.ndarray
    avg_len: float
    term_max: np.ndarray

    @classmethod
    def build(cls, table: Iterable[Sequence[object]]) -> BM25Index:
        """Builds from ``(rowid, seg, folded, bigrams)`` rows of the full-text table."""
        weights_now = analysis.WEIGHTS  # read at build time (the ablations switch it)
        vocab: dict[tuple[int, str], int] = {}
        # Typed arrays, not lists: 4 bytes a posting instead of ~36 while building.
        ids = array("q")
        lengths = array("q")
        term_of = array("i")
        row_of = array("i")
        freq = array("f")
        for r, row in enumerate(table):
            ids.append(int(row[0]))  # type: ignore[call-overload]
            lengths.append(_postings(row, r, vocab, weights_now, term_of, row_of, freq))
        id_arr = np.asarray(ids, dtype=np.int64)
        order = np.argsort(id_arr, kind="stable")
        position = np.empty(len(ids), dtype=np.int32)
        position[order] = np.arange(len(ids), dtype=np.int32)
        row_len = np.asarray(lengths, dtype=np.float64)[order]
        avg_len = float(row_len.mean()) if len(row_len) else 1.0
        terms = (
            np.frombuffer(term_of, dtype=np.int32).astype(np.int64)
            if term_of
            else np.zeros(0, np.int64)
        )
        rows = position[np.frombuffer(row_of, dtype=np.int32)] if row_of else np.zeros(0, np.int32)
        f = np.frombuffer(freq, dtype=np.float32).astype(np.float64) if freq else np.zeros(0)
        norm = K1 * (1.0 - B + B * row_len[rows] / max(avg_len, 1e-9))
        weights = f * (K1 + 1.0) / (f + norm)
        by_term = np.lexsort((rows, terms))
        counts = np.bincount(terms, minlength=len(vocab)) if len(terms) else np.zeros(0, np.int64)
        indptr = np.zeros(len(vocab) + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        weights = weights[by_term].astype(np.float32)
        term_max = (
            np.maximum.reduceat(weights, indptr[:-1]) if len(vocab) else np.zeros(0, np.float32)
        )
        return cls(
            ids=id_arr[order],
            vocab=vocab,
            indptr=indptr,
            rows=rows[by_term].astype(np.int32),
            weights=weights,
            row_len=row_len,
            avg_len=avg_len,
            term_max=term_max,
        )

    @classmethod
    def from_sqlite(cls, conn: sqlite3.Connection) -> BM25Index:
        """Builds from the store's ``passages_fts`` table."""
        cur = conn.execute(f"SELECT rowid, {', '.join(COLUMNS)} FROM passages_fts")
        return cls.build(cur)

    @property
    def size(self) -> int:
        """Number of passages."""
        return len(self.ids)

    def nbytes(self) -> int:
        """Memory held by the arrays (the vocabulary dict not counted)."""
        return sum(
            a.nbytes
            for a in (self.ids, self.indptr, self.rows, self.weights, self.row_len, self.term_max)
        )

    def _idf(self, n: int) -> float:
        idf = math.log((self.size - n + 0.5) / (n + 0.5))
        return idf if idf > 0 else IDF_FLOOR

    def search(
        self,
        terms: Iterable[tuple[str, str]],
        limit: int,
        allowed: AbstractSet[int] | np.ndarray | None = None,
    ) -> list[tuple[int, float]]:
        """Returns the ``limit`` best rows holding any term, ``(row id, score)`` best first.

        Every posting of every term is added (a compiled loop, ~1 ns a posting), then one
        pass with a heap picks the top. Skipping the postings of common terms whose bound
        cannot change the top (MaxScore) was tried: finding the rows that still need them
        cost more than adding them all (92 against 953 queries/s at 100k passages).

        Args:
            terms: ``(column name, term)`` pairs, as :func:`vntext.analysis.query_terms` gives;
                each term is one token (a term the tokenizer splits is skipped: in FTS5 it
                would be a phrase, which :func:`~vntext.analysis.query_terms` never asks for).
            limit: how many rows to return at most (≥ 1).
            allowed: passage ids the filters allow, a set or an array (``None``: all).
        """
        if not self.size or limit < 1:
            return []
        scores = np.zeros(self.size, dtype=np.float64)
        for column, term in dict.fromkeys(terms):
            toks = tokens(term)
            t = self.vocab.get((COLUMNS.index(column), toks[0])) if len(toks) == 1 else None
            if t is not None:
                s, e = int(self.indptr[t]), int(self.indptr[t + 1])
                _accumulate(scores, self.rows[s:e], self.weights[s:e], self._idf(e - s))
        if allowed is None:
            hit = _top(scores, np.zeros(0, dtype=bool), False, limit)
        else:
            mask = np.zeros(self.size, dtype=bool)
            want = (
                np.asarray(allowed, dtype=np.int64)
                if isinstance(allowed, np.ndarray)
                else np.fromiter(allowed, dtype=np.int64, count=len(allowed))
            )
            pos = np.searchsorted(self.ids, want)
            inside = pos < self.size
            pos, want = pos[inside], want[inside]
            mask[pos[self.ids[pos] == want]] = True
            hit = _top(scores, mask, True, limit)
        # Best first; equal scores by row id, which is FTS5's order for them.
        hit = hit[np.lexsort((self.ids[hit], -scores[hit]))]
        return [(int(self.ids[i]), float(scores[i])) for i in hit]

    def save(self, path: Path, stamp: str) -> None:
        """Writes the index to ``path``, atomically, marked with ``stamp``.

        One file: a header line (JSON: the stamp, the average length and where each array
        lies), then the arrays raw and 64-byte aligned, so :meth:`load` maps them instead
        of reading them (a serving process holds only the pages its queries touch).
        """
        terms = sorted(self.vocab.items(), key=lambda kv: kv[1])
        arrays: dict[str, np.ndarray] = {
            "ids": np.ascontiguousarray(self.ids, dtype=np.int64),
            "columns": np.array([c for (c, _), _ in terms], dtype=np.int8),
            "terms": np.frombuffer(
                "\n".join(tok for (_, tok), _ in terms).encode("utf-8"), dtype=np.uint8
            ),
            "indptr": np.ascontiguousarray(self.indptr, dtype=np.int64),
            "rows": np.ascontiguousarray(self.rows, dtype=np.int32),
            "weights": np.ascontiguousarray(self.weights, dtype=np.float32),
            "row_len": np.ascontiguousarray(self.row_len, dtype=np.float64),
            "term_max": np.ascontiguousarray(self.term_max, dtype=np.float32),
        }
        specs = {name: (arr.dtype, len(arr)) for name, arr in arrays.items()}
        header, start, offsets, total = _layout(stamp, self.avg_len, specs)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        try:
            with tmp.open("wb") as f:
                f.write(header)
                for name, arr in arrays.items():
                    f.seek(start + offsets[name])
                    f.write(arr.tobytes())
                f.truncate(start + total)
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: Path, stamp: str) -> BM25Index | None:
        """Maps an index :meth:`save` wrote with the same ``stamp``; ``None`` otherwise.

        The arrays stay on disk, read-only, paged in as queries touch them; the file may
        be replaced meanwhile (a new one is renamed over it), the mapping keeps the old.
        """
        try:
            with path.open("rb") as f:
                if f.read(len(_MAGIC)) != _MAGIC:
                    return None
                head = json.loads(f.readline())
                start = f.tell()
            if head.get("stamp") != stamp:
                return None
            start = -(-start // _ALIGN) * _ALIGN
            size = path.stat().st_size
            maps: dict[str, np.ndarray] = {}
            for name, (dtype, count, offset) in head["arrays"].items():
                dt = np.dtype(dtype)
                if start + offset + dt.itemsize * count > size:
                    return None  # cut short (a full disk): rebuild
                maps[name] = (
                    np.memmap(path, dtype=dt, mode="r", offset=start + offset, shape=(count,))
                    if count
                    else np.zeros(0, dtype=dt)
                )
            columns = maps["columns"].tolist()
            text = maps["terms"].tobytes().decode("utf-8")
            toks = text.split("\n") if text or columns else []
            if len(toks) != len(columns):
                return None
            return cls(
                ids=maps["ids"],
                vocab={(c, tok): i for i, (c, tok) in enumerate(zip(columns, toks, strict=True))},
                indptr=maps["indptr"],
                rows=maps["rows"],
                weights=maps["weights"],
                row_len=maps["row_len"],
                avg_len=float(head["avg_len"]),
                term_max=maps["term_max"],
            )
        except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError):
            return None


def _layout(
    stamp: str, avg_len: float, specs: dict[str, tuple[np.dtype, int]]
) -> tuple[bytes, int, dict[str, int], int]:
    """The header of a ``bm25.idx`` file and where its arrays go.

    Returns:
        The header bytes (padded to where the arrays start), that start, each array's
        offset from it, and the arrays' total size.
    """
    layout: dict[str, list[object]] = {}
    offsets: dict[str, int] = {}
    offset = 0
    for name, (dtype, count) in specs.items():
        layout[name] = [np.dtype(dtype).str, count, offset]
        offsets[name] = offset
        offset += -(-np.dtype(dtype).itemsize * count // _ALIGN) * _ALIGN
    head = json.dumps({"stamp": stamp, "avg_len": avg_len, "arrays": layout}).encode()
    start = -(-(len(_MAGIC) + len(head) + 1) // _ALIGN) * _ALIGN
    return (_MAGIC + head + b"\n").ljust(start, b" "), start, offsets, offset


def build_file(
    table: Iterable[Sequence[object]], path: Path, stamp: str, chunk_rows: int = CHUNK_ROWS
) -> int:
    """Builds the index of ``(rowid, seg, folded, bigrams)`` rows straight into ``path``.

    The same arrays as :meth:`BM25Index.build` then :meth:`BM25Index.save`, but streamed:
    rows are read ``chunk_rows`` at a time, each chunk's postings sorted by term and spilled
    to a file beside ``path``; the final file is laid out from the terms' counts, and each
    chunk's postings are scattered into it through a writable mapping. Memory is one chunk,
    the vocabulary and a few numbers per row and per term, not every posting at once.
    Rows must come in ascending ``rowid`` (``ORDER BY rowid``).

    Returns:
        How many rows the index holds.
    """
    weights_now = analysis.WEIGHTS
    vocab: dict[tuple[int, str], int] = {}
    ids = array("q")
    lengths = array("q")
    counts = np.zeros(0, dtype=np.int64)
    spills: list[Path] = []
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        rows_iter = iter(table)
        r = 0
        while True:
            term_of = array("i")
            row_of = array("i")
            freq = array("f")
            n = 0
            for row in rows_iter:
                rowid = int(row[0])  # type: ignore[call-overload]
                if ids and rowid <= ids[-1]:
                    raise ValueError("rows must come in ascending rowid")
                ids.append(rowid)
                lengths.append(_postings(row, r, vocab, weights_now, term_of, row_of, freq))
                r += 1
                n += 1
                if n == chunk_rows:
                    break
            if not n:
                break
            terms = np.frombuffer(term_of, dtype=np.int32)
            order = np.argsort(terms, kind="stable")  # by term; rows stay ascending
            spill = path.with_name(f"{path.name}.{os.getpid()}.chunk{len(spills)}.npz")
            with spill.open("wb") as f:
                np.savez(
                    f,
                    terms=terms[order],
                    rows=np.frombuffer(row_of, dtype=np.int32)[order],
                    freq=np.frombuffer(freq, dtype=np.float32)[order],
                )
            spills.append(spill)
            grown = np.zeros(len(vocab), dtype=np.int64)
            grown[: len(counts)] = counts
            counts = grown + np.bincount(terms, minlength=len(vocab))
        size = len(ids)
        row_len = np.asarray(lengths, dtype=np.float64)
        avg_len = float(row_len.mean()) if size else 1.0
        indptr = np.zeros(len(vocab) + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        postings = int(indptr[-1])
        listed = sorted(vocab.items(), key=lambda kv: kv[1])
        blob = np.frombuffer("\n".join(t for (_, t), _ in listed).encode("utf-8"), np.uint8)
        small: dict[str, np.ndarray] = {
            "ids": np.asarray(ids, dtype=np.int64),
            "columns": np.array([c for (c, _), _ in listed], dtype=np.int8),
            "terms": blob,
            "indptr": indptr,
        }
        specs: dict[str, tuple[np.dtype, int]] = {k: (v.dtype, len(v)) for k, v in small.items()}
        specs |= {
            "rows": (np.dtype(np.int32), postings),
            "weights": (np.dtype(np.float32), postings),
            "row_len": (np.dtype(np.float64), size),
            "term_max": (np.dtype(np.float32), len(vocab)),
        }
        header, start, offsets, total = _layout(stamp, avg_len, specs)
        with tmp.open("wb") as f:
            f.write(header)
            f.truncate(start + total)
            for name, arr in (*small.items(), ("row_len", row_len)):
                f.seek(start + offsets[name])
                f.write(arr.tobytes())
        if postings:
            rows_out = np.memmap(tmp, np.int32, "r+", start + offsets["rows"], (postings,))
            w_out = np.memmap(tmp, np.float32, "r+", start + offsets["weights"], (postings,))
            fill = indptr[:-1].copy()
            for spill in spills:
                with np.load(spill) as z:
                    t, rr, f32 = z["terms"], z["rows"], z["freq"]
                if not len(t):
                    continue
                first = np.flatnonzero(np.r_[True, t[1:] != t[:-1]])  # where each run starts
                run = np.repeat(first, np.diff(np.r_[first, len(t)]))
                pos = fill[t] + (np.arange(len(t)) - run)
                # BM25 weight of each posting: FTS5's, as BM25Index.build computes it
                fq = f32.astype(np.float64)
                norm = K1 * (1.0 - B + B * row_len[rr] / max(avg_len, 1e-9))
                rows_out[pos] = rr
                w_out[pos] = (fq * (K1 + 1.0) / (fq + norm)).astype(np.float32)
                fill[t[first]] += np.diff(np.r_[first, len(t)])
                spill.unlink()
            term_max = np.maximum.reduceat(w_out, indptr[:-1]).astype(np.float32)
            rows_out.flush()
            w_out.flush()
            del rows_out, w_out
            with tmp.open("r+b") as out:
                out.seek(start + offsets["term_max"])
                out.write(term_max.tobytes())
        os.replace(tmp, path)
        return size
    finally:
        tmp.unlink(missing_ok=True)
        for spill in spills:
            spill.unlink(missing_ok=True)


def build_in_child(
    db: Path, out: Path, stamp: str, generation: str | None = None, timeout: float = 3600
) -> bool:
    """Builds the index of the database ``db`` in a child process and saves it to ``out``.

    The build's peak (every posting of every passage, several times the final arrays)
    is the child's; the caller then loads only the final arrays, so a serving process
    stays the size of the index it serves (issue 15). Returns whether ``out`` was
    written (False: the child failed, e.g. ``out`` is not writable, or the database
    is no longer at write ``generation``: the caller's snapshot is older than what the
    child would read, so the caller builds from its snapshot instead).
    """
    here = str(Path(__file__).resolve().parents[1])  # this copy of the package, first
    start = f"import sys; sys.path.insert(0, {here!r}); from index.bm25 import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", start, str(db), str(out), stamp, generation or ""],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        timeout=timeout,
        check=False,
    )
    return done.returncode == 0 and out.exists()


def _main(argv: list[str]) -> int:
    db, out, stamp, generation = argv
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        conn.execute("BEGIN")  # one snapshot for the check and every row read
        row = conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        if generation and str(row[0] if row else 0) != generation:
            return 3
        columns = ", ".join(COLUMNS)
        build_file(conn.execute(f"SELECT rowid, {columns} FROM passages_fts ORDER BY rowid"),
                   Path(out), stamp)  # fmt: skip
        conn.rollback()
    finally:
        conn.close()
    return 0


def main() -> None:
    """The child's entry point: ``DB OUT STAMP GENERATION`` on the command line."""
    sys.exit(_main(sys.argv[1:]))


if __name__ == "__main__":
    main()
