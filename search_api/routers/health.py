"""GET /healthz (the process answers) and /readyz (an index with passages is open)."""

from __future__ import annotations

from fastapi import APIRouter

from index.errors import IndexMissing
from search_api.deps import IndexDep
from search_api.schemas import ErrorResponse, Health

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health, response_model_exclude_none=True)
def healthz() -> dict:
    """Tells that the process is up."""
    return {"status": "ok"}


@router.get(
    "/readyz",
    response_model=Health,
    responses={503: {"model": ErrorResponse, "description": "no index or it is empty"}},
)
def readyz(index: IndexDep) -> dict:
    """Tells whether the index is open and holds passages."""
    passages = index.store.count_passages()
    if passages == 0:
        raise IndexMissing("the index is empty; ingest documents with `tracuu ingest corpus/`")
    return {"status": "ready", "documents": len(index.store.documents()), "passages": passages}
