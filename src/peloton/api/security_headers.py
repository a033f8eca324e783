"""Security headers on every response the server sends: the API's JSON and problem documents, the
docs page, and the pages of the web app mounted at `/` (peloton.api.middleware.ResponseHeaders adds
them around the whole application).

Why each: Content-Security-Policy lets a page load scripts, styles, images and fonts from this
server only and run no inline script (an injected `<script>` or `onclick=` does nothing), and
`frame-ancestors 'none'` (with X-Frame-Options for old browsers) stops another site framing a page
to trick clicks; X-Content-Type-Options stops a browser guessing a type (an uploaded text that
looks like HTML is never run as HTML); Referrer-Policy keeps a page's address, which may carry a
job id, from leaking to other sites.
"""

from __future__ import annotations


def _policy(style_sources: str) -> str:
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            f"style-src {style_sources}",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


CONTENT_SECURITY_POLICY = _policy("'self'")
# The web app's pages allow inline *styles* (never scripts): Plotly sets style attributes on the SVG
# of every chart. The API, its docs page and the static files keep the strict policy.
PAGE_CONTENT_SECURITY_POLICY = _policy("'self' 'unsafe-inline'")
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
STRICT_PREFIXES = ("/api/", "/static/")


def security_headers(path: str) -> dict[str, str]:
    """The security headers of a response to `path`: the strict policy for the API and static files,
    the page policy for the web app's pages."""
    if path.startswith(STRICT_PREFIXES):
        return SECURITY_HEADERS
    return {**SECURITY_HEADERS, "Content-Security-Policy": PAGE_CONTENT_SECURITY_POLICY}
