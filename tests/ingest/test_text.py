import unicodedata

import pytest

from vntext.normalize import MappedText, fold, has_diacritics, nfc_mapped, tokens
from vntext.sentences import PASSAGE_STOPS, SENTENCE_STOPS, passage_cuts, sentence_breaks


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Điều 5", "dieu 5"),
        ("Kết luận số 49-KL/TW", "ket luan so 49-kl/tw"),
        ("Ủy ban nhân dân huyện Hòa An", "uy ban nhan dan huyen hoa an"),
        ("đường Đông Đô", "duong dong do"),
        ("Sở GD&ĐT", "so gd&dt"),
        ("Két luan s6 49-K1L/TW", "ket luan s6 49-k1l/tw"),
    ],
)
def test_fold_removes_diacritics_keeps_length(text: str, folded: str) -> None:
    assert fold(text) == folded
    assert len(fold(text)) == len(text)


def test_fold_is_idempotent() -> None:
    s = "Hội Khuyến học tỉnh Sơn La — 64/BC-HKH"
    assert fold(fold(s)) == fold(s)


def test_tokens_keep_one_character_words_and_digits() -> None:
    assert tokens("Ở xã có 5 người") == ["o", "xa", "co", "5", "nguoi"]


def test_has_diacritics() -> None:
    assert has_diacritics("khuyến học")
    assert not has_diacritics("khuyen hoc")
    assert has_diacritics("Đam Rông")


def test_nfc_mapping_points_back_into_nfd_raw() -> None:
    raw = unicodedata.normalize("NFD", "Huyện ủy Đức Trọng")
    mapped = nfc_mapped(raw)
    assert mapped.text == "Huyện ủy Đức Trọng"
    a = mapped.text.index("Đức")
    start, end = mapped.raw_span(a, a + 3)
    assert unicodedata.normalize("NFC", raw[start:end]) == "Đức"


def test_join_maps_separators_to_the_part_before() -> None:
    raw = "abc\ndef"
    m = nfc_mapped(raw)
    joined = MappedText.join([m.slice(0, 3), m.slice(4, 7)], " ")
    assert joined.text == "abc def"
    assert joined.raw_span() == (0, 7)


@pytest.mark.parametrize(
    ("text", "stops", "sentences"),
    [
        # a capital, a digit, a bullet or a quote after the stop starts a sentence
        ("Hội mở lớp. Xã cấp 12 suất. 3 trường đạt; * Ghi chú", SENTENCE_STOPS,
         ["Hội mở lớp.", "Xã cấp 12 suất.", "3 trường đạt; * Ghi chú"]),
        # the chunker also cuts after ";" (OCR'd lists), the sentence units after "…"
        ("Hội mở lớp; Xã cấp… Trường đạt", PASSAGE_STOPS,
         ["Hội mở lớp;", "Xã cấp… Trường đạt"]),
        ("Hội mở lớp; Xã cấp… Trường đạt", SENTENCE_STOPS,
         ["Hội mở lớp; Xã cấp…", "Trường đạt"]),
        # a lower-case word after a stop follows an abbreviation
        ("sách, vở v.v. và TS. nguyễn", SENTENCE_STOPS, ["sách, vở v.v. và TS. nguyễn"]),
    ],
)  # fmt: skip
def test_one_sentence_rule_read_with_the_stops_of_its_use(
    text: str, stops: str, sentences: list[str]
) -> None:
    starts = [0, *(b for _, b in sentence_breaks(text, stops))]
    ends = [*(a for a, _ in sentence_breaks(text, stops)), len(text)]
    assert [text[a:b] for a, b in zip(starts, ends, strict=True)] == sentences
    if stops == PASSAGE_STOPS:
        assert passage_cuts(text) == ends[:-1]
