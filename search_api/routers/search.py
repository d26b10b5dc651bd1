"""GET /api/search."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool

from index.models import Filters
from index.search import MAX_K, MAX_OFFSET, MAX_QUERY_CHARS, MAX_YEAR, MODES
from search_api.deps import IndexDep
from search_api.schemas import ErrorResponse, SearchResponse

router = APIRouter(tags=["search"])
ERRORS: dict[int | str, dict] = {
    400: {"model": ErrorResponse, "description": "bad query or parameters"},
    503: {"model": ErrorResponse, "description": "no index built yet"},
}
Mode = Literal["hybrid", "lexical", "dense"]
assert set(Mode.__args__) == set(MODES)  # type: ignore[attr-defined]


@router.get("/search", response_model=SearchResponse, responses=ERRORS)
async def search(
    index: IndexDep,
    q: Annotated[
        str,
        Query(
            description=f"query text, 1–{MAX_QUERY_CHARS} characters, no control characters",
            json_schema_extra={"minLength": 1, "maxLength": MAX_QUERY_CHARS},
        ),
    ],
    k: Annotated[
        int,
        Query(description=f"hits to return, 1–{MAX_K}", ge=1, le=MAX_K),
    ] = 10,
    mode: Annotated[Mode, Query(description="hybrid | lexical | dense")] = "hybrid",
    offset: Annotated[
        int,
        Query(
            description=f"hits to skip, for pagination (0–{MAX_OFFSET}); every page is cut "
            "from the same ranking, so pages follow on and total stays the same",
            ge=0,
            le=MAX_OFFSET,
        ),
    ] = 0,
    doc_type: Annotated[str | None, Query(description="document type, e.g. Báo cáo")] = None,
    issuer: Annotated[str | None, Query(description="part of the issuer's name")] = None,
    year_from: Annotated[
        int | None,
        Query(description="earliest year of issue", ge=0, le=MAX_YEAR),
    ] = None,
    year_to: Annotated[
        int | None,
        Query(description="latest year of issue", ge=0, le=MAX_YEAR),
    ] = None,
    doc_id: Annotated[str | None, Query(description="search inside one document")] = None,
) -> dict:
    """Searches passages; every hit carries its exact source span."""
    filters = Filters(
        doc_type=doc_type, issuer=issuer, year_from=year_from, year_to=year_to, doc_id=doc_id
    )
    result = await run_in_threadpool(index.search, q, k, mode, filters, offset)
    return asdict(result)
