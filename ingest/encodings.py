"""Legacy Vietnamese encodings: detect TCVN3 (ABC), VNI and VISCII text and convert it to Unicode.

Old government files were typed with font-based encodings: the bytes are Latin-1
positions that a Vietnamese font drew as Vietnamese letters. Read as Windows-1252
they turn into "Céng hoµ x· héi chñ nghÜa ViÖt Nam" (TCVN3) or "Vieät Nam" (VNI).
Detection decodes with every table and keeps the one whose words are well-formed
Vietnamese syllables.

The TCVN3 table is TCVN 5712:1993 VN1 (a superset of VN3, the ABC fonts) and the
VISCII table is RFC 1456, both as glibc's iconv converts them; the VNI table
follows the VNI-Windows fonts (vowel + tone bytes, e.g. "aø" = "à").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ingest.errors import IngestError
from vntext.garbled import TONES as _TONES
from vntext.garbled import vietnamese_score

_TCVN3_HIGH = (
    "\xc0\u1ea2\xc3\xc1\u1ea0\u1eb6\u1eac\xc8"  # 0x80
    "\u1eba\u1ebc\xc9\u1eb8\u1ec6\xcc\u1ec8\u0128"  # 0x88
    "\xcd\u1eca\xd2\u1ece\xd5\xd3\u1ecc\u1ed8"  # 0x90
    "\u1edc\u1ede\u1ee0\u1eda\u1ee2\xd9\u1ee6\u0168"  # 0x98
    "\xa0\u0102\xc2\xca\xd4\u01a0\u01af\u0110"  # 0xA0
    "\u0103\xe2\xea\xf4\u01a1\u01b0\u0111\u1eb0"  # 0xA8
    "\u0300\u0309\u0303\u0301\u0323\xe0\u1ea3\xe3"  # 0xB0
    "\xe1\u1ea1\u1eb2\u1eb1\u1eb3\u1eb5\u1eaf\u1eb4"  # 0xB8
    "\u1eae\u1ea6\u1ea8\u1eaa\u1ea4\u1ec0\u1eb7\u1ea7"  # 0xC0
    "\u1ea9\u1eab\u1ea5\u1ead\xe8\u1ec2\u1ebb\u1ebd"  # 0xC8
    "\xe9\u1eb9\u1ec1\u1ec3\u1ec5\u1ebf\u1ec7\xec"  # 0xD0
    "\u1ec9\u1ec4\u1ebe\u1ed2\u0129\xed\u1ecb\xf2"  # 0xD8
    "\u1ed4\u1ecf\xf5\xf3\u1ecd\u1ed3\u1ed5\u1ed7"  # 0xE0
    "\u1ed1\u1ed9\u1edd\u1edf\u1ee1\u1edb\u1ee3\xf9"  # 0xE8
    "\u1ed6\u1ee7\u0169\xfa\u1ee5\u1eeb\u1eed\u1eef"  # 0xF0
    "\u1ee9\u1ef1\u1ef3\u1ef7\u1ef9\xfd\u1ef5\u1ed0"  # 0xF8
)
_TCVN3_LOW = {
    0x01: "\xda",
    0x02: "\u1ee4",
    0x04: "\u1eea",
    0x05: "\u1eec",
    0x06: "\u1eee",
    0x11: "\u1ee8",
    0x12: "\u1ef0",
    0x13: "\u1ef2",
    0x14: "\u1ef6",
    0x15: "\u1ef8",
    0x16: "\xdd",
    0x17: "\u1ef4",
}
_VISCII_HIGH = (
    "\u1ea0\u1eae\u1eb0\u1eb6\u1ea4\u1ea6\u1ea8\u1eac"  # 0x80
    "\u1ebc\u1eb8\u1ebe\u1ec0\u1ec2\u1ec4\u1ec6\u1ed0"  # 0x88
    "\u1ed2\u1ed4\u1ed6\u1ed8\u1ee2\u1eda\u1edc\u1ede"  # 0x90
    "\u1eca\u1ece\u1ecc\u1ec8\u1ee6\u0168\u1ee4\u1ef2"  # 0x98
    "\xd5\u1eaf\u1eb1\u1eb7\u1ea5\u1ea7\u1ea9\u1ead"  # 0xA0
    "\u1ebd\u1eb9\u1ebf\u1ec1\u1ec3\u1ec5\u1ec7\u1ed1"  # 0xA8
    "\u1ed3\u1ed5\u1ed7\u1ee0\u01a0\u1ed9\u1edd\u1edf"  # 0xB0
    "\u1ecb\u1ef0\u1ee8\u1eea\u1eec\u01a1\u1edb\u01af"  # 0xB8
    "\xc0\xc1\xc2\xc3\u1ea2\u0102\u1eb3\u1eb5"  # 0xC0
    "\xc8\xc9\xca\u1eba\xcc\xcd\u0128\u1ef3"  # 0xC8
    "\u0110\u1ee9\xd2\xd3\xd4\u1ea1\u1ef7\u1eeb"  # 0xD0
    "\u1eed\xd9\xda\u1ef9\u1ef5\xdd\u1ee1\u01b0"  # 0xD8
    "\xe0\xe1\xe2\xe3\u1ea3\u0103\u1eef\u1eab"  # 0xE0
    "\xe8\xe9\xea\u1ebb\xec\xed\u0129\u1ec9"  # 0xE8
    "\u0111\u1ef1\xf2\xf3\xf4\xf5\u1ecf\u1ecd"  # 0xF0
    "\u1ee5\xf9\xfa\u0169\u1ee7\xfd\u1ee3\u1eee"  # 0xF8
)
_VISCII_LOW = {
    0x02: "\u1eb2",
    0x05: "\u1eb4",
    0x06: "\u1eaa",
    0x14: "\u1ef6",
    0x19: "\u1ef8",
    0x1E: "\u1ef4",
}

# VNI: the byte after a vowel that adds a tone, a circumflex (+ tone) or a breve (+ tone).
_VNI_TONE = ("ù", "ø", "û", "õ", "ï")
_VNI_CIRCUMFLEX = ("â", "á", "à", "å", "ã", "ä")  # â, ấ, ầ, ẩ, ẫ, ậ
_VNI_BREVE = ("ê", "é", "è", "ú", "ü", "ë")  # ă, ắ, ằ, ẳ, ẵ, ặ
_VNI_I = ("i", "í", "ì", "æ", "ó", "ò")  # i, í, ì, ỉ, ĩ, ị: one byte each

LEGACY = ("tcvn3", "vni", "viscii")
MIN_SCORE = 0.9


class UnknownEncoding(IngestError):
    """Bytes that are neither UTF-8 nor recognisable legacy Vietnamese text."""


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes, and the encoding it was found to be in."""

    text: str
    encoding: str


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@lru_cache(maxsize=1)
def _vni_table() -> dict[str, str]:
    """Returns Unicode letter → VNI sequence (as Windows-1252 characters), both cases."""
    table: dict[str, str] = {}
    plain = ("",) + _TONES
    spec = [  # (Unicode base, VNI prefix, VNI suffix per tone: none, sắc, huyền, hỏi, ngã, nặng)
        ("a", "a", ("",) + _VNI_TONE),
        ("â", "a", _VNI_CIRCUMFLEX),
        ("ă", "a", _VNI_BREVE),
        ("e", "e", ("",) + _VNI_TONE),
        ("ê", "e", _VNI_CIRCUMFLEX),
        ("o", "o", ("",) + _VNI_TONE),
        ("ô", "o", _VNI_CIRCUMFLEX),
        ("ơ", "ô", ("",) + _VNI_TONE),
        ("u", "u", ("",) + _VNI_TONE),
        ("ư", "ö", ("",) + _VNI_TONE),
        ("i", "", _VNI_I),
        ("y", "y", ("", "ù", "ø", "û", "õ", "")),
    ]
    for base, prefix, suffixes in spec:
        for tone, suffix in zip(plain, suffixes, strict=True):
            letter = _nfc(base + tone)
            seq = prefix + suffix if (prefix or suffix) else base
            if base == "y" and tone == "\u0323":
                seq = "î"  # ỵ is one byte
            if letter == seq:
                continue
            table[letter] = seq
            table[letter.upper()] = seq.upper()
    table["đ"], table["Đ"] = "ñ", "Ñ"
    return table


@lru_cache(maxsize=1)
def _vni_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    reverse = {seq: letter for letter, seq in _vni_table().items()}
    alternatives = sorted(reverse, key=len, reverse=True)
    return re.compile("|".join(re.escape(a) for a in alternatives)), reverse


@lru_cache(maxsize=1)
def _cp1252_table() -> list[str]:
    """Windows-1252, with Latin-1 for its five undefined bytes (VNI files are read so)."""
    return [bytes([b]).decode("cp1252", "ignore") or chr(b) for b in range(256)]


def _cp1252(data: bytes) -> str:
    table = _cp1252_table()
    return "".join(table[b] for b in data)


def _byte_table(high: tuple[str, ...] | str, low: dict[int, str]) -> list[str]:
    table = [chr(b) for b in range(256)]
    for b, ch in low.items():
        table[b] = ch
    for i, ch in enumerate("".join(high)):
        table[0x80 + i] = ch
    return table


@lru_cache(maxsize=2)
def _table(name: str) -> list[str]:
    if name == "tcvn3":
        return _byte_table(_TCVN3_HIGH, _TCVN3_LOW)
    return _byte_table(_VISCII_HIGH, _VISCII_LOW)


def decode_legacy(data: bytes, encoding: str) -> str:
    """Converts bytes in a legacy Vietnamese encoding to NFC Unicode.

    Args:
        data: the bytes.
        encoding: ``tcvn3``, ``vni`` or ``viscii``.

    Returns:
        The text in NFC.
    """
    if encoding == "vni":
        pattern, reverse = _vni_pattern()
        return _nfc(pattern.sub(lambda m: reverse[m.group()], _cp1252(data)))
    if encoding in ("tcvn3", "viscii"):
        table = _table(encoding)
        return _nfc("".join(table[b] for b in data))
    raise ValueError(f"unknown legacy encoding {encoding!r}; valid: {', '.join(LEGACY)}")


def encode_legacy(text: str, encoding: str) -> bytes:
    """Encodes Unicode text in a legacy Vietnamese encoding (the inverse of :func:`decode_legacy`).

    Raises:
        ValueError: a character has no code in that encoding.
    """
    text = _nfc(text)
    if encoding == "vni":
        table = _vni_table()
        return "".join(table.get(ch, ch) for ch in text).encode("cp1252")
    if encoding in ("tcvn3", "viscii"):
        reverse: dict[str, int] = {}
        for b, ch in enumerate(_table(encoding)):
            if (b < 0x80 and ch == chr(b)) or unicodedata.combining(ch):
                continue
            reverse.setdefault(ch, b)
        out = bytearray()
        for ch in text:
            if ch in reverse:
                out.append(reverse[ch])
            elif ord(ch) < 0x80:
                out.append(ord(ch))
            else:
                raise ValueError(f"{ch!r} has no code in {encoding}")
        return bytes(out)
    raise ValueError(f"unknown legacy encoding {encoding!r}; valid: {', '.join(LEGACY)}")


def _foreign(text: str) -> int:
    """Counts characters that do not belong in Vietnamese prose (controls, µ, §, ¹ …)."""
    return sum(
        1
        for c in text
        if (ord(c) < 0x20 and c not in "\t\n\r\f")
        or (ord(c) > 127 and not c.isalpha() and c not in _PUNCTUATION)
    )


_PUNCTUATION = "“”‘’–—…•·°§«»\u00a0\u200b\ufeff"


def detect_legacy(data: bytes) -> Decoded | None:
    """Finds the legacy encoding whose decoding reads as Vietnamese.

    Returns:
        The decoded text, or ``None`` when no table gives well-formed Vietnamese.
    """
    best: tuple[float, str, str] | None = None
    for name in LEGACY:
        text = decode_legacy(data, name)
        score = vietnamese_score(text) - _foreign(text) / max(1, len(text)) * 10
        if best is None or score > best[0]:
            best = (score, name, text)
    if best is None or best[0] < MIN_SCORE:
        return None
    return Decoded(best[2], best[1])


def decode(data: bytes) -> Decoded:
    """Decodes text: UTF-8 first, else TCVN3, VNI or VISCII when one reads as Vietnamese.

    Raises:
        UnknownEncoding: neither UTF-8 nor a recognisable legacy encoding.
    """
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        found = detect_legacy(data)
        if found is None:
            raise UnknownEncoding(
                f"not UTF-8 (byte {exc.start}) and not Vietnamese in TCVN3, VNI or VISCII; "
                "convert it to UTF-8 first"
            ) from exc
        return found


def repair(text: str) -> Decoded | None:
    """Converts Unicode text typed in a legacy font (e.g. a Word file in .VnTime) to real letters.

    Returns:
        The repaired text, or ``None`` when ``text`` already reads as Vietnamese or
        no legacy table makes it read better.
    """
    if text.isascii() or vietnamese_score(text) >= MIN_SCORE:
        return None
    try:
        data = text.encode("cp1252")
    except UnicodeEncodeError:
        return None
    found = detect_legacy(data)
    if found is None or vietnamese_score(found.text) <= vietnamese_score(text):
        return None
    return found
