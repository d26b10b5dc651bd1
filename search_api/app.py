"""The FastAPI application: API under /api, the Gradio UI at /, OpenAPI at /docs."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import unquote_to_bytes

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from index.search import SearchIndex
from search_api.errors import STATUS, RequestTooLarge, status_for
from search_api.routers import documents, graph, health, reindex, search, upload
from search_api.routers.ask import router as ask_router
from search_api.routers.precedent import router as precedent_router
from search_api.routers.requirements import router as requirements_router
from search_api.settings import Settings

log = logging.getLogger("tracuu")


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(x) for x in err.get("loc", ()) if x not in ("query", "body", "path"))
        parts.append(f"{where or 'request'}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


LIMITS = """
Errors are JSON `{"error": {"code", "message"}}` with a 4xx status; bad input never
yields a 500. Limits: a query or question is 1–2,000 characters without control
characters; `k` is 1–100 for search (1–20 for ask, 1–50 for similar); `offset` is
0–1,000; `mode` is `hybrid`, `lexical` or `dense`; years are 0–9999; the URL must be
UTF-8; a JSON body is at most 1 MB; an upload is .txt, .md, .html, .htm, .pdf or
.docx of at most `TRACUU_MAX_UPLOAD_BYTES` (50 MB by default). Uploads, deletes and
`POST /api/reindex` need `Authorization: Bearer $TRACUU_API_KEY` (401 when it is
wrong or missing; 403 when the server has no key). CORS headers are sent only to
the origins listed in `TRACUU_CORS_ORIGINS`.
"""

# JSON bodies (questions, pasted paragraphs) are small; uploads have their own limit.
MAX_BODY_BYTES = 1 << 20
MULTIPART_SLACK = 1 << 20


class Guard:
    """Refuses, before any route runs, a URL that is not UTF-8 and a body over its limit.

    Starlette would decode ``%ff`` to U+FFFD and read a body of any size into memory;
    both answer here with a 400 or 413 in the usual error shape (issue 8).
    """

    def __init__(self, app: ASGIApp, max_upload_bytes: int) -> None:
        self.app = app
        self.max_upload_bytes = max_upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            unquote_to_bytes(scope.get("raw_path") or scope["path"].encode()).decode("utf-8")
            unquote_to_bytes(scope.get("query_string", b"")).decode("utf-8")
        except UnicodeDecodeError:
            response = _error(400, "bad_encoding", "the URL is not valid UTF-8 once decoded")
            await response(scope, receive, send)
            return
        upload = scope["method"] == "POST" and scope["path"] == "/api/documents"
        limit = self.max_upload_bytes + MULTIPART_SLACK if upload else MAX_BODY_BYTES
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            response = _error(
                413, "request_too_large", f"the request body is over the {limit:,} byte limit"
            )
            await response(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            # A body sent without Content-Length (chunked) is counted as it arrives.
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                raise RequestTooLarge(f"the request body is over the {limit:,} byte limit")
            return message

        await self.app(scope, counted, send)


def create_app(
    settings: Settings, index: SearchIndex | None = None, with_ui: bool = True
) -> FastAPI:
    """Builds the app.

    Args:
        settings: the service settings.
        index: an open index (default: opened from ``settings.index_dir`` on first use).
        with_ui: mount the Gradio UI at ``/``.
    """
    app = FastAPI(
        title="tracuu",
        summary="Semantic search over Vietnamese policy documents, with exact source citations.",
        description=LIMITS,
        version="0.1.0",
    )
    app.state.settings = settings
    app.state.index = index

    @app.exception_handler(RequestValidationError)
    async def on_validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        return _error(422, "invalid_parameter", _validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def on_http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return _error(exc.status_code, code, str(exc.detail))

    async def on_error(_: Request, exc: Exception) -> JSONResponse:
        known = status_for(exc)
        if known is None:
            log.exception("unexpected error")
            return _error(500, "internal_error", "unexpected error; see the server log")
        return _error(known[0], known[1], str(exc))

    for cls in (*STATUS, Exception):
        app.add_exception_handler(cls, on_error)  # type: ignore[arg-type]

    app.add_middleware(Guard, max_upload_bytes=settings.max_upload_bytes)
    if settings.cors_origins:
        # Off unless TRACUU_CORS_ORIGINS lists origins; never with credentials.
        cors: dict[str, Any] = {
            "allow_origins": list(settings.cors_origins),
            "allow_methods": ["GET", "POST", "DELETE"],
            "allow_headers": ["Authorization", "Content-Type"],
        }
        app.add_middleware(CORSMiddleware, **cors)

    app.include_router(search.router)
    app.include_router(documents.router)
    app.include_router(health.router)
    app.include_router(ask_router)
    app.include_router(requirements_router)
    app.include_router(precedent_router)
    app.include_router(graph.router)
    app.include_router(upload.router)
    app.include_router(reindex.router)

    @app.api_route(
        "/api/{rest:path}",
        methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
        include_in_schema=False,
    )
    async def api_not_found(rest: str) -> JSONResponse:
        # Without this, unknown /api paths would fall through to the UI mounted at /.
        return _error(404, "not_found", f"no API endpoint /api/{rest}; see /docs")

    if with_ui:
        import gradio as gr

        from ui.app import CSS_PATH, build_ui

        def get_index() -> SearchIndex:
            if app.state.index is None:
                app.state.index = SearchIndex(settings.index_dir)
            return app.state.index  # type: ignore[no-any-return]

        ui = build_ui(get_index, root=settings.root)
        app = gr.mount_gradio_app(app, ui, path="/", css_paths=CSS_PATH)
    return app
