"""GET /api/requirements: who must do what, by when, according to which document."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.concurrency import run_in_threadpool

from answers.requirements import Requirements, requirement_row
from search_api.deps import service
from search_api.schemas import ErrorResponse, RequirementsResponse

router = APIRouter(tags=["answers"])


RequirementsDep = Annotated[Requirements, Depends(service(Requirements))]


@router.get(
    "/requirements",
    response_model=RequirementsResponse,
    responses={
        400: {"model": ErrorResponse, "description": "a filter is too long"},
        503: {"model": ErrorResponse, "description": "no index built yet"},
    },
)
async def requirements(
    table: RequirementsDep,
    actor: Annotated[str | None, Query(description="who must act, e.g. huyện ủy")] = None,
    doc_id: Annotated[str | None, Query(description="one document")] = None,
    q: Annotated[str | None, Query(description="words anywhere in the requirement")] = None,
) -> dict[str, Any]:
    """Lists requirement statements: actor, action, deadline or target, source span."""
    found = await run_in_threadpool(table.find, actor, doc_id, q)
    return {"total": len(found), "requirements": [requirement_row(r) for r in found]}
