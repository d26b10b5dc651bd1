"""The "Hỏi đáp" and "Tìm câu chữ tương tự" tabs (issue 5).

Each ``add_*_tab`` function builds its tab when called inside a ``gr.Blocks`` context;
the logic lives in answers/answer.py and answers/precedent.py.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

import gradio as gr

from answers.answer import DEFAULT_K, MAX_K, Answerer
from answers.precedent import Precedent
from index.errors import IndexError_
from index.levels import LEVELS
from index.models import Answer, Citation, DuplicateGroup, Figure, PrecedentFilters
from index.search import SearchIndex
from ui.render import (
    ALL,
    error_html,
    hit_html,
    open_link,
    phrase_results_html,
    reading_html,
    similar_results_html,
)
from vntext.normalize import fold

GetIndex = Callable[[], SearchIndex]


class _Cache:
    """One answerer / requirement table / precedent finder per open index."""

    def __init__(self, get_index: GetIndex, root: Path | None) -> None:
        self.get_index = get_index
        self.root = Path(root) if root is not None else Path.cwd()
        self._made: dict[str, Any] = {}

    def get(self, kind: type[Any]) -> Any:
        index = self.get_index()
        made = self._made.get(kind.__name__)
        if made is None or made.index is not index:
            made = kind(index, self.root)
            self._made[kind.__name__] = made
        return made


def _where(c: Citation) -> str:
    where = f"{escape(c.source)} · ký tự {c.char_start}–{c.char_end}"
    if c.page is not None:
        where += f" · trang {c.page}"
    return where


def figure_marked(text: str, figure: Figure | None, at: int | None = None) -> str:
    """Returns ``text`` escaped with the answer's figure wrapped in ``<mark>``.

    Args:
        text: the answer or a quote.
        figure: the figure the question asked for.
        at: where the figure starts in ``text`` when known (a quote); else its first
            occurrence, accents and case aside (a restored reading may differ there).
    """
    if figure is None:
        return escape(text)
    n = len(figure.text)
    if at is None or text[at : at + n] != figure.text:
        found = fold(text).find(fold(figure.text))
        at = found if found >= 0 else None
    if at is None:
        return escape(text)
    return (
        escape(text[:at])
        + f'<mark class="tracuu-figure">{escape(text[at : at + n])}</mark>'
        + escape(text[at + n :])
    )


def citation_html(i: int, c: Citation, figure: Figure | None = None) -> str:
    """Renders one citation: document, section, exact source span and the quote.

    A quote from an OCR'd source shows its reading, the original one click away; the
    figure the question asked for is highlighted.
    """
    head = escape(" ".join(x for x in (c.doc_number, c.doc_title or c.doc_id) if x))
    section = escape(c.section) if c.section else "(phần mở đầu)"
    link = open_link(c.doc_id, c.char_start, c.char_end, "Mở văn bản tại trích dẫn này")
    inside = figure is not None and c.char_start <= figure.char_start < c.char_end
    fig = figure if inside else None
    at = figure.char_start - c.char_start if fig is not None and figure is not None else None
    quote = figure_marked(c.quote, fig, at)
    if c.reading is not None:
        body = reading_html(figure_marked(c.reading, fig), quote, pre=True)
    else:
        body = f'<pre class="tracuu-quote">{quote}</pre>'
    return (
        f'<div class="tracuu-cite"><b>[{i}]</b> {head}'
        f'<div class="tracuu-section">Mục: {section}</div>'
        f'<div class="tracuu-source">Nguồn: {_where(c)}</div>'
        f"{body}"
        f'<div class="tracuu-source">{link}</div></div>'
    )


def answer_html(a: Answer) -> str:
    """Renders an answer with its citations, or the reason there is none."""
    if a.answer is None:
        near = "".join(hit_html(h) for h in a.passages[:3])
        return f'<div class="tracuu-empty">{escape(a.message or "")}</div>' + (
            f"<h4>Các đoạn văn gần nhất</h4>{near}" if near else ""
        )
    out = f'<div class="tracuu-answer">{figure_marked(a.answer, a.figure)}</div>'
    if a.figure is not None:
        out += (
            f'<div class="tracuu-figure-line">Số liệu được hỏi: '
            f'<mark class="tracuu-figure">{escape(a.figure.text)}</mark></div>'
        )
    if a.message:
        out += f'<div class="tracuu-empty">{escape(a.message)}</div>'
    out += "<h4>Trích dẫn nguyên văn</h4>"
    out += "".join(
        citation_html(i, c, a.figure if i == 1 else None)
        for i, c in enumerate(a.citations, start=1)
    )
    return out


def add_ask_tab(get_index: GetIndex, links: Any, root: Path | None = None) -> None:
    """Adds the "Hỏi đáp" tab: a question, an extractive answer and exact citations."""
    cache = _Cache(get_index, root)

    def run(question: str, k: float) -> str:
        if not (question or "").strip():
            return '<div class="tracuu-empty">Hãy nhập câu hỏi.</div>'
        try:
            answerer: Answerer = cache.get(Answerer)
            return answer_html(answerer.ask(question, k=int(k)))
        except IndexError_ as exc:
            return error_html(exc)

    with gr.Tab("Hỏi đáp"):
        gr.Markdown(
            "Câu trả lời được trích nguyên văn từ văn bản, kèm vị trí nguồn chính xác. "
            "Khi các văn bản không trả lời được câu hỏi, hệ thống nói rõ và không tự suy diễn."
        )
        with gr.Row():
            question = gr.Textbox(
                label="Câu hỏi",
                placeholder="Ví dụ: Huyện ủy phải gửi báo cáo tổng kết Chỉ thị 11 trước ngày nào?",
                scale=4,
                elem_id="tracuu-ask-question",
            )
            button = gr.Button("Hỏi", variant="primary", scale=1, elem_id="tracuu-ask-go")
        k = gr.Slider(1, MAX_K, value=DEFAULT_K, step=1, label="Số đoạn văn đọc")
        out = links.html(elem_id="tracuu-ask-answer")
    button.click(run, [question, k], out, api_visibility="private")
    question.submit(run, [question, k], out, api_visibility="private")


def _groups_html(groups: list[DuplicateGroup]) -> str:
    if not groups:
        return '<div class="tracuu-empty">Không có câu chữ trùng lặp giữa các văn bản.</div>'
    out = [f'<div class="tracuu-summary">{len(groups)} nhóm câu chữ dùng lại</div>']
    for g in groups:
        out.append(
            f"<h4>Nhóm {g.group_id}: {len(g.members)} câu, {len(g.documents)} văn bản "
            f"(giống nhau ≥ {g.similarity:.0%})</h4>"
        )
        out.extend(citation_html(i, c) for i, c in enumerate(g.members, start=1))
    return "".join(out)


MODES = {
    "Cụm từ chính xác": "phrase",
    "Câu chữ tương tự": "similar",
    "Câu chữ trùng lặp giữa các văn bản": "duplicates",
}


def add_precedent_tab(get_index: GetIndex, links: Any, root: Path | None = None) -> Any:
    """Adds the "Tìm câu chữ tương tự" tab: exact phrase, similar wording, duplicates."""
    cache = _Cache(get_index, root)

    def doc_types() -> list[str]:
        try:
            found = {d["doc_type"] for d in get_index().store.documents() if d.get("doc_type")}
        except IndexError_:
            found = set()
        return [ALL, *sorted(found)]

    def run(text: str, mode_label: str, doc_type: str, level: str, y1: Any, y2: Any) -> str:
        mode = MODES.get(mode_label, "phrase")
        try:
            finder: Precedent = cache.get(Precedent)
            if mode == "duplicates":
                return _groups_html(finder.duplicates())
            if not (text or "").strip():
                return '<div class="tracuu-empty">Hãy nhập cụm từ hoặc dán một câu, đoạn văn.</div>'
            if mode == "phrase":
                hits, total = finder.phrase(text)
                return phrase_results_html(
                    hits, f"{total} lần xuất hiện trong {len(hits)} đoạn văn"
                )
            filters = PrecedentFilters(
                doc_type=None if doc_type in (None, "", ALL) else doc_type,
                issuer_level=None if level in (None, "", ALL) else level,
                year_from=int(y1) if y1 not in (None, "") else None,
                year_to=int(y2) if y2 not in (None, "") else None,
            )
            similar = finder.similar(text, filters=filters)
            return similar_results_html(similar, "Câu có ý, câu chữ tương tự (phần trùng tô vàng)")
        except IndexError_ as exc:
            return error_html(exc)

    with gr.Tab("Tìm câu chữ tương tự") as tab:
        gr.Markdown(
            "Tìm cách diễn đạt đã dùng trong các văn bản trước: cụm từ chính xác (không phân "
            "biệt dấu), câu chữ tương tự một câu hay đoạn văn dán vào (phần trùng được tô "
            "sáng), và các câu gần như trùng nhau giữa các văn bản."
        )
        text = gr.Textbox(label="Cụm từ, câu hoặc đoạn văn", lines=3)
        with gr.Row():
            mode = gr.Radio(list(MODES), value=next(iter(MODES)), label="Cách tìm")
            button = gr.Button("Tìm", variant="primary")
        filters = "Bộ lọc câu chữ tương tự: loại văn bản, cấp ban hành, năm"
        with gr.Accordion(filters, open=False), gr.Row():
            doc_type = gr.Dropdown([ALL], value=ALL, label="Loại văn bản")
            level = gr.Dropdown([ALL, *LEVELS], value=ALL, label="Cấp ban hành")
            y_from = gr.Number(label="Từ năm", precision=0, minimum=1945)
            y_to = gr.Number(label="Đến năm", precision=0, minimum=1945)
        out = links.html(elem_id="tracuu-precedent")
    inputs = [text, mode, doc_type, level, y_from, y_to]
    button.click(run, inputs, out, api_visibility="private")
    # the list of types is read when the tab opens, so an upload shows up
    tab.select(lambda: gr.Dropdown(choices=doc_types()), None, doc_type, api_visibility="private")
    return doc_type
