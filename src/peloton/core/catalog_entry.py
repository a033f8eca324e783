"""A catalog entry as every interface shows it (`peloton schemes --json`, the API's /schemes): the
catalog's facts plus, for a rule-based scheme, how many of its parameter values rest on an official
source, on secondary sources only, or are gaps. One function, so the CLI and the API cannot drift."""

from __future__ import annotations

from typing import Any

from peloton.core.parameters import source_counts
from peloton.core.schemes import SCHEME_RULES


def catalog_entry(scheme: Any) -> dict[str, Any]:
    """The scheme's catalog dict with `parameter_values` where the rules model computes it."""
    out: dict[str, Any] = scheme.as_dict()
    rule = next((r for r in SCHEME_RULES if r.id == scheme.id), None)
    if rule is not None and rule.parameters:
        out["parameter_values"] = source_counts(rule.parameters)
    return out
