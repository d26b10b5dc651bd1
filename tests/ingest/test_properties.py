"""Property tests (Hypothesis) of text normalisation, offset mapping and passage spans."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ingest.clean import clean
from ingest.pipeline import parse_file
from vntext.normalize import LEGACY_LETTERS, fold, nfc, nfc_mapped

LEGACY = str.maketrans(LEGACY_LETTERS)

PROFILE = settings(max_examples=200, derandomize=True, deadline=None, database=None)
COMBINING = "\u0300\u0301\u0303\u0309\u0323\u0302\u0306\u031b"
# Vietnamese letters in both forms, combining marks alone, spaces, newlines and anything.
VIET = st.sampled_from(
    list("aăâeêioôơuưyđAĂÂĐEÊOÔƠUƯY ạảãàáệồửữỹ\n\r\t-.,:;()0123456789") + list(COMBINING)
)
TEXT = st.one_of(
    st.text(VIET, max_size=120),
    st.text(max_size=80),
    st.text(VIET, max_size=60).map(lambda s: unicodedata.normalize("NFD", s)),
)


@PROFILE
@given(TEXT)
@example("Đ\u0301i\u0300\u0323")
@example("\u0301abc")
def test_nfc_mapping_is_valid_and_points_back_into_raw(raw: str) -> None:
    mt = nfc_mapped(raw)
    assert len(mt.text) == len(mt.starts) == len(mt.ends)
    # NFC, with legacy-font "Ð" (U+00D0) read as "Đ" (vntext.normalize.LEGACY_LETTERS)
    assert mt.text == nfc(raw) == unicodedata.normalize("NFC", raw).translate(LEGACY)
    for i, ch in enumerate(mt.text):
        a, b = mt.starts[i], mt.ends[i]
        assert 0 <= a < b <= len(raw)
        assert ch in nfc(raw[a:b])
        if i:
            assert mt.starts[i - 1] <= a
    # Groups tile the raw text: nothing skipped, nothing mapped twice.
    if mt.text:
        assert mt.starts[0] == 0 and mt.ends[-1] == len(raw)


@PROFILE
@given(TEXT)
def test_nfc_text_maps_one_to_one(raw: str) -> None:
    text = nfc(raw)
    mt = nfc_mapped(text)
    assert mt.text == text
    assert list(mt.starts) == list(range(len(text)))


@PROFILE
@given(TEXT)
def test_folding_is_idempotent_and_keeps_length(raw: str) -> None:
    text = nfc(raw)
    folded = fold(text)
    assert len(folded) == len(text)
    assert fold(folded) == folded
    assert folded == folded.lower()


@PROFILE
@given(TEXT, st.integers(0, 200), st.integers(0, 200))
def test_slices_and_raw_spans_stay_inside_raw(raw: str, a: int, b: int) -> None:
    mt = nfc_mapped(raw)
    a, b = sorted((min(a, len(mt)), min(b, len(mt))))
    part = mt.slice(a, b).strip()
    if part.text:
        start, end = part.raw_span()
        assert 0 <= start < end <= len(raw)


LINE = st.text(VIET, min_size=1, max_size=90)


@PROFILE
@given(
    st.lists(
        st.one_of(LINE, st.just(""), st.just("I. TỔNG KẾT"), st.just("1. Kết quả")), max_size=30
    )
)
def test_cleaned_paragraphs_point_into_raw(lines: list[str]) -> None:
    raw = "\n".join(lines)
    for para in clean(nfc_mapped(raw)).paragraphs:
        assert para.text
        start, end = para.raw_span()
        assert 0 <= start < end <= len(raw)


WORDS = st.sampled_from(
    [
        "Hội",
        "khuyến",
        "học",
        "xã",
        "huyện",
        "tỉnh",
        "báo",
        "cáo",
        "kết",
        "quả",
        "năm",
        "học",
        "bổng",
        "hội",
        "viên",
        "gia",
        "đình",
        "học",
        "tập",
        "cộng",
        "đồng",
        "Đảng",
        "ủy",
        "chỉ",
        "thị",
        "số",
        "11-CT/TW",
        "ngày",
        "13/4/2022",
        "trao",
        "suất",
    ]
)
PARAGRAPH = st.lists(WORDS, min_size=3, max_size=60).map(" ".join)


@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.lists(
        st.one_of(PARAGRAPH, st.just("I. MỤC ĐÍCH"), st.just("1. Kết quả"), st.just("- Ý kiến")),
        min_size=1,
        max_size=25,
    ),
    st.sampled_from(["\n\n", "\n", "\r\n\r\n"]),
    st.booleans(),
)
def test_every_passage_span_is_inside_its_file(
    tmp_path: Path, paragraphs: list[str], sep: str, nfd: bool
) -> None:
    raw = sep.join(paragraphs)
    if nfd:
        raw = unicodedata.normalize("NFD", raw)
    path = tmp_path / "van-ban.txt"
    path.write_bytes(raw.encode("utf-8"))
    doc = parse_file(path, tmp_path)
    text = path.read_bytes().decode("utf-8")
    for p in doc.passages:
        assert 0 <= p.char_start < p.char_end <= len(text)
        span = nfc(text[p.char_start : p.char_end])
        # The passage's first and last words are the span's own.
        assert span.split()[0] == p.text.split()[0]
        assert span.split()[-1] == p.text.split()[-1]
