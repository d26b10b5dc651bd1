"""The SQLite schema of an index: its file name and the numbered migrations that build it.

A new index runs them all; an older one the ones it lacks (``PRAGMA user_version`` counts
them), so an index built by an earlier version opens without a rebuild.
"""

from __future__ import annotations

DB_NAME = "tracuu.sqlite"

# Numbered migrations: entry i brings the schema from version i to i + 1.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE documents (
        doc_id TEXT PRIMARY KEY,
        source TEXT NOT NULL UNIQUE,
        sha256 TEXT NOT NULL,
        kind TEXT NOT NULL,
        number TEXT, doc_type TEXT, issuer TEXT, place TEXT, date TEXT, title TEXT,
        province TEXT,
        clean_text TEXT NOT NULL,
        outline TEXT NOT NULL,
        ingested_at REAL NOT NULL
    );
    CREATE TABLE passages (
        id INTEGER PRIMARY KEY,
        passage_id TEXT NOT NULL UNIQUE,
        doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
        ord INTEGER NOT NULL,
        char_start INTEGER NOT NULL,
        char_end INTEGER NOT NULL,
        page INTEGER,
        section TEXT NOT NULL,
        text TEXT NOT NULL,
        embedding BLOB NOT NULL
    );
    CREATE INDEX passages_doc ON passages(doc_id, ord);
    CREATE VIRTUAL TABLE passages_fts USING fts5(
        seg, folded, tokenize = "unicode61 remove_diacritics 0 tokenchars '_'"
    );
    """,
    # 2: references to other documents (issue 4). Documents indexed before this have
    # none, so their hash is marked stale and the next `tracuu ingest` re-reads them.
    """
    CREATE TABLE doc_references (
        id INTEGER PRIMARY KEY,
        doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
        ord INTEGER NOT NULL,
        char_start INTEGER NOT NULL,
        char_end INTEGER NOT NULL,
        surface TEXT NOT NULL,
        target TEXT NOT NULL,
        number TEXT NOT NULL,
        doc_type TEXT,
        form TEXT NOT NULL,
        resolved INTEGER NOT NULL,
        relation TEXT NOT NULL,
        subject TEXT,
        date TEXT,
        issuer TEXT,
        title TEXT,
        passage_id TEXT
    );
    CREATE INDEX doc_references_doc ON doc_references(doc_id, ord);
    CREATE INDEX doc_references_target ON doc_references(target);
    UPDATE documents SET sha256 = 'stale:' || sha256
    """,
    # 3: the words that decide each reference's relation (issue 20); relations are read
    # anew from the governing clause, so every document is re-read on the next ingest.
    """
    ALTER TABLE doc_references ADD COLUMN cue_start INTEGER;
    ALTER TABLE doc_references ADD COLUMN cue_end INTEGER;
    ALTER TABLE doc_references ADD COLUMN cue_text TEXT;
    UPDATE documents SET sha256 = 'stale:' || sha256 WHERE sha256 NOT LIKE 'stale:%'
    """,
    # 4: sentence units of passages with their vectors (issue 19). Indexes built before
    # this get them from index.sentences.ensure (when opened for precedent search, or
    # at the next ingest), without re-reading the documents.
    """
    CREATE TABLE IF NOT EXISTS sentences (
        id INTEGER PRIMARY KEY,
        passage INTEGER NOT NULL REFERENCES passages(id) ON DELETE CASCADE,
        doc_id TEXT NOT NULL REFERENCES documents(doc_id) ON DELETE CASCADE,
        ord INTEGER NOT NULL,
        text_start INTEGER NOT NULL,
        text_end INTEGER NOT NULL,
        char_start INTEGER NOT NULL,
        char_end INTEGER NOT NULL,
        text TEXT NOT NULL,
        reading TEXT,
        embedding BLOB NOT NULL
    );
    CREATE INDEX IF NOT EXISTS sentences_passage ON sentences(passage, ord);
    CREATE INDEX IF NOT EXISTS sentences_doc ON sentences(doc_id)
    """,
    # 5: whether a document's text is OCR output with garbled accents, judged once at
    # ingest (issue 18): judging every document again at the first search of each
    # generation took ~20 s at 100k passages. ``tracuu_garbled`` is
    # vntext.garbled.is_garbled, registered on every connection (index/store.py).
    """
    ALTER TABLE documents ADD COLUMN garbled INTEGER;
    UPDATE documents SET garbled = tracuu_garbled(clean_text)
    """,
]

SENTENCE_COLUMNS = (
    "passage, doc_id, ord, text_start, text_end, char_start, char_end, text, reading, embedding"
)
