"""The OCR channel is reproducible from its training pairs and repairs OCR'd words."""

from __future__ import annotations

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
