"""The JSON shapes the API answers with and ``tracuu … --json`` prints: one function each,
so the two never disagree on a field's name or type (issue 17)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from index.models import IngestReport, SimilarHit
from ui.render import open_href


def document_summary(row: dict[str, Any]) -> dict[str, Any]:
    """A document as listed: id, source, number, type, title, issuer, place, date, size."""
    return {
        "doc_id": row["doc_id"],
        "source": row["source"],
        "doc_number": row["number"],
        "doc_type": row["doc_type"],
        "title": row["title"],
        "issuer": row["issuer"],
        "place": row["place"],
        "province": row["province"],
        "date": row["date"],
        "passages": row["passages"],
    }


def ingest_result(report: IngestReport) -> dict[str, Any]:
    """What an ingest or a reindex did: sources added and updated, how many unchanged,
    the files that failed with the reason, and the warnings (a page with no text)."""
    return {
        "added": report.added,
        "updated": report.updated,
        "skipped": len(report.skipped),
        "failed": [{"source": s, "reason": r} for s, r in report.failed],
        "warnings": [{"source": s, "warning": w} for s, w in report.warnings],
        "passages": report.passages,
        "seconds": report.seconds,
    }


def similar_hit(hit: SimilarHit) -> dict[str, Any]:
    """A sentence worded like the pasted text, with a link to it (and each use) in the viewer."""
    out = asdict(hit)
    sentence = hit.sentence
    assert sentence is not None
    out["viewer"] = "/" + open_href(hit.doc_id, sentence.char_start, sentence.char_end)
    for use in out["uses"]:
        use["viewer"] = "/" + open_href(use["doc_id"], use["char_start"], use["char_end"])
    return out
