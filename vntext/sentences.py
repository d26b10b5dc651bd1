"""Where Vietnamese sentences end, for the two uses that cut text at them.

- :data:`PASSAGE_CUT` (the chunker, ``ingest/chunk.py``): an over-long paragraph is cut
  into passages after ``.``, ``!``, ``?`` or ``;`` and whitespace, where the next word
  starts with a capital, a digit, a dash, ``+``, ``(`` or a quote (:func:`passage_cuts`).
  The semicolon counts: OCR'd lists run for a page with ``;`` between items.
- :data:`SENTENCE_END` (sentence units, ``index/spans.py``): a passage is cut into
  sentences after ``.``, ``!``, ``?`` or ``…`` and whitespace, where the next character is
  a quote, ``(``, a dash, ``+``, a bullet, ``*``, a digit or a letter — not a lower-case
  letter ("v.v. và", "TS. nguyễn" are abbreviations); every line break also ends one.
  The semicolon does not: an over-long sentence is cut into clauses instead.

The two differ on purpose; changing either changes the passages or the sentence units of
every index (and what is measured on them), so each is changed only with its figures.
"""

from __future__ import annotations

import re

PASSAGE_CUT = re.compile(r"(?<=[.!?;])\s+(?=\S)")
_PASSAGE_START = '"“(-–+'
SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"“'(\-–+•*\d\w])")


def passage_cuts(text: str) -> list[int]:
    """Returns where the chunker may cut ``text``: the start of the whitespace after a stop."""
    return [
        m.start()
        for m in PASSAGE_CUT.finditer(text)
        if text[m.end()].isupper() or text[m.end()].isdigit() or text[m.end()] in _PASSAGE_START
    ]


def starts_sentence(char: str) -> bool:
    """Tells whether a character after :data:`SENTENCE_END` starts a sentence (not a
    lower-case letter, which follows an abbreviation)."""
    return not (char.isalpha() and not char.isupper())
