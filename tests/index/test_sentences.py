"""Sentence units on the real corpus: raw spans, vectors, migration, deletion (issue 19)."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from index.build import delete_document
from index.embed import Embedder
from index.schema import DB_NAME, MIGRATIONS
from index.search import SearchIndex
from index.sentences import SENTENCES_VERSION, Sentences, ensure, split
from index.spans import passage_rows
from index.store import Store

ROOT = Path(__file__).resolve().parents[2]


def _dense(text: str) -> str:
    return "".join(text.split())


def test_every_unit_is_its_raw_span_and_a_piece_of_its_passage(corpus_index: SearchIndex) -> None:
    units = Sentences(corpus_index.store)
    rows = {r.rowid: r for r in passage_rows(corpus_index.store)}
    assert len(units) > 5 * len(rows)  # sentences and list items, not passages
    raws: dict[str, str] = {}
    for u in units.units:
        row = rows[u.passage]
        assert row.text[u.start : u.end] == u.text and u.text.strip() == u.text
        raw = raws.setdefault(row.source, (ROOT / row.source).read_text(encoding="utf-8"))
        # cleaning only joins hard-wrapped lines: the same characters, up to whitespace
        assert _dense(raw[u.char_start : u.char_end]) == _dense(u.text)
        assert row.char_start <= u.char_start < u.char_end <= row.char_end
    by_doc = {u.doc_id for u in units.units if u.reading}
    assert by_doc == {"bc-64-hkh-son-la-2022", "bc-huyen-uy-duc-trong-2022-tong-ket-ct11"}


def test_list_items_are_units_of_their_own() -> None:
    text = "Nhiệm vụ như sau:\n- Tuyên truyền sâu rộng;\n- Kiện toàn tổ chức hội.\nCâu cuối. Hết."
    pieces = [text[a:b] for a, b in split(text)]
    assert pieces == [
        "Nhiệm vụ như sau:",
        "- Tuyên truyền sâu rộng;",
        "- Kiện toàn tổ chức hội.",
        "Câu cuối.",
        "Hết.",
    ]


def test_search_and_for_passages(corpus_index: SearchIndex, embedder: Embedder) -> None:
    units = Sentences(corpus_index.store)
    some = units.units[40]
    vec = embedder.embed([some.reading or some.text])[0]
    top = units.search(vec, k=5)
    assert top[0][0].id == some.id and top[0][1] > 0.99
    scores = [score for _, score in top]
    assert scores == sorted(scores, reverse=True)
    assert all(abs(_cos(units, s, vec) - score) < 1e-5 for s, score in top)
    only = units.search(vec, k=5, allowed_doc_ids={"web-dam-rong-5-nam-kl49-2024"})
    assert only and {s.doc_id for s, _ in only} == {"web-dam-rong-5-nam-kl49-2024"}
    assert units.search(vec, k=5, allowed_doc_ids=set()) == []
    mine = units.for_passages([some.passage_id])
    assert some in mine and mine == units.for_passages([some.passage])
    assert [u.ord for u in mine] == list(range(len(mine)))
    before, after = units.neighbours(some)
    assert before is not None and before.row == some.row - 1


def _cos(units: Sentences, s: object, vec: np.ndarray) -> float:
    return float(units.vectors[s.row] @ vec)  # type: ignore[attr-defined]


def test_an_index_without_units_builds_them_once_with_a_message(
    writable_index: Path, embedder: Embedder, caplog: pytest.LogCaptureFixture
) -> None:
    conn = sqlite3.connect(writable_index / DB_NAME)
    before = conn.execute("SELECT id, char_start, char_end, text FROM sentences ORDER BY id")
    expected = [tuple(r[1:]) for r in before.fetchall()]
    # what an index built before issue 19 looks like: the table migrated in, empty
    conn.execute("DELETE FROM sentences")
    conn.execute("DELETE FROM meta WHERE key IN ('sentences_version', 'sentences_stamp')")
    conn.commit()
    conn.close()
    store = Store(writable_index)
    units = Sentences(store)
    assert len(units) == 0
    with caplog.at_level(logging.WARNING, logger="tracuu"):
        written = ensure(store, embedder, ROOT)
    assert written == len(expected) and "no sentence units yet" in caplog.text
    assert store.get_meta("sentences_version") == SENTENCES_VERSION
    rows = store.conn.execute("SELECT char_start, char_end, text FROM sentences ORDER BY id")
    assert [tuple(r) for r in rows] == expected
    assert len(units) == len(expected)  # the cached matrix saw the new units
    assert ensure(store, embedder, ROOT) == 0


def test_units_go_with_their_document(writable_index: Path) -> None:
    store = Store(writable_index)
    units = Sentences(store)
    n = len(units)
    gone = [u for u in units.units if u.doc_id == "kh-tong-ket-10-nam-ct11-2017"]
    assert gone
    delete_document(writable_index, "kh-tong-ket-10-nam-ct11-2017")
    assert len(units) == n - len(gone)
    left = store.conn.execute(
        "SELECT COUNT(*) FROM sentences WHERE doc_id = 'kh-tong-ket-10-nam-ct11-2017'"
    )
    assert left.fetchone()[0] == 0


def test_an_index_where_units_were_migration_3_gets_the_cue_columns(writable_index: Path) -> None:
    # A branch numbered sentence units 3 before the relations' cue columns took it.
    conn = sqlite3.connect(writable_index / DB_NAME)
    for column in ("cue_start", "cue_end", "cue_text"):
        conn.execute(f"ALTER TABLE doc_references DROP COLUMN {column}")
    conn.execute("ALTER TABLE documents DROP COLUMN garbled")  # migration 5 came later
    conn.execute("PRAGMA user_version = 3")
    conn.commit()
    conn.close()
    store = Store(writable_index)
    columns = {r[1] for r in store.conn.execute("PRAGMA table_info(doc_references)")}
    assert {"cue_start", "cue_end", "cue_text"} <= columns
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert store.conn.execute("SELECT COUNT(*) FROM sentences").fetchone()[0] > 0


class _Counting:
    """The real embedder, counting the texts it is asked to embed."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.texts: list[str] = []

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)

    def embed(self, texts: list[str], **kwargs: object) -> np.ndarray:
        self.texts.extend(texts)
        return self.inner.embed(texts, **kwargs)  # type: ignore[arg-type]


def test_a_changed_file_embeds_only_its_new_sentences(tmp_path: Path, embedder: Embedder) -> None:
    from index.build import ingest_paths

    kept = "Hội Khuyến học huyện đã trao 120 suất học bổng cho học sinh nghèo vượt khó."
    again = "Các chi hội tổ chức tọa đàm về xây dựng gia đình học tập."
    path = tmp_path / "bc-7-hkh-thu-nghiem-2024.txt"
    body = "BÁO CÁO\n\nKết quả công tác khuyến học năm 2024\n\nI. KẾT QUẢ\n\n{} {} {} {}\n"
    path.write_text(body.format(kept, again, again, "Năm 2024 có 30 dòng họ học tập."), "utf-8")
    index_dir = tmp_path / "index"
    counting = _Counting(embedder)
    ingest_paths([path], index_dir, tmp_path, embedder=counting)  # type: ignore[arg-type]
    assert counting.texts.count(again) == 1  # a repeated sentence is embedded once
    before = Sentences(Store(index_dir))
    old = {u.text: before.vectors[u.row].copy() for u in before.units}
    new = "Năm 2024 có 35 dòng họ học tập được công nhận."
    path.write_text(body.format(kept, again, again, new), "utf-8")
    counting.texts.clear()
    ingest_paths([path], index_dir, tmp_path, embedder=counting)  # type: ignore[arg-type]
    assert new in counting.texts and kept not in counting.texts and again not in counting.texts
    after = Sentences(Store(index_dir))
    by_text = {u.text: after.vectors[u.row] for u in after.units}
    assert np.array_equal(by_text[kept], old[kept]) and np.array_equal(by_text[again], old[again])
    fresh = embedder.embed([new])[0]
    assert float(by_text[new] @ fresh) > 0.999
