"""One error vocabulary: every error carries its ``code``; one table gives each code its
HTTP status, and every failure is answered in one shape, ``{"error": {"code", "message"}}``.

Errors of the lower layers carry their codes (``ingest/errors.py``, ``index/errors.py``); the
service adds its own below. The CLI prints the same errors as one line (``tracuu: error:
…``); the UI explains each code in Vietnamese (``ui/render.py``, ``ERROR_MESSAGES``).
"""

from __future__ import annotations

import sqlite3

from fastapi.responses import JSONResponse

from index.errors import IndexError_
from ingest.errors import IngestError


class ServiceError(Exception):
    """Base of the service's own errors."""

    code = "service_error"


class Unauthorized(ServiceError):
    """A write without a valid API key."""

    code = "unauthorized"


class WritesDisabled(ServiceError):
    """No API key is configured, so writes are refused."""

    code = "writes_disabled"


class BadEncoding(ServiceError):
    """The URL is not valid UTF-8 once percent-decoded."""

    code = "bad_encoding"


class RequestTooLarge(ServiceError):
    """The request body is over the limit of its endpoint."""

    code = "request_too_large"


class RateLimited(ServiceError):
    """A client over its request budget on an expensive route."""

    code = "rate_limited"


# The one table: error code → HTTP status.
STATUS: dict[str, int] = {
    "bad_query": 400,
    "unknown_name": 400,
    "invalid_parameter": 400,
    "bad_encoding": 400,
    "unauthorized": 401,
    "writes_disabled": 403,
    "not_found": 404,
    "method_not_allowed": 405,
    "model_mismatch": 409,
    "file_too_large": 413,
    "request_too_large": 413,
    "unsupported_file_type": 415,
    "ingest_failed": 422,
    "rate_limited": 429,
    "internal_error": 500,
    "index_missing": 503,
    "ocr_unavailable": 503,
    # The index's disk or database failing (full, read-only, locked, corrupt): the
    # request was fine, the service cannot serve it now (issue 15).
    "storage_unavailable": 503,
}
# Errors that carry a code, and the storage failures that all map to one.
CODED: tuple[type[Exception], ...] = (IndexError_, IngestError, ServiceError)
STORAGE: tuple[type[Exception], ...] = (sqlite3.Error, OSError)


def code_of(exc: Exception) -> str | None:
    """Returns the code of a known error, else ``None`` (an unexpected one)."""
    if isinstance(exc, CODED):
        code = getattr(exc, "code", None)
        return code if code in STATUS else None
    if isinstance(exc, STORAGE):
        return "storage_unavailable"
    return None


def status_for(exc: Exception) -> tuple[int, str] | None:
    """Returns ``(status, code)`` for a known error, else ``None``."""
    code = code_of(exc)
    return (STATUS[code], code) if code is not None else None


def error_response(
    code: str, message: str, headers: dict[str, str] | None = None, status: int | None = None
) -> JSONResponse:
    """The JSON response every failure of the API is answered with.

    Its status is the code's (:data:`STATUS`); ``status`` is given only for an HTTP error
    the framework raised with its own status.
    """
    return JSONResponse(
        {"error": {"code": code, "message": message}},
        status_code=status if status is not None else STATUS[code],
        headers=headers,
    )
