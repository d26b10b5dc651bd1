"""The "Sơ đồ trích dẫn" tab: a citation graph drawn as inline SVG, and cites / cited-by lists.

The picture is generated here (no CDN; the machines are offline): documents in
columns, each one right of what it cites, so Chỉ thị 11 stands left, Kết luận 49 next
to it and the plans and reports that implement them further right. Corpus documents
are filled blue boxes, referenced ones dashed white boxes; edge colours give the
relation. ``python -m ui.graph_tab --out graph.svg`` draws the corpus to a file.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from html import escape
from pathlib import Path

from index.errors import IndexError_
from index.graph import RELATION_LABELS, CitationGraph, Edge, Node, graph_for, passages
from index.search import SearchIndex
from ui.render import open_link

COLORS = {
    "continues": "#7c3aed",
    "reviews": "#ea580c",
    "implements": "#15803d",
    "based_on": "#0e7490",
    "approves": "#a16207",
    "replaces": "#b91c1c",
    "guided_by": "#2563eb",
    "mentions": "#9ca3af",
}
VIEWS = {
    "Chuỗi thực hiện Chỉ thị 11-CT/TW": "chain",
    "Văn bản chính": "main",
    "Văn bản đang chọn và lân cận": "focus",
    "Toàn bộ": "all",
}
ROOT_ID = "11-CT/TW"
_W, _H, _GAP_X, _GAP_Y, _PAD = 230, 50, 90, 14, 20


def _short(text: str | None, n: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def view_ids(graph: CitationGraph, view: str, focus: str | None = None) -> set[str]:
    """Returns the node ids a view shows.

    Args:
        graph: the citation graph.
        view: "chain", "main", "focus" or "all".
        focus: the selected node (for "focus"; "chain" starts from it when given).
    """
    if view == "all":
        return set(graph.nodes)
    if view == "focus" and focus in graph.nodes:
        ids = {focus}
        ids |= {e.target for e in graph.cites(focus)} | {e.source for e in graph.cited_by(focus)}
        return ids
    if view == "main":
        ids = {n.id for n in graph.nodes.values() if n.in_corpus or n.mentions >= 3}
        ids |= {s for (s, t), e in graph.edges.items() if e.relation != "mentions"}
        ids |= {t for (s, t), e in graph.edges.items() if e.relation != "mentions"}
        return ids
    root = ROOT_ID if ROOT_ID in graph.nodes else next(iter(graph.nodes), None)
    if root is None:
        return set()
    return {root} | {link.id for link in graph.chain(root)}


def _levels(ids: set[str], edges: list[Edge]) -> dict[str, int]:
    """Returns each node's column: 0 for what cites nothing shown, else 1 + its targets'."""
    out_edges: dict[str, list[str]] = {i: [] for i in ids}
    for e in edges:
        out_edges[e.source].append(e.target)
    level: dict[str, int] = {}

    def visit(n: str, stack: set[str]) -> int:
        if n in level:
            return level[n]
        if n in stack:  # a cycle: cut it here
            return 0
        stack.add(n)
        lv = 1 + max((visit(t, stack) for t in out_edges[n]), default=-1)
        stack.discard(n)
        level[n] = lv
        return lv

    for n in sorted(ids):
        visit(n, set())
    return level


def graph_svg(graph: CitationGraph, ids: set[str], focus: str | None = None) -> str:
    """Draws the nodes ``ids`` and the edges among them as an SVG document.

    Args:
        graph: the citation graph.
        ids: the nodes to draw.
        focus: a node to outline.

    Returns:
        ``<svg>…</svg>`` with labels, dates, relation colours and a legend.
    """
    nodes, edges = graph.subgraph(ids)
    if not nodes:
        return '<div class="tracuu-empty">Chưa có văn bản nào trong sơ đồ.</div>'
    level = _levels(ids, edges)
    columns: dict[int, list[Node]] = {}
    for n in nodes:
        columns.setdefault(level[n.id], []).append(n)
    for col in columns.values():
        col.sort(key=lambda n: (not n.in_corpus, -n.mentions, n.id))
    # Order each column by where its targets sit (barycentre), left to right.
    pos: dict[str, int] = {}
    for c in sorted(columns):
        col = columns[c]
        if c:
            targets = {n.id: [pos[e.target] for e in edges if e.source == n.id] for n in col}
            col.sort(
                key=lambda n: sum(targets[n.id]) / len(targets[n.id]) if targets[n.id] else 1e9
            )
        pos |= {n.id: i for i, n in enumerate(col)}
    xy = {
        n.id: (_PAD + c * (_W + _GAP_X), _PAD + 40 + i * (_H + _GAP_Y))
        for c, col in columns.items()
        for i, n in enumerate(col)
    }
    width = _PAD * 2 + len(columns) * (_W + _GAP_X) - _GAP_X
    height = _PAD * 2 + 40 + max(len(col) for col in columns.values()) * (_H + _GAP_Y) + 30
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12" '
        'role="img" aria-label="Sơ đồ trích dẫn giữa các văn bản">',
        "<defs>",
    ]
    for rel, color in COLORS.items():
        out.append(
            f'<marker id="arrow-{rel}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
            f'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{color}"/></marker>'
        )
    out.append("</defs>")
    out.append(_legend())
    for e in sorted(edges, key=lambda e: e.relation != "mentions", reverse=False):
        (sx, sy), (tx, ty) = xy[e.source], xy[e.target]
        x1, y1 = sx, sy + _H / 2
        x2, y2 = tx + _W, ty + _H / 2
        if x1 <= x2:  # same column or backwards: go round the right side
            x1, x2 = sx + _W, tx + _W
        mid = (x1 + x2) / 2
        color = COLORS.get(e.relation, "#9ca3af")
        width_px = 1.2 + min(e.count, 10) * 0.25
        label = RELATION_LABELS.get(e.relation, e.relation)
        dash = ' stroke-dasharray="4 3"' if e.relation == "mentions" else ""
        out.append(
            f'<path d="M{x1},{y1} C{mid},{y1} {mid},{y2} {x2},{y2}" fill="none" '
            f'stroke="{color}" stroke-width="{width_px:.1f}"{dash} '
            f'marker-end="url(#arrow-{e.relation})"><title>'
            f"{escape(graph.nodes[e.source].label)} → {escape(graph.nodes[e.target].label)}: "
            f"{escape(label)} ({e.count} lần)</title></path>"
        )
        if e.relation != "mentions" and 0 < x1 - x2 <= _GAP_X:  # label short edges only
            out.append(
                f'<text x="{mid:.0f}" y="{(y1 + y2) / 2 - 3:.0f}" text-anchor="middle" '
                f'font-size="10" fill="{color}">{escape(label)}</text>'
            )
    for n in nodes:
        x, y = xy[n.id]
        fill, stroke, dash = (
            ("#dbeafe", "#1d4ed8", "") if n.in_corpus else ("#ffffff", "#6b7280", "4 3")
        )
        ring = 3 if n.id == focus else 1.2
        line1 = _short(n.label, 34)
        when = ", ".join(_date_vi(d) for d in n.dates[:2]) or "không rõ ngày"
        line2 = _short(f"{when} · {n.title or n.issuer or ''}".rstrip(" ·"), 38)
        tip = f"{n.label}\n{n.title or ''}\n{', '.join(n.dates)}"
        out.append(
            f'<g data-id="{escape(n.id)}"><title>{escape(tip)}</title>'
            f'<rect x="{x}" y="{y}" width="{_W}" height="{_H}" rx="7" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="{ring}"'
            + (f' stroke-dasharray="{dash}"' if dash else "")
            + "/>"
            f'<text x="{x + 8}" y="{y + 19}" font-weight="bold" fill="#111827">'
            f"{escape(line1)}</text>"
            f'<text x="{x + 8}" y="{y + 37}" fill="#4b5563" font-size="11">'
            f"{escape(line2)}</text></g>"
        )
    out.append("</svg>")
    return "".join(out)


def _date_vi(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{int(d)}/{int(m)}/{y}"


def _legend() -> str:
    parts = ['<g font-size="11">']
    x = _PAD
    parts.append(
        f'<rect x="{x}" y="8" width="14" height="12" fill="#dbeafe" stroke="#1d4ed8"/>'
        f'<text x="{x + 18}" y="18">trong kho văn bản</text>'
    )
    x += 125
    parts.append(
        f'<rect x="{x}" y="8" width="14" height="12" fill="#fff" stroke="#6b7280" '
        f'stroke-dasharray="3 2"/><text x="{x + 18}" y="18">được nhắc đến</text>'
    )
    x += 115
    for rel, color in COLORS.items():
        label = RELATION_LABELS[rel]
        parts.append(
            f'<line x1="{x}" y1="14" x2="{x + 22}" y2="14" stroke="{color}" stroke-width="2"/>'
            f'<text x="{x + 26}" y="18" fill="{color}">{escape(label)}</text>'
        )
        x += 40 + 7 * len(label)
    parts.append("</g>")
    return "".join(parts)


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
                f"<b>{escape(other.label)}</b> — {escape(_short(other.title, 90))} "
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


CSS = """
.tracuu-graph {overflow:auto;max-height:720px;border:1px solid #ddd;border-radius:8px;
  background:#fafafa;padding:6px;}
.tracuu-ref summary {cursor:pointer;margin:4px 0;}
.tracuu-ref ul {margin:4px 0 8px 18px;}
.tracuu-node {border:1px solid #ddd;border-radius:8px;padding:8px 12px;margin:6px 0;}
"""


def add_graph_tab(get_index: Callable[[], SearchIndex]) -> None:
    """Adds the "Sơ đồ trích dẫn" tab; call inside a ``gr.Blocks`` context.

    Args:
        get_index: returns the open index.
    """
    import gradio as gr

    def load() -> CitationGraph:
        return graph_for(get_index().store)

    def choices() -> list[tuple[str, str]]:
        try:
            graph = load()
        except IndexError_:
            return []
        nodes = sorted(graph.nodes.values(), key=lambda n: (not n.in_corpus, -n.mentions, n.id))
        return [(f"{n.label} [{n.id}]" if n.id not in n.label else n.label, n.id) for n in nodes]

    def render(view_label: str, focus: str | None) -> tuple[str, str]:
        try:
            graph = load()
        except IndexError_ as exc:
            msg = f'<div class="tracuu-error">{escape(str(exc))}</div>'
            return msg, ""
        view = VIEWS.get(view_label, "chain")
        focus = focus if focus in graph.nodes else (ROOT_ID if ROOT_ID in graph.nodes else None)
        ids = view_ids(graph, view, focus)
        svg = f'<div class="tracuu-graph">{graph_svg(graph, ids, focus)}</div>'
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
        gr.HTML(f"<style>{CSS}</style>")
        gr.Markdown(
            "Văn bản nào thực hiện, tổng kết hay tiếp tục văn bản nào. Ô xanh: văn bản trong "
            "kho; ô nét đứt: văn bản được nhắc đến. Mũi tên đi từ văn bản trích dẫn tới văn "
            "bản được trích dẫn; màu cho biết quan hệ."
        )
        with gr.Row():
            view = gr.Radio(list(VIEWS), value=next(iter(VIEWS)), label="Phạm vi", scale=3)
            node = gr.Dropdown(
                choices=choices(), value=ROOT_ID, label="Văn bản", scale=2, allow_custom_value=True
            )
        picture = gr.HTML(elem_id="tracuu-graph")
        detail = gr.HTML(elem_id="tracuu-graph-detail")
        for control in (view, node):
            control.change(render, [view, node], [picture, detail], api_visibility="private")
        # Drawn when the tab opens, so the search page loads without building the graph.
        tab.select(render, [view, node], [picture, detail], api_visibility="private")


def main(argv: list[str] | None = None) -> int:
    """Draws the citation graph of a corpus folder to an SVG file (no index needed)."""
    from ingest.metadata import load_manifest
    from ingest.pipeline import parse_file

    ap = argparse.ArgumentParser(description=main.__doc__)
    ap.add_argument("corpus", nargs="?", default="corpus")
    ap.add_argument("--out", default="citation-graph.svg")
    ap.add_argument("--view", default="main", choices=["chain", "main", "all"])
    args = ap.parse_args(argv)
    folder = Path(args.corpus)
    manifest = load_manifest(folder)
    docs = [parse_file(p, Path.cwd(), manifest) for p in sorted(folder.glob("*.txt"))]
    graph = CitationGraph.from_parsed(docs)
    svg = graph_svg(graph, view_ids(graph, args.view), ROOT_ID)
    Path(args.out).write_text(svg, encoding="utf-8")
    print(f"{args.out}: {len(view_ids(graph, args.view))} documents", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
