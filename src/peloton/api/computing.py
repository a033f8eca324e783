"""How a route runs a computation: one at a time through the rules model (OpenFisca's systems and
caches are shared objects, and the GIL would serialise the work anyway), and answered with the JSON
bytes the CLI prints, plus the input hash of the request."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import Request
from starlette.responses import Response

from peloton.api.versions import input_hash

RULES_LOCK = threading.Lock()
T = TypeVar("T")


def locked(work: Callable[[], T]) -> T:
    """Run `work` while holding the rules lock."""
    with RULES_LOCK:
        return work()


def cli_json(payload: Any) -> str:
    """Exactly what the CLI's `--json` prints: json.dumps(indent=2, ensure_ascii=False, default=str)
    and the newline `typer.echo` adds."""
    return json.dumps(payload, indent=2, ensure_ascii=False, default=str) + "\n"


def request_hash(request: Request, body: Any = None) -> str:
    """The input hash of a computation: its route, its query parameters and its JSON body. The
    inputs are remembered (in memory) so GET /reproduce/{hash} can say how to recompute it."""
    query = sorted(request.query_params.multi_items())
    digest = input_hash({"route": request.url.path, "query": query, "body": body})
    computations = getattr(request.app.state, "computations", None)
    if computations is not None:
        computations.record(digest, request.url.path, query, body)
    return digest


def json_response(payload: Any, request: Request, body: Any = None, status: int = 200) -> Response:
    return Response(
        cli_json(payload),
        status_code=status,
        media_type="application/json",
        headers={"X-Peloton-Input-Hash": request_hash(request, body)},
    )
