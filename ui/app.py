"""The Gradio app: search, questions, documents, the citation graph and requirements.

Every tab renders HTML; a link with class ``tracuu-open`` (see :func:`ui.render.open_link`)
anywhere on the page opens the "Văn bản" tab at a span, through one hidden router
component. The same link's address (``/?doc=…&start=…&end=…``) opens the viewer
when loaded directly.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import gradio as gr

from index.errors import IndexError_
from index.search import SearchIndex
from ui.answers_tab import add_ask_tab, add_precedent_tab, add_requirements_tab
from ui.documents_tab import TAB_ID, add_documents_tab
from ui.graph_tab import add_graph_tab
from ui.render import CSS, EMPTY_INDEX, error_html, message_html
from ui.search_tab import MODES, add_search_tab
from ui.viewer import CSS as VIEWER_CSS
from ui.viewer import Target

__all__ = ["MODES", "build_ui"]

# Catches clicks on viewer links anywhere on the page (results, answers, references)
# and hands the target to Python; modified clicks (new tab) keep the link's address.
ROUTER_JS = """
window.tracuuOpen = (data) => trigger('click', data);
if (!window.tracuuRouter) {
  window.tracuuRouter = true;
  document.addEventListener('click', (e) => {
    const a = e.target.closest && e.target.closest('a.tracuu-open');
    if (!a || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    try { history.replaceState(null, '', a.getAttribute('href')); } catch (err) {}
    window.tracuuOpen({doc: a.dataset.doc, start: a.dataset.start || '',
                       end: a.dataset.end || ''});
  }, true);
}
"""

PAGE_CSS = """
footer {display:none !important;}
.tracuu-banner .tracuu-empty {border:1px solid #f5b400;background:#fffbea;border-radius:8px;}
.tracuu-foot {color:#6b7280;font-size:.85em;margin-top:12px;}
#tracuu-intro h1 {font-size:1.6em !important;margin-bottom:4px !important;}
@media (max-width: 760px) {
  #tracuu-intro h1 {font-size:1.2em !important;line-height:1.3 !important;}
  #tracuu-intro p {font-size:.9em !important;}
}
"""

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

    with gr.Blocks(title="Tra cứu văn bản khuyến học") as demo:
        gr.HTML(f"<style>{CSS}{VIEWER_CSS}{PAGE_CSS}</style>", js_on_load=None)
        gr.Markdown(INTRO, elem_id="tracuu-intro")
        notice = gr.HTML(elem_classes=["tracuu-banner"], js_on_load=None)
        router = gr.HTML(visible="hidden", js_on_load=ROUTER_JS, elem_id="tracuu-router")
        with gr.Tabs() as tabs:
            add_search_tab(get_index, root)
            add_ask_tab(get_index, root)
            docs = add_documents_tab(get_index, root)
            add_graph_tab(get_index)
            add_requirements_tab(get_index, root)
            add_precedent_tab(get_index, root)
        gr.HTML(
            '<div class="tracuu-foot">Dành cho lập trình viên: giao diện lập trình (API) '
            'tại <a href="/docs">/docs</a>.</div>',
            js_on_load=None,
        )

        def route(evt: gr.EventData) -> tuple[Any, ...]:
            target = Target.parse(getattr(evt, "_data", None))
            view, accordion = docs.open(target)
            return gr.Tabs(selected=TAB_ID), docs.list_html(), accordion, view

        def on_load(request: gr.Request) -> tuple[Any, ...]:
            params = dict(request.query_params) if request is not None else {}
            target = Target.parse(params)
            if target is None:
                return banner(), gr.Tabs(), gr.skip(), gr.skip(), gr.skip()
            view, accordion = docs.open(target)
            return banner(), gr.Tabs(selected=TAB_ID), docs.list_html(), accordion, view

        outputs = [tabs, docs.listing, docs.accordion, docs.viewer]
        router.click(route, None, outputs, api_visibility="private", show_progress="hidden")
        demo.load(on_load, None, [notice, *outputs], api_visibility="private")
    return demo
