"""The interactive API documentation at /api/v1/docs: Swagger UI, its script and stylesheet served
from the installed fastapi-offline package (FastAPI's own docs page loads them from a CDN, and
peloton serves nothing from outside at run time). The page starts Swagger UI from a script file of
its own rather than inline code, so a strict Content-Security-Policy holds; without JavaScript it
still lists every route, from the same OpenAPI document."""

from __future__ import annotations

from html import escape
from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import FileResponse, HTMLResponse, Response

from peloton.api.problems import Problem

router = APIRouter(include_in_schema=False)
ASSETS = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "favicon.png": "image/png",
}
START = """window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({url: "/api/v1/openapi.json", dom_id: "#swagger-ui", deepLinking: true});
  var routes = document.getElementById("routes");
  if (routes) { routes.hidden = true; }
});
"""


def _asset_dir() -> Path:
    return Path(str(files("fastapi_offline") / "static"))


def _routes(spec: dict[str, Any]) -> str:
    rows = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            params = ", ".join(p.get("name", "") for p in op.get("parameters", []))
            rows.append(
                f"<tr><td><code>{escape(method.upper())}</code></td><td><code>{escape(path)}</code></td>"
                f"<td>{escape(op.get('summary', ''))}</td><td>{escape(params)}</td></tr>"
            )
    return (
        "<table id='routes'><caption>Routes</caption><thead><tr><th scope='col'>method</th>"
        "<th scope='col'>path</th><th scope='col'>what</th><th scope='col'>parameters</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def render(spec: dict[str, Any]) -> str:
    title = escape(spec.get("info", {}).get("title", "API"))
    version = escape(spec.get("info", {}).get("version", ""))
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{title} {version} API</title>"
        "<link rel='stylesheet' href='/api/v1/docs/assets/swagger-ui.css'>"
        "<link rel='icon' href='/api/v1/docs/assets/favicon.png'></head><body><main>"
        f"<h1>{title} {version} API</h1><p>The machine-readable description: "
        "<a href='/api/v1/openapi.json'>/api/v1/openapi.json</a>. Errors are application/problem+json "
        f"(RFC 9457).</p><div id='swagger-ui'></div>{_routes(spec)}</main>"
        "<script src='/api/v1/docs/assets/swagger-ui-bundle.js'></script>"
        "<script src='/api/v1/docs/assets/start.js'></script></body></html>"
    )


@router.get("/docs")
def docs(request: Request) -> HTMLResponse:
    return HTMLResponse(render(request.app.openapi()))


@router.get("/docs/assets/{name}")
def asset(name: str) -> Response:
    """One of the few files the page needs; any other name is a 404 (no path is built from input)."""
    if name == "start.js":
        return Response(START, media_type="text/javascript")
    if name not in ASSETS:
        raise Problem(404, f"no documentation asset {name[:40]!r}", detail_nl="onbekend bestand")
    return FileResponse(_asset_dir() / name, media_type=ASSETS[name])
