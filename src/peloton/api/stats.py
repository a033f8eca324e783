"""Routes of the monitor: the analyses behind `peloton stats … --json`, with the same parameters and
the same JSON documents, on the default store (the bundled snapshot until `stats update` ran).

Both read the stats store through the same analyses and build their documents with the same
functions (peloton.stats.payloads), so the API's JSON is the CLI's by construction.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from peloton.api.computing import json_response
from peloton.api.models import problems
from peloton.stats import payloads

router = APIRouter(prefix="/stats", tags=["monitor"])
Year = Annotated[int, Query(ge=1900, le=2100)]


def _open() -> Any:
    from peloton.stats.store import Store

    return Store.open(None, read_only=True)


def _document(command: str, payload: dict[str, Any]) -> dict[str, Any]:
    return {"command": command, **payload}


@router.get(
    "/sectors",
    summary="Jobs by sector between two years (`peloton stats sectors --json`)",
    responses=problems(422),
)
def sectors(
    request: Request,
    start: Annotated[int, Query(alias="from", ge=1900, le=2100)] = 2010,
    end: Annotated[int, Query(alias="to", ge=1900, le=2100)] = 2020,
    measure: str = "employee_jobs",
    sector: Annotated[list[str] | None, Query()] = None,
    level: str = "sections",
) -> Response:
    with _open() as st:
        payload = payloads.sectors_document(st, start, end, measure, sector, level)
    return json_response(_document("stats sectors", payload), request)


@router.get(
    "/productivity", summary="Labour-productivity growth and window averages", responses=problems(422)
)
def productivity(
    request: Request, periods: str = "2009-2013,2014-2020", measure: str = "labour_productivity_commercial"
) -> Response:
    with _open() as st:
        payload = payloads.productivity_document(st, periods, measure)
    return json_response(_document("stats productivity", payload), request)


@router.get(
    "/schemes", summary="Scheme use by year (`peloton stats schemes --json`)", responses=problems(422)
)
def scheme_use(request: Request, scheme: str = "wbso") -> Response:
    with _open() as st:
        payload = payloads.scheme_use_payload(st, scheme)
    return json_response(_document("stats schemes", payload), request)


@router.get("/claims", summary="The seed's figures checked against the data", responses=problems(422))
def claims(request: Request) -> Response:
    from peloton.stats.claims import check_claims

    with _open() as st:
        checks = check_claims(st)
    payload = payloads.claims_payload(checks)
    return json_response(_document("stats claims", payload), request)


@router.get("/info", summary="Which store and snapshot the monitor reads", responses=problems(422))
def info(request: Request) -> Response:
    from peloton.stats.store import default_store_path

    with _open() as st:
        path = st.path
        meta = st.meta()
        n = len(st.measures())
    location = str(path or default_store_path())
    payload = payloads.info_payload(location, path is not None, meta, n)
    return json_response(_document("stats info", payload), request)
