"""Schemathesis against the app's own OpenAPI: no generated request may end in a 500,
and every response must be one the schema documents: its status, its content type,
its headers and its body (the {"error"} model for errors; issue 15).

Bounded (30 examples per operation) and derandomized, so CI runs the same cases every
time in well under a minute. Write endpoints are fuzzed with a wrong key and must
answer 401 without touching the index. (Schemathesis' pytest plugin does not run
under pytest 9, so each operation's strategy is driven with Hypothesis directly.)
"""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings

from index.search import SearchIndex
from search_api.app import create_app
from search_api.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_headers_conformance,
    schemathesis.checks.response_schema_conformance,
]
KEY = "fuzz-key-0123456789"
WRITES = {
    ("POST", "/api/v1/documents"),
    ("DELETE", "/api/v1/documents/{doc_id}"),
    ("POST", "/api/v1/reindex"),
}


def _settings(index_dir: Path) -> Settings:
    return Settings(index_dir=index_dir, corpus_dir=ROOT / "corpus", root=ROOT, api_key=KEY)


# The schema is read at collection time (one test per operation); the index is
# attached by the fixture, since the app opens it only when a request needs it.
APP: FastAPI = create_app(_settings(ROOT / ".no-index-yet"), with_ui=False)
SCHEMA = schemathesis.openapi.from_asgi("/openapi.json", APP)
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def fuzz_app(corpus_index: SearchIndex) -> FastAPI:
    APP.state.settings = _settings(corpus_index.store.index_dir)
    APP.state.index = corpus_index
    return APP


def test_every_operation_is_fuzzed() -> None:
    labels = {op.label for op in OPERATIONS}
    assert {
        "GET /api/v1/search",
        "POST /api/v1/ask",
        "POST /api/v1/documents",
        "POST /api/v1/reindex",
        "GET /api/v1/duplicates",
    } <= labels


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.label)
def test_every_generated_request_gets_a_documented_answer(
    fuzz_app: FastAPI, operation: schemathesis.APIOperation
) -> None:
    write = (operation.method.upper(), operation.path) in WRITES

    @given(case=operation.as_strategy())
    @settings(
        max_examples=30,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: schemathesis.Case) -> None:
        response = case.call(headers={"Authorization": "Bearer wrong-key"} if write else None)
        case.validate_response(response, checks=CHECKS)
        if write:
            assert response.status_code == 401, response.text
        if response.status_code >= 400:
            error = response.json()["error"]
            assert error["code"] and error["message"]

    run()
