"""How the English Tesseract model garbles Vietnamese letters: a noisy-channel model.

Each letter of the true syllable is read as zero, one or two characters ("ộ" → "6",
"ư" → "ir", "ồ" → "é", "đ" → "d"); the probabilities of these readings are learnt
from pairs of clean text and its OCR (``python -m vntext.fit_ocr_channel``, which
renders clean text to page images and runs Tesseract ``-l eng`` on them, the way the
scans were made) and stored in ``vntext/ocr_channel.json``. :class:`Channel` gives
``log P(OCR'd token | syllable)`` and, for every syllable, the readings OCR likely
makes of it, so that a garbled token finds the syllables it may stand for even when
it is two letters away from them ("chirc" → "chức").
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from vntext.normalize import fold, nfc

CHANNEL_FILE = Path(__file__).with_name("ocr_channel.json")
# Prior probabilities of a reading, before any pair is seen (and what unseen readings
# are smoothed towards): the letter itself; the letter with other or no accents;
# nothing; another letter; two characters one of which is the letter.
_PRIOR = {"same": 0.7, "accent": 0.05, "drop": 0.005, "other": 0.001, "two": 0.002, "far": 1e-4}
# A vowel read as a symbol ("&", "@", "¢"): the scans of real reports do so for accented
# vowels ("x&" = xã, "K&t" = Kết), the English model rarely.
_SYMBOL_READ = math.log(0.002)
# Consonants the same scans read as a symbol that looks like them: "đ" (a d with a stroke)
# as "@" ("@3" = đã, "@6" = độ), "c" as "¢" ("¢6" = có). As often as a vowel's symbol.
_LOOKALIKE = {"đ": "@", "c": "¢"}
_VOWELS = frozenset("aeiouy")
# How many pairs' worth of weight the prior carries against the counts.
_PRIOR_WEIGHT = 2.0
MAX_READ = 2


def _kind(letter: str, read: str) -> str:
    if read == letter:
        return "same"
    if not read:
        return "drop"
    if len(read) == 1:
        return "accent" if fold(read) == fold(letter) else "other"
    return "two" if any(fold(x) == fold(letter) for x in read) else "far"


class Channel:
    """``log P(token | syllable)`` under per-letter readings with learnt probabilities.

    Args:
        counts: for each true letter, how often it was read as each string (0–2 chars).
    """

    def __init__(self, counts: dict[str, dict[str, int]] | None = None) -> None:
        self.counts = {k: dict(v) for k, v in (counts or {}).items()}
        self._totals = {k: sum(v.values()) for k, v in self.counts.items()}
        self._logp = lru_cache(maxsize=200_000)(self._logp_uncached)
        self._readings: dict[str, list[tuple[str, float]]] = {}

    # --- probabilities ----------------------------------------------------------------
    def emission(self, letter: str, read: str) -> float:
        """Returns ``log P(read | letter)``, smoothed towards the prior.

        A symbol read for a vowel ("x&" for "xã") says only that OCR could not read the
        vowel, not which one: every vowel gets the same probability.
        """
        if len(read) == 1 and not read.isalnum() and not read.isspace() and fold(letter) in _VOWELS:
            return _SYMBOL_READ
        if read and _LOOKALIKE.get(letter) == read:
            return _SYMBOL_READ
        prior = _PRIOR[_kind(letter, read)]
        n = self._totals.get(letter, 0)
        c = self.counts.get(letter, {}).get(read, 0)
        return math.log((c + _PRIOR_WEIGHT * prior) / (n + _PRIOR_WEIGHT))

    def _logp_uncached(self, token: str, syllable: str) -> float:
        return self._align(token, syllable)[0]

    def logp(self, token: str, syllable: str) -> float:
        """Returns ``log P(token | syllable)`` (best alignment), both lower case."""
        return self._logp(token, syllable)

    def _align(self, token: str, syllable: str) -> tuple[float, list[tuple[str, str]]]:
        n, m = len(syllable), len(token)
        neg = -math.inf
        best = [[neg] * (m + 1) for _ in range(n + 1)]
        back: list[list[int]] = [[0] * (m + 1) for _ in range(n + 1)]
        best[0][0] = 0.0
        for i in range(1, n + 1):
            letter = syllable[i - 1]
            for j in range(m + 1):
                for k in range(min(MAX_READ, j) + 1):
                    prev = best[i - 1][j - k]
                    if prev == neg:
                        continue
                    s = prev + self.emission(letter, token[j - k : j])
                    if s > best[i][j]:
                        best[i][j], back[i][j] = s, k
        pairs: list[tuple[str, str]] = []
        j = m
        for i in range(n, 0, -1):
            k = back[i][j]
            pairs.append((syllable[i - 1], token[j - k : j]))
            j -= k
        return best[n][m], pairs[::-1]

    # --- readings of a syllable -------------------------------------------------------
    def _letter_readings(self, letter: str) -> list[tuple[str, float]]:
        if letter not in self._readings:
            seen = set(self.counts.get(letter, {})) | {letter, fold(letter)}
            scored = sorted(((r, self.emission(letter, r)) for r in seen), key=lambda x: -x[1])
            self._readings[letter] = scored[:5]
        return self._readings[letter]

    def readings(self, syllable: str, beam: int = 12, within: float = 7.0) -> list[str]:
        """Returns the likeliest OCR readings of ``syllable``, within ``within`` nats of
        the likeliest."""
        states: list[tuple[str, float]] = [("", 0.0)]
        for letter in syllable:
            grown = [(t + r, s + lp) for t, s in states for r, lp in self._letter_readings(letter)]
            grown.sort(key=lambda x: -x[1])
            states = grown[:beam]
        top = states[0][1] if states else 0.0
        return [t for t, s in states if t and s >= top - within]

    # --- fitting and storage ----------------------------------------------------------
    @classmethod
    def fit(cls, pairs: Iterable[tuple[str, str]], rounds: int = 3) -> Channel:
        """Learns letter readings from (true syllable, OCR'd token) pairs by hard EM."""
        data = [(nfc(s).lower(), nfc(t).lower()) for s, t in pairs]
        channel = cls()
        for _ in range(rounds):
            counts: dict[str, Counter[str]] = defaultdict(Counter)
            for syllable, token in data:
                score, aligned = channel._align(token, syllable)
                if score == -math.inf:
                    continue
                for letter, read in aligned:
                    counts[letter][read] += 1
            channel = cls({k: dict(v) for k, v in counts.items()})
        return channel

    def save(self, path: Path = CHANNEL_FILE) -> None:
        body = {k: dict(sorted(v.items())) for k, v in sorted(self.counts.items())}
        path.write_text(json.dumps(body, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")

    @classmethod
    @lru_cache(maxsize=1)
    def default(cls) -> Channel:
        """Returns the channel stored in ``vntext/ocr_channel.json`` (the prior if absent)."""
        if not CHANNEL_FILE.exists():
            return cls()
        return cls(json.loads(CHANNEL_FILE.read_text(encoding="utf-8")))


__all__ = ["CHANNEL_FILE", "Channel"]
