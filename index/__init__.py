"""The index: SQLite store, FAISS vectors, embedders and search."""

from index.build import ingest_paths
from index.models import Filters, Hit, IngestReport, SearchResult
from index.search import MODES, SearchIndex

__all__ = ["MODES", "Filters", "Hit", "IngestReport", "SearchIndex", "SearchResult", "ingest_paths"]
