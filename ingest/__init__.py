"""Turn raw policy documents into cleaned, sectioned, segmented passages with raw offsets."""

from ingest.models import DocMeta, ParsedDocument, Passage, Section
from ingest.pipeline import parse_file

__all__ = ["DocMeta", "ParsedDocument", "Passage", "Section", "parse_file"]
