"""Readable text of OCR'd documents: the same span, accents restored and OCR errors repaired.

Quotes and passage texts stay exactly what the source says ("Tong sé hoi vién toan tinh
1a 320.489"); what a person reads is the restoration (DESIGN.md, "Readable OCR'd text").
The restorer is the index's own (Viet74K plus the clean documents' word sequences, so
place names come back), and every reading is computed once per index generation.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from index.store import Store
from vntext.garbled import part_garbled
from vntext.normalize import fold
from vntext.restore import Restorer

# How the English OCR model garbles "đồng" after an amount ("2.000.000 déng", "100 triệu
# ddng", "d6ng"), which the restorer then reads as the syllable "đeng": the vowel slot holds
# no vowel a word after a number could have ("đang", "đúng", "đông" stay).
_GARBLED_DONG = re.compile(r"d[^aiuyo\W]ng|d[e6b]ng", re.IGNORECASE)
_AFTER_NUMBER = re.compile(
    r"(?<![\w.,])(\d+(?:[.,]\d+)*\s*(?:(?:tỷ|tỉ|triệu|nghìn|ngàn)\s+)?)(\w+)(?!\w)", re.IGNORECASE
)


def repair_units(text: str) -> str:
    """Returns ``text`` with the OCR-garbled "đồng" after an amount written properly."""

    def fix(m: re.Match[str]) -> str:
        word = m.group(2)
        if _GARBLED_DONG.fullmatch(fold(word)):
            return m.group(1) + ("Đồng" if word[:1].isupper() else "đồng")
        return m.group(0)

    return _AFTER_NUMBER.sub(fix, text)


class Readings:
    """Tells which documents are OCR'd with garbled accents, and reads their text.

    Args:
        store: the index's store.
        restorer: returns the index's restorer (built once per generation).
    """

    def __init__(self, store: Store, restorer: Callable[[], Restorer]) -> None:
        self.store = store
        self.restorer = restorer

    def garbled(self, doc_id: str) -> bool:
        """Tells whether a document's text is OCR output whose accents are garbled."""
        return self.store.garbled_documents().get(doc_id, False)

    def read(self, text: str) -> str:
        """Returns ``text`` with accents restored and OCR errors repaired (memoised)."""
        memo: dict[str, str] = self.store.cached("readings:memo", dict)
        hit = memo.get(text)
        if hit is None:
            hit = repair_units(self.restorer().restore(text, repair=True))
            if len(memo) < 200_000:
                memo[text] = hit
        return hit

    def passage_garbled(self, doc_id: str, passage: str) -> bool:
        """Tells whether one passage is garbled OCR output: a clean report's scanned annex
        is, its clean body is not (:func:`vntext.garbled.part_garbled`)."""
        memo: dict[tuple[str, str], bool] = self.store.cached("readings:parts", dict)
        key = (doc_id, passage)
        hit = memo.get(key)
        if hit is None:
            hit = part_garbled(passage, self.garbled(doc_id))
            if len(memo) < 200_000:
                memo[key] = hit
        return hit

    def reading(self, doc_id: str, text: str, passage: str | None = None) -> str | None:
        """Returns the reading of ``text``, or ``None`` when it comes from clean text.

        Args:
            doc_id: the document.
            text: a passage or a span of one.
            passage: the passage ``text`` lies in (judged as a whole), when ``text`` is a
                span of it.
        """
        return self.read(text) if self.passage_garbled(doc_id, passage or text) else None
