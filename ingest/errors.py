"""Errors of the ingest stage, each with its code (search_api/errors.py gives it a status)."""


class IngestError(Exception):
    """A file could not be ingested; the message says why in one line."""

    code = "ingest_failed"


class UnsupportedFileType(IngestError):
    """No loader handles this file's type."""

    code = "unsupported_file_type"


class FileTooLarge(IngestError):
    """A file is over the size limit."""

    code = "file_too_large"


class OcrUnavailable(IngestError):
    """Scanned pages need OCR, but Tesseract or its Vietnamese model is not installed."""

    code = "ocr_unavailable"
