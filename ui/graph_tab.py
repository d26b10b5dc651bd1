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
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

import graphviz

from answers.graph import RELATION_LABELS, CitationGraph, Node, graph_for, passages
from index.errors import IndexError_
from index.levels import CENTRAL, COMMUNE, DISTRICT, PROVINCE, level_of
from index.search import SearchIndex
from ui.render import ALL, error_html, open_href, open_link

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
    "Chuỗi thực hiện": "chain",
    "Văn bản đang chọn và lân cận": "focus",
    "Văn bản chính": "main",
    "Toàn bộ": "all",
}
CLUSTERS = {"Không gom nhóm": "", "Gom theo cấp ban hành": "level", "Gom theo tỉnh": "province"}
FONT = "DejaVu Sans"
# A small view reads top-down (the directive above what carries it out); a larger one
# left to right, so the many documents of one level stack in a column that scrolls down
# instead of a row thousands of pixels wide.
TOP_DOWN_MAX = 20
# Ranks from the top: party directives and conclusions of the centre, other central
# acts (decisions, circulars), then the provinces, districts and communes.
TIER_NAMES = ("Trung ương: chỉ thị, kết luận", "Trung ương: quyết định", "Tỉnh", "Huyện", "Xã")
PARTY_TYPES = ("chỉ thị", "kết luận", "nghị quyết")
LEVEL_TIERS = {PROVINCE: 2, DISTRICT: 3, COMMUNE: 4}
NO_PROVINCE = "(không rõ tỉnh)"


def _short(text: str | None, n: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


@dataclass(frozen=True)
class NodeFacts:
    """What the picture says about a node beyond the graph: level, province, title."""

    tier: int | None
    province: str | None
    title: str | None


def node_facts(
    graph: CitationGraph,
    docs: Iterable[dict[str, Any]] = (),
    read: Callable[[str, set[str]], str] | None = None,
) -> dict[str, NodeFacts]:
    """Returns each node's rank tier, province and display title.

    Args:
        graph: the citation graph.
        docs: the corpus documents (``store.documents()``), for province and number.
        read: ``read(title, doc_ids)`` returns a title's reading (accents restored)
            when one of the documents it comes from (the node's own, or those that
            mention it) is OCR'd with garbled accents, else the title.
    """
    by_doc = {d["doc_id"]: d for d in docs}
    out = {}
    for n in graph.nodes.values():
        d = by_doc.get(n.doc_id or "") if n.in_corpus else None
        number = (d or {}).get("number") or n.id
        level = level_of(number, n.issuer)
        kind = (n.type or "").lower()
        tier: int | None
        if level == CENTRAL:
            tier = 0 if kind in PARTY_TYPES else 1
        else:
            tier = LEVEL_TIERS.get(level or "")
        title = n.title
        if title and read is not None:
            if n.in_corpus and n.doc_id:
                sources = {n.doc_id}
            else:
                sources = {m.doc_id for e in graph.cited_by(n.id) for m in e.mentions}
            title = read(title, sources)
        out[n.id] = NodeFacts(tier, (d or {}).get("province") or None, title)
    return out


def chain_root(graph: CitationGraph) -> str | None:
    """Returns the node that most documents carry out, transitively (the chain's top)."""
    best = max(
        graph.nodes.values(),
        key=lambda n: (len(graph.chain(n.id)), n.mentions, n.id),
        default=None,
    )
    return best.id if best is not None else None


def mentions_only(graph: CitationGraph, node_id: str) -> bool:
    """Tells whether an outside node is only mentioned (no typed relation touches it)."""
    node = graph.nodes[node_id]
    if node.in_corpus:
        return False
    return all(e.relation == "mentions" for e in (*graph.cites(node_id), *graph.cited_by(node_id)))


def view_ids(
    graph: CitationGraph,
    view: str,
    focus: str | None = None,
    hide_mentions: bool = False,
    facts: dict[str, NodeFacts] | None = None,
    tier: int | None = None,
    province: str | None = None,
) -> set[str]:
    """Returns the node ids a view shows.

    Args:
        graph: the citation graph.
        view: "chain", "main", "focus" or "all".
        focus: the selected node ("focus"; "chain" starts from it when it has a chain).
        hide_mentions: leave out outside documents that are only mentioned.
        facts: node facts (:func:`node_facts`), needed by ``tier`` and ``province``.
        tier: keep only nodes of this rank tier (and the selected node).
        province: keep only corpus nodes of this province (and what they touch).
    """
    if view == "all":
        ids = set(graph.nodes)
    elif view == "focus" and focus in graph.nodes:
        ids = {focus}
        ids |= {e.target for e in graph.cites(focus)} | {e.source for e in graph.cited_by(focus)}
    elif view == "main":
        ids = {n.id for n in graph.nodes.values() if n.in_corpus or n.mentions >= 3}
        ids |= {s for (s, t), e in graph.edges.items() if e.relation != "mentions"}
        ids |= {t for (s, t), e in graph.edges.items() if e.relation != "mentions"}
    else:
        root = focus if focus in graph.nodes and graph.chain(focus) else chain_root(graph)
        if root is None:
            return set()
        ids = {root} | {link.id for link in graph.chain(root)}
    if hide_mentions:
        ids = {i for i in ids if i == focus or not mentions_only(graph, i)}
    if facts is not None and province:
        keep = {i for i in ids if facts[i].province == province}
        near = {t for (s, t) in graph.edges if s in keep} | {
            s for (s, t) in graph.edges if t in keep
        }
        ids = keep | (near & ids)
    if facts is not None and tier is not None:
        ids = {i for i in ids if i == focus or facts[i].tier == tier}
    return ids


def _wrap(text: str, width: int = 26, lines: int = 2) -> str:
    """Breaks a title into at most ``lines`` lines of about ``width`` characters."""
    out: list[str] = []
    for word in " ".join(text.split()).split(" "):
        if out and len(out[-1]) + 1 + len(word) <= width:
            out[-1] += " " + word
        elif len(out) < lines:
            out.append(word)
        else:
            out[-1] = _short(out[-1] + " " + word, width)
            break
    return "\n".join(out)


def _node_label(n: Node, facts: NodeFacts | None) -> str:
    """Number (with the type) on the first line, a short title below."""
    title = (facts.title if facts is not None else n.title) or ""
    if n.in_corpus and n.doc_id == n.id:  # no number: the title is the name
        return _wrap(f"{n.type or ''} {title}".strip() or n.id, 26, 3)
    head = " ".join(x for x in ((n.type or ""), n.id) if x)
    return head + (f"\n{_wrap(title)}" if title and title not in head else "")


def graph_dot(
    graph: CitationGraph,
    ids: set[str],
    focus: str | None = None,
    facts: dict[str, NodeFacts] | None = None,
    cluster: str = "",
) -> tuple[graphviz.Digraph, list[str]]:
    """Describes the nodes ``ids`` and the edges among them for Graphviz.

    Args:
        graph: the citation graph.
        ids: the nodes to draw.
        focus: a node to outline.
        facts: node facts (:func:`node_facts`); ranks and clusters need them.
        cluster: "" (ranks by level), "level" (a box per level) or "province".

    Returns:
        The graph and the node ids in the order Graphviz numbers them (``n0``, ``n1``…).
    """
    nodes, edges = graph.subgraph(ids)
    facts = facts or {}
    dot = graphviz.Digraph("citations", format="svg")
    rankdir = "TB" if len(nodes) <= TOP_DOWN_MAX else "LR"
    dot.attr(rankdir=rankdir, nodesep="0.18", ranksep="0.7", fontname=FONT, bgcolor="transparent")
    dot.attr("node", shape="box", style="rounded,filled", fontname=FONT, fontsize="13",
             margin="0.12,0.06")  # fmt: skip
    dot.attr("edge", fontname=FONT, fontsize="11", arrowsize="0.7")
    order = [n.id for n in nodes]
    key = {nid: f"n{i}" for i, nid in enumerate(order)}

    def add(g: graphviz.Digraph, n: Node) -> None:
        fill, line, style = (
            ("#dbeafe", "#1d4ed8", "rounded,filled")
            if n.in_corpus
            else ("#ffffff", "#6b7280", "rounded,filled,dashed")
        )
        f = facts.get(n.id)
        tip = "\n".join(x for x in (n.label, f.title if f else n.title, ", ".join(n.dates)) if x)
        attrs = {
            "label": _node_label(n, f),
            "fillcolor": fill,
            "color": line,
            "style": style,
            "penwidth": "3" if n.id == focus else "1.2",
            "tooltip": tip,
            "id": key[n.id],
        }
        if n.in_corpus and n.doc_id:
            attrs |= {"href": open_href(n.doc_id), "target": "_top"}
        g.node(key[n.id], **attrs)

    groups: dict[str, list[Node]] = {}
    for n in nodes:
        f = facts.get(n.id)
        if cluster == "province":
            name = (f.province if f else None) or (NO_PROVINCE if n.in_corpus else "")
        else:
            tier = f.tier if f else None
            name = TIER_NAMES[tier] if tier is not None else ""
        groups.setdefault(name, []).append(n)
    for i, (name, members) in enumerate(sorted(groups.items())):
        if not name:
            for n in members:
                add(dot, n)
            continue
        boxed = bool(cluster)
        with dot.subgraph(name=f"cluster_{i}" if boxed else f"rank_{i}") as sub:
            if boxed:
                sub.attr(label=name, style="rounded,dashed", color="#9ca3af", fontname=FONT,
                         fontsize="12", fontcolor="#374151")  # fmt: skip
            elif cluster == "":
                sub.attr(rank="same")
            for n in members:
                add(sub, n)
    for e in sorted(edges, key=lambda e: (e.source, e.target)):
        color = COLORS.get(e.relation, "#9ca3af")
        label = RELATION_LABELS.get(e.relation, e.relation)
        src, dst = graph.nodes[e.source].label, graph.nodes[e.target].label
        dot.edge(
            key[e.target],
            key[e.source],
            dir="back",  # drawn cited → citing so the cited stands first, arrow at the cited
            color=color,
            penwidth=f"{1.2 + min(e.count, 10) * 0.2:.1f}",
            style="dashed" if e.relation == "mentions" else "solid",
            label="" if e.relation == "mentions" or len(edges) > 40 else label,
            fontcolor=color,
            tooltip=f"{src} → {dst}: {label} ({e.count} lần)",
        )
    return dot, order


_NODE_G = re.compile(r'<g id="(n\d+)" class="node">')


def graph_svg(
    graph: CitationGraph,
    ids: set[str],
    focus: str | None = None,
    facts: dict[str, NodeFacts] | None = None,
    cluster: str = "",
) -> str:
    """Draws the nodes ``ids`` and the edges among them as SVG (Graphviz ``dot``).

    Each node's ``<g>`` carries ``data-id`` (the node id) and class ``tracuu-gnode``;
    a corpus document's node is a link that opens it in the viewer.
    """
    if not ids:
        return '<div class="tracuu-empty">Chưa có văn bản nào trong sơ đồ.</div>'
    dot, order = graph_dot(graph, ids, focus, facts, cluster)
    svg = dot.pipe(format="svg", encoding="utf-8")
    svg = svg[svg.index("<svg") :].strip()

    def tag(m: re.Match[str]) -> str:
        nid = order[int(m.group(1)[1:])]
        outside = "" if graph.nodes[nid].in_corpus else " tracuu-outside"
        return f'<g id="{m.group(1)}" class="node tracuu-gnode{outside}" data-id="{escape(nid)}">'

    # sizes in CSS pixels rather than points: 13 px text, a third narrower picture
    svg = re.sub(r'(width|height)="([\d.]+)pt"', r'\1="\2"', svg, count=2)
    return _NODE_G.sub(tag, svg)


def legend_html() -> str:
    """The colours and boxes of the picture, in words."""
    items = [
        '<span class="tracuu-key"><span class="tracuu-box"></span>trong kho văn bản (bấm để '
        "mở)</span>",
        '<span class="tracuu-key"><span class="tracuu-box tracuu-box-out"></span>được nhắc '
        "đến</span>",
    ]
    for rel, color in COLORS.items():
        items.append(
            f'<span class="tracuu-key"><span class="tracuu-line" style="border-color:{color}">'
            f'</span><span style="color:{color}">{escape(RELATION_LABELS[rel])}</span></span>'
        )
    return f'<div class="tracuu-legend">{"".join(items)}</div>'


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
