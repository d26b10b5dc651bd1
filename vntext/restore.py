"""Restore Vietnamese diacritics from the folded form, with a dictionary's own statistics.

Used for queries typed without accents and for OCR'd text whose accents are garbled,
before they reach the dense model (multilingual-e5 reads "hoi khuyen hoc" as noise).
Decoding is Viterbi over the accented forms each folded syllable can take, scored by
how often syllable pairs occur inside the words of underthesea's Viet74K dictionary,
backing off to how often a syllable occurs at all.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from functools import lru_cache
from importlib import resources
from pathlib import Path

from vntext.normalize import fold, nfc

_WORD = re.compile(r"\w+|\W+")
# Backoff weight for a syllable pair never seen together (Katz-style, untuned).
_BACKOFF = math.log(0.05)


# Characters OCR reads in place of letters inside a word ("c6" = có, "16p" = lớp).
_DIGIT_AS_LETTER = str.maketrans(
    {"0": "o", "1": "l", "3": "a", "4": "a", "5": "s", "6": "o", "8": "b"}
)


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))} | {word}


def within_one_edit(a: str, b: str) -> bool:
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def _starts_sentence(pieces: list[str], i: int) -> bool:
    """Tells whether word ``i`` begins a sentence, line or the text."""
    before = "".join(pieces[max(0, i - 2) : i]).rstrip(" \t")
    return not before or before[-1] in '.!?:;\n"“(-–•+*'


def _restorable(pieces: list[str], i: int, repair: bool) -> bool:
    """Tells whether a word may be rewritten.

    Abbreviations ("TTg", "BCH") and the parts of document numbers ("281/Qb-TTg")
    stay as written: no dictionary knows them.
    """
    p = pieces[i]
    if not (p[0].isalpha() or (repair and p[0].isalnum() and not p.isdigit())):
        return False
    if any(c.isupper() for c in p[1:]):
        return False
    around = (pieces[i - 1] if i else "") + (pieces[i + 1] if i + 1 < len(pieces) else "")
    return not any(c in around for c in "/-&")


def _dictionary_path() -> Path:
    return Path(str(resources.files("underthesea"))) / "corpus" / "data" / "Viet74K.txt"


@lru_cache(maxsize=1)
def _dictionary_lines() -> tuple[str, ...]:
    text = _dictionary_path().read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def _dictionary_entries() -> list[str]:
    return list(_dictionary_lines())


class Restorer:
    """Maps folded syllable sequences back to their most likely accented form."""

    def __init__(self, entries: list[str]) -> None:
        uni: Counter[str] = Counter()
        bi: Counter[tuple[str, str]] = Counter()
        forms: dict[str, Counter[str]] = defaultdict(Counter)
        for entry in entries:
            syl = nfc(entry).lower().split()
            if not all(s.isalpha() for s in syl):
                continue
            for s in syl:
                uni[s] += 1
                forms[fold(s)][s] += 1
            for a, b in zip(syl, syl[1:], strict=False):
                bi[(a, b)] += 1
        total = sum(uni.values())
        self._uni = {s: math.log(c / total) for s, c in uni.items()}
        self._bi = {k: math.log(c / uni[k[0]]) for k, c in bi.items()}
        self._forms = {f: [s for s, _ in c.most_common(12)] for f, c in forms.items()}
        self.syllables = frozenset(uni)
        self._folded_freq = {f: sum(c.values()) for f, c in forms.items()}
        # Deletion neighbourhoods of every folded syllable (SymSpell, Garbe 2012), for
        # finding the syllables one edit away from an OCR-garbled one.
        self._deletes: dict[str, set[str]] = defaultdict(set)
        for f in self._forms:
            for d in _deletes(f):
                self._deletes[d].add(f)

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> Restorer:
        """Returns the restorer built from underthesea's Viet74K word list (loaded once)."""
        return cls(_dictionary_entries())

    @classmethod
    def for_corpus(cls, texts: list[str]) -> Restorer:
        """Returns a restorer that also knows the word sequences of clean corpus texts.

        The corpus teaches what no dictionary holds: place names ("Hòa An", "Đam Rông")
        and the pairs of words its documents use together.
        """
        phrases = [
            run.strip()
            for text in texts
            for run in re.split(r"[^\w\s]|\d|_|\n", nfc(text))
            if len(run.split()) >= 2
        ]
        return cls(_dictionary_entries() + phrases)

    def ocr_candidates(self, token: str) -> list[str]:
        """Returns folded syllables an OCR-garbled folded token may stand for, likeliest first.

        A known syllable stands for itself; otherwise digits read in place of letters
        are mapped back and syllables one edit away are proposed.
        """
        if token in self._forms:
            return [token]
        if token.isdigit() or len(token) < 2:
            return []
        fixed = token.translate(_DIGIT_AS_LETTER)
        if fixed in self._forms:
            return [fixed]
        found: set[str] = set()
        for d in _deletes(fixed):
            for f in self._deletes.get(d, ()):
                if within_one_edit(f, fixed):
                    found.add(f)
        # ties by the syllable itself: a set's order changes with the hash seed between runs
        return sorted(found, key=lambda f: (-self._folded_freq[f], f))[:5]

    def _decode(self, folded: list[str], repair: bool = False) -> list[str]:
        """Viterbi over candidate forms; a syllable without candidates stays as it is."""
        if repair:
            cands = []
            for f in folded:
                options = self.ocr_candidates(f)
                forms = [form for o in options for form in self._forms[o][:4]]
                cands.append(forms or [f])
        else:
            cands = [self._forms.get(f, [f]) for f in folded]
        # best[i][form] = (score, back-pointer form)
        prev: dict[str, tuple[float, str | None]] = {
            c: (self._uni.get(c, -20.0), None) for c in cands[0]
        }
        back: list[dict[str, str | None]] = [{c: None for c in cands[0]}]
        for i in range(1, len(folded)):
            cur: dict[str, tuple[float, str | None]] = {}
            ptr: dict[str, str | None] = {}
            for c in cands[i]:
                uni = self._uni.get(c, -20.0)
                best, arg = -math.inf, None
                for p, (score, _) in prev.items():
                    pair = self._bi.get((p, c))
                    s = score + (pair if pair is not None else _BACKOFF + uni)
                    if s > best:
                        best, arg = s, p
                cur[c] = (best, arg)
                ptr[c] = arg
            prev = cur
            back.append(ptr)
        last = max(prev, key=lambda c: prev[c][0])
        out: list[str] = [last]
        for i in range(len(folded) - 1, 0, -1):
            before = back[i][out[-1]]
            out.append(before if before is not None else cands[i - 1][0])
        return out[::-1]

    def restore(self, text: str, repair: bool = False) -> str:
        """Returns ``text`` with diacritics restored word by word; other characters kept.

        Capitalisation of each word's first letter is kept.

        Args:
            text: the text.
            repair: also replace words that are no syllable by the likeliest syllable
                one OCR error away ("thénh vién" → "thành viên", "c6" → "có").
        """
        pieces = _WORD.findall(nfc(text))
        out = list(pieces)
        fixed = self._names(pieces) if repair else {}
        for i, name in fixed.items():
            out[i] = name
        idx = [
            i
            for i, p in enumerate(pieces)
            if i not in fixed
            and _restorable(pieces, i, repair)
            # a capitalised word no dictionary knows, inside a sentence, is a name
            # ("huyện Krông Pắc", "xã Ea Tih"): keep it
            and not (
                repair
                and p[:1].isupper()
                and fold(p).lower() not in self._forms
                and not _starts_sentence(pieces, i)
            )
        ]
        if not idx:
            return "".join(out) if fixed else text
        # Decode runs of words separated only by spaces; punctuation breaks a run.
        runs: list[list[int]] = [[idx[0]]]
        for a, b in zip(idx, idx[1:], strict=False):
            if b == a + 2 and pieces[a + 1].strip() == "":
                runs[-1].append(b)
            else:
                runs.append([b])
        for run in runs:
            restored = self._decode([fold(pieces[i]) for i in run], repair)
            for i, form in zip(run, restored, strict=True):
                original = pieces[i]
                if original[:1].isupper():
                    form = form[:1].upper() + form[1:]
                if original.isupper() and len(original) > 1:
                    form = form.upper()
                out[i] = form
        return "".join(out)

    @staticmethod
    def _names(pieces: list[str]) -> dict[int, str]:
        """Returns the words of place names (gazetteer) in ``pieces``, properly spelled."""
        from vntext import gazetteer

        text = "".join(pieces)
        starts = []
        pos = 0
        for p in pieces:
            starts.append(pos)
            pos += len(p)
        out: dict[int, str] = {}
        for a, b, name in gazetteer.names_in(text):
            words = iter(name.split())
            for i, start in enumerate(starts):
                if a <= start < b and pieces[i].strip() and pieces[i][0].isalnum():
                    word = next(words, None)
                    if word is not None:
                        out[i] = word.upper() if pieces[i].isupper() else word
        return out

    def accent_validity(self, text: str) -> float:
        """Returns the share of multi-letter words that are valid accented syllables.

        Clean Vietnamese scores near 1; OCR output whose accents are garbled scores
        far lower ("Két luan s6" → "luan" is no syllable).
        """
        words = [w.lower() for w in re.findall(r"[^\W\d_]{2,}", nfc(text))]
        if not words:
            return 1.0
        return sum(w in self.syllables for w in words) / len(words)


def readable(text: str, garbled: bool) -> str:
    """Returns ``text`` itself, or, for a garbled document, its repaired restoration.

    The result feeds the indexes only (what the dense model reads, what lexical search
    matches); passages keep their exact text and offsets.
    """
    return Restorer.default().restore(text, repair=True) if garbled else text


def restore_query(query: str, restorer: Restorer | None = None) -> str:
    """Returns the query with diacritics restored when it was typed without any."""
    from vntext.normalize import has_diacritics

    return query if has_diacritics(query) else (restorer or Restorer.default()).restore(query)
