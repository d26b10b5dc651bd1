"""POST /api/reindex: bring the index up to date with the corpus folder and the uploads.

Behind the same Bearer key as uploads and deletes (issue 8). Unchanged files are
skipped by content hash, so a reindex after a crash or a manual edit of the corpus
redoes only what changed; each file lands in one transaction, and searches keep
answering meanwhile.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool

from index.build import ingest_paths
from index.search import SearchIndex
from search_api.deps import SettingsDep
from search_api.routers.upload import (
    WRITE_ERRORS,
    WritableIndexDep,
    WriteAuth,
    _embedder,
    _write_lock,
    uploads_dir,
)
from search_api.schemas import ReindexResult
from search_api.settings import Settings

router = APIRouter(tags=["documents"])


def _reindex(index: SearchIndex, settings: Settings) -> dict[str, Any]:
    paths = [Path(settings.corpus_dir)]
    if uploads_dir(settings).is_dir():
        paths.append(uploads_dir(settings))
    with _write_lock:
        report = ingest_paths(
            paths,
            settings.index_dir,
            settings.root,
            embedder=_embedder(index, settings),
            max_bytes=settings.max_upload_bytes,
            options=settings.engine,
        )
    return {
        "added": report.added,
        "updated": report.updated,
        "skipped": len(report.skipped),
        "failed": [{"source": s, "reason": r} for s, r in report.failed],
        "passages": report.passages,
        "seconds": report.seconds,
    }


@router.post("/reindex", response_model=ReindexResult, responses=WRITE_ERRORS)
async def reindex(_: WriteAuth, index: WritableIndexDep, settings: SettingsDep) -> dict[str, Any]:
    """Ingests new and changed files of the corpus folder and of the uploads.

    Files whose content is unchanged are skipped; a file that cannot be read is
    listed under `failed` with the reason, and the others still go in.
    """
    return await run_in_threadpool(_reindex, index, settings)
