"""HTML for search results, links into the document viewer and messages (all escaped)."""

from __future__ import annotations

from html import escape
from urllib.parse import urlencode

from index.models import Context, Hit, PhraseHit, SearchResult, SimilarHit
from index.search import highlights

ALL = "Tất cả"
EMPTY_INDEX = (
    "Chưa có văn bản nào trong chỉ mục. Hãy đặt các tệp văn bản (.txt, .pdf, .docx, .html) "
    "vào thư mục <code>corpus/</code> rồi chạy <code>tracuu ingest corpus/</code>, hoặc khởi "
    "động lại <code>tracuu serve</code> (lệnh này tự lập chỉ mục từ <code>corpus/</code> khi "
    "chưa có). Sau đó tải lại trang này."
)


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


RESTORED_LABEL = "Bản đọc do máy khôi phục dấu từ bản quét (OCR)"


def reading_html(reading_body: str, original_body: str, pre: bool = False) -> str:
    """Shows a machine-restored reading by default, the original text one click away.

    Both arguments are HTML (callers escape them). The toggle is a ``<details>``, so it
    works without scripts and a screen reader announces it.
    """
    tag = "pre" if pre else "div"
    return (
        '<div class="tracuu-reading" data-restored="true">'
        f'<{tag} class="tracuu-read">{reading_body}</{tag}>'
        f'<div class="tracuu-restored-note">{RESTORED_LABEL}</div>'
        '<details class="tracuu-original"><summary>bản đọc / bản gốc: xem bản gốc</summary>'
        f'<{tag} class="tracuu-raw">{original_body}</{tag}></details></div>'
    )


def open_href(doc_id: str, start: int | None = None, end: int | None = None) -> str:
    """Returns the address that opens the viewer on a document (at a span, when given)."""
    params: dict[str, str | int] = {"doc": doc_id}
    if start is not None and end is not None:
        params |= {"start": start, "end": end}
    return "?" + urlencode(params)


def open_link(
    doc_id: str, start: int | None = None, end: int | None = None, label: str = "Mở văn bản"
) -> str:
    """Returns a link that opens the document viewer, at ``[start, end)`` when given.

    A click is caught by the page's router (ui/app.py) and opens the "Văn bản" tab in
    place; the ``href`` also works on its own (new tab, shared address).
    """
    data = f' data-doc="{escape(doc_id)}"'
    if start is not None and end is not None:
        data += f' data-start="{start}" data-end="{end}"'
    return (
        f'<a class="tracuu-open" href="{escape(open_href(doc_id, start, end))}"{data}>'
        f"{escape(label)}</a>"
    )


def _where(source: str, start: int, end: int, page: int | None) -> str:
    where = f"{escape(source)} · ký tự {start}–{end}"
    return where + (f" · trang {page}" if page is not None else "")


def _hit_body(hit: Hit, query: str | None) -> str:
    """The passage: its reading (OCR'd sources) with the original one click away, or the text.

    The reading gets its own highlights of the query's words (accents restored, an
    accented query finds its words there); without the query, the text's highlights
    are used when the reading has the text's length.
    """
    if hit.reading is None:
        return marked(hit.text, hit.highlights)
    if query is not None:
        spans = highlights(hit.reading, query)
    else:
        spans = hit.highlights if len(hit.reading) == len(hit.text) else []
    return reading_html(marked(hit.reading, spans), marked(hit.text, hit.highlights))


def hit_html(hit: Hit, query: str | None = None) -> str:
    """Renders one hit: number and title, section, passage, and a link to the viewer."""
    title = escape(hit.doc_title or hit.doc_id)
    number = escape(hit.doc_number or "")
    section = escape(hit.section) if hit.section else "(phần mở đầu)"
    link = open_link(hit.doc_id, hit.char_start, hit.char_end, "Mở văn bản tại đoạn này")
    return (
        f'<div class="tracuu-hit" data-passage-id="{escape(hit.passage_id)}">'
        f'<div class="tracuu-doc"><b>{hit.rank}. {number}</b> {title}</div>'
        f'<div class="tracuu-section">Mục: {section}</div>'
        f'<div class="tracuu-text">{_hit_body(hit, query)}</div>'
        f'<div class="tracuu-source">{link} · Nguồn: '
        f"{_where(hit.source, hit.char_start, hit.char_end, hit.page)}</div></div>"
    )


def results_html(result: SearchResult) -> str:
    """Renders a result list, or a helpful message when there is nothing."""
    if not result.hits:
        return (
            '<div class="tracuu-empty">Không tìm thấy đoạn văn nào phù hợp. '
            "Hãy thử từ khóa khác hoặc bỏ bớt bộ lọc.</div>"
        )
    head = (
        f'<div class="tracuu-summary">{len(result.hits)} kết quả cho '
        f"«{escape(result.query)}» ({result.took_ms:.0f} ms)</div>"
    )
    return head + "".join(hit_html(h, result.query) for h in result.hits)


def phrase_hit_html(rank: int, hit: PhraseHit) -> str:
    """Renders a passage found by phrase or similar wording, linked at its first match."""
    title = escape(hit.doc_title or hit.doc_id)
    number = escape(hit.doc_number or "")
    section = escape(hit.section) if hit.section else "(phần mở đầu)"
    first = hit.matches[0] if hit.matches else None
    if first is not None:
        link = open_link(hit.doc_id, first.char_start, first.char_end, "Mở văn bản tại chỗ này")
        spans = ", ".join(f"{m.char_start}–{m.char_end}" for m in hit.matches[:6])
    else:
        link = open_link(hit.doc_id, hit.char_start, hit.char_end, "Mở văn bản tại đoạn này")
        spans = f"{hit.char_start}–{hit.char_end}"
    return (
        f'<div class="tracuu-hit" data-passage-id="{escape(hit.passage_id)}">'
        f'<div class="tracuu-doc"><b>{rank}. {number}</b> {title}</div>'
        f'<div class="tracuu-section">Mục: {section}</div>'
        f'<div class="tracuu-text">{marked(hit.text, hit.highlights)}</div>'
        f'<div class="tracuu-source">{link} · Nguồn: {escape(hit.source)} · ký tự {spans}'
        "</div></div>"
    )


def _context_html(ctx: Context | None, css: str) -> str:
    if ctx is None:
        return ""
    text = ctx.reading or ctx.text
    return f'<span class="{css}">{escape(text)}</span> '


def similar_hit_html(hit: SimilarHit) -> str:
    """Renders a sentence worded like the pasted text: its document, the sentence in its
    context with the shared wording marked, every document using the wording, links."""
    s = hit.sentence
    assert s is not None
    head = " · ".join(
        escape(x)
        for x in (
            hit.doc_number or "",
            hit.doc_type or "",
            hit.issuer or "",
            f"cấp {hit.issuer_level}" if hit.issuer_level else "",
            hit.date or "",
        )
        if x
    )
    title = escape(hit.doc_title or hit.doc_id)
    section = escape(hit.section) if hit.section else "(phần mở đầu)"
    link = open_link(hit.doc_id, s.char_start, s.char_end, "Mở văn bản tại câu này")
    reading = (
        f'<div class="tracuu-reading">Đọc (đã khôi phục dấu, văn bản OCR): '
        f"{escape(hit.reading)}</div>"
        if hit.reading
        else ""
    )
    uses = ""
    if len(hit.uses) > 1:
        items = "".join(
            f"<li>{escape(u.doc_number or u.doc_title or u.doc_id)}"
            f"{' · ' + escape(u.date) if u.date else ''} — "
            f"{open_link(u.doc_id, u.char_start, u.char_end, 'mở')}</li>"
            for u in hit.uses
        )
        uses = (
            f'<div class="tracuu-uses">Câu chữ này được dùng trong {len(hit.uses)} chỗ '
            f"(mới nhất trước):<ul>{items}</ul></div>"
        )
    return (
        f'<div class="tracuu-hit" data-passage-id="{escape(hit.passage_id)}">'
        f'<div class="tracuu-doc"><b>{hit.rank}.</b> {title}</div>'
        f'<div class="tracuu-section">{head}</div>'
        f'<div class="tracuu-section">Mục: {section}</div>'
        f'<div class="tracuu-text">{_context_html(hit.before, "tracuu-around")}'
        f"<b>{marked(s.text, hit.sentence_highlights)}</b> "
        f"{_context_html(hit.after, 'tracuu-around')}</div>{reading}{uses}"
        f'<div class="tracuu-source">{link} · Nguồn: '
        f"{_where(hit.source, s.char_start, s.char_end, hit.page)}</div></div>"
    )


def similar_results_html(hits: list[SimilarHit], head: str) -> str:
    """Renders similar-wording results under a summary line."""
    if not hits:
        return (
            '<div class="tracuu-empty">Không tìm thấy câu nào có ý hoặc câu chữ tương tự. '
            "Hãy thử câu khác hoặc bỏ bớt bộ lọc.</div>"
        )
    body = "".join(similar_hit_html(h) for h in hits)
    return f'<div class="tracuu-summary">{escape(head)}</div>{body}'


def phrase_results_html(hits: list[PhraseHit], head: str) -> str:
    """Renders phrase or similar-wording hits under a summary line."""
    if not hits:
        return (
            '<div class="tracuu-empty">Không tìm thấy đoạn văn nào chứa câu chữ này. '
            "Hãy thử cụm từ ngắn hơn hoặc bỏ bớt bộ lọc.</div>"
        )
    body = "".join(phrase_hit_html(i, h) for i, h in enumerate(hits, start=1))
    return f'<div class="tracuu-summary">{escape(head)}</div>{body}'


def message_html(text: str, kind: str = "empty") -> str:
    """Returns a notice box; ``text`` is HTML (callers escape what they insert)."""
    return f'<div class="tracuu-{kind}">{text}</div>'


# What each error code of the index and the API (``{"error": {"code": …}}``) means for
# a user, and what to do about it.
ERROR_MESSAGES = {
    "index_missing": EMPTY_INDEX,
    "model_mismatch": "Chỉ mục được lập bằng một mô hình khác với mô hình máy chủ đang dùng; hãy "
    "lập lại chỉ mục bằng lệnh trong phần chi tiết.",
    "not_found": "Không tìm thấy văn bản này trong chỉ mục (có thể văn bản đã bị xóa). Hãy chọn "
    "lại trong danh sách văn bản.",
    "bad_query": "Không tìm được với nội dung hoặc tùy chọn này: hãy nhập vài từ có nghĩa (chữ "
    "hoặc số), không quá dài, và kiểm tra các ô lọc.",
    "unauthorized": "Khóa API không đúng; hãy nhập khóa TRACUU_API_KEY của máy chủ.",
    "writes_disabled": "Máy chủ chưa cho phép thêm văn bản (chưa đặt TRACUU_API_KEY khi khởi "
    "động).",
    "unsupported_file_type": "Loại tệp này không đọc được; hãy dùng PDF, DOCX, HTML hoặc TXT.",
    "ocr_unavailable": "Tệp là bản quét nhưng máy chủ chưa cài Tesseract (tiếng Việt) để đọc.",
    "file_too_large": "Tệp quá lớn so với giới hạn của máy chủ.",
    "request_too_large": "Tệp quá lớn so với giới hạn của máy chủ.",
    "ingest_failed": "Không đọc được văn bản trong tệp này.",
    "index_error": "Có lỗi khi đọc chỉ mục.",
    "storage_unavailable": "Ổ đĩa hoặc cơ sở dữ liệu của chỉ mục tạm thời không dùng được; hãy "
    "thử lại sau ít phút.",
    "rate_limited": "Có quá nhiều yêu cầu trong thời gian ngắn; hãy đợi một lát rồi thử lại.",
    "unknown_name": "Máy chủ được cấu hình với một mô hình hoặc chế độ không có; hãy kiểm tra "
    "cấu hình.",
    "bad_encoding": "Địa chỉ gửi lên không hợp lệ (không phải UTF-8).",
    "method_not_allowed": "Thao tác này không được hỗ trợ tại địa chỉ này.",
    "invalid_parameter": "Tệp hoặc tham số gửi lên không hợp lệ.",
}
UNEXPECTED = "Có lỗi không mong muốn; hãy thử lại."


def code_html(code: str | None, detail: str = "") -> str:
    """Explains an error code in Vietnamese, with the detail (English) small below."""
    if code == "index_missing":
        return message_html(EMPTY_INDEX)
    why = ERROR_MESSAGES.get(code or "", UNEXPECTED)
    more = f"<br><small>Chi tiết: <code>{escape(detail)}</code></small>" if detail else ""
    return message_html(why + more, "error")


def error_html(exc: Exception) -> str:
    """Explains an error by its ``code`` (index and ingest errors carry one)."""
    code = getattr(exc, "code", None)
    return code_html(code if isinstance(code, str) else None, str(exc))
