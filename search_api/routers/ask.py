"""POST /api/ask: a short answer quoted from the corpus, with exact citations."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool

from answers.answer import Answerer
from search_api.deps import IndexDep, SettingsDep
from search_api.schemas import AskRequest, AskResponse, ErrorResponse

router = APIRouter(tags=["answers"])
ERRORS: dict[int | str, dict] = {
    400: {"model": ErrorResponse, "description": "empty or too long question, bad k"},
    503: {"model": ErrorResponse, "description": "no index built yet"},
}


def get_answerer(request: Request, index: IndexDep, settings: SettingsDep) -> Answerer:
    """Returns the app's answerer for the open index (it caches raw files)."""
    cached = getattr(request.app.state, "answerer", None)
    if cached is None or cached.index is not index:
        cached = Answerer(index, settings.root)
        request.app.state.answerer = cached
    return cached  # type: ignore[no-any-return]


AnswererDep = Annotated[Answerer, Depends(get_answerer)]


@router.post("/ask", response_model=AskResponse, responses=ERRORS)
async def ask(body: AskRequest, answerer: AnswererDep) -> dict[str, Any]:
    """Answers a question with the sentence or two that answer it, quoted exactly.

    `answer` is null, with a `message`, when the corpus does not answer; every
    citation's `quote` is `raw[char_start:char_end]` of its `source`.
    """
    result = await run_in_threadpool(answerer.ask, body.question, body.k)
    return asdict(result)
