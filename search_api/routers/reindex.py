"""POST /api/reindex: bring the index up to date with the corpus folder and the uploads.

Behind the same Bearer key as uploads and deletes (issue 8). Unchanged files are
skipped by content hash, so a reindex after a crash or a manual edit of the corpus
redoes only what changed; each file lands in one transaction, and searches keep
answering meanwhile.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool

from search_api.deps import WritableIndexDep, WriterDep
from search_api.routers.upload import WRITE_ERRORS, WriteAuth
from search_api.schemas import ReindexResult
from search_api.shapes import ingest_result

router = APIRouter(tags=["documents"])


@router.post("/reindex", response_model=ReindexResult, responses=WRITE_ERRORS)
async def reindex(_: WriteAuth, index: WritableIndexDep, writer: WriterDep) -> dict[str, Any]:
    """Ingests new and changed files of the corpus folder and of the uploads.

    Files whose content is unchanged are skipped; a file that cannot be read is
    listed under `failed` with the reason, and the others still go in.
    """
    return ingest_result(await run_in_threadpool(writer.reindex, index))
