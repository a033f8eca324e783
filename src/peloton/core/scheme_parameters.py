"""Which parameters belong to a scheme: its own subtree of the parameter tree (e.g. `wbso`,
`mit.haalbaarheid`, `mia` and `vamil`), its take-up, and every parameter its variables read, found
by tracing the rules on the probe firms (core.probes) in each year the scheme is computed (a formula
may read a shared parameter such as `vpb.tarief_laag`). The API's scheme pages and the web app's
list them with every dated value and its sources.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from peloton.catalog import get_scheme
from peloton.core.parameters import (
    ParameterPathError,
    is_leaf,
    nodes_below,
    parameter_history,
    parameter_node,
)
from peloton.core.probes import probe_reads
from peloton.core.schemes import SCHEME_RULES, SchemeRule


def _leaves(node: Any) -> list[str]:
    return [leaf.name for leaf in nodes_below([node]) if is_leaf(leaf)]


def _exists(path: str) -> bool:
    try:
        parameter_node(path)
    except ParameterPathError:
        return False
    return True


def _own_nodes(scheme_id: str) -> list[str]:
    """The subtrees named after the scheme: `mit_haalbaarheid` -> mit.haalbaarheid, `mia_vamil` ->
    mia and vamil, and `takeup.<id>`."""
    parts = scheme_id.split("_")
    candidates = [scheme_id, scheme_id.replace("_", ".", 1), f"takeup.{scheme_id}"]
    if len(parts) > 1 and all(_exists(p) for p in parts):  # a scheme of two instruments (mia_vamil)
        candidates += parts
    return [path for path in dict.fromkeys(candidates) if _exists(path)]


def _rule(scheme_id: str) -> SchemeRule | None:
    return next((r for r in SCHEME_RULES if r.id == scheme_id), None)


def _traced(rule: SchemeRule, years: tuple[int, ...]) -> set[str]:
    targets = [v for c in rule.components for v in (c.variable, c.value, c.applies) if v is not None] + (
        [rule.modelled] if rule.modelled else []
    )
    names: set[str] = set()
    for year in years:
        names |= probe_reads(targets, year).parameters
    return names


@cache
def scheme_parameter_paths(scheme_id: str) -> tuple[str, ...]:
    """Every leaf parameter of the scheme, sorted by path."""
    paths: set[str] = set()
    for node in _own_nodes(scheme_id):
        paths.update(_leaves(parameter_node(node)))
    rule = _rule(scheme_id)
    if rule is not None:
        for name in _traced(rule, tuple(get_scheme(scheme_id).years)):
            try:
                paths.update(_leaves(parameter_node(name)))
            except ParameterPathError:
                continue
    return tuple(sorted(paths))


def parameter_entry(path: str) -> dict[str, Any]:
    """One parameter: path, label, unit, description and every dated value with its sources."""
    node = parameter_node(path)
    metadata = dict(getattr(node, "metadata", {}) or {})
    return {
        "path": node.name,
        "label": str(metadata.get("label") or getattr(node, "description", "") or node.name),
        "description": str(getattr(node, "description", "") or ""),
        "unit": str(metadata.get("unit", "")),
        "values": parameter_history(path),
    }
