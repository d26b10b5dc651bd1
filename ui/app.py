"""The Gradio app: a search box and results with document, section and highlighted passage."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path

import gradio as gr

from index.errors import IndexError_
from index.search import SearchIndex
from ui.answers_tab import add_ask_tab, add_precedent_tab, add_requirements_tab
from ui.graph_tab import add_graph_tab
from ui.render import CSS, results_html

MODES = {
    "Kết hợp (từ khóa + ngữ nghĩa)": "hybrid",
    "Từ khóa": "lexical",
    "Ngữ nghĩa": "dense",
}


def build_ui(get_index: Callable[[], SearchIndex], root: Path | None = None) -> gr.Blocks:
    """Builds the UI around a function that returns the open index.

    Args:
        get_index: returns the open index.
        root: the directory ``source`` paths are relative to (quotes are read there).
    """

    def run_search(query: str, mode_label: str, k: float) -> str:
        if not (query or "").strip():
            return '<div class="tracuu-empty">Hãy nhập từ khóa hoặc câu hỏi để tìm kiếm.</div>'
        try:
            index = get_index()
            result = index.search(query, k=int(k), mode=MODES.get(mode_label, "hybrid"))
        except IndexError_ as exc:
            return f'<div class="tracuu-error">{escape(str(exc))}</div>'
        return results_html(result)

    with gr.Blocks(title="tracuu — tra cứu văn bản khuyến học") as demo:
        gr.HTML(f"<style>{CSS}</style>")
        gr.Markdown(
            "# Tra cứu văn bản về khuyến học, khuyến tài, xây dựng xã hội học tập\n"
            "Tìm đoạn văn trong các chỉ thị, kết luận, quyết định, kế hoạch và báo cáo; "
            "mỗi kết quả ghi rõ văn bản, mục và vị trí nguồn. Gõ có dấu hoặc không dấu đều được."
        )
        with gr.Tab("Tìm kiếm"):
            with gr.Row():
                query = gr.Textbox(
                    label="Từ khóa hoặc câu hỏi",
                    placeholder="Ví dụ: Hội khuyến học huyện có bao nhiêu hội viên?",
                    scale=4,
                    elem_id="tracuu-query",
                )
                button = gr.Button("Tìm kiếm", variant="primary", scale=1, elem_id="tracuu-go")
            with gr.Row():
                mode = gr.Radio(list(MODES), value=next(iter(MODES)), label="Cách tìm")
                k = gr.Slider(1, 50, value=10, step=1, label="Số kết quả")
            results = gr.HTML(elem_id="tracuu-results")
        button.click(run_search, [query, mode, k], results, api_visibility="private")
        query.submit(run_search, [query, mode, k], results, api_visibility="private")
        add_ask_tab(get_index, root)
        add_requirements_tab(get_index, root)
        add_precedent_tab(get_index, root)
        add_graph_tab(get_index)
    return demo
