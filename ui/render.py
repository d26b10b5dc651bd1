"""HTML for search results (escaped; highlights as <mark>)."""

from __future__ import annotations

from html import escape

from index.models import Hit, SearchResult


def marked(text: str, spans: list[tuple[int, int]]) -> str:
    """Returns ``text`` escaped, with each span wrapped in <mark>."""
    out, pos = [], 0
    for a, b in sorted(spans):
        if a < pos:
            continue
        out.append(escape(text[pos:a]))
        out.append(f"<mark>{escape(text[a:b])}</mark>")
        pos = b
    out.append(escape(text[pos:]))
    return "".join(out).replace("\n\n", "<br><br>").replace("\n", "<br>")


def hit_html(hit: Hit) -> str:
    """Renders one hit: number and title, section, source span, passage."""
    title = escape(hit.doc_title or hit.doc_id)
    number = escape(hit.doc_number or "")
    section = escape(hit.section) if hit.section else "(phần mở đầu)"
    where = f"{escape(hit.source)} · ký tự {hit.char_start}–{hit.char_end}"
    if hit.page is not None:
        where += f" · trang {hit.page}"
    return (
        f'<div class="tracuu-hit" data-passage-id="{escape(hit.passage_id)}">'
        f'<div class="tracuu-doc"><b>{hit.rank}. {number}</b> {title}</div>'
        f'<div class="tracuu-section">Mục: {section}</div>'
        f'<div class="tracuu-source">Nguồn: {where} · điểm {hit.score:.3f}</div>'
        f'<div class="tracuu-text">{marked(hit.text, hit.highlights)}</div></div>'
    )


def results_html(result: SearchResult) -> str:
    """Renders a result list, or a helpful message when there is nothing."""
    if not result.hits:
        return (
            '<div class="tracuu-empty">Không tìm thấy đoạn văn nào phù hợp. '
            "Hãy thử từ khóa khác.</div>"
        )
    head = (
        f'<div class="tracuu-summary">{len(result.hits)} kết quả cho '
        f"«{escape(result.query)}» ({result.took_ms:.0f} ms)</div>"
    )
    return head + "".join(hit_html(h) for h in result.hits)


CSS = """
.tracuu-hit {border:1px solid #ddd;border-radius:8px;padding:10px 12px;margin:8px 0;}
.tracuu-doc {font-size:1.05em;margin-bottom:2px;}
.tracuu-section, .tracuu-source {color:#555;font-size:.9em;}
.tracuu-text {margin-top:6px;line-height:1.5;}
.tracuu-text mark {background:#ffe58a;padding:0 1px;}
.tracuu-empty, .tracuu-error {padding:12px;color:#8a4b00;}
"""
