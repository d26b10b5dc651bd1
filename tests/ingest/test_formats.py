"""PDF (text layer and scans), HTML, DOCX and bad files, built here from known text."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from ingest import ocr
from ingest.errors import FileTooLarge, IngestError, OcrUnavailable, UnsupportedFileType
from ingest.pipeline import parse_file
from search_api.cli import main
from tests import formats

ROOT = Path(__file__).resolve().parents[2]


def _nonspace(s: str) -> str:
    return "".join(s.split())


def _is_subsequence(small: str, big: str) -> bool:
    it = iter(big)
    return all(c in it for c in small)


def _check_spans(doc, raw: str) -> None:  # type: ignore[no-untyped-def]
    """The provenance invariant: every passage's characters are in raw[char_start:char_end]."""
    assert doc.passages
    for p in doc.passages:
        span = raw[p.char_start : p.char_end]
        text, src = _nonspace(p.text), _nonspace(span)
        assert text[:1] == src[:1] and text[-1:] == src[-1:], (text[:30], src[:30])
        # A mended hyphen ("Inter-" + "net") is the one character the text may drop.
        assert _is_subsequence(text, src), p.ordinal


def char_accuracy(expected: str, got: str) -> float:
    """1 − (Levenshtein distance / length of the expected text), spaces collapsed."""
    a, b = " ".join(expected.split()), " ".join(got.split())
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return 1 - prev[-1] / max(1, len(a))


# --- PDF with a text layer -------------------------------------------------------
@pytest.fixture(scope="module")
def text_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return formats.text_pdf(tmp_path_factory.mktemp("pdf") / "ke-hoach-12.pdf")


def test_pdf_pages_offsets_and_running_heads(text_pdf: Path) -> None:
    doc = parse_file(text_pdf, text_pdf.parent)
    assert doc.kind == "pdf" and doc.extracted is not None
    _check_spans(doc, doc.extracted)
    assert {p.page for p in doc.passages} == {1, 2}
    clean = doc.clean_text
    assert formats.PDF_HEADER not in clean and "Trang 1/2" not in clean and "Trang 2" not in clean
    assert "Internet" in clean and "Inter-" not in clean  # hyphenation mended
    # The paragraph running over the page break is one paragraph.
    assert "của các dòng họ tiếp tục" in clean
    by_text = {p.text.split("\n")[0]: p.page for p in doc.passages}
    assert by_text["II. NHIỆM VỤ TRỌNG TÂM"] == 2
    page2 = next(p for p in doc.passages if "trung tâm học tập cộng đồng" in p.text)
    assert page2.page == 2 and page2.section == "II. NHIỆM VỤ TRỌNG TÂM"
    m = doc.meta
    assert (m.number, m.doc_type, m.date, m.place) == (
        "12/KH-UBND",
        "Kế hoạch",
        "2023-03-15",
        "Sơn La",
    )
    assert m.issuer == "Ủy ban nhân dân tỉnh Sơn La"  # the header capitals, written properly


# --- scanned PDF -----------------------------------------------------------------
def test_scanned_page_is_ocred_with_page_and_spans(tmp_path: Path) -> None:
    path = formats.scan_pdf(tmp_path / "bao-cao-scan.pdf", [formats.SCAN_LINES])
    doc = parse_file(path, tmp_path)
    assert doc.kind == "pdf-ocr"
    assert doc.extracted is not None
    _check_spans(doc, doc.extracted)
    assert all(p.page == 1 for p in doc.passages)
    assert char_accuracy("\n".join(formats.SCAN_LINES), doc.extracted) >= 0.97
    assert "gia đình" in doc.clean_text and "học bổng" in doc.clean_text


def test_blank_scanned_page_is_named(tmp_path: Path) -> None:
    path = formats.scan_pdf(tmp_path / "scan-2.pdf", [formats.SCAN_LINES, []])
    doc = parse_file(path, tmp_path)
    assert doc.warnings == ("page 2: no text found (blank page or unreadable scan)",)
    blank = formats.scan_pdf(tmp_path / "blank.pdf", [[], []])
    with pytest.raises(IngestError, match=r"blank\.pdf: no text on any of its 2 page"):
        parse_file(blank, tmp_path)


def test_missing_tesseract_says_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = formats.scan_pdf(tmp_path / "scan.pdf", [formats.SCAN_LINES])
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    ocr.tesseract.cache_clear()
    try:
        with pytest.raises(OcrUnavailable) as info:
            parse_file(path, tmp_path)
    finally:
        ocr.tesseract.cache_clear()
    assert "apt-get install tesseract-ocr tesseract-ocr-vie" in str(info.value)


# --- HTML, DOCX --------------------------------------------------------------------
def test_html_keeps_main_content_with_raw_offsets(tmp_path: Path) -> None:
    path = formats.html_file(tmp_path / "tin-dam-rong.html")
    doc = parse_file(path, tmp_path)
    raw = path.read_bytes().decode("utf-8")
    assert doc.kind == "html" and doc.extracted is None  # offsets index the HTML file itself
    for p in doc.passages:
        span = raw[p.char_start : p.char_end]
        assert span.startswith(p.text[:10]) and p.text.rstrip()[-5:] in span
    clean = doc.clean_text
    assert clean.startswith("Kết quả 05 năm thực hiện Kết luận số 49-KL/TW")
    assert "2,5 tỷ đồng" in clean and "“Gia đình học tập”" in clean
    for chrome in formats.HTML_CHROME:
        assert chrome not in clean, chrome
    assert doc.meta.date == "2024-06-06" and doc.meta.doc_type == "Tin bài"


def test_docx_headings_become_sections(tmp_path: Path) -> None:
    path = formats.docx_file(tmp_path / "ke-hoach-15.docx")
    doc = parse_file(path, tmp_path)
    assert doc.kind == "docx" and doc.extracted is not None
    _check_spans(doc, doc.extracted)
    assert [s.path for s in doc.sections] == [
        "Mục đích và yêu cầu",
        "Mục đích và yêu cầu > Chỉ tiêu cụ thể",
    ]
    target = next(p for p in doc.passages if "90% số xã" in p.text)
    assert target.section == "Mục đích và yêu cầu > Chỉ tiêu cụ thể"
    assert "Gia đình học tập | 85%" in doc.clean_text
    m = doc.meta
    assert (m.number, m.doc_type, m.date, m.issuer) == (
        "15/KH-UBND",
        "Kế hoạch",
        "2023-03-20",
        "Ủy ban nhân dân tỉnh Lâm Đồng",  # the header capitals, written properly
    )


# --- bad files ----------------------------------------------------------------------
def _encrypted_pdf(path: Path, text_pdf: Path) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(text_pdf).pages:
        writer.add_page(page)
    writer.encrypt(user_password="mat-khau", algorithm="RC4-128")
    with path.open("wb") as fh:
        writer.write(fh)
    return path.read_bytes()


BAD = [
    ("corrupt.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ngarbage", "not a readable PDF"),
    ("junk.pdf", os.urandom(3000), "not a readable PDF"),
    ("empty.txt", b"", "empty file"),
    ("blank.md", b"  \n\n ", "empty file"),
    ("binary.txt", b"\x7fELF\x02\x01\x01\x00" + os.urandom(500), "looks binary"),
    ("junk.docx", b"PK\x03\x04" + os.urandom(500), "not a readable Word .docx"),
    ("report.xls", b"\xd0\xcf\x11\xe0", "unsupported file type .xls"),
]


@pytest.mark.parametrize(("name", "data", "reason"), BAD, ids=[b[0] for b in BAD])
def test_bad_files_fail_with_one_line(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(IngestError) as info:
        parse_file(path, tmp_path)
    message = str(info.value)
    assert message.startswith(str(path)) and reason in message and "\n" not in message
    if name.endswith(".xls"):
        assert isinstance(info.value, UnsupportedFileType)


def test_encrypted_and_oversized_files(tmp_path: Path, text_pdf: Path) -> None:
    locked = tmp_path / "locked.pdf"
    _encrypted_pdf(locked, text_pdf)
    with pytest.raises(IngestError, match="protected by a password"):
        parse_file(locked, tmp_path)
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:  # sparse: costs no disk
        fh.truncate(51 * 1024 * 1024)
    with pytest.raises(FileTooLarge, match="over the 52,428,800 byte limit"):
        parse_file(big, tmp_path)


# --- end to end: a batch of every kind through the CLI ----------------------------------
def test_cli_batch_every_kind_searchable_bad_files_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text_pdf: Path
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(text_pdf, docs / "ke-hoach-12.pdf")
    formats.scan_pdf(docs / "bao-cao-scan.pdf", [["Trang bìa"], formats.SCAN_LINES])
    formats.html_file(docs / "tin-dam-rong.html")
    formats.docx_file(docs / "ke-hoach-15.docx")
    from ingest.encodings import encode_legacy

    legacy = "Thông báo\n\nUBND xã tổ chức lễ tuyên dương học sinh đạt giải học sinh giỏi cấp tỉnh."
    (docs / "thong-bao-tcvn3.txt").write_bytes(encode_legacy(legacy, "tcvn3"))
    for name, data, _ in BAD[:3]:
        (docs / name).write_bytes(data)
    index = tmp_path / "index"

    assert main(["--index", str(index), "ingest", str(docs)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    failed = sorted(line.split(": ")[1] for line in err if line.startswith("failed: "))
    assert [Path(f).name for f in failed] == ["corrupt.pdf", "empty.txt", "junk.pdf"]
    assert any("thong-bao-tcvn3.txt: converted from TCVN3" in line for line in err)

    expect = [  # (query, file, page)
        ("nguồn lực xã hội để xây dựng quỹ khuyến học", "ke-hoach-12.pdf", 1),
        ("trung tâm học tập cộng đồng đổi mới phương thức hoạt động", "ke-hoach-12.pdf", 2),
        ("640 suất học bổng cho học sinh nghèo vượt khó", "bao-cao-scan.pdf", 2),
        ("quỹ khuyến học của huyện đạt hơn 2,5 tỷ đồng", "tin-dam-rong.html", None),
        ("90% số xã đạt chuẩn cộng đồng học tập", "ke-hoach-15.docx", None),
        ("tuyên dương học sinh đạt giải học sinh giỏi", "thong-bao-tcvn3.txt", None),
    ]
    for query, name, page in expect:
        assert main(["--index", str(index), "search", query, "-k", "1", "--json"]) == 0
        hit = json.loads(capsys.readouterr().out)["hits"][0]
        assert Path(hit["source"]).name == name, (query, hit["source"])
        assert hit["page"] == page, (query, hit["page"])

    # Metadata from the headers works as filters: type, issuer, year range.
    filters = ["--type", "Kế hoạch", "--issuer", "lam dong", "--year-from", "2023"]
    assert main(["--index", str(index), "search", "khuyến học", *filters, "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)["hits"]
    assert hits and {Path(h["source"]).name for h in hits} == {"ke-hoach-15.docx"}
    assert main(["--index", str(index), "search", "khuyến học", "--year-to", "2022", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["hits"] == []

    # A good file turned corrupt fails again, and its indexed version stays searchable.
    (docs / "ke-hoach-12.pdf").write_bytes(b"%PDF-1.4 broken")
    assert main(["--index", str(index), "ingest", str(docs / "ke-hoach-12.pdf")]) == 1
    capsys.readouterr()
    assert main(["--index", str(index), "search", expect[0][0], "-k", "1", "--json"]) == 0
    hit = json.loads(capsys.readouterr().out)["hits"][0]
    assert Path(hit["source"]).name == "ke-hoach-12.pdf" and hit["page"] == 1
