"""GET /api/requirements: who must do what, by when, according to which document."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool

from answers.requirements import Requirements, requirement_row
from search_api.deps import IndexDep, SettingsDep
from search_api.schemas import ErrorResponse, RequirementsResponse

router = APIRouter(tags=["answers"])


def get_requirements(request: Request, index: IndexDep, settings: SettingsDep) -> Requirements:
    """Returns the app's requirement table for the open index (extracted once)."""
    cached = getattr(request.app.state, "requirements", None)
    if cached is None or cached.index is not index:
        cached = Requirements(index, settings.root)
        request.app.state.requirements = cached
    return cached  # type: ignore[no-any-return]


RequirementsDep = Annotated[Requirements, Depends(get_requirements)]


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
