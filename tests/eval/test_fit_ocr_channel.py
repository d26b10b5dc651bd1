"""The OCR channel is reproducible from its training pairs and repairs OCR'd words."""

from __future__ import annotations

import pytest

from eval.fit_ocr_channel import main, training_pairs
from vntext.ocr_channel import Channel
from vntext.restore import Restorer


def test_stored_channel_is_reproduced_from_the_training_pairs() -> None:
    assert len(training_pairs()) > 10_000
    assert main(["--check"]) == 0


def test_channel_prefers_the_syllable_ocr_garbles_into_the_token() -> None:
    channel = Channel.default()
    assert channel.logp("déng", "đồng") > channel.logp("déng", "đeng")
    assert channel.logp("chirc", "chức") > channel.logp("chirc", "chiếc")


def test_repair_reads_garbled_words_of_running_text() -> None:
    restorer = Restorer.for_corpus(["Hội Khuyến học tỉnh có nhiều hội viên"])
    got = restorer.restore("toàn tinh c6 H6i Khuyén hoc", repair=True)
    assert "Hội Khuyến học" in got


_RUNNING = [
    "Kết quả công tác khuyến học của cấp xã được đánh giá.",
    "Báo cáo về công tác khuyến học.",
    "Ban Thường vụ Huyện ủy ban hành Kế hoạch thực hiện Kết luận.",
    "Sở Giáo dục và Đào tạo phối hợp với Phòng GD&ĐT xây dựng kế hoạch.",
    "Đơn vị có trình độ chuyên môn đã được nâng cao.",
]


@pytest.mark.parametrize(
    ("ocr", "reads"),
    [
        ("công chức cấp x& được đào tạo", "cấp xã được"),  # symbol at a word's end
        ("K&t quả công tác", "Kết quả"),  # symbol inside a capitalised word: no name
        ("ban hành K& hoạch thực hiện", "Kế hoạch"),
        ("phối hợp với S& Giáo dục", "Sở Giáo dục"),
        ("V& công tác khuyến học", "Về công tác"),  # one capital letter is no acronym
        ("x&y dựng kế hoạch", "xây dựng"),
        # a symbol that starts a word: a consonant read as its lookalike ("@" for "đ",
        # "¢" for "c")
        ("Đơn vị ¢6 trình độ", "vị có trình"),
        ("trình @6 chuyên môn", "trình độ chuyên"),
        ("chuyên môn @3 được nâng cao", "môn đã được"),
    ],
)
def test_repair_reads_a_vowel_ocr_read_as_a_symbol(ocr: str, reads: str) -> None:
    restorer = Restorer.for_corpus(_RUNNING)
    assert reads in restorer.restore(ocr, repair=True)


@pytest.mark.parametrize(
    "kept",
    [
        "Phòng GD&DT phối hợp",  # an abbreviation's ampersand between capitals
        "SGD&ĐT và CN&ĐH",
        "Phòng GD & ĐT phối hợp",  # spaced, between capitals
        "thư điện tử gdtx@nghean.edu.vn",  # an address: neither joined nor restored
        "trang www.khuyenhoc.vn của Hội",
    ],
)
def test_repair_keeps_abbreviations_and_addresses(kept: str) -> None:
    restorer = Restorer.for_corpus(_RUNNING)
    got = restorer.restore(kept, repair=True)
    for word in kept.split():
        if any(c in word for c in "&@."):
            assert word in got
