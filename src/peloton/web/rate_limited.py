"""The web app's forms that start work, under the API's per-client rate limits
(peloton.api.rate_limits): the simulator's form (a parameter change, a sweep, a new scheme or a
pasted reform: each a simulation job) and the reader's upload. They count against the same buckets
as POST /api/v1/simulations and the API's uploads, so a client has one budget whichever way it
comes; a refused post is answered with a page in the page's language (429, Retry-After), not with
the API's problem JSON."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Scope

from peloton.api.rate_limits import Refusal
from peloton.web.i18n import LANGUAGES
from peloton.web.rendering import page

PAGES = {
    **{f"/{lang}/simulator": "simulations" for lang in LANGUAGES},
    **{f"/{lang}/lezer": "uploads" for lang in LANGUAGES},
}


def refusal_page(scope: Scope, refusal: Refusal) -> Response:
    """The refusal as a page: what was refused, the limit, when to try again, a link back to the form."""
    request = Request({**scope, "query_string": b""})  # the page itself, not a table of it (?csv=)
    lang = str(scope.get("path", "")).split("/")[1]
    response = page(
        request,
        lang,
        "rate_limited.html.j2",
        status=429,
        group=refusal.group,
        limit=refusal.per_minute,
        seconds=refusal.retry_after,
    )
    response.headers["Retry-After"] = str(refusal.retry_after)
    return response
