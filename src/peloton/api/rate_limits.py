"""Per-client rate limits on the routes that cost the server most: submitting a simulation (a job
in the process pool) and uploading (a population streamed to disk and validated, or a document read).

A token bucket per client address and group: `per_minute` requests at once, refilled at
per_minute / 60 a second. A request beyond it is answered 429 with Retry-After (the seconds until
the next token) before its body is read. The web app's forms that start the same work (the
simulator's form, the reader's upload) count against the same buckets, so a client has one budget
whichever way it comes; a refused form is answered with a page (the web app's `refusal_page`), an
API call with a problem. The client is the connection's address: behind a reverse
proxy every request shares one address, so the proxy should limit per client itself.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from peloton.api.problems import problem_response

GROUPS = {
    "/api/v1/simulations": "simulations",
    "/api/v1/populations": "uploads",
    "/api/v1/documents": "uploads",
}
DEFAULT_PER_MINUTE = 60
MAX_TRACKED_CLIENTS = 10_000  # beyond this, buckets that have refilled are forgotten


@dataclass
class Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """Token buckets by (client, group); thread-safe, pure bookkeeping (no I/O)."""

    def __init__(
        self, per_minute: int = DEFAULT_PER_MINUTE, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.per_minute = per_minute
        self.rate = per_minute / 60.0
        self.clock = clock
        self.buckets: dict[tuple[str, str], Bucket] = {}
        self.lock = threading.Lock()

    def take(self, client: str, group: str) -> float:
        """0 when the request may go ahead (a token is taken), else the seconds to wait."""
        now = self.clock()
        with self.lock:
            if len(self.buckets) > MAX_TRACKED_CLIENTS:
                self._forget_full(now)
            bucket = self.buckets.get((client, group))
            if bucket is None:
                bucket = self.buckets[(client, group)] = Bucket(float(self.per_minute), now)
            bucket.tokens = min(self.per_minute, bucket.tokens + (now - bucket.updated) * self.rate)
            bucket.updated = now
            if bucket.tokens >= 1:
                bucket.tokens -= 1
                return 0.0
            return (1 - bucket.tokens) / self.rate

    def _forget_full(self, now: float) -> None:
        full = [
            k for k, b in self.buckets.items() if b.tokens + (now - b.updated) * self.rate >= self.per_minute
        ]
        for key in full:
            del self.buckets[key]


@dataclass(frozen=True)
class Refusal:
    """A request over its client's limit: its group, the limit a minute, the seconds to wait."""

    group: str
    per_minute: int
    retry_after: int


def refusal_problem(scope: Scope, refusal: Refusal) -> Response:
    """The API's answer: a 429 problem with Retry-After."""
    group, limit, seconds = refusal.group, refusal.per_minute, refusal.retry_after
    return problem_response(
        429,
        f"too many {group} requests from this client: at most {limit} a minute; try again in {seconds} s",
        [{"pointer": "", "detail": f"at most {limit} {group} requests a minute per client"}],
        detail_nl=f"te veel verzoeken ({group}): hoogstens {limit} per minuut; "
        f"probeer het over {seconds} s opnieuw",
        instance=scope.get("path", ""),
        headers={"Retry-After": str(seconds)},
    )


class RateLimit:
    """ASGI middleware: POSTs to the routes in GROUPS pass through the client's bucket, and so do
    POSTs to the web app's `pages` (path -> group), refused with `page_refusal`."""

    def __init__(
        self,
        app: ASGIApp,
        per_minute: int = DEFAULT_PER_MINUTE,
        pages: Mapping[str, str] | None = None,
        page_refusal: Callable[[Scope, Refusal], Response] | None = None,
    ) -> None:
        self.app = app
        self.limiter = RateLimiter(per_minute) if per_minute > 0 else None
        self.pages = dict(pages or {})
        self.page_refusal = page_refusal or refusal_problem

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        group = GROUPS.get(path) or self.pages.get(path)
        if self.limiter is None or group is None or scope.get("method") != "POST":
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        wait = self.limiter.take(str(client[0]) if client else "unknown", group)
        if wait <= 0:
            await self.app(scope, receive, send)
            return
        refusal = Refusal(group, self.limiter.per_minute, max(1, math.ceil(wait)))
        respond = refusal_problem if path in GROUPS else self.page_refusal
        await respond(scope, refusal)(scope, receive, send)
