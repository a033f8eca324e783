"""A catalog entry as every interface shows it (`peloton schemes --json`, the API's /schemes): the
catalog's facts plus, for a rule-based scheme, how many of its parameter values rest on an official
source, on secondary sources only, or are gaps, and for each year the rules refuse, the gaps (GAP
parameters with their notes) that make them refuse. One function, so the CLI and the API cannot drift."""

from __future__ import annotations

from typing import Any

from peloton.core.parameters import gap_values, source_counts
from peloton.core.schemes import SCHEME_RULES

# The years a refusal is reported for: the span of the rules model (2019-2026 in the reference pack).
REPORTED_YEARS = range(2019, 2027)


def catalog_entry(scheme: Any) -> dict[str, Any]:
    """The scheme's catalog dict with `parameter_values` and `refused_years` where the rules model
    computes it: a year outside `years` lists the scheme's parameters that have no value then."""
    out: dict[str, Any] = scheme.as_dict()
    rule = next((r for r in SCHEME_RULES if r.id == scheme.id), None)
    if rule is not None and rule.parameters:
        out["parameter_values"] = source_counts(rule.parameters)
        out["refused_years"] = {
            str(year): gap_values(rule.parameters, year)
            for year in REPORTED_YEARS
            if year not in scheme.years
        }
    return out
