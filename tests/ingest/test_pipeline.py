import unicodedata
from pathlib import Path

import pytest

from ingest.chunk import MAX_CHARS
from ingest.errors import IngestError, UnsupportedFileType
from ingest.metadata import load_manifest
from ingest.pipeline import parse_file
from vntext.normalize import fold, has_diacritics

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
FILES = sorted(CORPUS.glob("*.txt"))


def _nonspace(s: str) -> str:
    return "".join(s.split())


def _is_subsequence(small: str, big: str) -> bool:
    it = iter(big)
    return all(c in it for c in small)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_passage_comes_from_its_raw_span(path: Path) -> None:
    """The provenance invariant: raw[char_start:char_end] is where the passage came from."""
    raw = path.read_bytes().decode("utf-8")
    doc = parse_file(path, ROOT, load_manifest(CORPUS))
    assert doc.passages
    for p in doc.passages:
        span = raw[p.char_start : p.char_end]
        assert span, p
        # Cleaning only drops whitespace, chrome lines and line breaks: every other
        # character of the passage is in the span, in order, and the ends agree.
        text, src = _nonspace(p.text), _nonspace(span)
        assert text[:1] == src[:1] and text[-1:] == src[-1:], (p.ordinal, text[:40], src[:40])
        assert _is_subsequence(text, src), p.ordinal
        assert len(p.text) <= MAX_CHARS + 50
    starts = [p.char_start for p in doc.passages]
    assert starts == sorted(starts)


def test_passages_carry_sections_and_folded_text() -> None:
    doc = parse_file(CORPUS / "bc-298-ubnd-hoa-an-2020.txt", ROOT, load_manifest(CORPUS))
    sections = {p.section for p in doc.passages}
    assert any(
        s.startswith("III. KẾT QUẢ THỰC HIỆN CÁC HOẠT ĐỘNG CỦA ĐỀ ÁN 89 >") for s in sections
    )
    for p in doc.passages:
        # Folded text keeps every offset of the text and holds no accent and no đ.
        assert len(p.folded) == len(p.text)
        assert p.folded == fold(p.text)
        assert not has_diacritics(p.folded) and "đ" not in p.folded and "Đ" not in p.folded
    p = doc.passages[3]
    assert "he thong van ban chi dao" in p.folded and "Hệ thống văn bản chỉ đạo" in p.text
    assert "_" in p.seg  # underthesea joined multi-syllable words


def test_metadata_from_header_and_manifest() -> None:
    doc = parse_file(CORPUS / "bc-298-ubnd-hoa-an-2020.txt", ROOT, {})
    assert doc.meta.number == "298/BC-UBND"
    assert doc.meta.date == "2020-09-09"
    assert doc.meta.doc_type == "Báo cáo"
    assert doc.meta.place == "Hòa An"
    ocr = parse_file(
        CORPUS / "bc-huyen-uy-duc-trong-2022-tong-ket-ct11.txt", ROOT, load_manifest(CORPUS)
    )
    assert ocr.meta.number == "132-BC/HU"
    assert ocr.meta.place == "Đức Trọng"
    assert ocr.source == "corpus/bc-huyen-uy-duc-trong-2022-tong-ket-ct11.txt"
    assert ocr.doc_id == "bc-huyen-uy-duc-trong-2022-tong-ket-ct11"


def test_nfd_file_keeps_offsets_into_raw(tmp_path: Path) -> None:
    text = "KẾ HOẠCH\n\nI. Mục đích\n\nĐánh giá kết quả thực hiện Chỉ thị số 11-CT/TW.\n"
    path = tmp_path / "nfd.txt"
    path.write_text(unicodedata.normalize("NFD", text), encoding="utf-8")
    doc = parse_file(path, tmp_path, {})
    raw = path.read_text(encoding="utf-8")
    last = doc.passages[-1]
    assert last.text.endswith("Chỉ thị số 11-CT/TW.")
    assert unicodedata.normalize("NFC", raw[last.char_start : last.char_end]).endswith(
        "Chỉ thị số 11-CT/TW."
    )
    for p in doc.passages:
        span = unicodedata.normalize("NFC", raw[p.char_start : p.char_end])
        assert "".join(span.split()) == "".join(p.text.split())


@pytest.mark.parametrize(
    ("name", "data", "error"),
    [
        ("empty.txt", b"  \n", IngestError),
        ("latin1.txt", "Hội khuyến học".encode("utf-16"), IngestError),
        ("binary.txt", b"abc\x00\x01\x02def", IngestError),
        ("scan.xyz", b"whatever", UnsupportedFileType),
    ],
)
def test_bad_files_raise_one_line_errors(
    tmp_path: Path, name: str, data: bytes, error: type
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(error) as info:
        parse_file(path, tmp_path, {})
    assert "\n" not in str(info.value)
    assert name in str(info.value)
