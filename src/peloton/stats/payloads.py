"""The JSON documents of the monitor's commands, built once for `peloton stats … --json` and the REST
API's /stats routes, so the two cannot drift (they are compared in tests/api)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb

from peloton.errors import InputError
from peloton.stats import analyses
from peloton.stats.measures import MEASURES, Measure
from peloton.stats.store import Store


def measure_json(measure_id: str) -> dict[str, str]:
    spec: Measure | None = MEASURES.get(measure_id)
    return {
        "id": measure_id,
        "label": spec.label if spec else measure_id,
        "unit": spec.unit if spec else "",
        "scope": spec.scope if spec else "",
    }


def schemes_with_data(st: Store) -> list[str]:
    present = set(st.measures())
    return list(dict.fromkeys(m.scheme for m in MEASURES.values() if m.scheme and m.id in present))


def registry_projects(scheme: str) -> dict[str, Any] | None:
    """The registry's projects for the scheme (its public scheme_projects); None when it cannot be read."""
    from peloton.registry import scheme_projects

    try:
        return scheme_projects(scheme)
    except (InputError, OSError, duckdb.Error):
        return None


def scheme_use_payload(
    st: Store, scheme: str, years: Sequence[analyses.SchemeYear] | None = None
) -> dict[str, Any]:
    """`stats schemes --json`: the scheme's use by year with sources, and its registry projects."""
    rows = analyses.scheme_use(st, scheme) if years is None else years
    ids = [m.id for m in MEASURES.values() if m.scheme == scheme]
    present = [i for i in ids if any(i in y.values for y in rows)]
    return {
        "scheme": scheme,
        "schemes_with_data": schemes_with_data(st),
        "measures": [measure_json(m) for m in present],
        "rows": [
            {
                "period": y.period,
                "values": {
                    m: {"value": o.value, "seed_only": o.source.startswith("seed:"), "source": o.source}
                    for m, o in y.values.items()
                },
                "computed": y.computed,
            }
            for y in rows
        ],
        "registry_projects": registry_projects(scheme),
    }


def sources_json(rows: Sequence[Any]) -> list[dict[str, str]]:
    """The distinct sources of some observations (table, vintage, URL, retrieval date, confidence)."""
    seen = dict.fromkeys((o.table_id, o.vintage, o.source, o.retrieved_at, o.confidence) for o in rows)
    keys = ("table_id", "vintage", "source", "retrieved_at", "confidence")
    return [dict(zip(keys, s, strict=True)) for s in seen]


def sectors_payload(
    measure: str, start: int, end: int, rows: Sequence[Any], obs: Sequence[Any]
) -> dict[str, Any]:
    """`stats sectors --json`: the change per sector between two years, low point and recovery."""
    return {
        "measure": measure_json(measure),
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
        "sources": sources_json(obs),
    }


def productivity_payload(
    measure: str, series: Sequence[Any], averages: Sequence[Any], published: Sequence[Any]
) -> dict[str, Any]:
    """`stats productivity --json`: yearly growth, window averages and CBS's published averages."""
    return {
        "measure": measure_json(measure),
        "rows": [
            {"period": o.period, "value": o.value, "vintage": o.vintage, "confidence": o.confidence}
            for o in series
        ],
        "averages": [a.as_json() for a in averages],
        "published": [
            {"period": o.period, "value": o.value, "unit": o.unit, "scope": o.scope, "source": o.source}
            for o in published
        ],
        "sources": sources_json(series),
    }


def claims_payload(checks: Sequence[Any]) -> dict[str, Any]:
    """`stats claims --json`: each seed figure with the data, the verdict and the sources."""
    return {
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


def info_payload(location: str, created: bool, meta: dict[str, str], measures: int) -> dict[str, Any]:
    """`stats info --json`: where the store is, its metadata and how many measures it holds."""
    return {"store": location, "created": created, "meta": meta, "measures": measures}


def sectors_document(
    st: Store, start: int, end: int, measure: str, sectors: Sequence[str] | None, level: str
) -> dict[str, Any]:
    """Jobs by sector between two years, read from the store: what `peloton stats sectors --json`,
    the API's /stats/sectors and the web monitor show."""
    chosen = list(sectors or []) or None
    rows = analyses.sector_change(st, start, end, measure=measure, sectors=chosen, level=level)
    obs = st.observations(measure, str(end), rows[0].sector_code) if rows else []
    return sectors_payload(measure, start, end, rows, obs)


def sector_series_document(
    st: Store, start: int, end: int, measure: str, sectors: Sequence[str]
) -> dict[str, Any]:
    """Each chosen sector's yearly values inside the window (not only its start and end): the monitor's
    series chart and table. Years a sector lacks are null, never filled in."""
    series = analyses.sector_series(st, measure, sectors, start, end)
    years = sorted({o.period for rows in series.values() for o in rows})
    labels = st.sectors(measure)
    return {
        "measure": measure_json(measure),
        "from": start,
        "to": end,
        "years": years,
        "sectors": [
            {
                "sector_code": code,
                "sector_label": labels.get(code, code),
                "values": [{o.period: o.value for o in rows}.get(y) for y in years],
            }
            for code, rows in series.items()
        ],
        "sources": sources_json([o for rows in series.values() for o in rows]),
    }


def productivity_document(st: Store, periods: str, measure: str) -> dict[str, Any]:
    """Labour productivity by year and its window averages (`peloton stats productivity --json`)."""
    windows = analyses.parse_windows(periods)
    series = analyses.yearly_series(st, measure)
    averages = [analyses.window_average(st, a, b, measure) for a, b in windows]
    return productivity_payload(measure, series, averages, st.observations("labour_productivity_avg_growth"))
