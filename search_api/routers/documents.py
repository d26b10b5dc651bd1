"""GET /api/documents and /api/documents/{doc_id}."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from search_api.deps import IndexDep
from search_api.schemas import DocumentDetail, DocumentSummary, ErrorResponse
from search_api.shapes import document_summary

router = APIRouter(prefix="/documents", tags=["documents"])


@router.get("", response_model=list[DocumentSummary])
def list_documents(index: IndexDep) -> list[dict[str, Any]]:
    """Lists the indexed documents with their metadata."""
    return [document_summary(r) for r in index.store.documents()]


@router.get(
    "/{doc_id}",
    response_model=DocumentDetail,
    responses={404: {"model": ErrorResponse, "description": "no such document"}},
)
def get_document(doc_id: str, index: IndexDep) -> dict[str, Any]:
    """Returns one document: metadata, cleaned text, section outline and passage spans."""
    row = index.store.document(doc_id)
    out = document_summary(row)
    out["text"] = row["clean_text"]
    out["outline"] = row["outline"]
    out["passage_spans"] = index.store.document_passages(doc_id)
    return out
