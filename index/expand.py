"""Query expansion: Vietnamese administrative abbreviations and question words.

Officials write "TTHTCĐ", "BCH", "KT-XH" as often as the full names, in queries and in
documents alike; a query in one form should find passages in the other. The table is
general administrative usage (index/lexicon.py), not drawn from the labelled queries.
"""

from __future__ import annotations

import re

from index import lexicon
from ingest import codes
from ingest.text import fold, nfc

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
