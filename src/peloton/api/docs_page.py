"""A plain HTML page listing the routes from the OpenAPI document: FastAPI's Swagger UI loads its
script from a CDN, and peloton serves nothing from outside at run time. Its stylesheet is served
beside it: the Content-Security-Policy allows no inline style."""

from __future__ import annotations

from html import escape
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, Response

router = APIRouter(include_in_schema=False)
STYLESHEET = (
    "body{font-family:sans-serif;margin:2em}td,th{padding:.3em .8em;text-align:left;"
    "border-bottom:1px solid #ddd}"
)


def render(spec: dict[str, Any]) -> str:
    rows = []
    for path, methods in spec.get("paths", {}).items():
        for method, op in methods.items():
            params = ", ".join(p.get("name", "") for p in op.get("parameters", []))
            rows.append(
                f"<tr><td><code>{escape(method.upper())}</code></td><td><code>{escape(path)}</code></td>"
                f"<td>{escape(op.get('summary', ''))}</td><td>{escape(params)}</td></tr>"
            )
    title = escape(spec.get("info", {}).get("title", "API"))
    version = escape(spec.get("info", {}).get("version", ""))
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{title}</title><link rel='stylesheet' href='/api/v1/docs/style.css'></head><body>"
        f"<h1>{title} {version}</h1><p>The machine-readable description: "
        "<a href='/api/v1/openapi.json'>/api/v1/openapi.json</a>. Errors are application/problem+json "
        "(RFC 9457).</p><table><thead><tr><th>method</th><th>path</th><th>what</th><th>parameters</th>"
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table></body></html>"
    )


@router.get("/docs")
def docs(request: Request) -> HTMLResponse:
    return HTMLResponse(render(request.app.openapi()))


@router.get("/docs/style.css")
def stylesheet() -> Response:
    return Response(STYLESHEET, media_type="text/css; charset=utf-8")
