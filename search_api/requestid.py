"""A request id on every response (``X-Request-ID``) and on every log line.

The id a client sends is kept when it is short and plain (so a caller can follow its
own id through the server's log); otherwise a new one is made. Log records carry it as
``request_id`` ("-" outside a request), through a record factory, so any formatter,
uvicorn's access log included, can print ``%(request_id)s``.
"""

from __future__ import annotations

import contextvars
import logging
import re
import uuid
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from search_api.errors import error_response

HEADER = "X-Request-ID"
_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
current: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
log = logging.getLogger("tracuu")
LOG_FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"

_factory = logging.getLogRecordFactory()


def _record(*args: Any, **kwargs: Any) -> logging.LogRecord:
    record = _factory(*args, **kwargs)
    record.request_id = current.get()
    return record


if not getattr(_factory, "tracuu_request_id", False):
    _record.tracuu_request_id = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(_record)


def log_config() -> dict[str, Any]:
    """Uvicorn's logging configuration with the request id on every line."""
    from uvicorn.config import LOGGING_CONFIG

    config: dict[str, Any] = dict(LOGGING_CONFIG)
    config["formatters"] = {
        "default": {"()": "uvicorn.logging.DefaultFormatter", "fmt": LOG_FORMAT},
        "access": {
            "()": "uvicorn.logging.AccessFormatter",
            "fmt": "%(asctime)s %(levelname)s [%(request_id)s] %(client_addr)s - "
            '"%(request_line)s" %(status_code)s',
        },
    }
    config["loggers"] = {
        **LOGGING_CONFIG["loggers"],
        "tracuu": {"handlers": ["default"], "level": "INFO", "propagate": False},
    }
    return config


class RequestId:
    """ASGI middleware: picks the id, exposes it to logs, sends it back as a header."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        sent = dict(scope.get("headers") or []).get(HEADER.lower().encode(), b"")
        try:
            text = sent.decode("ascii")
        except UnicodeDecodeError:
            text = ""
        rid = text if _ID.fullmatch(text) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = rid
        token = current.set(rid)

        started = False

        async def with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                MutableHeaders(scope=message)[HEADER] = rid
            await send(message)

        try:
            await self.app(scope, receive, with_id)
        except Exception:
            # A bug, not bad input: logged with its id, answered in the error shape.
            log.exception("unexpected error")
            if started:
                raise
            response = error_response(
                "internal_error", f"unexpected error; see the server log for request {rid}"
            )
            await response(scope, receive, with_id)
        finally:
            current.reset(token)
