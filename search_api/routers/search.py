"""GET /api/search."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool

from index.errors import BadQuery
from index.models import Filters
from index.search import MAX_K, MAX_QUERY_CHARS, MAX_YEAR, MODES
from search_api.deps import IndexDep
from search_api.schemas import ErrorResponse, SearchResponse

router = APIRouter(prefix="/api", tags=["search"])
MAX_OFFSET = 1000


def _range(low: int, high: int) -> dict[str, int]:
    # Documented in the OpenAPI only: the library checks the limits and answers 400
    # bad_query with a message, where FastAPI would answer a terser 422.
    return {"minimum": low, "maximum": high}


ERRORS: dict[int | str, dict] = {
    400: {"model": ErrorResponse, "description": "bad query or parameters"},
    422: {"model": ErrorResponse, "description": "a parameter has the wrong type"},
    503: {"model": ErrorResponse, "description": "no index built yet"},
}


@router.get("/search", response_model=SearchResponse, responses=ERRORS)
async def search(
    index: IndexDep,
    q: Annotated[
        str | None,
        Query(
            description=f"query text, 1–{MAX_QUERY_CHARS} characters, no control characters",
            json_schema_extra={"minLength": 1, "maxLength": MAX_QUERY_CHARS},
        ),
    ] = None,
    k: Annotated[
        int,
        Query(description=f"hits to return, 1–{MAX_K}", json_schema_extra=_range(1, MAX_K)),
    ] = 10,
    mode: Annotated[
        str, Query(description="hybrid | lexical | dense", json_schema_extra={"enum": list(MODES)})
    ] = "hybrid",
    offset: Annotated[
        int,
        Query(
            description=f"hits to skip, for pagination (0–{MAX_OFFSET})",
            json_schema_extra=_range(0, MAX_OFFSET),
        ),
    ] = 0,
    doc_type: Annotated[str | None, Query(description="document type, e.g. Báo cáo")] = None,
    issuer: Annotated[str | None, Query(description="part of the issuer's name")] = None,
    year_from: Annotated[
        int | None,
        Query(description="earliest year of issue", json_schema_extra=_range(0, MAX_YEAR)),
    ] = None,
    year_to: Annotated[
        int | None,
        Query(description="latest year of issue", json_schema_extra=_range(0, MAX_YEAR)),
    ] = None,
    doc_id: Annotated[str | None, Query(description="search inside one document")] = None,
) -> dict:
    """Searches passages; every hit carries its exact source span."""
    if q is None:
        raise BadQuery("missing query parameter q; e.g. /api/search?q=khuyến học")
    filters = Filters(
        doc_type=doc_type, issuer=issuer, year_from=year_from, year_to=year_to, doc_id=doc_id
    )
    result = await run_in_threadpool(index.search, q, k, mode, filters, offset)
    return asdict(result)
