"""The reader's page: an uploaded answer document (text or PDF, a plain multipart form post) or the
seed's letter, read by the function behind POST /api/v1/documents (peloton.api.documents.read_upload ->
peloton.reader.read_document), shown as questions and answers side by side with their footnotes,
Kamerstuk references, linked schemes (to their scheme pages) and each figure with its check."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from peloton.api.documents import read_upload
from peloton.catalog import load_catalog
from peloton.errors import InputError
from peloton.web import i18n
from peloton.web.answers import FieldError
from peloton.web.rendering import check_language, page

router = APIRouter()


def seed_document() -> Path | None:
    """The seed's answer letter in the shared data beside the repository, when it is there."""

    folder = Path(__file__).resolve().parents[3].parent / "shared" / "seed"
    found = sorted(folder.glob("*.txt")) if folder.is_dir() else []
    return found[0] if found else None


def _render(request: Request, lang: str, doc: dict[str, Any] | None, errors: list[FieldError]) -> Response:
    names = {s.id: s.name for s in load_catalog()}
    return page(
        request,
        lang,
        "reader.html.j2",
        status=422 if errors else 200,
        doc=doc,
        errors=errors,
        scheme_names=names,
        has_seed=seed_document() is not None,
    )


@router.get("/{lang}/lezer")
async def reader(lang: str, request: Request) -> Response:
    check_language(lang)
    doc = None
    if request.query_params.get("document") == "seed":
        seed = seed_document()
        if seed is not None:
            doc = await run_in_threadpool(read_upload, seed.read_bytes(), seed.name)
    return _render(request, lang, doc, [])


@router.post("/{lang}/lezer")
async def upload(lang: str, request: Request) -> Response:
    check_language(lang)
    form = await request.form()
    upload_file: Any = form.get("file")
    data = b""
    name = "document"
    if upload_file is not None and not isinstance(upload_file, str):
        data = await upload_file.read()
        name = str(upload_file.filename or "document")
    if not data.strip():
        return _render(request, lang, None, [FieldError("file", "file", i18n.text(lang, "rd_error_empty"))])
    try:
        doc = await run_in_threadpool(read_upload, data, name)
    except InputError as exc:
        return _render(
            request, lang, None, [FieldError("file", "file", f"{i18n.text(lang, 'rd_file')}: {exc}")]
        )
    return _render(request, lang, doc, [])
