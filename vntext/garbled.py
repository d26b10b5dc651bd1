"""Is this text garbled? Four questions about a text's diacritics, answered in one place.

- :func:`vietnamese_score`: are the accented words well-formed syllables? Tells text
  decoded in the right legacy encoding (TCVN3, VNI, VISCII) from mojibake.
- :func:`has_hooks`: does a name keep its breve, circumflex, horn or đ? The OCR of the
  scans lost them all but kept acute accents, so of two spellings of one name the
  hooked one is the clean one.
- :func:`accents_reliable`: does a short text (a candidate answer) carry diacritics on
  most syllables, as clean Vietnamese does?
- :func:`is_garbled` / :func:`part_garbled`: is a document, or one part of it, OCR output
  whose accents are garbled? Judged by the restorer's syllable statistics.
"""

from __future__ import annotations

import re
import unicodedata

from vntext.normalize import fold, nfc
from vntext.restore import Restorer

# Vietnamese tones as combining marks: sắc, huyền, hỏi, ngã, nặng.
TONES = ("\u0301", "\u0300", "\u0309", "\u0303", "\u0323")

# A syllable without its tone: onset, vowel nucleus (with its circumflex, breve or
# horn) and coda, after the standard Vietnamese rhyme table.
_NUCLEI = (
    "iêu|oai|oay|oeo|uây|uôi|ươi|ươu|uya|uyê|uyu|yêu|uêu|"
    "ai|ao|au|ay|âu|ây|eo|êu|ia|iê|iu|oa|oă|oe|oi|ôi|ơi|oo|ua|uâ|uê|ui|uô|uơ|uy|ưa|ưi|ươ|ưu|yê|"
    "a|ă|â|e|ê|i|o|ô|ơ|u|ư|y"
)
_SYLLABLE = re.compile(
    rf"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?(?:{_NUCLEI})(?:ch|ng|nh|[cmnpt])?$"
)
_WORD = re.compile(r"[^\W\d_]+")


def _well_formed(word: str) -> bool:
    """Tells whether a word with diacritics is one Vietnamese syllable with one tone at most."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    if sum(decomposed.count(t) for t in TONES) > 1:
        return False
    toneless = nfc("".join(c for c in decomposed if c not in TONES))
    return bool(_SYLLABLE.match(toneless))


def vietnamese_score(text: str) -> float:
    """Returns the share of words with diacritics that are well-formed Vietnamese syllables.

    Returns 0.0 when no word carries a diacritic.
    """
    marked = [w for w in _WORD.findall(text) if not w.isascii()]
    if not marked:
        return 0.0
    return sum(_well_formed(w) for w in marked) / len(marked)


# Breve, circumflex and horn (ă â ê ô ơ ư) and đ: the OCR of the scans lost them all
# but kept acute accents ("Tiép tuc"), so these tell clean Vietnamese from OCR.
_HOOKS = {"\u0306", "\u0302", "\u031b"}


def has_hooks(text: str) -> bool:
    """Tells whether ``text`` has a letter with breve, circumflex or horn, or đ."""
    return any(c in "đĐ" or _HOOKS & set(unicodedata.normalize("NFD", c)) for c in text)


_LETTERS = re.compile(r"\w+", re.UNICODE)


def accents_reliable(text: str) -> bool:
    """Tells whether ``text`` keeps its diacritics (not an OCR'd scan that lost them).

    Clean Vietnamese carries a diacritic on ~88% of its syllables; the OCR'd reports
    of the corpus on under 30%.
    """
    letters = [w for w in _LETTERS.findall(text.lower()) if not w.isdigit()]
    if len(letters) < 8:
        return True
    return sum(fold(w) != w for w in letters) / len(letters) >= 0.5


# Below this share of valid accented words a text is taken for garbled OCR output
# (clean documents of the corpus score 0.98–0.99, the OCR'd reports 0.52–0.62).
GARBLED_BELOW = 0.85


def is_garbled(document_text: str) -> bool:
    """Tells whether a document's accents are garbled (OCR output).

    Judge whole documents, not passages: a short clean passage full of place names
    ("xã Ea Tih") can score as low as a garbled one.
    """
    return Restorer.default().accent_validity(document_text) < GARBLED_BELOW


# A passage this long decides for itself whether it is garbled; a shorter one (a heading,
# a list of names) follows its document.
PART_MIN_WORDS = 40


def part_garbled(text: str, document_garbled: bool) -> bool:
    """Tells whether one part of a document (a passage, a page) is garbled OCR output.

    A clean report with a scanned annex is clean in its body and garbled in the annex
    (issue 14); a part too short to judge takes its document's verdict.
    """
    words = re.findall(r"[^\W\d_]{2,}", nfc(text))
    if len(words) < PART_MIN_WORDS:
        return document_garbled
    return Restorer.default().accent_validity(text) < GARBLED_BELOW
