"""ASGI middleware: the body-size cap (counted on the streamed bytes, 413 before reading more), the
check that a JSON body holds only characters, and the version headers on every response. Pure ASGI
so that neither buffers a response."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from peloton.api.problems import problem_response
from peloton.api.security_headers import security_headers
from peloton.api.uploads import MAX_UPLOAD_BYTES, UploadTooLarge
from peloton.api.versions import version_headers

MAX_BODY = 1_000_000  # bytes: a profile or a reform is a few kilobytes
MAX_DOCUMENT_BODY = 8_000_000  # bytes: an uploaded answer document (PDF) with its multipart envelope
DOCUMENT_PATH = "/api/v1/documents"
POPULATION_PATH = "/api/v1/populations"
MULTIPART_ENVELOPE = 64_000  # bytes a multipart form may add around an uploaded population


class ResponseHeaders:
    """Adds the version headers (X-Peloton-Version, X-Peloton-Rules-Version) and the security headers
    for the path (peloton.api.security_headers) to every HTTP response that does not set them
    itself: the API's, the docs page's and the web app's alike."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.versions = _encoded(version_headers())
        self.by_policy: dict[int, list[tuple[bytes, bytes]]] = {}

    def _headers(self, path: str) -> list[tuple[bytes, bytes]]:
        headers = security_headers(path)
        key = id(headers["Content-Security-Policy"])
        if key not in self.by_policy:
            self.by_policy[key] = [*self.versions, *_encoded(headers)]
        return self.by_policy[key]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = self._headers(str(scope.get("path", "")))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in headers if k not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _encoded(headers: Mapping[str, str]) -> list[tuple[bytes, bytes]]:
    return [(k.lower().encode(), v.encode()) for k, v in headers.items()]


def body_cap(scope: Scope) -> int:
    path = scope.get("path", "")
    if path == POPULATION_PATH:
        return MAX_UPLOAD_BYTES + MULTIPART_ENVELOPE
    return MAX_DOCUMENT_BODY if path == DOCUMENT_PATH else MAX_BODY


class BodyLimit:
    """Refuses a body above the cap with 413: at once when Content-Length says so, else as soon as
    the streamed bytes pass it. A small body is read here, up to the cap, and handed on whole; an
    uploaded population is streamed through (to disk, by the route), counted on the way: passing
    the cap raises UploadTooLarge inside the route, which answers 413."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, cap: int) -> None:
        response = problem_response(
            413,
            f"request body larger than {cap:,} bytes",
            [{"pointer": "", "detail": f"at most {cap:,} bytes"}],
            detail_nl=f"verzoek groter dan {cap:,} bytes",
            instance=scope.get("path", ""),
            headers={"Connection": "close"},
        )
        await response(scope, receive, send)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        cap = body_cap(scope)
        headers = dict(scope.get("headers", []))
        length = headers.get(b"content-length")
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                declared = cap + 1
            if declared > cap:
                await self._refuse(scope, receive, send, cap)
                return
        if scope.get("path", "") == POPULATION_PATH:
            await self.app(scope, _counted(receive, cap), send)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > cap:
                await self._refuse(scope, receive, send, cap)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        surrogate = lone_surrogate(body)
        if surrogate is not None:
            response = problem_response(
                400,
                f"not valid JSON text: {surrogate} is a lone UTF-16 surrogate, not a character",
                [{"pointer": "", "detail": f"{surrogate} is not a character"}],
                detail_nl=f"geen geldige JSON-tekst: {surrogate} is geen teken",
                instance=scope.get("path", ""),
            )
            await response(scope, receive, send)
            return
        sent = False

        async def replay() -> Any:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def lone_surrogate(body: bytes) -> str | None:
    """The first lone surrogate escape (`\\ud800`) in a JSON body, or None.

    Why: JSON may spell a UTF-16 surrogate half on its own; Python decodes it to a str that cannot be
    encoded as UTF-8, so hashing, logging or answering it fails deep inside a route (a 500). Only a
    body with a surrogate escape in it is decoded here, so the common case costs one regex scan."""
    if not _SURROGATE_ESCAPE.search(body):
        return None
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return None  # not JSON: the route's own parser says so
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = exc.object[exc.start : exc.end]
        return "".join(f"\\u{ord(c):04x}" for c in bad)
    except (ValueError, RecursionError):
        return None
    return None


def _counted(receive: Receive, cap: int) -> Receive:
    size = 0

    async def counted() -> Message:
        nonlocal size
        message = await receive()
        size += len(message.get("body", b""))
        if size > cap:
            raise UploadTooLarge
        return message

    return counted
