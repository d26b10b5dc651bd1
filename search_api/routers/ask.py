"""POST /api/ask: a short answer quoted from the corpus, with exact citations."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.concurrency import run_in_threadpool

from answers.answer import Answerer
from search_api.deps import service
from search_api.schemas import AskRequest, AskResponse, ErrorResponse

router = APIRouter(tags=["answers"])
ERRORS: dict[int | str, dict] = {
    400: {"model": ErrorResponse, "description": "empty or too long question, bad k"},
    503: {"model": ErrorResponse, "description": "no index built yet"},
}


AnswererDep = Annotated[Answerer, Depends(service(Answerer))]


@router.post("/ask", response_model=AskResponse, responses=ERRORS)
async def ask(body: AskRequest, answerer: AnswererDep) -> dict[str, Any]:
    """Answers a question with the sentence or two that answer it, quoted exactly.

    `answer` is null, with a `message`, when the corpus does not answer; every
    citation's `quote` is `raw[char_start:char_end]` of its `source`.
    """
    result = await run_in_threadpool(answerer.ask, body.question, body.k)
    return asdict(result)
