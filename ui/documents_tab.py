"""The "Văn bản" tab: the document list and the viewer (outline, highlighted span, references)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr

from index.errors import IndexError_
from index.search import SearchIndex
from ui.render import EMPTY_INDEX, error_html, message_html
from ui.viewer import Target, Viewer, documents_html

log = logging.getLogger("tracuu")
GetIndex = Callable[[], SearchIndex]
TAB_ID = "documents"
HINT = "Chọn một văn bản trong danh sách, hoặc một trích dẫn ở các thẻ khác."

# Scrolls the highlighted span into view whenever the viewer shows a document. The tab
# may still be hidden when the HTML arrives (it is being switched to): then a
# ResizeObserver scrolls once the text is laid out. Outline links scroll inside the
# viewer instead of changing the page address.
VIEWER_JS = """
const focus = () => {
  const m = element.querySelector('mark.tracuu-focus');
  const box = element.querySelector('.tracuu-doctext');
  if (!m || !box) return;
  const go = () => {
    m.scrollIntoView({block: 'center'});
    const list = element.querySelector('.tracuu-outline');
    const cur = element.querySelector('.tracuu-outline .tracuu-current');
    if (list && cur) {
      list.scrollTop += cur.getBoundingClientRect().top - list.getBoundingClientRect().top - 40;
    }
  };
  if (box.getBoundingClientRect().height > 0) { go(); return; }
  const seen = new ResizeObserver(() => {
    if (box.getBoundingClientRect().height > 0) { seen.disconnect(); go(); }
  });
  seen.observe(box);
};
watch('value', focus);
focus();
element.addEventListener('click', (e) => {
  const j = e.target.closest && e.target.closest('a.tracuu-jump');
  if (!j) return;
  e.preventDefault();
  const t = element.querySelector('#' + CSS.escape(j.dataset.target));
  if (t) t.scrollIntoView({block: j.dataset.target === 'tracuu-focus' ? 'center' : 'start'});
});
"""


@dataclass
class DocumentsTab:
    """The components other tabs update when a link opens a document."""

    tab: gr.Tab
    listing: gr.HTML
    accordion: gr.Accordion
    viewer: gr.HTML
    open: Callable[[Target | None], tuple[str, gr.Accordion]]
    list_html: Callable[[], str]


def add_documents_tab(get_index: GetIndex, links: Any, root: Path | None = None) -> DocumentsTab:
    """Adds the "Văn bản" tab; call inside a ``gr.Tabs`` context.

    Returns:
        Its components; ``open(target)``, which returns the viewer HTML and the list's
        accordion state for a target; ``list_html()``, the document list.
    """
    viewer = Viewer(root)

    def listing() -> str:
        try:
            docs = get_index().store.documents()
        except IndexError_ as exc:
            return error_html(exc)
        return documents_html(docs) or message_html(EMPTY_INDEX)

    def open_target(target: Target | None) -> tuple[str, gr.Accordion]:
        if target is None:
            return (
                message_html(HINT),
                gr.Accordion(open=True),
            )
        try:
            return viewer.render(get_index(), target), gr.Accordion(open=False)
        except IndexError_ as exc:
            return error_html(exc), gr.Accordion(open=True)
        except Exception as exc:  # shown in the page, not as an English pop-up
            log.exception("viewer failed for %s", target)
            return error_html(exc), gr.Accordion(open=True)

    with gr.Tab("Văn bản", id=TAB_ID) as tab:
        with gr.Accordion("Danh sách văn bản", open=True) as accordion:
            docs = links.html(elem_id="tracuu-doclist", min_height=40)
        view = links.html(message_html(HINT), js=VIEWER_JS, elem_id="tracuu-viewer", min_height=40)
    tab.select(listing, None, docs, api_visibility="private", show_progress="minimal")
    return DocumentsTab(tab, docs, accordion, view, open_target, listing)
