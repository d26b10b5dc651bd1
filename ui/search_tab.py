"""The "Tìm kiếm" tab: a query, the way to search, filters, and results linked to the viewer."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr

from answers.precedent import Precedent
from index.errors import IndexError_
from index.models import Filters, PrecedentFilters
from index.search import SearchIndex
from ui.render import (
    ALL,
    EMPTY_INDEX,
    error_html,
    message_html,
    phrase_results_html,
    results_html,
    similar_results_html,
)
from vntext.normalize import fold

GetIndex = Callable[[], SearchIndex]

MODES = {
    "Kết hợp (từ khóa + ngữ nghĩa)": "hybrid",
    "Cụm từ chính xác": "phrase",
    "Câu chữ tương tự": "similar",
}


def filter_choices(docs: list[dict[str, Any]]) -> tuple[list[str], list[str]]:
    """Returns the document types and issuers present, each list starting with "Tất cả"."""
    types = sorted({d["doc_type"] for d in docs if d.get("doc_type")})
    issuers = sorted({d["issuer"] for d in docs if d.get("issuer")})
    return [ALL, *types], [ALL, *issuers]


def make_filters(doc_type: str | None, issuer: str | None, y_from: Any, y_to: Any) -> Filters:
    """Builds search filters from the form ("Tất cả" and empty boxes mean no restriction)."""

    def year(v: Any) -> int | None:
        try:
            return int(v) if v not in (None, "") else None
        except (TypeError, ValueError):
            return None

    return Filters(
        doc_type=doc_type if doc_type and doc_type != ALL else None,
        issuer=issuer.strip() if issuer and issuer.strip() and issuer != ALL else None,
        year_from=year(y_from),
        year_to=year(y_to),
    )


def doc_ids_for(docs: list[dict[str, Any]], f: Filters) -> set[str]:
    """Returns the ids of documents that pass the filters (as the index's SQL filter does)."""
    out = set()
    for d in docs:
        year = int(d["date"][:4]) if d.get("date") else None
        if f.doc_type and fold(d.get("doc_type") or "") != fold(f.doc_type):
            continue
        if f.issuer and fold(f.issuer) not in fold(d.get("issuer") or ""):
            continue
        if f.year_from is not None and (year is None or year < f.year_from):
            continue
        if f.year_to is not None and (year is None or year > f.year_to):
            continue
        out.add(d["doc_id"])
    return out


class Searcher:
    """Runs the three kinds of search against the open index.

    Args:
        get_index: returns the open index.
        root: the directory ``source`` paths are relative to.
    """

    def __init__(self, get_index: GetIndex, root: Path | None) -> None:
        self.get_index = get_index
        self.root = Path(root) if root is not None else Path.cwd()
        self._precedent: Precedent | None = None
        self._lock = threading.Lock()

    def precedent(self) -> Precedent:
        """Returns the phrase / similar-wording finder of the open index."""
        index = self.get_index()
        with self._lock:
            if self._precedent is None or self._precedent.index is not index:
                self._precedent = Precedent(index, self.root)
            return self._precedent

    def run(self, query: str, mode: str, k: int, f: Filters) -> str:
        """Searches and returns the results as HTML (a message when there is nothing)."""
        if not (query or "").strip():
            return message_html("Hãy nhập từ khóa, câu hỏi hoặc một câu cần tìm.")
        index = self.get_index()
        if not index.store.count_passages():
            return message_html(EMPTY_INDEX)
        if mode == "hybrid":
            return results_html(index.search(query, k=k, mode="hybrid", filters=f))
        finder = self.precedent()
        allowed = doc_ids_for(index.store.documents(), f) if f.any() else None
        if mode == "phrase":
            hits, _ = finder.phrase(query, limit=100)
            if allowed is not None:
                hits = [h for h in hits if h.doc_id in allowed]
            total = sum(len(h.highlights) for h in hits)
            head = f"«{query.strip()}» xuất hiện {total} lần trong {len(hits)} đoạn văn"
            return phrase_results_html(hits[:k], head)
        similar = finder.similar(
            query,
            k=50 if f.issuer else min(k, 50),
            filters=PrecedentFilters(f.doc_type, None, f.year_from, f.year_to),
        )
        if allowed is not None:
            similar = [h for h in similar if h.doc_id in allowed]
        return similar_results_html(
            similar[:k], "Câu có ý và câu chữ tương tự (phần trùng tô vàng)"
        )


def add_search_tab(get_index: GetIndex, links: Any, root: Path | None = None) -> SearchTab:
    """Adds the "Tìm kiếm" tab; call inside a ``gr.Tabs`` context.

    Returns:
        Its filter dropdowns and ``refresh()``, their updates from the open index (the
        app calls it on page load and after an upload).
    """
    searcher = Searcher(get_index, root)

    def docs() -> list[dict[str, Any]]:
        try:
            return get_index().store.documents()
        except IndexError_:
            return []

    def refresh() -> tuple[Any, Any]:
        types, issuers = filter_choices(docs())
        return gr.Dropdown(choices=types), gr.Dropdown(choices=issuers)

    def run(query: str, mode_label: str, k: float, t: str, iss: str, y1: Any, y2: Any) -> str:
        try:
            f = make_filters(t, iss, y1, y2)
            return searcher.run(query, MODES.get(mode_label, "hybrid"), int(k), f)
        except IndexError_ as exc:
            return error_html(exc)

    with gr.Tab("Tìm kiếm", id="search"):
        with gr.Row(equal_height=True):
            query = gr.Textbox(
                label="Từ khóa, câu hỏi hoặc câu cần tìm",
                placeholder="Ví dụ: Hội khuyến học huyện có bao nhiêu hội viên?",
                scale=4,
                min_width=240,
                elem_id="tracuu-query",
            )
            button = gr.Button(
                "Tìm kiếm", variant="primary", scale=1, min_width=120, elem_id="tracuu-go"
            )
        mode = gr.Radio(
            list(MODES), value=next(iter(MODES)), label="Cách tìm", elem_id="tracuu-mode"
        )
        with gr.Accordion("Bộ lọc: loại văn bản, cơ quan ban hành, năm", open=False):
            with gr.Row():
                doc_type = gr.Dropdown([ALL], value=ALL, label="Loại văn bản", min_width=160)
                issuer = gr.Dropdown(
                    [ALL],
                    value=ALL,
                    label="Cơ quan ban hành",
                    allow_custom_value=True,
                    min_width=200,
                )
            with gr.Row():
                y_from = gr.Number(label="Từ năm", precision=0, minimum=1945, min_width=120)
                y_to = gr.Number(label="Đến năm", precision=0, minimum=1945, min_width=120)
                k = gr.Slider(1, 50, value=10, step=1, label="Số kết quả", min_width=160)
        results = links.html(
            message_html("Nhập nội dung cần tìm rồi bấm «Tìm kiếm». Gõ có dấu hay không đều được."),
            elem_id="tracuu-results",
            min_height=80,
        )
    inputs = [query, mode, k, doc_type, issuer, y_from, y_to]
    for event in (button.click, query.submit):
        # The button says the search is running (the first query also loads the model).
        event(
            lambda: gr.Button("Đang tìm…", interactive=False),
            None,
            button,
            queue=False,
            api_visibility="private",
        ).then(run, inputs, results, api_visibility="private", show_progress="full").then(
            lambda: gr.Button("Tìm kiếm", interactive=True),
            None,
            button,
            queue=False,
            api_visibility="private",
        )
    return SearchTab(doc_type, issuer, refresh)


@dataclass
class SearchTab:
    """The search tab's filter dropdowns and their refresh (see :func:`add_search_tab`)."""

    doc_type: Any
    issuer: Any
    refresh: Callable[[], tuple[Any, Any]]
