"""Word segmentation with underthesea, and the folded form for accent-free matching."""

from __future__ import annotations

from functools import lru_cache

from vntext.normalize import fold


@lru_cache(maxsize=1)
def _word_tokenize():  # type: ignore[no-untyped-def]
    # Imported lazily: underthesea takes ~0.5 s to load its CRF model.
    from underthesea import word_tokenize

    return word_tokenize


def words(text: str) -> list[str]:
    """Returns the underthesea words of ``text``, lower-cased, syllables joined by "_"."""
    if not text.strip():
        return []
    return [w.lower().replace(" ", "_") for w in _word_tokenize()(text) if w.strip()]


def segment(text: str) -> str:
    """Returns the segmented form indexed for lexical search (space-separated words)."""
    return " ".join(words(text))


def folded(text: str) -> str:
    """Returns the diacritic-folded form (same length as ``text``)."""
    return fold(text)
