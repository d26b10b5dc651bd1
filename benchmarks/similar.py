"""``POST /api/similar`` latency for a pasted sentence of about 300 characters (issue 19).

Over the seed corpus index (``benchmarks/out/seed-index``, built on first use; an older
one gets its sentence units first), the pasted texts are made from the index's own
sentence units: consecutive units of one passage joined until about ``--chars``
characters, cut at a word, every ``n``-th passage so all documents take part (half of
them are then typed without accents, as drafters do). Each is sent once through the
FastAPI app in process (``TestClient``: routing, validation and JSON included, no
socket) after a warm-up, and timed; the ``Precedent.similar`` call alone is timed too.
Goal: p95 <= 150 ms.

``python -m benchmarks.similar [--texts 60] [--chars 300]``
"""

from __future__ import annotations

import argparse
import time

from benchmarks.common import ROOT, header, seed_index, spread
from index.search import SearchIndex
from index.sentences import Sentences
from vntext.normalize import fold

GOAL_P95_MS = 150.0


def pasted_texts(index: SearchIndex, n: int, chars: int) -> list[str]:
    """Returns ``n`` texts of about ``chars`` characters made of the index's sentences."""
    units = Sentences(index.store).units
    by_passage: dict[int, list[str]] = {}
    for u in units:
        by_passage.setdefault(u.passage, []).append(u.reading or u.text)
    passages = [p for p in by_passage.values() if sum(len(t) + 1 for t in p) >= chars]
    step = max(1, len(passages) // n)
    out = []
    for i, parts in enumerate(passages[::step][:n]):
        text = " ".join(parts)[: chars + 40]
        cut = text.rfind(" ", 0, chars)
        text = text[: cut if cut > chars // 2 else chars]
        out.append(fold(text) if i % 2 else text)
    return out


def main() -> None:
    """Runs the benchmark."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--texts", type=int, default=60)
    ap.add_argument("--chars", type=int, default=300)
    ap.add_argument("-k", type=int, default=10)
    args = ap.parse_args()
    header("similar wording latency (python -m benchmarks.similar)")
    from fastapi.testclient import TestClient

    from answers.precedent import Precedent
    from search_api.app import create_app
    from search_api.settings import Settings

    path = seed_index()
    index = SearchIndex(path)
    finder = Precedent(index, ROOT)
    finder.sentences()  # an index from before sentence units gets them now, untimed
    texts = pasted_texts(index, args.texts, args.chars)
    size = sum(map(len, texts)) / len(texts)
    print(
        f"-- seed corpus: {index.store.count_passages()} passages, {len(finder.units)} "
        f"sentence units; {len(texts)} pasted texts of {size:.0f} characters on average, "
        f"k={args.k}"
    )
    settings = Settings(index_dir=path, corpus_dir=ROOT / "corpus", root=ROOT, rate_limit=0)
    with TestClient(create_app(settings, index=index, with_ui=False)) as client:
        for text in texts[:3]:  # load the model, the restorer, the matrices
            client.post("/api/similar", json={"text": text, "k": args.k})
        api = []
        for text in texts:
            t0 = time.perf_counter()
            r = client.post("/api/similar", json={"text": text, "k": args.k})
            api.append(time.perf_counter() - t0)
            assert r.status_code == 200, r.text
    lib = []
    for text in texts:
        t0 = time.perf_counter()
        finder.similar(text, k=args.k)
        lib.append(time.perf_counter() - t0)
    print(f"   POST /api/similar      {spread(api)}")
    print(f"   Precedent.similar      {spread(lib)}")
    p95 = sorted(api)[int(0.95 * (len(api) - 1))] * 1000
    print(f"   goal p95 <= {GOAL_P95_MS:.0f} ms: {'met' if p95 <= GOAL_P95_MS else 'NOT met'}")


if __name__ == "__main__":
    main()
