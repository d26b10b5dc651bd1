"""Precedent wording: GET /api/phrase, POST /api/similar, GET /api/duplicates."""

from __future__ import annotations

import time
from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.concurrency import run_in_threadpool

from answers.precedent import Precedent
from index.models import PrecedentFilters
from search_api.deps import service
from search_api.schemas import (
    DuplicatesResponse,
    ErrorResponse,
    PhraseResponse,
    SimilarRequest,
    SimilarResponse,
)
from search_api.shapes import similar_hit

router = APIRouter(tags=["precedent"])
ERRORS: dict[int | str, dict] = {
    400: {"model": ErrorResponse, "description": "empty or too long text, bad parameter"},
    503: {"model": ErrorResponse, "description": "no index built yet"},
}


PrecedentDep = Annotated[Precedent, Depends(service(Precedent))]


@router.get("/phrase", response_model=PhraseResponse, responses=ERRORS)
async def phrase(
    finder: PrecedentDep,
    q: Annotated[
        str,
        Query(
            description="the exact words, accents optional",
            json_schema_extra={"minLength": 1, "maxLength": 300},
        ),
    ],
    limit: Annotated[int, Query(description="passages to return, 1–100", ge=1, le=100)] = 50,
    doc_id: Annotated[str | None, Query(description="one document")] = None,
) -> dict[str, Any]:
    """Finds every occurrence of a phrase in all passages, with exact raw spans."""
    hits, total = await run_in_threadpool(finder.phrase, q, limit, doc_id)
    return {"query": q, "total": total, "hits": [asdict(h) for h in hits]}


@router.post("/similar", response_model=SimilarResponse, responses=ERRORS)
async def similar(body: SimilarRequest, finder: PrecedentDep) -> dict[str, Any]:
    """Finds the sentences of earlier documents worded like a pasted sentence or paragraph.

    Ranked by meaning (the embedding model) fused with the words in common; the shared
    word runs are marked; near-identical sentences of several documents are one result
    listing every document using the wording (`uses`, newest first). Each result gives
    its document (number, type, issuer, level, date), section, the sentence with the
    sentence before and after, its exact raw span and, for OCR'd documents, `reading`.
    Filters: `doc_type`, `issuer_level` (Trung ương, tỉnh, huyện, xã), `year_from`, `year_to`.
    """
    filters = PrecedentFilters(
        doc_type=body.doc_type,
        issuer_level=body.issuer_level,
        year_from=body.year_from,
        year_to=body.year_to,
    )
    t0 = time.perf_counter()
    hits = await run_in_threadpool(finder.similar, body.text, body.k, filters)
    took = round((time.perf_counter() - t0) * 1000, 2)
    return {"text": body.text, "took_ms": took, "hits": [similar_hit(h) for h in hits]}


# Every distinct (min_similarity, min_words) is a scan of the corpus, kept in memory:
# an anonymous client must not be able to make one per request (issue 15). The
# parameters are snapped to these steps, so at most 8 × 10 results are ever built.
SIMILARITY_STEPS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
MIN_WORDS_STEPS = (4, 6, 8, 10, 12, 15, 20, 30, 50, 100)


def snap(value: float, steps: tuple[float, ...]) -> float:
    """The largest step not above ``value`` (the first step for a smaller value)."""
    return max((s for s in steps if s <= value + 1e-9), default=steps[0])


@router.get("/duplicates", response_model=DuplicatesResponse, responses=ERRORS)
async def duplicates(
    finder: PrecedentDep,
    min_similarity: Annotated[
        float,
        Query(description="0.3–1.0, taken down to a step of 0.1", ge=0.3, le=1.0),
    ] = 0.7,
    min_words: Annotated[
        int,
        Query(
            description="shortest sentence, 4–100 words, taken down to one of "
            + ", ".join(str(s) for s in MIN_WORDS_STEPS),
            ge=4,
            le=100,
        ),
    ] = 8,
    limit: Annotated[int, Query(description="groups to return, 1–100", ge=1, le=100)] = 50,
) -> dict[str, Any]:
    """Groups near-identical sentences used in different documents.

    `min_similarity` and `min_words` are taken down to the nearest step (the response
    says which were used), so a few fixed results serve every client.
    """
    similarity = snap(min_similarity, SIMILARITY_STEPS)
    words = int(snap(min_words, MIN_WORDS_STEPS))
    groups = await run_in_threadpool(finder.duplicates, similarity, words, limit)
    return {
        "min_similarity": similarity,
        "min_words": words,
        "groups": [asdict(g) for g in groups],
    }
