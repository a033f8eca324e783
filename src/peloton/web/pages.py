"""The start page and the accessibility statement of each language."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from peloton.web.rendering import check_language, page

router = APIRouter()


@router.get("/{lang}/")
def home(lang: str, request: Request) -> Response:
    check_language(lang)
    return page(request, lang, "home.html.j2")


@router.get("/{lang}/toegankelijkheid")
def accessibility(lang: str, request: Request) -> Response:
    check_language(lang)
    return page(request, lang, "toegankelijkheid.html.j2")
