"""GET /api/documents/{doc_id}/references, /api/graph and /api/graph/node (issue 4)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from answers.graph import graph_for
from search_api.deps import IndexDep
from search_api.schemas import (
    ErrorResponse,
    GraphNodeResponse,
    GraphResponse,
    ReferencesResponse,
)

router = APIRouter(tags=["citation graph"])
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorResponse, "description": "no such document"}
}


@router.get(
    "/documents/{doc_id}/references", response_model=ReferencesResponse, responses=NOT_FOUND
)
def document_references(doc_id: str, index: IndexDep) -> dict[str, Any]:
    """Lists what a document cites and what cites it, with the mentions' passages and spans."""
    return graph_for(index.store).references_json(doc_id)


@router.get("/graph", response_model=GraphResponse)
def graph(index: IndexDep) -> dict[str, Any]:
    """Returns the citation graph: corpus and referenced documents, and typed edges."""
    return graph_for(index.store).to_json()


@router.get("/graph/node", response_model=GraphNodeResponse, responses=NOT_FOUND)
def graph_node(
    index: IndexDep,
    id: Annotated[
        str,
        Query(min_length=1, max_length=200, description="11-CT/TW, 89/QD-TTg or a doc_id"),
    ],
) -> dict[str, Any]:
    """Returns one document of the graph: dates, cites, cited-by and its implementation chain."""
    return graph_for(index.store).node_json(id)
