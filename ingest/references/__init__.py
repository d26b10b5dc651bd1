"""References to other documents: find → canonicalise → resolve → relate → reconcile.

Mentions are found on the diacritic-folded text (see :mod:`ingest.regexes`), so the
OCR'd reports' "Két luan sé 49- KL/TW" and "Quyét dinh s61373/QD-TTg" match like the
clean "Kết luận số 49-KL/TW". Canonical ids carry proper Vietnamese letters
("89/QĐ-TTg", "22/2020/TT-BGDĐT", "1668/KH-SGD&ĐT"). Short forms ("Chỉ thị 11",
"Đề án 89", "Ké hoach 2547") resolve to the full id another mention gives, first in
the same document, then across the corpus (:func:`resolve_across`).

One module per stage:

- :mod:`~ingest.references.find`: mentions of documents in the folded text;
- :mod:`~ingest.references.canonical`: canonical ids and their parts;
- :mod:`~ingest.references.resolve`: short forms to full ids, and the registry of
  referenced documents reconciled from all their mentions;
- :mod:`~ingest.references.relate` with the cue grammar of
  :mod:`~ingest.references.relations`: one relation per mention and per pair.

This module runs them in order (:func:`find_references`, :func:`extract_references`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ingest.models import Passage, Reference
from ingest.references import relations
from ingest.references.canonical import IdParts, canonical, id_parts, type_of
from ingest.references.find import find_mentions, number_spans, parse_id
from ingest.references.relate import (
    RELATIONS,
    cue_between,
    edge_relation,
    issued_under,
    mention_details,
)
from ingest.references.resolve import reconcile, resolve_across, resolve_mentions, resolve_short
from vntext.normalize import MappedText, fold

__all__ = [
    "RELATIONS",
    "IdParts",
    "canonical",
    "edge_relation",
    "extract_references",
    "find_mentions",
    "find_references",
    "id_parts",
    "number_spans",
    "parse_id",
    "reconcile",
    "resolve_across",
    "resolve_short",
    "type_of",
]


def find_references(text: str, known: Sequence[str] = ()) -> list[Reference]:
    """Finds the references of an NFC text; offsets index ``text``.

    Args:
        text: the document's text.
        known: full ids named elsewhere (other documents) that short forms may take.

    Returns:
        The references in text order, with relation (read from the clause that governs
        each mention, :mod:`ingest.references.relations`), its cue, date, issuer and title.
    """
    folded = fold(text)
    mentions = resolve_mentions(find_mentions(text), known)
    openers = relations.line_openers(text, folded)
    details = [
        mention_details(
            text,
            folded,
            m.end,
            mentions[i + 1].start if i + 1 < len(mentions) else len(text),
            openers,
        )
        for i, m in enumerate(mentions)
    ]
    about: list[relations.Cue | None] = []
    for i, m in enumerate(mentions):
        prev = mentions[i - 1] if i else None
        inside = None
        if (
            prev is not None
            and prev.target != m.target
            # "…\nThực hiện B": a line that opens with a cue is no part of A's title
            and not any(prev.end < p <= m.start for p in openers)
        ):
            tail = details[i - 1][3] if details[i - 1][1] else None
            inside = cue_between(folded, prev, m, tail)
        about.append(inside)
    related = relations.relate(
        folded,
        [(m.start, m.end) for m in mentions],
        [m.target for m in mentions],
        [a.relation if a else None for a in about],
        [d[3] for d in details],
        openers,
    )
    issued = issued_under(folded, mentions, details, related)
    out: list[Reference] = []
    for i, m in enumerate(mentions):
        rel = related[i]
        inside = about[i]
        subject = mentions[i - 1].target if inside is not None else None
        if i in issued:
            subject = mentions[issued[i]].target  # that document carries this one out
        relation = inside.relation if inside is not None else rel.relation
        cue = inside if inside is not None else rel.cue
        date, issuer, title, _tail = details[i]
        out.append(
            Reference(
                char_start=m.start,
                char_end=m.end,
                surface=text[m.start : m.end],
                target=m.target,
                number=m.number,
                doc_type=m.doc_type,
                form="full" if m.form == "full" else "short",
                resolved=id_parts(m.target) is not None,
                relation=relation or "mentions",
                subject=subject,
                cue_start=cue.start if cue else None,
                cue_end=cue.end if cue else None,
                cue_text=text[cue.start : cue.end] if cue else None,
                date=date,
                issuer=issuer,
                title=title,
            )
        )
    return out


def extract_references(
    mapped: MappedText, raw: str, passages: Sequence[Passage] = ()
) -> tuple[Reference, ...]:
    """Finds a document's references with raw spans and the passage holding each.

    Args:
        mapped: the NFC text with its map to ``raw``.
        raw: the text offsets index (the file read as UTF-8, or the extracted text).
        passages: the document's passages, to place each reference in one.

    Returns:
        References whose ``raw[char_start:char_end]`` is their ``surface``.
    """
    out = []
    for r in find_references(mapped.text):
        start, end = mapped.raw_span(r.char_start, r.char_end)
        holder = next((p.ordinal for p in passages if p.char_start <= start < p.char_end), None)
        cue = None
        if r.cue_start is not None and r.cue_end is not None:
            cue = mapped.raw_span(r.cue_start, r.cue_end)
        out.append(
            replace(
                r,
                char_start=start,
                char_end=end,
                surface=raw[start:end],
                passage=holder,
                cue_start=cue[0] if cue else None,
                cue_end=cue[1] if cue else None,
                cue_text=raw[cue[0] : cue[1]] if cue else None,
            )
        )
    return tuple(out)
