"""The document viewer: metadata, section outline, the text with a span highlighted, references.

The viewer shows the text a document's offsets index (the raw file for a text
source, the extracted text for a PDF or Word file), so a citation's
``[char_start, char_end)`` is highlighted exactly: the highlighted text *is* the
quote. Section headings in the outline jump to their raw offsets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from answers.graph import RELATION_LABELS, CitationGraph, Edge, graph_for
from index.errors import NotFound
from index.search import SearchIndex
from index.spans import RawSources
from ui.render import RESTORED_LABEL, message_html, open_link

FOCUS_ID = "tracuu-focus"


@dataclass(frozen=True)
class Target:
    """What the viewer should show: a document, optionally a span of it."""

    doc_id: str
    start: int | None = None
    end: int | None = None

    @classmethod
    def parse(cls, data: dict[str, Any] | None) -> Target | None:
        """Builds a target from link data or query parameters; ``None`` when unusable."""
        if not data or not str(data.get("doc") or "").strip():
            return None
        try:
            start = int(data["start"]) if data.get("start") not in (None, "") else None
            end = int(data["end"]) if data.get("end") not in (None, "") else None
        except (TypeError, ValueError):
            start = end = None
        if start is None or end is None or not 0 <= start < end:
            start = end = None
        return cls(str(data["doc"]).strip(), start, end)


def date_vi(iso: str | None) -> str:
    """Formats an ISO date as d/m/yyyy ("" when unknown)."""
    if not iso:
        return ""
    try:
        y, m, d = iso.split("-")
        return f"{int(d)}/{int(m)}/{y}"
    except ValueError:
        return iso


def section_span(sec: dict[str, Any]) -> tuple[int, int]:
    """Returns a section's raw ``[start, end)`` (outline entries of ``ingest.models.Section``)."""
    return int(sec.get("char_start") or 0), int(sec.get("char_end") or 0)


def text_html(raw: str, outline: list[dict[str, Any]], span: tuple[int, int] | None) -> str:
    """Returns the raw text escaped, with section anchors and the span in <mark>.

    Args:
        raw: the text the offsets index.
        outline: sections with raw ``char_start`` offsets (anchors ``tracuu-sec-<i>``).
        span: the raw span to highlight, or ``None``.
    """
    # (position, order, html): at one position a closing </mark> comes first, then
    # section anchors, then an opening <mark>.
    events: list[tuple[int, int, str]] = []
    for i, sec in enumerate(outline):
        at = section_span(sec)[0]
        if 0 <= at <= len(raw):
            events.append((at, 1, f'<span class="tracuu-anchor" id="tracuu-sec-{i}"></span>'))
    if span is not None:
        a, b = span
        events.append((a, 2, f'<mark class="tracuu-focus" id="{FOCUS_ID}">'))
        events.append((b, 0, "</mark>"))
    events.sort(key=lambda e: (e[0], e[1]))
    out, pos = [], 0
    for at, _, html in events:
        out.append(_esc(raw[pos:at]))
        out.append(html)
        pos = at
    out.append(_esc(raw[pos:]))
    return "".join(out)


def _esc(text: str) -> str:
    # A carriage return would be dropped by the HTML parser; keep it so the
    # highlighted text stays equal to the quote.
    return escape(text).replace("\r", "&#13;")


def outline_html(outline: list[dict[str, Any]], focus: int | None) -> str:
    """Renders the section outline as jump links, the section holding ``focus`` marked."""
    if not outline:
        return '<div class="tracuu-empty">Văn bản không có đề mục.</div>'
    current = None
    if focus is not None:
        for i, sec in enumerate(outline):
            a, b = section_span(sec)
            if a <= focus < b:
                current = i  # the deepest (last) section containing it wins
    items = []
    for i, sec in enumerate(outline):
        level = max(0, int(sec.get("level") or 0))
        cls = ' class="tracuu-current"' if i == current else ""
        items.append(
            f'<li style="padding-left:{level * 12}px"{cls}>'
            f'<a class="tracuu-jump" href="#tracuu-sec-{i}" data-target="tracuu-sec-{i}">'
            f"{escape(sec['heading'])}</a></li>"
        )
    return f'<ul class="tracuu-outline-list">{"".join(items)}</ul>'


def _ref_list(graph: CitationGraph, edges: list[Edge], other_end: str) -> str:
    if not edges:
        return '<div class="tracuu-empty">Không có.</div>'
    items = []
    for e in edges:
        other = graph.nodes[e.target if other_end == "target" else e.source]
        rel = escape(RELATION_LABELS.get(e.relation, e.relation))
        name = escape(other.label)
        if other.in_corpus and other.doc_id:
            name = open_link(other.doc_id, label=other.label)
        places = " ".join(
            open_link(m.doc_id, m.char_start, m.char_end, f"[{k}]")
            for k, m in enumerate(e.mentions[:10], start=1)
        )
        more = f" … (+{len(e.mentions) - 10})" if len(e.mentions) > 10 else ""
        where = "" if other.in_corpus else ' <small class="tracuu-outside">(ngoài kho)</small>'
        items.append(
            f'<li><span class="tracuu-rel">{rel}</span> {name}{where}'
            f"<br><small>Chỗ nhắc đến: {places}{more}</small></li>"
        )
    return f'<ul class="tracuu-refs">{"".join(items)}</ul>'


def references_html(graph: CitationGraph, doc_id: str) -> str:
    """Renders a corpus document's cites and cited-by, each mention a link to its span."""
    try:
        node = graph.node_of_doc(doc_id)
    except NotFound:
        return ""
    cites, cited_by = graph.cites(node), graph.cited_by(node)
    return (
        '<div class="tracuu-refbox">'
        f"<details open><summary>Văn bản này trích dẫn ({len(cites)})</summary>"
        f"{_ref_list(graph, cites, 'target')}</details>"
        f"<details open><summary>Được trích dẫn bởi ({len(cited_by)})</summary>"
        f"{_ref_list(graph, cited_by, 'source')}</details></div>"
    )


def document_html(
    doc: dict[str, Any],
    raw: str | None,
    span: tuple[int, int] | None,
    refs: str,
    read: Callable[[str], str] | None = None,
) -> str:
    """Renders the whole viewer for one document.

    Args:
        doc: the document row (``store.document``), with ``outline``.
        raw: the text its offsets index, or ``None`` when the file cannot be read.
        span: the span to highlight and scroll to.
        refs: the cites / cited-by HTML.
        read: for an OCR'd document with garbled accents, returns the reading of a
            text (accents restored): the cited span and the whole text get one. The
            text with the exact span stays what the viewer shows first — it is where a
            citation is checked — and the reading is one click away.
    """
    facts = [
        ("Số hiệu", doc.get("number")),
        ("Loại văn bản", doc.get("doc_type")),
        ("Cơ quan ban hành", doc.get("issuer")),
        ("Địa danh", doc.get("place")),
        ("Ngày", date_vi(doc.get("date"))),
        ("Số đoạn văn", doc.get("passages")),
        ("Tệp nguồn", doc.get("source")),
    ]
    dl = "".join(
        f"<div><dt>{escape(k)}</dt><dd>{escape(str(v))}</dd></div>"
        for k, v in facts
        if v not in (None, "")
    )
    title = escape(doc.get("title") or doc["doc_id"])
    head = f'<div class="tracuu-viewer-head"><h3>{title}</h3><dl class="tracuu-facts">{dl}</dl>'
    outline = doc.get("outline") or []
    if raw is None:
        body = message_html(
            f"Không đọc được tệp nguồn <code>{escape(doc.get('source') or '')}</code> (đã bị xóa "
            "hoặc đã thay đổi sau khi lập chỉ mục); hãy chạy lại <code>tracuu ingest</code>.",
            "error",
        )
        return head + "</div>" + body + refs
    if span is not None and not (0 <= span[0] < span[1] <= len(raw)):
        head += message_html("Vị trí trích dẫn nằm ngoài văn bản; hiển thị toàn văn.", "error")
        span = None
    if span is not None:
        quote = " ".join(raw[span[0] : span[1]].split())
        short = quote if len(quote) <= 160 else quote[:159] + "…"
        head += (
            f'<div class="tracuu-cited">Đoạn được trích (ký tự {span[0]}–{span[1]}, tô vàng '
            f'bên dưới): «{escape(short)}» <a class="tracuu-jump" href="#{FOCUS_ID}" '
            f'data-target="{FOCUS_ID}">Đến đoạn trích</a></div>'
        )
        if read is not None:
            head += (
                f'<div class="tracuu-cited tracuu-reading" data-restored="true">Bản đọc: '
                f"«{escape(' '.join(read(raw[span[0] : span[1]]).split()))}»"
                f'<div class="tracuu-restored-note">{RESTORED_LABEL}</div></div>'
            )
    if read is not None:
        head += (
            '<details class="tracuu-original"><summary>bản đọc / bản gốc: xem bản đọc toàn '
            f'văn (khôi phục dấu)</summary><div class="tracuu-doctext tracuu-read">'
            f"{_esc(read(raw))}</div></details>"
        )
    head += "</div>"
    focus = span[0] if span is not None else None
    nav = ""
    if outline:
        nav = (
            f'<nav class="tracuu-outline"><details open><summary>Mục lục ({len(outline)} mục)'
            f"</summary>{outline_html(outline, focus)}</details></nav>"
        )
    grid = "tracuu-viewer-grid" + ("" if outline else " tracuu-no-outline")
    return (
        head
        + f'<div class="{grid}">{nav}'
        + f'<div class="tracuu-doctext" tabindex="0">{text_html(raw, outline, span)}</div>'
        + "</div>"
        + refs
    )


class Viewer:
    """Reads documents, raw text and references from the open index for the viewer.

    Args:
        root: the directory ``source`` paths are relative to.
    """

    def __init__(self, root: Path | None) -> None:
        self.root = Path(root) if root is not None else Path.cwd()
        self._raw: tuple[str, RawSources] | None = None

    def _sources(self, index: SearchIndex) -> RawSources:
        key = str(index.store.index_dir)
        if self._raw is None or self._raw[0] != key:
            self._raw = (key, RawSources(self.root, index.store.index_dir))
        return self._raw[1]

    def render(self, index: SearchIndex, target: Target) -> str:
        """Returns the viewer HTML for a target.

        Raises:
            NotFound: no such document.
        """
        doc = index.store.document(target.doc_id)
        raw = self._sources(index).raw(doc["source"], doc["sha256"])
        span = None
        if target.start is not None and target.end is not None:
            span = (target.start, target.end)
        refs = references_html(graph_for(index.store), target.doc_id)
        garbled = index.readings.garbled(target.doc_id)
        return document_html(doc, raw, span, refs, index.readings.read if garbled else None)


def documents_html(docs: list[dict[str, Any]]) -> str:
    """Renders the document list as a table; each title opens the viewer."""
    if not docs:
        return ""
    rows = []
    for d in docs:
        title = open_link(d["doc_id"], label=d.get("title") or d["doc_id"])
        rows.append(
            "<tr>"
            f'<td data-label="Số hiệu">{escape(d.get("number") or "")}</td>'
            f'<td data-label="Trích yếu">{title}</td>'
            f'<td data-label="Loại">{escape(d.get("doc_type") or "")}</td>'
            f'<td data-label="Cơ quan ban hành">{escape(d.get("issuer") or "")}</td>'
            f'<td data-label="Ngày">{escape(date_vi(d.get("date")))}</td>'
            f'<td data-label="Số đoạn">{d.get("passages") or 0}</td>'
            "</tr>"
        )
    return (
        f'<div class="tracuu-summary">{len(docs)} văn bản trong kho. Chọn trích yếu để mở.</div>'
        '<table class="tracuu-doclist"><thead><tr><th>Số hiệu</th><th>Trích yếu</th>'
        "<th>Loại</th><th>Cơ quan ban hành</th><th>Ngày</th><th>Số đoạn</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
