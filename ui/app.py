"""The Gradio app: search, questions, documents, the citation graph, requirements, uploads.

Every HTML output that may hold a viewer link is made by :class:`ui.links.Links`; its
``click`` event (Gradio's own, fired by the component's ``js_on_load``) opens the
"Văn bản" tab at the span. The same link's address (``/?doc=…&start=…&end=…``) opens
the viewer when loaded directly. Styles live in ``ui/style.css`` (:data:`CSS_PATH`,
handed to Gradio when the app is mounted); lists and dropdowns built from the index
are read on page load, when their tab opens, and after an upload.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import gradio as gr

from index.errors import IndexError_
from index.search import SearchIndex
from ui.answers_tab import add_ask_tab, add_precedent_tab
from ui.documents_tab import TAB_ID, add_documents_tab
from ui.graph_tab import add_graph_tab
from ui.links import Links, target_data
from ui.render import EMPTY_INDEX, error_html, message_html
from ui.requirements_tab import add_requirements_tabs, document_choices
from ui.search_tab import MODES, add_search_tab
from ui.upload_tab import add_upload_tab
from ui.viewer import Target

__all__ = ["CSS_PATH", "MODES", "build_ui"]

CSS_PATH = Path(__file__).with_name("style.css")

INTRO = (
    "# Tra cứu văn bản về khuyến học, khuyến tài, xây dựng xã hội học tập\n"
    "Tìm đoạn văn, hỏi đáp có trích dẫn nguyên văn, xem văn bản và mối liên hệ giữa các "
    "văn bản: chỉ thị, kết luận, quyết định, kế hoạch và báo cáo. Gõ có dấu hoặc không dấu "
    "đều được."
)


def build_ui(get_index: Callable[[], SearchIndex], root: Path | None = None) -> gr.Blocks:
    """Builds the UI around a function that returns the open index.

    Args:
        get_index: returns the open index.
        root: the directory ``source`` paths are relative to (quotes are read there).
    """

    def banner() -> str:
        try:
            empty = get_index().store.count_passages() == 0
        except IndexError_ as exc:
            return error_html(exc)
        return message_html(EMPTY_INDEX) if empty else ""

    links = Links()
    with gr.Blocks(title="Tra cứu văn bản khuyến học") as demo:
        gr.Markdown(INTRO, elem_id="tracuu-intro")
        notice = gr.HTML(elem_classes=["tracuu-banner"])
        with gr.Tabs() as tabs:
            search = add_search_tab(get_index, links, root)
            add_ask_tab(get_index, links, root)
            docs = add_documents_tab(get_index, links, root)
            graph = add_graph_tab(get_index, links)
            req_docs = add_requirements_tabs(get_index, links, root)
            precedent_type = add_precedent_tab(get_index, links, root)
            uploaded, changed = add_upload_tab(links)
        gr.HTML(
            '<div class="tracuu-foot">Dành cho lập trình viên: giao diện lập trình (API) '
            'tại <a href="/docs">/docs</a>.</div>'
        )

        def route(evt: gr.EventData) -> tuple[Any, ...]:
            target = Target.parse(target_data(evt))
            if target is None:
                return gr.skip(), gr.skip(), gr.skip(), gr.skip()
            view, accordion = docs.open(target)
            return gr.Tabs(selected=TAB_ID), docs.list_html(), accordion, view

        def on_load(request: gr.Request) -> tuple[Any, ...]:
            params = dict(request.query_params) if request is not None else {}
            target = Target.parse(params)
            lists = search.refresh()
            if target is None:
                return banner(), *lists, gr.Tabs(), gr.skip(), gr.skip(), gr.skip()
            view, accordion = docs.open(target)
            return banner(), *lists, gr.Tabs(selected=TAB_ID), docs.list_html(), accordion, view

        def refresh(did_change: bool) -> tuple[Any, ...]:
            """Re-reads every list and dropdown built from the index (after an upload)."""
            if not did_change:
                return tuple(gr.skip() for _ in range(7 + len(req_docs)))
            names, provinces = graph.choices()
            choices = document_choices(get_index)
            types = search.refresh()
            return (
                banner(),
                *types,
                docs.list_html(),
                gr.Dropdown(choices=names),
                gr.Dropdown(choices=provinces),
                types[0],
                *(gr.Dropdown(choices=choices) for _ in req_docs),
            )

        outputs = [tabs, docs.listing, docs.accordion, docs.viewer]
        for component in links.components:
            component.click(route, None, outputs, api_visibility="private", show_progress="hidden")
        demo.load(
            on_load,
            None,
            [notice, search.doc_type, search.issuer, *outputs],
            api_visibility="private",
        )
        uploaded.then(
            refresh,
            changed,
            [
                notice,
                search.doc_type,
                search.issuer,
                docs.listing,
                graph.node,
                graph.province,
                precedent_type,
                *req_docs,
            ],
            api_visibility="private",
        )
    return demo
