"""Rendering a page: the Jinja2 environment with the texts and the Dutch formatting as globals, the
language from the URL (and the same page in the other language), CSV answers for a page's tables,
and the HTML error pages (the API's handlers answer problem JSON; a person gets a page)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from peloton.web import formatting, i18n
from peloton.web.datatables import DataTable

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
templates.env.globals.update(
    euro=formatting.euro,
    number=formatting.number,
    percent=formatting.percent,
    date=formatting.date,
    unit_value=formatting.unit_value,
)
templates.env.trim_blocks = True
templates.env.lstrip_blocks = True


class UnknownLanguage(Exception):
    """A path whose first segment is not a language of the app."""


def other_language_url(request: Request, lang: str) -> str:
    other = "en" if lang == "nl" else "nl"
    path = request.url.path
    rest = path[len(lang) + 1 :] if path.startswith(f"/{lang}") else "/"
    query = f"?{request.url.query}" if request.url.query else ""
    return f"/{other}{rest or '/'}{query}"


def query_string(pairs: list[tuple[str, Any]]) -> str:
    return urlencode([(k, str(v)) for k, v in pairs])


def page(
    request: Request,
    lang: str,
    template: str,
    status: int = 200,
    tables: list[DataTable] | None = None,
    **context: Any,
) -> Response:
    """A rendered page, or with `?csv=<table name>` that table as CSV."""
    tables = tables or []
    wanted = request.query_params.get("csv")
    if wanted is not None:
        table = next((t for t in tables if t.name == wanted), None)
        if table is None:
            return not_found(request, lang)
        return Response(
            table.csv(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{table.name}.csv"'},
        )

    def t(key: str, **values: Any) -> str:
        return i18n.text(lang, key, **values)

    def csv_url(name: str) -> str:
        pairs = [(k, v) for k, v in request.query_params.multi_items() if k != "csv"]
        return f"{request.url.path}?{query_string([*pairs, ('csv', name)])}"

    return templates.TemplateResponse(
        request,
        template,
        {
            "lang": lang,
            "t": t,
            "other_url": other_language_url(request, lang),
            "path": request.url.path,
            "csv_url": csv_url,
            "tables": {table.name: table for table in tables},
            **context,
        },
        status_code=status,
    )


def not_found(request: Request, lang: str, message: str = "") -> Response:
    lang = lang if lang in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE
    return page(request, lang, "not_found.html.j2", status=404, message=message)


def check_language(lang: str) -> None:
    if lang not in i18n.LANGUAGES:
        raise UnknownLanguage(lang)
