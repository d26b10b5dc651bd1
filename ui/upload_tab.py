"""The "Thêm văn bản" tab: upload a PDF, DOCX, HTML or TXT file through the API.

The file goes to ``POST /api/documents`` of the server the page came from, with the
API key the user types (``Authorization: Bearer …``); a refusal is explained from the
API's error code (``{"error": {"code": …}}``) in one line. After an upload, the app
refreshes every list and dropdown built from the index.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

import gradio as gr
import httpx

from ui.render import code_html, message_html, open_link

TYPES = [".pdf", ".docx", ".html", ".htm", ".txt"]
STATUS = {"added": "Đã thêm", "updated": "Đã cập nhật", "unchanged": "Không đổi (đã có)"}
TIMEOUT = 900.0
PROGRESS = (
    gr.Progress()
)  # Gradio fills in the event's own tracker  # a long scan is OCR'd page by page


def api_base(request: gr.Request) -> str:
    """Returns the address of the server the page was loaded from (API and UI share it)."""
    return f"{request.url.scheme}://{request.headers['host']}/"


def upload(path: str | None, key: str, base: str) -> tuple[str, bool]:
    """Sends a file to the API; returns the HTML result and whether the index changed."""
    if not path:
        return message_html("Hãy chọn một tệp PDF, DOCX, HTML hoặc TXT."), False
    if not (key or "").strip():
        return code_html("unauthorized"), False
    name = Path(path).name
    try:
        with open(path, "rb") as fh:
            r = httpx.post(
                base.rstrip("/") + "/api/documents",
                files={"file": (name, fh)},
                headers={"Authorization": f"Bearer {key.strip()}"},
                timeout=TIMEOUT,
            )
    except httpx.HTTPError as exc:
        return code_html(None, str(exc)), False
    try:
        body: dict[str, Any] = r.json()
    except ValueError:
        return code_html(None, f"HTTP {r.status_code}"), False
    if r.status_code >= 400:
        err = body.get("error") or {}
        return code_html(err.get("code"), err.get("message") or ""), False
    doc_id = body.get("doc_id")
    warn = "".join(f"<li>{escape(w)}</li>" for w in body.get("warnings") or [])
    link = open_link(doc_id, label="Mở văn bản") if doc_id else ""
    html = (
        f'<div class="tracuu-done"><b>{STATUS.get(body.get("status", ""), "Xong")}:</b> '
        f"{escape(name)} — {body.get('passages', 0)} đoạn văn · {link}"
        + (f'<ul class="tracuu-small">{warn}</ul>' if warn else "")
        + "</div>"
    )
    return html, body.get("status") != "unchanged"


def add_upload_tab(links: Any) -> tuple[Any, Any]:
    """Adds the "Thêm văn bản" tab; returns the upload event (to chain refreshes) and
    the result component."""
    with gr.Tab("Thêm văn bản", id="upload"):
        gr.Markdown(
            "Thêm một văn bản vào kho: tệp PDF (kể cả bản quét, máy sẽ nhận dạng chữ), DOCX, "
            "HTML hoặc TXT. Cần khóa API của máy chủ (biến TRACUU_API_KEY). Bản quét nhiều "
            "trang có thể mất vài phút."
        )
        with gr.Row():
            file = gr.File(
                label="Tệp văn bản", file_types=TYPES, type="filepath", elem_id="tracuu-up-file"
            )
            with gr.Column():
                key = gr.Textbox(
                    label="Khóa API", type="password", elem_id="tracuu-up-key", max_lines=1
                )
                button = gr.Button("Thêm vào kho", variant="primary", elem_id="tracuu-up-go")
        result = links.html(elem_id="tracuu-up-result", min_height=40)
        changed = gr.State(False)

    def run(
        path: str | None, k: str, request: gr.Request, progress: gr.Progress = PROGRESS
    ) -> tuple[str, bool]:
        progress(0, desc="Đang gửi, đọc và lập chỉ mục văn bản…")
        return upload(path, k, api_base(request))

    event = button.click(
        run,
        [file, key],
        [result, changed],
        api_visibility="private",
        show_progress="full",
    )
    return event, changed
