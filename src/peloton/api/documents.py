"""Route of the reader: an uploaded parliamentary answer (plain text or PDF; multipart `file` or the
raw body) -> peloton.reader.read_document(...).as_dict(), the JSON of `peloton read --json`."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from peloton.api.computing import json_response
from peloton.api.models import problems
from peloton.api.multipart import form_file, is_multipart
from peloton.api.problems import Problem, input_error_problem
from peloton.errors import InputError

router = APIRouter(tags=["reader"])


async def _upload(request: Request) -> tuple[bytes, str]:
    """The document's bytes and file name, from a multipart form (field `file`) or the raw body."""
    if is_multipart(request):
        upload = await form_file(request, "document")
        return await upload.read(), str(upload.filename or "document")
    return await request.body(), "document"


def read_upload(data: bytes, name: str) -> dict[str, Any]:
    """An uploaded document's bytes -> the reader's JSON (as `peloton read --json`); the web app's
    reader page calls this too."""
    from peloton.reader import read_document

    suffix = ".pdf" if data.lstrip()[:5] == b"%PDF-" or name.lower().endswith(".pdf") else ".txt"
    with tempfile.TemporaryDirectory(prefix="peloton-doc-") as folder:
        stem = Path(name).stem[:80] or "document"
        safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in stem)
        path = Path(folder) / f"{safe}{suffix}"
        path.write_bytes(data)
        doc = read_document(path)
    result: dict[str, Any] = doc.as_dict()
    return result


@router.post(
    "/documents",
    summary="Read an answer document: questions, schemes and checked figures",
    responses=problems(400, 413, 422, 429),
)
async def documents(request: Request) -> Response:
    data, name = await _upload(request)
    if not data.strip():
        raise Problem(
            422,
            "file: the document is empty",
            [{"pointer": "/file", "detail": "empty"}],
            "file: leeg document",
        )
    try:
        payload = await run_in_threadpool(read_upload, data, name)
    except InputError as exc:
        raise input_error_problem(exc) from None
    return json_response(payload, request, {"name": name, "sha256_of_bytes": _digest(data)})


def _digest(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()
