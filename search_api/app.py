"""The FastAPI application: API under /api/v1 (alias /api), the Gradio UI at /,
OpenAPI at /openapi.json with Swagger UI at /docs and ReDoc at /redoc, both served
from the assets of the fastapi-offline package (no CDN)."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import unquote_to_bytes

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from fastapi_offline import FastAPIOffline
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match, Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from index.search import SearchIndex
from search_api.deps import open_index
from search_api.errors import (
    CODED,
    STORAGE,
    BadEncoding,
    RequestTooLarge,
    error_response,
    status_for,
)
from search_api.limits import EXPENSIVE, RateLimit
from search_api.requestid import HEADER as REQUEST_ID
from search_api.requestid import RequestId
from search_api.routers import documents, graph, health, reindex, search, upload
from search_api.routers.ask import router as ask_router
from search_api.routers.precedent import router as precedent_router
from search_api.routers.requirements import router as requirements_router
from search_api.schemas import ErrorResponse
from search_api.settings import Settings

log = logging.getLogger("tracuu")
API_VERSION = "v1"
PREFIX = f"/api/{API_VERSION}"


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = [str(x) for x in err.get("loc", ())]
        where = ".".join(x for x in loc if x not in ("query", "body", "path", "header"))
        if err.get("type") == "missing":
            kind = {"query": "query parameter", "body": "field", "path": "path parameter"}
            what = kind.get(loc[0] if loc else "", "parameter")
            parts.append(f"missing {what} {where or 'body'}")
        else:
            parts.append(f"{where or 'request'}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


LIMITS = f"""
Routes live under `{PREFIX}/`; `/api/` is kept as an alias of the current version, so
clients written against `/api/search` keep working.

Errors are JSON `{{"error": {{"code", "message"}}}}`; bad input never yields a 500.
Statuses: **400** for any invalid request (a missing, ill-typed or out-of-range
parameter or field, JSON that does not parse, a URL that is not UTF-8); 401/403 for
writes without the key; 404 unknown document or path; **405** a known path with
another method; **413** a body over its limit (chunked bodies included); 415 an
unsupported file type; 422 a well-formed upload whose content cannot be ingested;
**429** too many requests (`Retry-After` tells when to retry); **503** no index yet
(`index_missing`) or the index storage failing (`storage_unavailable`, e.g. a full or
read-only disk). Every response carries an `X-Request-ID` header (yours is echoed when
you send one), also printed on the server's log lines.

Limits: a query or question is 1–2,000 characters without control characters; `k` is
1–100 for search (1–20 for ask, 1–50 for similar); `offset` is 0–1,000 and paging is
stable (the same ranking and `total` on every page); `mode` is `hybrid`, `lexical` or
`dense`; years are 0–9999; a JSON body is at most 1 MB; an upload is .txt, .md, .html,
.htm, .pdf or .docx of at most `TRACUU_MAX_UPLOAD_BYTES` (50 MB by default).
Ask, similar, duplicates and reindex allow `TRACUU_RATE_LIMIT` requests a minute per
client (600 by default). Uploads, deletes and reindex need
`Authorization: Bearer $TRACUU_API_KEY` (the `bearer` security scheme; 401 when it is
wrong or missing, 403 when the server has no key). CORS headers are sent only to the
origins listed in `TRACUU_CORS_ORIGINS`.
"""

# JSON bodies (questions, pasted paragraphs) are small; uploads have their own limit.
MAX_BODY_BYTES = 1 << 20
MULTIPART_SLACK = 1 << 20
UPLOAD_PATHS = ("/api/documents", f"{PREFIX}/documents")


class Guard:
    """Refuses, before any route runs, a URL that is not UTF-8 and a body over its limit.

    Starlette would decode ``%ff`` to U+FFFD and read a body of any size into memory;
    both answer here with a 400 or 413 in the usual error shape (issue 8). A body sent
    without ``Content-Length`` (chunked) is counted as it arrives: once over, reading
    stops, and whatever the route would have answered is replaced by the 413 (issue 15;
    FastAPI turns an error raised inside the body read into a 400 parse error).
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
            response = error_response(BadEncoding.code, "the URL is not valid UTF-8 once decoded")
            await response(scope, receive, send)
            return
        upload = scope["method"] == "POST" and scope["path"].rstrip("/") in UPLOAD_PATHS
        limit = self.max_upload_bytes + MULTIPART_SLACK if upload else MAX_BODY_BYTES
        too_large = error_response(
            RequestTooLarge.code, f"the request body is over the {limit:,} byte limit"
        )
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > limit:
            await too_large(scope, receive, send)
            return
        seen = 0
        over = False
        started = False

        async def counted() -> Message:
            nonlocal seen, over
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                over = True
                raise RequestTooLarge(f"the request body is over the {limit:,} byte limit")
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if over:
                return  # the route's answer to a body cut short; the 413 goes instead
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, guarded_send)
        except Exception:
            if not over:
                raise
        if over and not started:
            await too_large(scope, receive, send)


# The docs pages may load only what this server serves: Swagger UI's and ReDoc's
# bundles (fastapi-offline), the schema, inline start-up code. ReDoc's sidebar credit
# would fetch its logo from a CDN; the browser blocks it instead of asking (issue 15).
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; "
    "connect-src 'self'; frame-ancestors 'self'"
)
DOCS_PATHS = frozenset({"/docs", "/redoc", "/docs/oauth2-redirect"})


class DocsPolicy:
    """Adds the Content-Security-Policy above to the docs pages."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] not in DOCS_PATHS:
            await self.app(scope, receive, send)
            return

        async def with_policy(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)["Content-Security-Policy"] = DOCS_CSP
            await send(message)

        await self.app(scope, receive, with_policy)


def _error_schema(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}},
    }


def _openapi(app: FastAPI) -> dict[str, Any]:
    """The schema FastAPI builds, corrected to what the app answers (issue 15).

    FastAPI documents its ``{"detail"}`` 422 on every route with parameters; this app
    answers those cases with a 400 in its ``{"error"}`` shape. Every error response
    gets the error model; every operation the statuses any request to it may get.
    """
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title,
        version=app.version,
        summary=app.summary,
        description=app.description,
        routes=app.routes,
    )
    components = schema.setdefault("components", {})
    models = components.setdefault("schemas", {})
    for name, model in (
        ErrorResponse.model_json_schema(ref_template="#/components/schemas/{model}")
        .get("$defs", {})
        .items()
    ):
        models.setdefault(name, model)
    error = ErrorResponse.model_json_schema(ref_template="#/components/schemas/{model}")
    error.pop("$defs", None)
    models["ErrorResponse"] = error
    for name in ("HTTPValidationError", "ValidationError"):
        models.pop(name, None)
    request_id = {
        REQUEST_ID: {
            "description": "the request's id, as on the server's log lines",
            "schema": {"type": "string"},
        }
    }
    for path, operations in schema.get("paths", {}).items():
        for method, op in operations.items():
            responses: dict[str, Any] = op.setdefault("responses", {})
            auto = responses.get("422", {}).get("description") == "Validation Error"
            if auto:
                del responses["422"]
            if op.get("parameters") or op.get("requestBody"):
                responses.setdefault("400", {"description": "an invalid parameter or body"})
            if op.get("requestBody"):
                responses.setdefault("413", {"description": "the body is over its limit"})
            if path.startswith("/api/") or path == "/readyz":
                responses.setdefault(
                    "503", {"description": "no index yet, or its storage is unavailable"}
                )
            if "/api" + path[len(PREFIX) :] in EXPENSIVE:
                responses.setdefault("429", {"description": "too many requests; see Retry-After"})
            for code, response in responses.items():
                if code[0] in "45":
                    responses[code] = _error_schema(response.get("description", "error"))
                responses[code].setdefault("headers", {}).update(request_id)
            del method
    app.openapi_schema = schema
    return schema


def create_app(
    settings: Settings, index: SearchIndex | None = None, with_ui: bool = True
) -> FastAPI:
    """Builds the app.

    Args:
        settings: the service settings.
        index: an open index (default: opened from ``settings.index_dir`` on first use).
        with_ui: mount the Gradio UI at ``/``.
    """
    app = FastAPIOffline(
        title="tracuu",
        summary="Semantic search over Vietnamese policy documents, with exact source citations.",
        description=LIMITS,
        version="0.1.0",
        # The validator badge would fetch from validator.swagger.io: keep /docs offline.
        swagger_ui_parameters={"validatorUrl": None},
    )
    app.state.settings = settings
    app.state.index = index

    @app.exception_handler(RequestValidationError)
    async def on_validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response("invalid_parameter", _validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def on_http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        if exc.status_code == 400:
            code = "invalid_parameter"
        return error_response(
            code, str(exc.detail), headers=dict(exc.headers or {}), status=exc.status_code
        )

    async def on_error(_: Request, exc: Exception) -> JSONResponse:
        known = status_for(exc)
        if known is None:
            log.exception("unexpected error")
            return error_response("internal_error", "unexpected error; see the server log")
        code = known[1]
        if code == "storage_unavailable":
            log.error("storage error: %s: %s", type(exc).__name__, exc)
            return error_response(
                code,
                f"the index storage is unavailable ({type(exc).__name__}: {exc}); "
                "retry later, or check the disk the index is on",
            )
        return error_response(code, str(exc))

    for cls in (*CODED, *STORAGE, Exception):
        app.add_exception_handler(cls, on_error)  # type: ignore[arg-type]

    # Outermost last: the request id, CORS, the body/URL guard, the rate limit.
    app.add_middleware(DocsPolicy)
    app.add_middleware(RateLimit, per_minute=settings.rate_limit)
    app.add_middleware(Guard, max_upload_bytes=settings.max_upload_bytes)
    if settings.cors_origins:
        # Off unless TRACUU_CORS_ORIGINS lists origins; never with credentials.
        cors: dict[str, Any] = {
            "allow_origins": list(settings.cors_origins),
            "allow_methods": ["GET", "POST", "DELETE"],
            "allow_headers": ["Authorization", "Content-Type", REQUEST_ID],
            "expose_headers": [REQUEST_ID],
        }
        app.add_middleware(CORSMiddleware, **cors)
    app.add_middleware(RequestId)

    app.include_router(health.router)
    routers = (
        search.router,
        documents.router,
        ask_router,
        requirements_router,
        precedent_router,
        graph.router,
        upload.router,
        reindex.router,
    )
    for router in routers:
        app.include_router(router, prefix=PREFIX)
    for router in routers:
        # The unversioned alias: same routes, documented once (under /api/v1).
        app.include_router(router, prefix="/api", include_in_schema=False)

    @app.api_route(
        "/api/{rest:path}",
        methods=["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"],
        include_in_schema=False,
    )
    async def api_not_found(request: Request, rest: str) -> JSONResponse:
        # Without this, unknown /api paths would fall through to the UI mounted at /.
        allowed = set()
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
            probe = {**request.scope, "method": method}
            for route in request.app.router.routes:
                if getattr(route, "endpoint", None) is api_not_found or isinstance(route, Mount):
                    continue  # the catch-all itself, and the UI mounted at / that takes all
                if route.matches(probe)[0] == Match.FULL:
                    allowed.add(method)
                    break
        if allowed:
            methods = ", ".join(sorted(allowed))
            return error_response(
                "method_not_allowed",
                f"{request.method} is not allowed on {request.url.path}; allowed: {methods}",
                headers={"Allow": methods},
            )
        return error_response("not_found", f"no API endpoint /api/{rest}; see /docs")

    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]

    if with_ui:
        import gradio as gr

        from ui.app import CSS_PATH, build_ui

        api = app
        ui = build_ui(lambda: open_index(api), root=settings.root)
        app = gr.mount_gradio_app(app, ui, path="/", css_paths=CSS_PATH)
    return app
