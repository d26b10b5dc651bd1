import json
import shutil
from pathlib import Path

import pytest

from search_api.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_help_lists_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    for cmd in ("ingest", "search", "serve", "eval"):
        assert cmd in out


def test_search_json_contract(corpus_index_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["--index", str(corpus_index_dir), "search", "Quỹ khuyến học", "-k", "2", "--json"])
        == 0
    )
    body = json.loads(capsys.readouterr().out)
    assert body["mode"] == "hybrid" and len(body["hits"]) == 2
    hit = body["hits"][0]
    raw = (ROOT / hit["source"]).read_text(encoding="utf-8")
    assert (
        "".join(raw[hit["char_start"] : hit["char_end"]].split())[:20]
        == "".join(hit["text"].split())[:20]
    )


def test_search_text_output_and_env_index(
    corpus_index_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACUU_INDEX", str(corpus_index_dir))
    assert main(["search", "--mode", "lexical", "-k", "1", "Hoa", "An"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("1. [") and "corpus/" in out


def test_errors_are_one_line_with_nonzero_exit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], corpus_index_dir: Path
) -> None:
    assert main(["--index", str(tmp_path / "none"), "search", "khuyến học"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("tracuu: error: no index") and err.count("\n") == 1
    assert main(["--index", str(corpus_index_dir), "search", "x", "-k", "0"]) == 2
    assert "k must be between" in capsys.readouterr().err


def test_ingest_reports_and_is_idempotent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(ROOT / "corpus" / "kh-tong-ket-10-nam-ct11-2017.txt", docs)
    (docs / "broken.txt").write_bytes(b"\x00\x01")
    index = str(tmp_path / "idx")
    assert main(["--index", index, "ingest", str(docs)]) == 1  # one file failed
    captured = capsys.readouterr()
    assert "ingested 1 new" in captured.out
    assert "failed:" in captured.err and "broken.txt" in captured.err
    (docs / "broken.txt").unlink()
    assert main(["--index", index, "ingest", str(docs), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    # the shape POST /api/reindex answers with
    assert report["skipped"] == 1 and report["added"] == [] and report["failed"] == []
    assert main(["--index", index, "documents", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [d["doc_number"] for d in listed] and "number" not in listed[0]
    assert main(["--index", index, "documents"]) == 0
    assert "kh-tong-ket-10-nam-ct11-2017" in capsys.readouterr().out
