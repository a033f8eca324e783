"""The uploaded file of a multipart form (field `file`), for the routes that take a file either as
the raw body or as a form (documents, populations): one place says what a missing field is."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from peloton.api.problems import Problem


async def form_file(request: Request, what: str) -> Any:
    """The form's `file` field (spooled to disk by the form parser, within the body cap), or a 422
    naming it; `what` says what the file should be, for the message."""
    form = await request.form(max_files=1, max_fields=10)
    upload: Any = form.get("file")
    if upload is None or isinstance(upload, str):
        raise Problem(
            422,
            f"file: missing; send the {what} as the multipart field `file`",
            [{"pointer": "/file", "detail": "missing"}],
            detail_nl="file: ontbreekt",
        )
    return upload


def is_multipart(request: Request) -> bool:
    return request.headers.get("content-type", "").startswith("multipart/form-data")
