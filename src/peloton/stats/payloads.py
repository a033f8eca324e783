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
