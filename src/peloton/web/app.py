"""How the web app joins the API's FastAPI app: its pages at /nl/… and /en/…, its static files
(CSS, JS, and Plotly's bundled plotly.min.js from the installed plotly package, so no page needs a
CDN), and `/` redirecting to Dutch. Every page gets the security headers of
peloton.api.security_headers (no inline script anywhere: the scripts are static files) from the
app's one response-headers middleware."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.responses import FileResponse, RedirectResponse, Response

from peloton.api.problems import problem_response
from peloton.web import monitor, navigator, pages, reader, schemes, simulator
from peloton.web.i18n import DEFAULT_LANGUAGE
from peloton.web.rendering import UnknownLanguage, check_language, not_found

STATIC = Path(__file__).parent / "static"


def plotly_bundle() -> Path:
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def install(app: FastAPI) -> None:
    """Mount the web app at / on the API's app."""

    @app.get("/", include_in_schema=False)
    def root() -> Response:
        return RedirectResponse("/nl/", status_code=307)

    @app.get("/static/vendor/plotly.min.js", include_in_schema=False)
    def plotly_js(request: Request) -> Response:
        return FileResponse(plotly_bundle(), media_type="text/javascript", headers=_cache_headers())

    @app.exception_handler(UnknownLanguage)
    async def _unknown_language(request: Request, exc: UnknownLanguage) -> Response:
        if request.url.path.startswith("/api/"):
            return problem_response(404, f"no route {request.url.path}", instance=request.url.path)
        return not_found(request, DEFAULT_LANGUAGE)

    @app.get("/{lang}", include_in_schema=False)
    def language_root(lang: str) -> Response:
        check_language(lang)
        return RedirectResponse(f"/{lang}/", status_code=307)

    for module in (pages, navigator, schemes, simulator, monitor, reader):
        app.include_router(module.router, include_in_schema=False)
    app.mount("/static", StaticFiles(directory=STATIC), name="web-static")


def _cache_headers() -> dict[str, str]:
    return {"Cache-Control": "public, max-age=86400"}
