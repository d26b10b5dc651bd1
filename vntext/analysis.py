"""Text analysis: what the full-text table holds for a passage, and what a query looks up.

A query's path: :func:`restore_query` (accents restored when typed without them),
:func:`expansions` (abbreviations and long forms), :func:`query_terms` /
:func:`match_query` (the terms each column is searched for). A passage's:
:func:`analyze`. Three columns, each a different view of the same text:

- ``seg``: underthesea words with diacritics ("hội_khuyến_học"), precise for clean text;
- ``folded``: diacritic-folded syllables ("hoi", "khuyen", "hoc"), for queries typed
  without accents and for OCR'd text whose accents are garbled;
- ``bigrams``: adjacent folded syllables ("hoi_khuyen", "khuyen_hoc"), which give back
  the word order that folding blurs ("hoa an" ≠ "an hoa", "co so" ≠ "so co").

Officials write "TTHTCĐ", "BCH", "KT-XH" as often as the full names, in queries and in
documents alike; a query in one form finds passages in the other (the abbreviation table
is general administrative usage, :mod:`vntext.lexicon`, not drawn from labelled queries).

The table is derived data: when :data:`LEXICAL_VERSION` changes, the store rebuilds it
from the passages without re-embedding anything.
"""

from __future__ import annotations

import re
from functools import lru_cache

from vntext import codes, lexicon
from vntext.normalize import fold, has_diacritics, nfc
from vntext.restore import readable, restore_query
from vntext.segment import words

# The rows of the one abbreviation table that expand a search query.
ABBREVIATIONS: dict[str, str] = {
    abbr: long for abbr, long, expand in lexicon.ABBREVIATIONS if expand
}
_BY_FOLDED = {fold(k): (k, v) for k, v in ABBREVIATIONS.items()}
_LONG_FORMS = {fold(v): k for k, v in ABBREVIATIONS.items()}
_TOKEN = re.compile(r"[\w&\-]+")
_TYPE_AND_NUMBER = re.compile(r"([^\W\d_]{2,4})(\d{1,5})")

# Question words and particles that carry no topic ("có bao nhiêu", "mấy", "nào").
QUESTION_WORDS = frozenset(fold(w) for w in lexicon.QUESTION_WORDS)


def expansions(query: str) -> list[str]:
    """Returns the other forms of the abbreviations and long forms the query contains."""
    query = nfc(query)
    folded = fold(query)
    out: list[str] = []
    for token in _TOKEN.findall(query):
        hit = _BY_FOLDED.get(fold(token))
        if hit and token.upper() == token.upper() and any(c.isupper() for c in token):
            out.append(hit[1])
        code = _TYPE_AND_NUMBER.fullmatch(token)
        if code:  # "CT11", "KL49", "QĐ1373": a type code glued to a number
            name = codes.type_of_code(codes.normalise(code.group(1)))
            if name:
                out.append(f"{name} {code.group(2)}")
    for long_form, abbr in _LONG_FORMS.items():
        if re.search(rf"(?<!\w){re.escape(long_form)}(?!\w)", folded):
            out.append(abbr)
    return out


# restore_query is part of a query's analysis; it lives with the restorer.
__all__ = [
    "COLUMNS",
    "LEXICAL_VERSION",
    "WEIGHTS",
    "analyze",
    "bigrams",
    "doc_context",
    "expansions",
    "folded_syllables",
    "match_query",
    "query_terms",
    "restore_query",
]

LEXICAL_VERSION = "8"
COLUMNS = ("seg", "folded", "bigrams")
# bm25() column weights, in COLUMNS order.
WEIGHTS = (1.0, 1.0, 1.5)
_SYLLABLE = re.compile(r"\w+")
# Query-side switches (eval/REPORT.md has their ablation).
EXPAND = True
DOC_CONTEXT = True
DROP_QUESTION_WORDS = True


def folded_syllables(text: str) -> list[str]:
    """Returns the folded syllables (letters and digits, one-character ones kept)."""
    return _SYLLABLE.findall(fold(nfc(text)))


def bigrams(syllables: list[str]) -> list[str]:
    """Returns adjacent syllable pairs joined by "_"."""
    return [f"{a}_{b}" for a, b in zip(syllables, syllables[1:], strict=False)]


@lru_cache(maxsize=2048)
def _segment_cached(text: str) -> str:
    return " ".join(words(text))


def analyze(
    section: str, text: str, garbled: bool, seg: str | None = None, context: str = ""
) -> tuple[str, str, str]:
    """Returns the (seg, folded, bigrams) column values for a passage.

    The section path goes in front, so a query naming a section's topic finds the
    passages under it. OCR'd text whose accents are garbled is indexed in its
    repaired form (:func:`vntext.restore.readable`), so "thwe hién" matches "thực hiện",
    with the OCR'd syllables the repair changed kept beside it.

    Args:
        section: the passage's section path.
        text: the passage text.
        garbled: the passage's document is OCR output with garbled accents.
        seg: the passage's segmented text when already computed at ingest.
        context: what the document says about itself that its passages do not repeat
            (:func:`doc_context`: "Hòa An Cao Bằng"), put in front with the section.
    """
    fixed = readable(text, garbled)
    if fixed != text or seg is None:
        seg = " ".join(words(fixed))
    if DOC_CONTEXT and context:
        section = f"{context}\n{section}"
    section = _readable_cached(section, garbled)
    seg_text = _segment_cached(section) + "\n" + seg
    syl = folded_syllables(section) + folded_syllables(fixed)
    grams = bigrams(syl)
    if fixed != text:
        # Issue 14: the OCR'd words themselves stay beside their repair, so a name the
        # repair got wrong ("Trong Pác") is still found as written ("krong pac").
        repaired = set(syl)
        kept = [s for s in folded_syllables(text) if s not in repaired]
        syl += kept
    return seg_text, " ".join(syl), " ".join(grams)


def doc_context(place: str | None, province: str | None) -> str:
    """What :func:`analyze` puts in front of every passage of a document: its locality.

    Reports rarely repeat their district or province in each paragraph, yet users name
    it ("Hòa An đã cấp bao nhiêu xe lăn"); the header states it once.
    """
    return " ".join(p for p in (place, province) if p)


@lru_cache(maxsize=2048)
def _readable_cached(text: str, garbled: bool) -> str:
    return readable(text, garbled)


def _term(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def query_terms(query: str, restored: str | None = None) -> list[tuple[str, str]]:
    """Returns the ``(column, term)`` pairs a query looks for, any of which may match.

    Words with diacritics are matched on ``seg`` only when the query carries
    diacritics: a query typed without them would otherwise hit the garbled,
    accent-less words of OCR'd text by chance. For such a query, ``restored`` (its
    accents restored) supplies the words instead.
    """
    syl = folded_syllables(query)
    if not syl:
        return []
    extra = [folded_syllables(e) for e in expansions(query)] if EXPAND else []
    unigrams = {t for t in syl if not (DROP_QUESTION_WORDS and t in QUESTION_WORDS)} or set(syl)
    unigrams |= {t for e in extra for t in e}
    terms = [("folded", t) for t in sorted(unigrams)]
    pairs = sorted(set(bigrams(syl)) | {b for e in extra for b in bigrams(e)})
    terms += [("bigrams", t) for t in pairs]
    worded = query if has_diacritics(query) else restored
    if worded and has_diacritics(worded):
        # A word the table's tokenizer splits ("qđ-ttg", "covid-19") would be a phrase;
        # its syllables already match in order through the bigram column.
        seg_terms = sorted({w for w in words(nfc(worded)) if len(_SYLLABLE.findall(w)) == 1})
        terms += [("seg", t) for t in seg_terms]
    return terms


def match_query(query: str, restored: str | None = None) -> str | None:
    """Builds the FTS5 MATCH expression of :func:`query_terms`, or ``None`` when it has none."""
    by_column: dict[str, list[str]] = {}
    for column, term in query_terms(query, restored):
        by_column.setdefault(column, []).append(_term(term))
    if not by_column:
        return None
    return " OR ".join(f"{c} : (" + " OR ".join(ts) + ")" for c, ts in by_column.items())
