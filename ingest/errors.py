"""Errors of the ingest stage; the CLI and API turn them into one-line messages."""


class IngestError(Exception):
    """A file could not be ingested; the message says why in one line."""


class UnsupportedFileType(IngestError):
    """No loader handles this file's type."""


class FileTooLarge(IngestError):
    """A file is over the size limit."""


class OcrUnavailable(IngestError):
    """Scanned pages need OCR, but Tesseract or its Vietnamese model is not installed."""
