"""TCVN3 (ABC), VNI and VISCII: detection and conversion on text encoded here."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest

from ingest.encodings import LEGACY, decode, decode_legacy, encode_legacy, repair
from ingest.errors import IngestError
from ingest.pipeline import parse_file

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = unicodedata.normalize(
    "NFC",
    (ROOT / "corpus" / "kh-tong-ket-10-nam-ct11-2017.txt").read_text(encoding="utf-8")[:4000],
).replace("*", "")

# Known renderings of legacy files read as Windows-1252, as users see them.
KNOWN = [
    (
        "tcvn3",
        "Céng hoµ x· héi chñ nghÜa ViÖt Nam §éc lËp - Tù do - H¹nh phóc",
        "Cộng hoà xã hội chủ nghĩa Việt Nam Độc lập - Tự do - Hạnh phúc",
    ),
    ("vni", "Xin chaøo caùc baïn Vieät Nam", "Xin chào các bạn Việt Nam"),
    ("vni", "Khuyeán hoïc, khuyeán taøi", "Khuyến học, khuyến tài"),
]


@pytest.mark.parametrize(("encoding", "mojibake", "text"), KNOWN)
def test_known_legacy_text_is_detected_and_converted(
    encoding: str, mojibake: str, text: str
) -> None:
    found = decode(mojibake.encode("cp1252"))
    assert (found.encoding, found.text) == (encoding, text)


def test_viscii_bytes() -> None:
    # RFC 1456: 0xD0 = Đ, 0xD5 = ạ; à keeps its Latin-1 code 0xE0.
    data = bytes([0xD0]) + b"\xe0o t" + bytes([0xD5]) + b"o"
    assert decode_legacy(data, "viscii") == "Đào tạo"


@pytest.mark.parametrize("encoding", LEGACY)
def test_round_trip_and_detection_on_a_real_document(encoding: str) -> None:
    data = encode_legacy(SAMPLE, encoding)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    found = decode(data)
    assert found.encoding == encoding
    assert found.text == SAMPLE


def test_utf8_is_left_alone_and_junk_is_refused() -> None:
    assert decode(SAMPLE.encode("utf-8")).encoding == "utf-8"
    for seed in range(3):
        junk = bytes((b * 7 + seed * 31) % 256 for b in os.urandom(4000))
        with pytest.raises(IngestError, match="not UTF-8"):
            decode(junk)


@pytest.mark.parametrize("encoding", LEGACY)
def test_legacy_text_file_is_ingested_with_converted_offsets(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / f"ke-hoach-{encoding}.txt"
    path.write_bytes(encode_legacy(SAMPLE, encoding))
    doc = parse_file(path, tmp_path)
    assert doc.extracted == SAMPLE  # offsets index the converted text, which the index keeps
    assert doc.warnings == (f"converted from {encoding.upper()} to Unicode",)
    for p in doc.passages:
        span = doc.extracted[p.char_start : p.char_end]
        assert "".join(span.split())[:20] == "".join(p.text.split())[:20]
    assert "khuyến học" in doc.clean_text


def test_word_text_typed_in_a_legacy_font_is_repaired(tmp_path: Path) -> None:
    import docx

    line = "Ban Thường vụ Tỉnh ủy xây dựng kế hoạch tổng kết công tác khuyến học"
    typed = encode_legacy(line, "tcvn3").decode("cp1252")  # what a .VnTime document stores
    assert repair(typed) is not None and repair(line) is None
    d = docx.Document()
    d.add_paragraph(typed)
    d.save(str(tmp_path / "vntime.docx"))
    doc = parse_file(tmp_path / "vntime.docx", tmp_path)
    assert doc.clean_text == line
    assert doc.warnings == ("converted from TCVN3 font encoding to Unicode",)
