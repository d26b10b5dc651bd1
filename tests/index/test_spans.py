"""Property tests (Hypothesis) of raw spans: every occurrence of a phrase maps to its own span."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from answers.phrases import phrase_pattern
from index.spans import RawSources, _dense_raw, _locate
from ingest.pipeline import parse_file
from vntext.normalize import fold, nfc

PHRASES = ["dòng họ học tập", "Hội Khuyến học", "khuyến học, khuyến tài", "xã hội học tập"]
FILLER = st.sampled_from(
    ["các", "gia đình", "cộng đồng", "năm", "2022", "huyện", "đã", "công nhận", "Đảng ủy", "và"]
)
# A paragraph: filler words with the phrase dropped in 1..4 times, close together or not.
PIECE = st.one_of(FILLER, st.just("{phrase}"))
PARAGRAPH = st.lists(PIECE, min_size=3, max_size=40).map(" ".join)


def _squeezed(text: str) -> str:
    return "".join(fold(nfc(text)).split())


def _check_spans(raw: str, spans: list[tuple[int, int]], phrase: str) -> None:
    assert spans == sorted(spans)
    for (a, b), (c, _) in zip(spans, spans[1:], strict=False):
        assert b <= c or a < c, "two occurrences reported at one raw offset"
    assert len(set(spans)) == len(spans)
    for a, b in spans:
        assert _squeezed(raw[a:b]) == _squeezed(phrase)


@settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.sampled_from(PHRASES),
    st.lists(PARAGRAPH, min_size=1, max_size=8),
    st.sampled_from(["\n\n", "\r\n\r\n"]),
    st.integers(0, 9),
    st.booleans(),
)
def test_every_occurrence_of_a_phrase_maps_to_its_own_raw_span(
    tmp_path: Path, phrase: str, paragraphs: list[str], sep: str, wrap: int, nfd: bool
) -> None:
    words = sep.join(p.replace("{phrase}", phrase) for p in paragraphs).split(" ")
    # hard-wrap every (wrap+3)-th space, as a scanned or e-mailed report does
    raw = "".join(
        w + ("\n" if wrap and i % (wrap + 3) == wrap else " ") for i, w in enumerate(words)
    )
    raw = "VĂN BẢN\n\n" + raw.strip() + "\n"
    if nfd:
        raw = unicodedata.normalize("NFD", raw)
    path = tmp_path / "bao-cao.txt"
    path.write_bytes(raw.encode("utf-8"))
    doc = parse_file(path, tmp_path)
    sources = RawSources(tmp_path)
    pattern = phrase_pattern(phrase)
    found = 0
    all_spans: list[tuple[int, int]] = []
    for p in doc.passages:
        spans = []
        for m in pattern.finditer(fold(p.text)):
            span = sources.locate(
                "bao-cao.txt", None, p.char_start, p.char_end, p.text, m.start(), m.end()
            )
            assert span is not None
            spans.append(span)
        found += len(spans)
        _check_spans(raw, spans, phrase)
        all_spans += spans
    assert len(set(all_spans)) == len(all_spans)
    assert found == len(list(pattern.finditer(fold(nfc(raw)))))


@settings(max_examples=60, derandomize=True, deadline=None, database=None)
@given(
    st.sampled_from(PHRASES),
    st.lists(PIECE, min_size=2, max_size=40),
    st.integers(1, 60),
    st.booleans(),
)
def test_a_repeated_piece_maps_to_its_own_occurrence_when_chrome_was_dropped(
    phrase: str, pieces: list[str], chrome_at: int, chrome_has_phrase: bool
) -> None:
    words = [p.replace("{phrase}", phrase) for p in pieces]
    cut = chrome_at % len(words) or 1
    before, after = " ".join(words[:cut]), " " + " ".join(words[cut:])
    text = before + after
    # the raw span holds a line the cleaner dropped (web chrome), maybe with the phrase in it
    chrome = "\nTrang chủ | In bài " + (phrase + " | " if chrome_has_phrase else "") + "Chia sẻ\n"
    raw = before + chrome + after
    dense = _dense_raw(raw, 0, len(raw))
    matches = list(phrase_pattern(phrase).finditer(fold(text)))
    spans = [_locate(dense, text, m.start(), m.end()) for m in matches]
    placed = [s for s in spans if s is not None]
    assert len(placed) == len(matches)
    _check_spans(raw, placed, phrase)
    if not chrome_has_phrase:  # else a dropped line may word it too: either place is exact
        for m, span in zip(matches, placed, strict=True):
            shift = 0 if m.start() < len(before) else len(chrome)
            assert span == (m.start() + shift, m.end() + shift)
