"""RFC 9457 problem details: every 4xx (and a real bug's 500) as application/problem+json with an
`errors` list of {pointer, detail}, so a client can put each message next to the field it is about.

InputError(field, problem) from the core becomes a 422 whose pointer is derived from the field name
(`so_uren.2023` -> `/onderneming/so_uren/2023`); FastAPI's own validation errors are reshaped to the
same shape; anything unexpected is a 500 problem without a traceback.
"""

from __future__ import annotations

import errno
import json
import logging
import re
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from peloton.api.security_headers import security_headers
from peloton.api.versions import version_headers
from peloton.errors import InputError

PROBLEM_JSON = "application/problem+json"
DISK_FULL = (errno.ENOSPC, errno.EDQUOT)
log = logging.getLogger("peloton.api")

TITLES = {
    400: ("Bad request", "Ongeldig verzoek"),
    404: ("Not found", "Niet gevonden"),
    405: ("Method not allowed", "Methode niet toegestaan"),
    413: ("Request body too large", "Verzoek te groot"),
    415: ("Unsupported media type", "Niet-ondersteund mediatype"),
    422: ("Invalid input", "Ongeldige invoer"),
    429: ("Too many requests", "Te veel verzoeken"),
    500: ("Internal error", "Interne fout"),
    503: ("Not ready", "Niet gereed"),
    507: ("Insufficient storage", "Onvoldoende opslagruimte"),
}


class Problem(Exception):
    """An error the API answers with a problem document (raised by routes and adapters)."""

    def __init__(
        self,
        status: int,
        detail: str,
        errors: Sequence[dict[str, Any]] = (),
        detail_nl: str = "",
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = list(errors)
        self.detail_nl = detail_nl
        self.headers = headers or {}


def problem_body(
    status: int, detail: str, errors: Sequence[dict[str, Any]] = (), detail_nl: str = "", instance: str = ""
) -> dict[str, Any]:
    title, title_nl = TITLES.get(status, ("Error", "Fout"))
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    body["detail_nl"] = detail_nl or title_nl
    if instance:
        body["instance"] = instance
    body["errors"] = list(errors) or [{"pointer": "", "detail": detail}]
    return body


def problem_response(
    status: int,
    detail: str,
    errors: Sequence[dict[str, Any]] = (),
    detail_nl: str = "",
    instance: str = "",
    headers: Mapping[str, str] | None = None,
) -> Response:
    body = problem_body(status, detail, errors, detail_nl, instance)
    text = json.dumps(body, ensure_ascii=False, default=str)
    return Response(
        text.encode("utf-8", "backslashreplace"),  # a lone surrogate in an echoed value stays visible
        status_code=status,
        media_type=PROBLEM_JSON,
        headers=dict(headers) if headers else None,
    )


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def pointer(*tokens: Any) -> str:
    """A JSON pointer (RFC 6901) from path tokens."""
    return "".join("/" + _escape(str(t)) for t in tokens)


_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def field_tokens(field: str) -> list[str]:
    """`parameter_changes[0].value` -> ['parameter_changes', '0', 'value']."""
    return [m.group(1) or m.group(2) for m in _PART.finditer(field)]


def input_error_problem(
    exc: InputError, prefix: Sequence[str] = (), firm: Sequence[str] = (), body_keys: Sequence[str] = ()
) -> Problem:
    """A 422 naming the field. `prefix` is where the parsed object sits in the request body (e.g.
    ['reform']); `firm` is where a profile's input variables sit (['onderneming']); a field that is
    one of `body_keys` (an unknown top-level key) points at the top level."""
    tokens = field_tokens(exc.field)
    top = {"year", "name", "description", "onderneming", "ondernemingen", "profile", "reform", *body_keys}
    if firm and tokens and tokens[0] not in top:
        tokens = [*firm, *tokens]
    if tokens[:1] == ["profile"]:
        tokens = tokens[1:]
    where = pointer(*prefix, *tokens)
    return Problem(422, str(exc), [{"pointer": where, "field": exc.field, "detail": exc.problem}])


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ())]
        where, rest = (loc[0], loc[1:]) if loc else ("body", [])
        item: dict[str, Any] = {"detail": str(err.get("msg", "invalid"))}
        if err.get("type") == "json_invalid":  # loc holds a character position, not a field
            position = rest[0] if rest else "?"
            item = {"pointer": "", "detail": f"not valid JSON (at character {position})"}
        elif where == "body":
            item["pointer"] = pointer(*rest)
        else:
            item["pointer"] = ""
            item["parameter"] = ".".join(rest)
            item["in"] = where
        out.append(item)
    return out


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into a problem document."""

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> Response:
        return problem_response(
            exc.status, exc.detail, exc.errors, exc.detail_nl, request.url.path, headers=exc.headers
        )

    @app.exception_handler(InputError)
    async def _input(request: Request, exc: InputError) -> Response:
        if request.method == "GET":  # no body: the field is a query parameter (the monitor's routes)
            errors = [{"pointer": "", "parameter": exc.field, "in": "query", "detail": exc.problem}]
            return problem_response(422, str(exc), errors, instance=request.url.path)
        p = input_error_problem(exc)
        return problem_response(p.status, p.detail, p.errors, instance=request.url.path)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        errors = _validation_errors(exc)
        detail = "; ".join(f"{e.get('parameter') or e['pointer'] or 'body'}: {e['detail']}" for e in errors)[
            :500
        ]
        return problem_response(422, detail, errors, instance=request.url.path)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        detail = str(exc.detail) if exc.detail else TITLES.get(exc.status_code, ("Error", ""))[0]
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"no route {request.url.path}"
        return problem_response(exc.status_code, detail, instance=request.url.path, headers=exc.headers)

    @app.exception_handler(OSError)
    async def _disk(request: Request, exc: OSError) -> Response:
        if exc.errno not in DISK_FULL:
            return await _bug(request, exc)
        log.error("disk full on %s: %s", request.url.path, exc)
        return problem_response(
            507,
            "the server's disk is full: nothing of this request was stored, and nothing stored "
            "before was lost; try again later",
            instance=request.url.path,
            headers={"Retry-After": "300"},
        )

    @app.exception_handler(Exception)
    async def _bug(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        return problem_response(
            500,
            f"unexpected error ({type(exc).__name__}); this is a bug",
            instance=request.url.path,
            # the error middleware sits outside the ResponseHeaders middleware
            headers={**version_headers(), **security_headers(request.url.path)},
        )
