"""The citation graph drawn: which documents a view shows, how Graphviz lays them out
(ranks by level, clusters, colours by relation) and the SVG it draws; the legend.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape
from typing import Any

import graphviz

from answers.graph import RELATION_LABELS, CitationGraph, Node
from index.levels import CENTRAL, COMMUNE, DISTRICT, PROVINCE, level_of
from ui.render import open_href

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


_NODE_G = re.compile(r'<g id="(n\d+)" class="node">')


def shorten(text: str | None, n: int) -> str:
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
            out[-1] = shorten(out[-1] + " " + word, width)
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
