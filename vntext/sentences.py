"""Where Vietnamese sentences end: one rule, read with the stops of its two uses.

A sentence ends at a stop and the whitespace after it, when the next character starts a
sentence: a capital, a digit, a quote, a bracket, a dash, a plus, a bullet or ``*`` — not
a lower-case letter ("v.v. và", "TS. nguyễn" follow abbreviations).

The stops differ by use, as data:

- :data:`PASSAGE_STOPS` (the chunker, ``ingest/chunk.py``, :func:`passage_cuts`): an
  over-long paragraph is cut into passages after ``.``, ``!``, ``?`` or ``;``. The
  semicolon counts: OCR'd lists run for a page with ``;`` between items.
- :data:`SENTENCE_STOPS` (sentence units, ``index/spans.py``): a passage is cut into
  sentences after ``.``, ``!``, ``?`` or ``…``; every line break also ends one there. The
  semicolon does not: an over-long sentence is cut into clauses instead.

Changing either changes the passages or the sentence units of every index (and what is
measured on them), so each is changed only with its figures.
"""

from __future__ import annotations

import re
from functools import cache

PASSAGE_STOPS = ".!?;"
SENTENCE_STOPS = ".!?…"
# Characters other than capitals and digits that may open a sentence.
OPENERS = "\"“'(-–+•*"


def starts_sentence(char: str) -> bool:
    """Tells whether ``char``, after a stop and whitespace, starts a sentence."""
    return char.isupper() or char.isdigit() or char in OPENERS


@cache
def _after_stop(stops: str) -> re.Pattern[str]:
    return re.compile(rf"(?<=[{re.escape(stops)}])\s+(?=\S)")


def sentence_breaks(
    text: str, stops: str, start: int = 0, end: int | None = None
) -> list[tuple[int, int]]:
    """Returns the whitespace runs ``[a, b)`` of ``text[start:end]`` that end a sentence.

    Args:
        text: the text.
        stops: the characters that may end a sentence (:data:`PASSAGE_STOPS` or
            :data:`SENTENCE_STOPS`).
        start, end: the part of ``text`` to read (a line of it, say).
    """
    stop = _after_stop(stops)
    found = stop.finditer(text, start, len(text) if end is None else end)
    return [m.span() for m in found if starts_sentence(text[m.end()])]


def passage_cuts(text: str) -> list[int]:
    """Returns where the chunker may cut ``text``: the start of the whitespace after a stop."""
    return [a for a, _ in sentence_breaks(text, PASSAGE_STOPS)]
