"""The UI's HTML without a browser: viewer spans, links, filters and messages."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from index.errors import BadQuery, IndexMissing, NotFound
from index.models import Filters
from index.search import SearchIndex
from tests.conftest import ROOT
from ui.render import error_html, open_href, open_link
from ui.search_tab import doc_ids_for, filter_choices, make_filters
from ui.viewer import Target, Viewer, text_html


class _Marked(HTMLParser):
    """Collects the text inside <mark> and the whole text, as a browser's textContent."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.marked: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "mark":
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self.depth:
            self.marked.append(data)


def _parse(html: str) -> _Marked:
    p = _Marked()
    p.feed(html)
    p.close()
    return p


@pytest.mark.parametrize(
    ("raw", "span", "outline_starts"),
    [
        ('Điều 1. <Hội> & "quỹ"\nkhuyến học.', (9, 14), [0]),
        ("a\r\nb c", (0, 4), []),  # a carriage return survives
        ("I. MỤC ĐÍCH\n1. Yêu cầu cụ thể", (5, 20), [0, 12]),  # an anchor inside the span
        ("xyz", (0, 3), [0, 3]),
    ],
)
def test_viewer_text_is_the_raw_text_and_the_mark_is_the_span(
    raw: str, span: tuple[int, int], outline_starts: list[int]
) -> None:
    outline = [{"char_start": a, "char_end": len(raw), "heading": "h"} for a in outline_starts]
    parsed = _parse(text_html(raw, outline, span))
    assert "".join(parsed.text) == raw
    assert "".join(parsed.marked) == raw[span[0] : span[1]]


def test_target_parse_accepts_links_and_drops_bad_spans() -> None:
    assert Target.parse({"doc": "d", "start": "3", "end": "9"}) == Target("d", 3, 9)
    assert Target.parse({"doc": "d", "start": "9", "end": "3"}) == Target("d")
    assert Target.parse({"doc": "d", "start": "x", "end": ""}) == Target("d")
    assert Target.parse({"doc": " "}) is None
    assert Target.parse(None) is None


def test_open_link_escapes_and_carries_the_span() -> None:
    html = open_link('a"b', 1, 5, "<Mở>")
    assert 'data-doc="a&quot;b"' in html and 'data-start="1"' in html
    assert "&lt;Mở&gt;" in html
    assert open_href("x/y", 1, 2) == "?doc=x%2Fy&start=1&end=2"


def test_error_messages_are_vietnamese_and_say_what_to_do() -> None:
    assert "tracuu ingest" in error_html(IndexMissing("no index in .tracuu"))
    too_long = BadQuery("the query is 3000 characters; the limit is 2000")
    assert "không quá dài" in error_html(too_long)
    assert "Không tìm thấy văn bản" in error_html(NotFound("no document with id 'x'"))


def test_filters_match_the_documents_the_index_filters(corpus_index: SearchIndex) -> None:
    docs = corpus_index.store.documents()
    types, issuers = filter_choices(docs)
    assert types[0] == "Tất cả" and "Báo cáo" in types
    f = make_filters("Báo cáo", "Tất cả", 2021, None)
    assert f == Filters(doc_type="Báo cáo", year_from=2021)
    allowed = doc_ids_for(docs, f)
    hits = corpus_index.search("khuyến học", k=50, filters=f).hits
    assert hits and {h.doc_id for h in hits} <= allowed
    assert make_filters("Tất cả", " ", "", None) == Filters()


def test_viewer_renders_a_corpus_document_at_a_hit(corpus_index: SearchIndex) -> None:
    hit = corpus_index.search("Thắp sáng ước mơ", k=1).hits[0]
    html = Viewer(ROOT).render(corpus_index, Target(hit.doc_id, hit.char_start, hit.char_end))
    raw = (ROOT / hit.source).read_text(encoding="utf-8")
    parsed = _parse(html[html.index('class="tracuu-doctext"') - 5 :])
    assert "".join(parsed.marked) == raw[hit.char_start : hit.char_end]
    assert "Văn bản này trích dẫn" in html and "Mục lục" in html


def test_viewer_says_when_the_source_file_is_gone(
    corpus_index: SearchIndex, tmp_path: Path
) -> None:
    doc = corpus_index.store.documents()[0]
    html = Viewer(tmp_path).render(corpus_index, Target(doc["doc_id"]))
    assert "Không đọc được tệp nguồn" in html
