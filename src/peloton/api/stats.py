"""Routes of the monitor: the analyses behind `peloton stats … --json`, with the same parameters and
the same JSON documents, on the default store (the bundled snapshot until `stats update` ran).

The stats CLI builds these documents inside its commands; until the stats package exposes them as
functions, this adapter assembles them from the same public analyses (peloton.stats.analyses, the
store, peloton.stats.claims), key for key.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from peloton.api.computing import json_response

router = APIRouter(prefix="/stats", tags=["monitor"])
Year = Annotated[int, Query(ge=1900, le=2100)]


def _open() -> Any:
    from peloton.stats.store import Store

    return Store.open(None, read_only=True)


def _measure_json(measure_id: str) -> dict[str, str]:
    from peloton.stats.measures import MEASURES

    spec = MEASURES.get(measure_id)
    return {
        "id": measure_id,
        "label": spec.label if spec else measure_id,
        "unit": spec.unit if spec else "",
        "scope": spec.scope if spec else "",
    }


def _sources_json(rows: Sequence[Any]) -> list[dict[str, str]]:
    seen = dict.fromkeys((o.table_id, o.vintage, o.source, o.retrieved_at, o.confidence) for o in rows)
    keys = ("table_id", "vintage", "source", "retrieved_at", "confidence")
    return [dict(zip(keys, s, strict=True)) for s in seen]


def _document(command: str, payload: dict[str, Any]) -> dict[str, Any]:
    return {"command": command, **payload}


@router.get("/sectors", summary="Jobs by sector between two years (`peloton stats sectors --json`)")
def sectors(
    request: Request,
    start: Annotated[int, Query(alias="from", ge=1900, le=2100)] = 2010,
    end: Annotated[int, Query(alias="to", ge=1900, le=2100)] = 2020,
    measure: str = "employee_jobs",
    sector: Annotated[list[str] | None, Query()] = None,
    level: str = "sections",
) -> Response:
    from peloton.stats import analyses

    with _open() as st:
        rows = analyses.sector_change(st, start, end, measure=measure, sectors=sector, level=level)
        obs = st.observations(measure, str(end), rows[0].sector_code) if rows else []
    payload = {
        "measure": _measure_json(measure),
        "from": start,
        "to": end,
        "rows": [
            {
                "sector_code": c.sector_code,
                "sector_label": c.sector_label,
                "start_value": c.start_value,
                "end_value": c.end_value,
                "change": c.change,
                "pct_change": c.pct_change,
                "trough_period": c.trough_period if c.dipped else None,
                "trough_value": c.trough_value if c.dipped else None,
                "recovered_fully": c.recovered_fully,
            }
            for c in rows
        ],
        "sources": _sources_json(obs),
    }
    return json_response(_document("stats sectors", payload), request)


@router.get("/productivity", summary="Labour-productivity growth and window averages")
def productivity(
    request: Request, periods: str = "2009-2013,2014-2020", measure: str = "labour_productivity_commercial"
) -> Response:
    from peloton.stats import analyses

    windows = analyses.parse_windows(periods)
    with _open() as st:
        series = analyses.yearly_series(st, measure)
        averages = [analyses.window_average(st, a, b, measure) for a, b in windows]
        published = st.observations("labour_productivity_avg_growth")
    payload = {
        "measure": _measure_json(measure),
        "rows": [
            {"period": o.period, "value": o.value, "vintage": o.vintage, "confidence": o.confidence}
            for o in series
        ],
        "averages": [a.as_json() for a in averages],
        "published": [
            {"period": o.period, "value": o.value, "unit": o.unit, "scope": o.scope, "source": o.source}
            for o in published
        ],
        "sources": _sources_json(series),
    }
    return json_response(_document("stats productivity", payload), request)


@router.get("/schemes", summary="Scheme use by year (`peloton stats schemes --json`)")
def scheme_use(request: Request, scheme: str = "wbso") -> Response:
    from peloton.stats.payloads import scheme_use_payload

    with _open() as st:
        payload = scheme_use_payload(st, scheme)
    return json_response(_document("stats schemes", payload), request)


@router.get("/claims", summary="The seed's figures checked against the data")
def claims(request: Request) -> Response:
    from peloton.stats.claims import check_claims

    with _open() as st:
        checks = check_claims(st)
    payload = {
        "rows": [
            {
                "question": c.question,
                "claim": c.claim,
                "data": c.data,
                "verdict": c.verdict,
                "sources": list(c.sources),
            }
            for c in checks
        ]
    }
    return json_response(_document("stats claims", payload), request)


@router.get("/info", summary="Which store and snapshot the monitor reads")
def info(request: Request) -> Response:
    from peloton.stats.store import default_store_path

    with _open() as st:
        path = st.path
        meta = st.meta()
        n = len(st.measures())
    location = str(path or default_store_path())
    payload = {"store": location, "created": path is not None, "meta": meta, "measures": n}
    return json_response(_document("stats info", payload), request)
