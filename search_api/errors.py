"""Errors of the service layer and the table that maps every known error to an HTTP status."""

from __future__ import annotations

import sqlite3

from index.errors import BadQuery, IndexMissing, ModelMismatch, NotFound, UnknownName
from ingest.errors import FileTooLarge, IngestError, OcrUnavailable, UnsupportedFileType


class Unauthorized(Exception):
    """A write without a valid API key."""

    code = "unauthorized"


class WritesDisabled(Exception):
    """No API key is configured, so writes are refused."""

    code = "writes_disabled"


class BadEncoding(Exception):
    """The URL is not valid UTF-8 once percent-decoded."""

    code = "bad_encoding"


class RequestTooLarge(Exception):
    """The request body is over the limit of its endpoint."""

    code = "request_too_large"


class RateLimited(Exception):
    """A client over its request budget on an expensive route."""

    code = "rate_limited"


STATUS: dict[type[Exception], tuple[int, str]] = {
    BadQuery: (400, "bad_query"),
    UnknownName: (400, "unknown_name"),
    NotFound: (404, "not_found"),
    ModelMismatch: (409, "model_mismatch"),
    IndexMissing: (503, "index_missing"),
    UnsupportedFileType: (415, "unsupported_file_type"),
    FileTooLarge: (413, "file_too_large"),
    OcrUnavailable: (503, "ocr_unavailable"),
    IngestError: (422, "ingest_failed"),
    Unauthorized: (401, "unauthorized"),
    WritesDisabled: (403, "writes_disabled"),
    BadEncoding: (400, "bad_encoding"),
    RequestTooLarge: (413, "request_too_large"),
    RateLimited: (429, "rate_limited"),
    # The index's disk or database failing (full, read-only, locked, corrupt): the
    # request was fine, the service cannot serve it now (issue 15).
    sqlite3.Error: (503, "storage_unavailable"),
    OSError: (503, "storage_unavailable"),
}


def status_for(exc: Exception) -> tuple[int, str] | None:
    """Returns ``(status, code)`` for a known error, else ``None``."""
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return None
