"""Routes of the catalog and the parameters: what a scheme is, the years the rules compute, every
parameter it reads with each dated value and its sources, and the catalog's combination rules."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from peloton.api.computing import json_response
from peloton.api.models import problems
from peloton.api.problems import Problem
from peloton.core.catalog_entry import catalog_entry
from peloton.core.scheme_parameters import parameter_entry, scheme_parameter_paths

router = APIRouter(tags=["schemes"])


def _combinations(scheme_id: str | None = None) -> list[dict[str, Any]]:
    from peloton.catalog import load_combinations

    return [
        {"schemes": list(c.schemes), "rule": c.rule, "source": c.source, "confidence": c.confidence}
        for c in load_combinations()
        if scheme_id is None or scheme_id in c.schemes
    ]


@router.get("/schemes", summary="The catalog (as `peloton schemes --json`) and its combination rules")
def schemes(request: Request) -> Response:
    from peloton.catalog import load_catalog

    payload = {"schemes": [catalog_entry(s) for s in load_catalog()], "combinations": _combinations()}
    return json_response(payload, request)


@router.get(
    "/schemes/{scheme_id}",
    summary="One scheme: catalog entry, years, parameters, combinations",
    responses=problems(404, 422),
)
def scheme(scheme_id: str, request: Request) -> Response:
    from peloton.catalog import load_catalog

    found = next((s for s in load_catalog() if s.id == scheme_id), None)
    if found is None:
        known = ", ".join(s.id for s in load_catalog())
        raise Problem(
            404,
            f"no scheme {scheme_id[:60]!r}; known: {known}",
            [{"pointer": "", "parameter": "scheme_id", "in": "path", "detail": f"known: {known}"}],
            detail_nl=f"geen regeling {scheme_id[:60]!r}",
        )
    payload = {
        **catalog_entry(found),
        "parameters": [parameter_entry(p) for p in scheme_parameter_paths(found.id)],
        "combinations": _combinations(found.id),
    }
    return json_response(payload, request)


@router.get(
    "/parameters/{path:path}",
    summary="One parameter's dated values with unit, confidence, sources",
    responses=problems(404, 422),
)
def parameter(path: str, request: Request) -> Response:
    from peloton.core.parameters import ParameterPathError

    dotted = path.strip("/").replace("/", ".")
    try:
        payload = parameter_entry(dotted)
    except ParameterPathError as exc:
        raise Problem(
            404,
            exc.detail,
            [{"pointer": "", "parameter": "path", "in": "path", "detail": exc.detail}],
            detail_nl=f"geen parameter {dotted[:80]!r}",
        ) from None
    return json_response(payload, request)
