"""POST /api/documents (upload and ingest), DELETE /api/documents/{doc_id}, and
GET /api/documents/{doc_id}/raw (the text a document's offsets index).

Writes need ``Authorization: Bearer $TRACUU_API_KEY`` and are refused outright when
the server has no key. Uploaded files are kept in ``<index>/uploads/`` so their
``source`` stays valid; a changed file replaces its old version atomically and a
file that fails to ingest leaves the index and the old file as they were.
"""

from __future__ import annotations

import hmac
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from index import extracted
from index.errors import NotFound
from index.writer import safe_name
from ingest.errors import FileTooLarge, IngestError, UnsupportedFileType
from ingest.load import LOADERS, supported
from search_api.deps import IndexDep, SettingsDep, WritableIndexDep, WriterDep
from search_api.errors import Unauthorized, WritesDisabled
from search_api.schemas import DeleteResult, ErrorResponse, RawText, UploadResult

router = APIRouter(prefix="/documents", tags=["documents"])
CHUNK = 1 << 20


# Declared as the OpenAPI security scheme "bearer" of every write route, so Swagger UI
# has an Authorize button and generated clients send the header (issue 15).
bearer = HTTPBearer(
    scheme_name="bearer",
    description="the server's TRACUU_API_KEY: `Authorization: Bearer <key>`",
    auto_error=False,
)


def require_key(
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> None:
    """Lets a write through only with the configured API key (compared in constant time).

    Raises:
        WritesDisabled: the server has no API key configured.
        Unauthorized: the header is missing or the key is wrong.
    """
    if not settings.api_key:
        raise WritesDisabled(
            "uploads and deletes are disabled on this server: no API key is configured; "
            "start it with TRACUU_API_KEY set"
        )
    token = credentials.credentials if credentials is not None else ""
    if not hmac.compare_digest(token.strip().encode("utf-8"), settings.api_key.encode("utf-8")):
        raise Unauthorized(
            "missing or wrong API key; send the header 'Authorization: Bearer <TRACUU_API_KEY>'"
        )


WriteAuth = Annotated[None, Depends(require_key)]
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorResponse, "description": "missing or wrong API key"},
    403: {"model": ErrorResponse, "description": "writes are disabled: no API key configured"},
}


@router.post(
    "",
    response_model=UploadResult,
    status_code=201,
    responses={
        **WRITE_ERRORS,
        413: {"model": ErrorResponse, "description": "the file is over the size limit"},
        415: {"model": ErrorResponse, "description": "unsupported file type"},
        422: {"model": ErrorResponse, "description": "the file cannot be ingested (reason given)"},
    },
)
async def upload_document(
    _: WriteAuth,
    index: WritableIndexDep,
    writer: WriterDep,
    file: UploadFile,
    response: Response,
) -> dict[str, Any]:
    """Uploads a file (multipart field ``file``) and ingests it.

    Supported: .txt, .md (UTF-8, TCVN3, VNI, VISCII), .html, .pdf (scans are OCR'd)
    and .docx, up to `TRACUU_MAX_UPLOAD_BYTES` (50 MB by default; over it: 413, another
    type: 415). Uploading a file of the same name again replaces its old version,
    or does nothing when the content is unchanged (status 200).
    """
    name = safe_name(file.filename)
    if not supported(Path(name)):
        raise UnsupportedFileType(
            f"{name}: unsupported file type {Path(name).suffix or '(none)'}; "
            f"supported: {', '.join(sorted(LOADERS))}"
        )
    limit = writer.max_bytes
    parts: list[bytes] = []
    size = 0
    while chunk := await file.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise FileTooLarge(f"{name}: over the {limit:,} byte upload limit")
        parts.append(chunk)
    data = b"".join(parts)
    if not data.strip():
        raise IngestError(f"{name}: empty file")
    stored = await run_in_threadpool(writer.upload, index, name, data)
    if stored.status != "added":
        response.status_code = 200
    return asdict(stored)


@router.delete(
    "/{doc_id}",
    response_model=DeleteResult,
    responses={**WRITE_ERRORS, 404: {"model": ErrorResponse, "description": "no such document"}},
)
async def delete_doc(_: WriteAuth, doc_id: str, writer: WriterDep) -> dict[str, Any]:
    """Deletes a document from the index (and its file, when it was uploaded)."""
    source = await run_in_threadpool(writer.delete, doc_id)
    return {"doc_id": doc_id, "source": source, "deleted": True}


@router.get(
    "/{doc_id}/raw",
    response_model=RawText,
    responses={404: {"model": ErrorResponse, "description": "no such document"}},
)
def raw_text(doc_id: str, index: IndexDep, settings: SettingsDep) -> dict[str, Any]:
    """Returns the text a document's ``char_start``/``char_end`` index.

    For a text file that is the file read as UTF-8; for a PDF (text layer or OCR),
    a Word file or a legacy-encoded file, the text extracted from it, as stored
    in the index when it was ingested.
    """
    row = index.store.document(doc_id)
    stored = extracted.load(index.store.index_dir, row["sha256"])
    text = stored
    if text is None:
        try:
            text = extracted.raw_text(
                index.store.index_dir, settings.root, row["source"], row["sha256"]
            )
        except (OSError, UnicodeDecodeError) as exc:
            raise NotFound(f"the source file {row['source']} is gone or unreadable") from exc
    return {
        "doc_id": doc_id,
        "source": row["source"],
        "kind": row["kind"],
        "extracted": stored is not None,
        "text": text,
    }
