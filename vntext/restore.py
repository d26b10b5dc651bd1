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
from collections.abc import Callable, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

from vntext.normalize import fold, nfc
from vntext.ocr_channel import Channel

_WORD = re.compile(r"\w+|\W+")
# Symbols the OCR of a scan reads in place of an accented vowel inside a word ("x&" = xã,
# "K&t" = Kết, "v&" = về, "nhi¢m" = nhiệm). Between capitals the ampersand joins an
# abbreviation ("GD&ĐT", "CN&ĐH") and stays.
_VOWEL_SYMBOLS = "&@¢¥"
# A syllable has at most seven letters ("nghiêng"): a longer run with a symbol inside is
# an address or a name ("gdtx@nghean"), not a garbled word.
_MAX_SYLLABLE = 7
# Backoff weight for a syllable pair never seen together (Katz-style, untuned).
_BACKOFF = math.log(0.05)
# How much a word sequence of running text counts against one dictionary entry: a
# dictionary lists each word once, so it cannot tell common words ("đạt", "tỉnh") from
# rare ones of the same letters ("đất", "tình"); running text can.
RUNNING_TEXT_WEIGHT = 20
# Repairing OCR: how many syllables a garbled token is decoded over, and the weight of
# the OCR channel's log P(token | syllable) against the word statistics' log P.
_REPAIR_CANDIDATES = 8
CHANNEL_WEIGHT = 1.0
# A capitalised word no dictionary knows is a name unless OCR reads some syllable as it
# with at least this log probability.
NAME_BELOW = -3.0


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


def _symbol_word(p: str, nxt: str) -> tuple[str, str] | None:
    """Splits a non-word piece ending in a symbol that starts the next word ("¢" before
    "6" = có, "@" before "3" = đã) into (before, symbol). A symbol standing alone ("&"
    for "ở") stays: with no letter to go on, any vowel would be a guess."""
    start = re.fullmatch(rf"(.*\s|)([{_VOWEL_SYMBOLS}])", p, re.S)
    if start is None or not nxt[:1].isalnum() or nxt[:1].isupper():
        return None
    if len(start.group(2) + nxt) > _MAX_SYLLABLE:
        return None
    return start.group(1), start.group(2)


def _join_symbol_letters(pieces: list[str]) -> list[str]:
    """Joins a word and the symbol OCR glued to it ("x" "& " → "x&" " ", "K" "&" "t" →
    "K&t", " ¢" "6" → " " "¢6") into one word to repair; an abbreviation's ampersand
    ("GD&ĐT") stays apart."""
    out: list[str] = []
    i = 0
    while i < len(pieces):
        p = pieces[i]
        nxt = pieces[i + 1] if i + 1 < len(pieces) else ""
        starts = None if p[:1].isalnum() else _symbol_word(p, nxt)
        if starts is not None and not (p[:1] in _VOWEL_SYMBOLS and out and out[-1][-1:].isalpha()):
            before, symbol = starts
            out.extend(x for x in (before, symbol + nxt) if x)
            i += 2
            continue
        if p[:1] in _VOWEL_SYMBOLS and out and out[-1][-1:].isalpha():
            rest = p[1:]
            # "x&y": the symbol runs on into the next word's letters
            tail = nxt if not rest and nxt[:1].isalpha() else ""
            joined = out[-1] + p[0] + tail
            if not tail[:1].isupper() and len(joined) <= _MAX_SYLLABLE:
                out[-1] = joined
                if rest:
                    out.append(rest)
                i += 2 if tail else 1
                continue
        out.append(p)
        i += 1
    return out


def _starts_sentence(pieces: list[str], i: int) -> bool:
    """Tells whether word ``i`` begins a sentence, line or the text."""
    before = "".join(pieces[max(0, i - 2) : i]).rstrip(" \t")
    return not before or before[-1] in '.!?:;\n"“(-–•+*'


_ROMAN = re.compile(r"[IVXLC]+")


def _restorable(
    pieces: list[str], i: int, repair: bool, known: Callable[[str], bool] | None = None
) -> bool:
    """Tells whether a word may be rewritten.

    Abbreviations ("TTg", "BCH") and the parts of document numbers ("281/Qb-TTg")
    stay as written: no dictionary knows them.
    """
    p = pieces[i]
    # a word OCR began with a symbol ("¢6" = có, "@3" = đã), after a space
    symbol_word = repair and p[0] in _VOWEL_SYMBOLS and (i == 0 or pieces[i - 1][-1:].isspace())
    if not (p[0].isalpha() or symbol_word or (repair and p[0].isalnum() and not p.isdigit())):
        return False
    if any(c.isupper() for c in p[1:]) and not (
        # repairing OCR, a word in capitals that is a syllable is a heading's word
        # ("HOI KHUYEN HOC", "BÁO CÁO"); Roman numerals and other capitals stay
        repair and known is not None and p.isupper() and not _ROMAN.fullmatch(p) and known(p)
    ):
        return False
    before = pieces[i - 1] if i else ""
    after = pieces[i + 1] if i + 1 < len(pieces) else ""
    if any(c in before + after for c in "/-&@"):
        return False
    # a part of an address ("gdtx@nghean.edu.vn", "www.khuyenhoc.vn"): a dot with a word
    # straight after it on either side
    return not (
        (before == "." and i >= 2 and pieces[i - 2][-1:].isalnum())
        or (after == "." and i + 2 < len(pieces) and pieces[i + 2][:1].isalnum())
    )


@lru_cache(maxsize=100_000)
def _channel_readings(channel: Channel, syllable: str) -> tuple[str, ...]:
    """The likely OCR readings of a syllable (shared by every restorer)."""
    return tuple(channel.readings(syllable))


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

    def __init__(
        self, entries: Sequence[str], running: Sequence[str] = (), weight: int = 1
    ) -> None:
        uni: Counter[str] = Counter()
        bi: Counter[tuple[str, str]] = Counter()
        forms: dict[str, Counter[str]] = defaultdict(Counter)
        for entries_, n in ((entries, 1), (running, weight)):
            for entry in entries_:
                syl = nfc(entry).lower().split()
                if not all(s.isalpha() for s in syl):
                    continue
                for s in syl:
                    uni[s] += n
                    forms[fold(s)][s] += n
                for a, b in zip(syl, syl[1:], strict=False):
                    bi[(a, b)] += n
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
        self._readings: dict[str, list[str]] | None = None

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
        return cls(_dictionary_entries(), phrases, RUNNING_TEXT_WEIGHT)

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

    def _by_reading(self) -> dict[str, list[str]]:
        """Returns, for each likely OCR reading of a known syllable, the syllables read so."""
        if self._readings is None:
            channel = Channel.default()
            index: dict[str, list[str]] = defaultdict(list)
            for syllable in sorted(self._uni):
                for r in _channel_readings(channel, syllable):
                    index[r].append(syllable)
            self._readings = dict(index)
        return self._readings

    def repair_candidates(self, token: str) -> list[tuple[str, float]]:
        """Returns (syllable, log P(token | syllable)) of the syllables an OCR'd token may
        stand for, likeliest first.

        Candidates are the accented forms of the token's unaccented spelling and of the
        spellings one edit away, and the syllables OCR is likely to read as the token
        ("chirc" ← "chức"); the channel (:mod:`vntext.ocr_channel`) scores them.
        """
        t = nfc(token).lower()
        f = fold(t)
        options = set(self.ocr_candidates(f)) | set(self._neighbours(f))
        cands = {form for o in options for form in self._forms[o]}
        cands.update(self._by_reading().get(t, ()))
        channel = Channel.default()
        scored = [(c, channel.logp(t, c)) for c in cands]
        scored.sort(key=lambda x: (-(x[1] + self._uni.get(x[0], -20.0)), x[0]))
        return scored[:_REPAIR_CANDIDATES]

    def _known(self, word: str) -> bool:
        """Tells whether a word is a syllable, or OCR's reading of one, as written."""
        return fold(word).lower() in self._forms or self._garbled_syllable(word)

    def _garbled_syllable(self, word: str) -> bool:
        """Tells whether OCR likely read some syllable as ``word``."""
        best = self.repair_candidates(word)[:1]
        return bool(best) and best[0][1] >= NAME_BELOW

    def _neighbours(self, folded: str) -> list[str]:
        """Returns the known unaccented syllables one edit away from ``folded``."""
        if len(folded) < 2:
            return []
        found: set[str] = set()
        for d in _deletes(folded):
            for f in self._deletes.get(d, ()):
                if within_one_edit(f, folded):
                    found.add(f)
        return sorted(found)

    def _decode(self, words: list[str], repair: bool = False) -> list[str]:
        """Viterbi over candidate forms; a syllable without candidates stays as it is.

        With ``repair`` the words are the tokens as written and each candidate also
        scores how likely OCR reads it as the token; otherwise they are folded.
        """
        folded = words if not repair else [fold(w).lower() for w in words]
        chan: list[dict[str, float]] = []
        if repair:
            cands = []
            for w in words:
                scored = self.repair_candidates(w)
                chan.append({c: CHANNEL_WEIGHT * lp for c, lp in scored})
                cands.append([c for c, _ in scored] or [fold(w).lower()])
        else:
            cands = [self._forms.get(f, [f]) for f in folded]

        def emit(i: int, c: str) -> float:
            return chan[i].get(c, 0.0) if chan else 0.0

        # best[i][form] = (score, back-pointer form)
        prev: dict[str, tuple[float, str | None]] = {
            c: (self._uni.get(c, -20.0) + emit(0, c), None) for c in cands[0]
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
                cur[c] = (best + emit(i, c), arg)
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
        if repair:
            pieces = _join_symbol_letters(pieces)
        out = list(pieces)
        fixed = self._names(pieces) if repair else {}
        for i, name in fixed.items():
            out[i] = name
        idx = [
            i
            for i, p in enumerate(pieces)
            if i not in fixed
            and _restorable(pieces, i, repair, self._known)
            # a capitalised word no dictionary knows, inside a sentence, is a name
            # ("huyện Krông Pắc", "xã Ea Tih") unless OCR likely garbled a syllable into
            # it ("H6i Khuyến học"): keep it
            and not (
                repair
                and p[:1].isupper()
                and not any(c in _VOWEL_SYMBOLS for c in p)
                and fold(p).lower() not in self._forms
                and not _starts_sentence(pieces, i)
                and not self._garbled_syllable(p)
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
            words = [pieces[i] if repair else fold(pieces[i]) for i in run]
            restored = self._decode(words, repair)
            for i, form in zip(run, restored, strict=True):
                original = pieces[i]
                if original[:1].isupper():
                    form = form[:1].upper() + form[1:]
                if original.isupper() and sum(c.isalpha() for c in original) > 1:
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
