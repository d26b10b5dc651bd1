"""Text with a map back to raw offsets, NFC normalisation and diacritic folding.

Every cleaning step works on :class:`MappedText`, so each character of the cleaned
text knows the raw span it came from and a passage's raw span is exact.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class MappedText:
    """A string whose character ``i`` came from ``raw[starts[i]:ends[i]]``."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def __len__(self) -> int:
        return len(self.text)

    def slice(self, a: int, b: int) -> MappedText:
        """Returns the sub-text ``[a, b)`` with its map."""
        return MappedText(self.text[a:b], self.starts[a:b], self.ends[a:b])

    def strip(self) -> MappedText:
        """Returns the text without leading and trailing whitespace."""
        t = self.text
        a, b = 0, len(t)
        while a < b and (t[a].isspace() or t[a] == "\ufeff"):
            a += 1
        while b > a and t[b - 1].isspace():
            b -= 1
        return self.slice(a, b)

    def raw_span(self, a: int = 0, b: int | None = None) -> tuple[int, int]:
        """Returns the raw ``(start, end)`` that the characters ``[a, b)`` came from."""
        b = len(self.text) if b is None else b
        if b <= a:
            raise ValueError("empty span has no raw offsets")
        return self.starts[a], self.ends[b - 1]

    @staticmethod
    def join(parts: list[MappedText], sep: str) -> MappedText:
        """Joins parts with ``sep``; separator characters map to the end of the part before."""
        text: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        for i, p in enumerate(parts):
            if i and sep:
                anchor = ends[-1] if ends else p.starts[0] if p.starts else 0
                text.append(sep)
                starts.extend([anchor] * len(sep))
                ends.extend([anchor] * len(sep))
            text.append(p.text)
            starts.extend(p.starts)
            ends.extend(p.ends)
        return MappedText("".join(text), tuple(starts), tuple(ends))


# Letters that stand for Vietnamese ones in text converted from legacy fonts.
LEGACY_LETTERS = {"Ð": "Đ", "ð": "đ"}
_LEGACY_TABLE = str.maketrans(LEGACY_LETTERS)


def nfc_mapped(raw: str) -> MappedText:
    """Normalises ``raw`` to NFC, mapping each output character to its raw characters.

    A base character and the combining marks after it form one group; the group is
    normalised alone, so an NFD "Đ" + marks becomes one NFC character mapped to the
    whole group. Text that is already NFC maps one to one. "Ð" (U+00D0, Icelandic eth,
    which legacy-font conversion leaves for "Đ") becomes "Đ", one character for one.
    """
    if any(c in raw for c in LEGACY_LETTERS):
        raw_text = raw.translate(_LEGACY_TABLE)
        mapped = nfc_mapped(raw_text)
        return mapped
    if unicodedata.is_normalized("NFC", raw):
        n = len(raw)
        return MappedText(raw, tuple(range(n)), tuple(range(1, n + 1)))
    text: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, n = 0, len(raw)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(raw[j]):
            j += 1
        out = unicodedata.normalize("NFC", raw[i:j])
        for ch in out:
            text.append(ch)
            starts.append(i)
            ends.append(j)
        i = j
    return MappedText("".join(text), tuple(starts), tuple(ends))


def nfc_remapped(mt: MappedText) -> MappedText:
    """:func:`nfc_mapped` of text already mapped to a raw form, the two maps composed.

    An output character maps to all the raw characters its NFC group came from.
    """
    inner = nfc_mapped(mt.text)
    if inner.text == mt.text:
        return mt
    return MappedText(
        inner.text,
        tuple(mt.starts[s] for s in inner.starts),
        tuple(mt.ends[e - 1] for e in inner.ends),
    )


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in "đĐðÐ":
        return "d"
    base = unicodedata.normalize("NFD", ch)[0]
    return base.lower() if len(base.lower()) == 1 else ch.lower()


class _FoldTable(dict[int, str]):
    """``str.translate`` table filled on first sight of each character."""

    def __missing__(self, code: int) -> str:
        c = chr(code)
        out = _fold_char(c) if code > 127 else c.lower()
        self[code] = out
        return out


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Returns ``text`` lower-cased without diacritics (đ→d), character for character.

    The result has the same length as ``text`` (NFC input), so spans found in the
    folded form are spans of the original. (One ``str.translate`` pass over a table
    filled as characters are first seen: several times faster than a per-character
    generator on the answer path.)
    """
    return text.translate(_FOLD_TABLE)


def nfc(text: str) -> str:
    """Returns ``text`` in NFC, with legacy "Ð" as "Đ"."""
    return unicodedata.normalize("NFC", text.translate(_LEGACY_TABLE))


_TOKEN = re.compile(r"\w+", re.UNICODE)


def tokens(text: str) -> list[str]:
    """Returns the folded word tokens (letters and digits, one-character ones kept)."""
    return _TOKEN.findall(fold(nfc(text)))


def has_diacritics(text: str) -> bool:
    """Tells whether ``text`` carries Vietnamese diacritics or đ."""
    t = nfc(text)
    return fold(t) != t.lower()
