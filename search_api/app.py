"""The FastAPI application: API under /api, the Gradio UI at /, OpenAPI at /docs."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from index.search import SearchIndex
from search_api.errors import STATUS, status_for
from search_api.routers import documents, graph, health, search, upload
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

    app.include_router(search.router)
    app.include_router(documents.router)
    app.include_router(health.router)
    app.include_router(ask_router)
    app.include_router(requirements_router)
    app.include_router(precedent_router)
    app.include_router(graph.router)
    app.include_router(upload.router)

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

        from ui.app import build_ui

        def get_index() -> SearchIndex:
            if app.state.index is None:
                app.state.index = SearchIndex(settings.index_dir)
            return app.state.index  # type: ignore[no-any-return]

        app = gr.mount_gradio_app(app, build_ui(get_index, root=settings.root), path="/")
    return app
