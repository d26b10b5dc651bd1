"""Errors of the index stage, each with its code (search_api/errors.py gives it a status)."""


class IndexError_(Exception):
    """Base of index errors (named so it does not shadow the builtin IndexError)."""

    code = "index_error"


class IndexMissing(IndexError_):
    """No index exists in the directory."""

    code = "index_missing"


class ModelMismatch(IndexError_):
    """The index was built with another embedding model."""

    code = "model_mismatch"


class UnknownName(IndexError_, ValueError):
    """A registry was asked for a name it does not have."""

    code = "unknown_name"


class NotFound(IndexError_, LookupError):
    """A document or passage id is not in the index."""

    code = "not_found"


class BadQuery(IndexError_, ValueError):
    """A query or its parameters cannot be searched."""

    code = "bad_query"
