"""The "Sơ đồ trích dẫn" tab: the citation graph laid out by Graphviz, and cites / cited-by.

Graphviz's ``dot`` (Debian's ``graphviz``, driven through the ``graphviz`` package)
lays the graph out and draws it as SVG: nothing is fetched (the machines are offline)
and no layout maths lives here. Documents stand in ranks by level, directives and
conclusions of the centre first, then central decisions, provincial plans and
district or commune reports; arrows go from a document to what it cites. Each corpus
document is a link that opens it in the viewer. ``python -m ui.graph_tab --out g.svg``
draws a corpus folder to a file.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from answers.graph import RELATION_LABELS, CitationGraph, graph_for, passages
from index.errors import IndexError_
from index.search import SearchIndex
from ui.graph_draw import (
    COLORS,
    TIER_NAMES,
    NodeFacts,
    chain_root,
    graph_svg,
    legend_html,
    node_facts,
    shorten,
    view_ids,
)
from ui.render import ALL, error_html, open_link

VIEWS = {
    "Chuỗi thực hiện": "chain",
    "Văn bản đang chọn và lân cận": "focus",
    "Văn bản chính": "main",
    "Toàn bộ": "all",
}


CLUSTERS = {"Không gom nhóm": "", "Gom theo cấp ban hành": "level", "Gom theo tỉnh": "province"}


def _date_vi(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{int(d)}/{int(m)}/{y}"


def details_html(graph: CitationGraph, node_id: str, texts: dict[str, dict]) -> str:
    """Renders a node's facts, its cites and cited-by lists with the passages that say so."""
    node = graph.nodes[node_id]
    dates = ", ".join(_date_vi(d) for d in node.dates) or "không rõ"
    conflict = " (các văn bản ghi khác nhau)" if len(node.dates) > 1 else ""
    where = "trong kho văn bản" if node.in_corpus else "văn bản được nhắc đến"
    head = (
        f'<div class="tracuu-node"><div class="tracuu-doc"><b>{escape(node.label)}</b> '
        f"<small>[{escape(node.id)}] · {where}</small></div>"
        f'<div class="tracuu-section">Trích yếu: {escape(node.title or "(không rõ)")}</div>'
        f'<div class="tracuu-section">Cơ quan ban hành: {escape(node.issuer or "(không rõ)")}'
        f" · Ngày: {escape(dates)}{conflict} · Số lần được nhắc: {node.mentions}</div></div>"
    )
    parts = [head]
    for title, edges, other_of in (
        ("Văn bản này trích dẫn", graph.cites(node_id), lambda e: e.target),
        ("Được trích dẫn bởi", graph.cited_by(node_id), lambda e: e.source),
    ):
        parts.append(f"<h4>{title} ({len(edges)})</h4>")
        if not edges:
            parts.append('<div class="tracuu-empty">Không có.</div>')
        for e in edges:
            other = graph.nodes[other_of(e)]
            rel = RELATION_LABELS.get(e.relation, e.relation)
            items = []
            for m in e.mentions[:8]:
                p = texts.get(m.passage_id or "")
                quote = _quote(p, m.char_start, m.char_end, m.surface) if p else escape(m.surface)
                opener = open_link(m.doc_id, m.char_start, m.char_end, "Mở văn bản tại chỗ này")
                items.append(
                    f'<li><span class="tracuu-source">{escape(m.source)} · ký tự '
                    f"{m.char_start}–{m.char_end} · {opener}</span><br>{quote}</li>"
                )
            more = f"<li>… và {len(e.mentions) - 8} chỗ khác</li>" if len(e.mentions) > 8 else ""
            ev = e.evidence()
            cue = (
                f' <small class="tracuu-cue">«{escape(ev.cue[2])}»</small>'
                if ev is not None and ev.cue is not None
                else ""
            )
            parts.append(
                f'<details class="tracuu-ref"><summary><span style="color:'
                f'{COLORS.get(e.relation, "#555")}">[{escape(rel)}]</span>{cue} '
                f"<b>{escape(other.label)}</b> — {escape(shorten(other.title, 90))} "
                f"<small>({e.count} lần)</small></summary><ul>{''.join(items)}{more}</ul>"
                "</details>"
            )
    chain = graph.chain(node_id)
    if chain:
        parts.append(f"<h4>Chuỗi thực hiện ({len(chain)} văn bản)</h4><ul>")
        for link in chain:
            parts.append(
                f'<li style="margin-left:{(link.depth - 1) * 18}px">'
                f"{escape(graph.nodes[link.id].label)} "
                f"<small>({escape(RELATION_LABELS.get(link.relation, link.relation))} "
                f"{escape(graph.nodes[link.via].label)}"
                + (f" — «{escape(link.cue)}»" if link.cue else "")
                + ")</small></li>"
            )
        parts.append("</ul>")
    return "".join(parts)


def _quote(p: dict, start: int, end: int, surface: str) -> str:
    """Returns the passage around a mention with the mention marked.

    Offsets are raw and the passage text is cleaned (lines joined), so the mention is
    found by its words, the occurrence nearest its raw offset.
    """
    text = p["text"]
    rel = max(0, start - p["char_start"])
    pattern = r"\s+".join(re.escape(w) for w in surface.split())
    hits = [m.span() for m in re.finditer(pattern, text)] if pattern else []
    a, b = min(hits, key=lambda h: abs(h[0] - rel)) if hits else (rel, rel)
    lo, hi = max(0, a - 160), min(len(text), b + 160)
    return f"…{escape(text[lo:a])}<mark>{escape(text[a:b])}</mark>{escape(text[b:hi])}…"


@dataclass
class GraphTab:
    """The components the app refreshes after an upload."""

    node: Any
    province: Any
    picture: Any
    choices: Callable[[], tuple[list[tuple[str, str]], list[str]]]


def add_graph_tab(get_index: Callable[[], SearchIndex], links: Any) -> GraphTab:
    """Adds the "Sơ đồ trích dẫn" tab; call inside a ``gr.Tabs`` context.

    Args:
        get_index: returns the open index.
        links: the page's :class:`ui.links.Links` (its HTML opens the viewer on a click).
    """
    import gradio as gr

    def load() -> tuple[CitationGraph, dict[str, NodeFacts]]:
        index = get_index()
        graph = graph_for(index.store)
        readings = index.readings

        def read(title: str, doc_ids: set[str]) -> str:
            return readings.read(title) if any(map(readings.garbled, doc_ids)) else title

        facts = index.store.cached(
            "ui:graph-facts", lambda: node_facts(graph, index.store.documents(), read)
        )
        return graph, facts

    def choices() -> tuple[list[tuple[str, str]], list[str]]:
        try:
            graph, facts = load()
        except IndexError_:
            return [], [ALL]
        nodes = sorted(graph.nodes.values(), key=lambda n: (not n.in_corpus, -n.mentions, n.id))
        names = [(f"{n.label} [{n.id}]" if n.id not in n.label else n.label, n.id) for n in nodes]
        provinces = sorted({f.province for f in facts.values() if f.province})
        return names, [ALL, *provinces]

    def render(
        view_label: str, focus: str | None, cluster_label: str, hide: bool, tier: str, prov: str
    ) -> tuple[str, str]:
        try:
            graph, facts = load()
        except IndexError_ as exc:
            return error_html(exc), ""
        view = VIEWS.get(view_label, "chain")
        focus = focus if focus in graph.nodes else chain_root(graph)
        tier_i = TIER_NAMES.index(tier) if tier in TIER_NAMES else None
        ids = view_ids(
            graph, view, focus, bool(hide), facts, tier_i, None if prov in (None, ALL) else prov
        )
        drawn = graph_svg(graph, ids, focus, facts, CLUSTERS.get(cluster_label, ""))
        count = f'<div class="tracuu-summary">{len(ids)} văn bản trong sơ đồ</div>'
        svg = f'{count}{legend_html()}<div class="tracuu-graph">{drawn}</div>'
        if focus is None:
            return svg, ""
        mention_ids = [
            m.passage_id or ""
            for e in (*graph.cites(focus), *graph.cited_by(focus))
            for m in e.mentions[:8]
        ]
        texts = passages(get_index().store, mention_ids)
        return svg, details_html(graph, focus, texts)

    with gr.Tab("Sơ đồ trích dẫn") as tab:
        gr.Markdown(
            "Văn bản nào thực hiện, tổng kết hay tiếp tục văn bản nào, xếp theo cấp: chỉ thị, "
            "kết luận của Trung ương trước, rồi quyết định, kế hoạch của tỉnh, báo cáo của "
            "huyện, xã. Ô xanh là văn bản trong kho (bấm để mở); ô nét đứt là văn bản được "
            "nhắc đến. Mũi tên chỉ tới văn bản được trích dẫn; màu cho biết quan hệ."
        )
        with gr.Row():
            view = gr.Radio(list(VIEWS), value=next(iter(VIEWS)), label="Phạm vi", scale=3)
            node = gr.Dropdown(
                choices=[], value=None, label="Văn bản", scale=2, elem_id="tracuu-graph-node"
            )
        with gr.Accordion("Lọc và gom nhóm (cho sơ đồ nhiều văn bản)", open=False), gr.Row():
            cluster = gr.Radio(list(CLUSTERS), value=next(iter(CLUSTERS)), label="Gom nhóm")
            tier = gr.Dropdown([ALL, *TIER_NAMES], value=ALL, label="Chỉ cấp")
            province = gr.Dropdown([ALL], value=ALL, label="Chỉ tỉnh")
            hide = gr.Checkbox(label="Ẩn văn bản chỉ được nhắc đến", value=False)
        picture = links.html(elem_id="tracuu-graph")
        detail = links.html(elem_id="tracuu-graph-detail")
    controls = [view, node, cluster, hide, tier, province]
    for control in controls:
        control.change(  # type: ignore[attr-defined]
            render, controls, [picture, detail], api_visibility="private"
        )

    def opened(current: str | None) -> tuple[Any, Any]:
        names, provinces = choices()
        value = current
        if not current:
            try:
                value = chain_root(load()[0])
            except IndexError_:
                value = None
        return gr.Dropdown(choices=names, value=value), gr.Dropdown(choices=provinces)

    # Drawn when the tab opens (the search page loads without building the graph); the
    # lists are read then too, so an upload shows up.
    tab.select(opened, node, [node, province], api_visibility="private").then(
        render, controls, [picture, detail], api_visibility="private"
    )
    return GraphTab(node, province, picture, choices)


def main(argv: list[str] | None = None) -> int:
    """Draws the citation graph of a corpus folder to an SVG file (no index needed)."""
    from ingest.metadata import load_manifest
    from ingest.pipeline import parse_file

    ap = argparse.ArgumentParser(description=main.__doc__)
    ap.add_argument("corpus", nargs="?", default="corpus")
    ap.add_argument("--out", default="citation-graph.svg")
    ap.add_argument("--view", default="main", choices=["chain", "main", "all"])
    ap.add_argument("--cluster", default="", choices=["", "level", "province"])
    args = ap.parse_args(argv)
    folder = Path(args.corpus)
    manifest = load_manifest(folder)
    docs = [parse_file(p, Path.cwd(), manifest) for p in sorted(folder.glob("*.txt"))]
    graph = CitationGraph.from_parsed(docs)
    facts = node_facts(graph)
    ids = view_ids(graph, args.view)
    Path(args.out).write_text(graph_svg(graph, ids, None, facts, args.cluster), encoding="utf-8")
    print(f"{args.out}: {len(ids)} documents", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
