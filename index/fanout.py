"""Embedding fanned out on Ray: the slow stage of a large ingest, on many workers.

``tracuu ingest --ray-workers N`` starts (or, with ``--ray-address``, joins) a Ray cluster
and embeds each document's passages and sentence units on ``N`` actors, each holding its
own copy of the index's embedder on its share of the cores; parsing, references and the
store's writes stay in the ingesting process, in order, so what lands is what the
in-process path writes. Here Ray runs locally (``ray.init(num_cpus=N)``); in production
``--ray-address ray://head:10001`` (or ``auto``) sends the work to a cluster's machines.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from index.embed import Embedder, get_embedder
from index.options import EngineOptions

# A worker's share of texts is never split finer than this: below it the calls cost more
# than the parallel work saves.
MIN_SHARE = 16


class _Worker:
    """One Ray actor: an embedder of its own."""

    def __init__(self, name: str, model: str, options: EngineOptions) -> None:
        self.embedder = get_embedder(name, model, options)

    def embed(self, texts: list[str], is_query: bool) -> np.ndarray:
        return self.embedder.embed(texts, is_query)


class RayPool:
    """``workers`` Ray actors embedding with the same model as ``embedder``.

    Args:
        embedder: the ingest's embedder (its name, model and runtime are copied).
        workers: how many actors (≥ 1).
        options: engine options; each worker runs its engine on ``cores // workers``
            threads (at least one).
        address: a Ray cluster to join (``None``: start one on this machine).
    """

    def __init__(
        self,
        embedder: Embedder,
        workers: int,
        options: EngineOptions,
        address: str | None = None,
    ) -> None:
        if workers < 1:
            raise ValueError(f"workers must be at least 1, not {workers}")
        try:
            import ray
        except ImportError as exc:  # pragma: no cover - the extra is not installed
            raise RuntimeError("a fanned-out ingest needs Ray: pip install -e '.[ray]'") from exc
        self._ray = ray
        self._started = not ray.is_initialized()
        if self._started:
            if address:
                ray.init(address=address, include_dashboard=False, log_to_driver=False)
            else:
                ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)
        cores = os.cpu_count() or 1
        threads = max(1, cores // workers) if not address else None
        worker_options = replace(options, embed_threads=threads, hold_after=None)
        actor: Any = ray.remote(num_cpus=1)(_Worker)
        self.workers: list[Any] = [
            actor.remote(embedder.name, embedder.model, worker_options) for _ in range(workers)
        ]

    def embed(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        """Embeds ``texts`` on the workers, in contiguous shares; rows in input order."""
        texts = list(texts)
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        n = min(len(self.workers), max(1, len(texts) // MIN_SHARE))
        bounds = np.linspace(0, len(texts), n + 1).astype(int)
        futures: list[Any] = [
            w.embed.remote(texts[a:b], is_query)
            for w, a, b in zip(self.workers, bounds[:-1], bounds[1:], strict=False)
        ]
        return np.vstack(self._ray.get(futures)).astype(np.float32)

    def close(self) -> None:
        """Stops the workers (and the local Ray this pool started)."""
        for w in self.workers:
            self._ray.kill(w)
        self.workers = []
        if self._started:
            self._ray.shutdown()
