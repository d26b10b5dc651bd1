"""The "Yêu cầu" table and the "Thời hạn" deadlines view, with CSV and Excel export.

Both render HTML tables (a proportional Vietnamese font, wrapping cells, every column
on a desktop screen, one card per row on a phone); each row links to its source span
in the viewer. Requirements come from answers/requirements.py.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

import gradio as gr

from answers.requirements import CSV_COLUMNS, Requirements, requirement_row, to_csv
from index.errors import BadQuery, IndexError_
from index.models import Requirement
from index.search import SearchIndex
from ui.render import error_html, message_html, open_link
from ui.viewer import date_vi

GetIndex = Callable[[], SearchIndex]
SORTS = {
    "Theo văn bản": "doc",
    "Thời hạn: sớm trước": "deadline",
    "Thời hạn: muộn trước": "deadline_desc",
}
# Column headings of the table and of the exported files (CSV_COLUMNS order).
EXPORT_HEADERS = {
    "actor": "Chủ thể",
    "action": "Việc phải làm",
    "deadline": "Thời hạn (ngày)",
    "deadline_text": "Thời hạn",
    "target": "Chỉ tiêu",
    "implements": "Thực hiện văn bản",
    "doc_number": "Số hiệu",
    "doc_title": "Trích yếu",
    "section": "Mục",
    "source": "Tệp nguồn",
    "char_start": "Từ ký tự",
    "char_end": "Đến ký tự",
    "quote": "Nguyên văn",
}
ANY_DOC = [("Tất cả văn bản", "")]
_DATE = re.compile(r"^\s*(?:(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}))\s*$")


def parse_date(text: str | None) -> str | None:
    """Reads a date typed as dd/mm/yyyy or yyyy-mm-dd; returns it as ISO ("" → None).

    Raises:
        BadQuery: the text is not such a date.
    """
    if not (text or "").strip():
        return None
    m = _DATE.match(text or "")
    if not m:
        raise BadQuery(f"{text!r} is not a date; type it as dd/mm/yyyy")
    y, mo, d = (m[1], m[2], m[3]) if m[1] else (m[6], m[5], m[4])
    if not (1 <= int(mo) <= 12 and 1 <= int(d) <= 31):
        raise BadQuery(f"{text!r} is not a date; type it as dd/mm/yyyy")
    return f"{int(y):04d}-{int(mo):02d}-{int(d):02d}"


def select(
    found: list[Requirement], d_from: str | None, d_to: str | None, sort: str
) -> list[Requirement]:
    """Keeps the requirements whose deadline falls in ``[d_from, d_to]`` and sorts them.

    A date bound keeps only requirements with a dated deadline. "deadline" sorts by date,
    undated ones last; "deadline_desc" latest first; "doc" keeps document order.
    """
    if d_from or d_to:
        found = [
            r
            for r in found
            if r.deadline
            and (d_from is None or r.deadline >= d_from)
            and (d_to is None or r.deadline <= d_to)
        ]
    if sort in ("deadline", "deadline_desc"):
        dated = sorted((r for r in found if r.deadline), key=lambda r: r.deadline or "")
        if sort == "deadline_desc":
            dated.reverse()
        found = dated + [r for r in found if not r.deadline]
    return found


def _deadline_cell(r: Requirement) -> str:
    text = escape(r.deadline_text or "")
    if r.deadline:
        return f'<time datetime="{r.deadline}">{escape(date_vi(r.deadline))}</time><br>{text}'
    return text


def requirements_table(found: list[Requirement]) -> str:
    """Renders requirements as a table; the source column opens the viewer at the span."""
    if not found:
        return message_html("Không có yêu cầu nào khớp bộ lọc. Hãy bỏ bớt điều kiện.")
    heads = ("Chủ thể", "Việc phải làm", "Thời hạn", "Chỉ tiêu", "Văn bản", "Mục", "Nguồn")
    rows = []
    for r in found:
        c = r.citation
        doc = escape(c.doc_number or c.doc_title or c.doc_id)
        implements = (
            f'<div class="tracuu-small">thực hiện {escape(", ".join(r.implements))}</div>'
            if r.implements
            else ""
        )
        cells = (
            escape(r.actor or "(không nêu)"),
            escape(r.action),
            _deadline_cell(r),
            escape(r.target or ""),
            doc + implements,
            escape(c.section or "(phần mở đầu)"),
            open_link(c.doc_id, c.char_start, c.char_end, "Mở tại đoạn này")
            + f'<div class="tracuu-small">ký tự {c.char_start}–{c.char_end}</div>',
        )
        rows.append(
            "<tr>"
            + "".join(f'<td data-label="{h}">{v}</td>' for h, v in zip(heads, cells, strict=True))
            + "</tr>"
        )
    cols = "".join(f'<col class="tracuu-col-{i}">' for i in range(len(heads)))
    head = "".join(f"<th scope=col>{h}</th>" for h in heads)
    return (
        f'<table class="tracuu-table tracuu-req"><colgroup>{cols}</colgroup>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def deadlines_html(found: list[Requirement]) -> str:
    """Renders the requirements that carry a deadline, grouped by actor, soonest first."""
    timed = [r for r in found if r.deadline or r.deadline_text]
    if not timed:
        return message_html("Không có yêu cầu nào có thời hạn khớp bộ lọc.")
    groups: dict[str, list[Requirement]] = {}
    for r in timed:
        groups.setdefault(r.actor or "(không nêu chủ thể)", []).append(r)

    def first(rs: list[Requirement]) -> str:
        return min((r.deadline for r in rs if r.deadline), default="9999")

    out = [
        f'<div class="tracuu-summary">{len(timed)} việc có thời hạn, {len(groups)} chủ thể</div>'
    ]
    for actor, rs in sorted(groups.items(), key=lambda kv: (first(kv[1]), kv[0])):
        rs = sorted(rs, key=lambda r: (r.deadline or "9999", r.citation.doc_id))
        items = []
        for r in rs:
            c = r.citation
            when = escape(date_vi(r.deadline)) if r.deadline else "không rõ ngày"
            items.append(
                f'<li class="tracuu-deadline"><span class="tracuu-when">{when}</span>'
                f'<span class="tracuu-what">{escape(r.action)}'
                f'<span class="tracuu-small"> — {escape(r.deadline_text or "")} · '
                f"{escape(c.doc_number or c.doc_title or c.doc_id)} · "
                f"{open_link(c.doc_id, c.char_start, c.char_end, 'Mở tại đoạn này')}"
                "</span></span></li>"
            )
        out.append(
            f'<section class="tracuu-actor"><h4>{escape(actor)} '
            f"<small>({len(rs)})</small></h4><ul>{''.join(items)}</ul></section>"
        )
    return "".join(out)


def to_xlsx(found: list[Requirement], path: Path) -> Path:
    """Writes requirements to an Excel workbook (openpyxl), one row each, wrapped text."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Yêu cầu"
    ws.append([EXPORT_HEADERS[c] for c in CSV_COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in found:
        row = requirement_row(r)
        ws.append(
            [
                "; ".join(v) if isinstance(v, list) else v  # type: ignore[misc]
                for v in (row[c] for c in CSV_COLUMNS)
            ]
        )
    widths = {"action": 60, "quote": 60, "doc_title": 40, "actor": 24, "deadline_text": 24}
    for i, name in enumerate(CSV_COLUMNS, start=1):
        letter = ws.cell(row=1, column=i).column_letter
        ws.column_dimensions[letter].width = widths.get(name, 14)
    for row_cells in ws.iter_rows(min_row=2):
        for cell in row_cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    wb.save(path)
    return path


def export_files(found: list[Requirement]) -> list[str]:
    """Writes the requirements as CSV (UTF-8 with BOM, for Excel) and XLSX; returns the paths."""
    folder = Path(tempfile.mkdtemp(prefix="tracuu-"))
    csv_path = folder / "yeu-cau.csv"
    csv_path.write_text(to_csv(found), encoding="utf-8-sig")
    return [str(csv_path), str(to_xlsx(found, folder / "yeu-cau.xlsx"))]


def document_choices(get_index: GetIndex) -> list[tuple[str, str]]:
    """The documents as dropdown choices: "number — title", valued by id; "Tất cả" first."""
    try:
        docs = get_index().store.documents()
    except IndexError_:
        docs = []
    out = list(ANY_DOC)
    for d in docs:
        out.append((f"{d['number'] or d['doc_id']} — {(d['title'] or '')[:60]}", d["doc_id"]))
    return out


class _Table:
    def __init__(self, get_index: GetIndex, root: Path | None) -> None:
        self.get_index = get_index
        self.root = Path(root) if root is not None else Path.cwd()
        self._made: Requirements | None = None

    def get(self) -> Requirements:
        index = self.get_index()
        if self._made is None or self._made.index is not index:
            self._made = Requirements(index, self.root)
        return self._made


def add_requirements_tabs(get_index: GetIndex, links: Any, root: Path | None = None) -> list[Any]:
    """Adds the "Yêu cầu" and "Thời hạn" tabs; returns their document dropdowns."""
    table = _Table(get_index, root)

    def run(
        actor: str, doc_id: str | None, q: str, d1: str, d2: str, sort_label: str
    ) -> tuple[str, Any, str]:
        try:
            lo, hi = parse_date(d1), parse_date(d2)
            found = table.get().find(actor=actor or None, doc_id=doc_id or None, q=q or None)
            found = select(found, lo, hi, SORTS.get(sort_label, "doc"))
        except IndexError_ as exc:
            return error_html(exc), gr.skip(), ""
        return requirements_table(found), export_files(found), f"**{len(found)} yêu cầu**"

    def run_deadlines(actor: str, doc_id: str | None, d1: str, d2: str) -> str:
        try:
            lo, hi = parse_date(d1), parse_date(d2)
            found = table.get().find(actor=actor or None, doc_id=doc_id or None)
            return deadlines_html(select(found, lo, hi, "deadline"))
        except IndexError_ as exc:
            return error_html(exc)

    def docs_dropdown() -> Any:
        return gr.Dropdown(choices=document_choices(get_index))

    with gr.Tab("Yêu cầu") as tab:
        gr.Markdown(
            "Các yêu cầu trong văn bản: ai phải làm gì, thời hạn hoặc chỉ tiêu, văn bản và vị "
            "trí nguồn. Lọc theo chủ thể, văn bản, từ khóa, khoảng thời hạn; sắp xếp theo thời "
            "hạn; tải về tệp CSV hoặc Excel."
        )
        with gr.Row():
            actor = gr.Textbox(label="Chủ thể", placeholder="Ví dụ: huyện ủy, Ban Tuyên giáo")
            doc = gr.Dropdown(
                choices=ANY_DOC, value="", label="Văn bản", elem_id="tracuu-req-doc", min_width=220
            )
            q = gr.Textbox(label="Từ khóa", placeholder="Ví dụ: báo cáo tổng kết")
        with gr.Row():
            d_from = gr.Textbox(label="Thời hạn từ ngày", placeholder="dd/mm/yyyy", min_width=140)
            d_to = gr.Textbox(label="đến ngày", placeholder="dd/mm/yyyy", min_width=140)
            sort = gr.Radio(list(SORTS), value=next(iter(SORTS)), label="Sắp xếp")
        button = gr.Button("Lọc", variant="primary", elem_id="tracuu-req-go")
        count = gr.Markdown(elem_id="tracuu-req-count")
        out = links.html(elem_id="tracuu-req-table")
        files = gr.File(
            label="Tải về (CSV, Excel)", file_count="multiple", elem_id="tracuu-req-files"
        )
    inputs = [actor, doc, q, d_from, d_to, sort]
    for event in (button.click, actor.submit, q.submit, d_from.submit, d_to.submit):
        event(run, inputs, [out, files, count], api_visibility="private")
    sort.change(run, inputs, [out, files, count], api_visibility="private")
    tab.select(docs_dropdown, None, doc, api_visibility="private").then(
        run, inputs, [out, files, count], api_visibility="private"
    )

    with gr.Tab("Thời hạn") as dtab:
        gr.Markdown(
            "Việc có thời hạn, theo từng chủ thể, sớm nhất trước; mỗi việc mở văn bản tại "
            "đoạn nêu thời hạn."
        )
        with gr.Row():
            d_actor = gr.Textbox(label="Chủ thể", placeholder="Ví dụ: huyện ủy")
            d_doc = gr.Dropdown(choices=ANY_DOC, value="", label="Văn bản", elem_id="tracuu-dl-doc")
            dd_from = gr.Textbox(label="Từ ngày", placeholder="dd/mm/yyyy", min_width=140)
            dd_to = gr.Textbox(label="Đến ngày", placeholder="dd/mm/yyyy", min_width=140)
        d_button = gr.Button("Xem", variant="primary")
        d_out = links.html(elem_id="tracuu-deadlines")
    d_inputs = [d_actor, d_doc, dd_from, dd_to]
    for event in (d_button.click, d_actor.submit, dd_from.submit, dd_to.submit):
        event(run_deadlines, d_inputs, d_out, api_visibility="private")
    dtab.select(docs_dropdown, None, d_doc, api_visibility="private").then(
        run_deadlines, d_inputs, d_out, api_visibility="private"
    )
    return [doc, d_doc]
