"""Values an unanswered input could take, for asking "would knowing it change anything?".

For a choice or yes/no input every value is tried; for a number, a grid over its allowed range plus
every threshold of the same unit that the rules' parameters hold in that year (and one unit either
side of it), so that a value just across a ceiling is among the candidates.
"""

from __future__ import annotations

from typing import Any

from peloton.core.inputs import BOOL, ENUM, FLOAT, INT, InputSpec
from peloton.core.parameters import nodes_below
from peloton.core.system_memos import memo_of

_GRID = (
    0.0, 0.5, 1.0, 2.0, 5.0, 10.0, 25.0, 50.0, 100.0, 250.0, 500.0, 1_000.0, 2_500.0, 5_000.0, 10_000.0,
    25_000.0, 50_000.0, 100_000.0, 250_000.0, 500_000.0, 1e6, 2.5e6, 5e6, 1e7, 2.5e7, 5e7, 1e8, 2.5e8, 1e9,
    1e10, 1e11, 1e12,
)  # fmt: skip
_UNIT_OF_PARAMETER = {
    "currency-EUR": "currency-EUR",
    "hour": "hour",
    "AWU": "AWU",
    "enterprise": "enterprise",
}


def _thresholds(system: Any, year: int) -> dict[str, tuple[float, ...]]:
    """Every numeric parameter value in force in `year`, by unit (memoised on the system:
    peloton.core.system_memos)."""
    memo = memo_of(system, "thresholds")
    if year not in memo:
        memo[year] = _values_in_force(system, year)
    found: dict[str, tuple[float, ...]] = memo[year]
    return found


def _values_in_force(system: Any, year: int) -> dict[str, tuple[float, ...]]:
    out: dict[str, set[float]] = {}
    instant = f"{year}-01-01"
    for node in nodes_below([system.parameters]):
        unit = _UNIT_OF_PARAMETER.get(str((getattr(node, "metadata", {}) or {}).get("unit", "")))
        if unit is None:
            continue
        try:
            value = node(instant)
        except Exception:
            continue
        if isinstance(value, int | float) and not isinstance(value, bool):
            out.setdefault(unit, set()).update({float(value) - 1, float(value), float(value) + 1})
    return {unit: tuple(sorted(values)) for unit, values in out.items()}


def candidate_values(spec: InputSpec, system: Any, year: int) -> list[Any]:
    """The values to try for one input, all within its allowed range, its default left out."""
    if spec.kind == BOOL:
        return [not spec.default]
    if spec.kind == ENUM:
        default = getattr(spec.default, "name", spec.default)
        return [item for item in spec.items if item != default]
    if spec.kind not in (INT, FLOAT):
        return []
    low = spec.minimum if spec.minimum is not None else -1e12
    high = spec.maximum if spec.maximum is not None else 1e12
    grid = {*_GRID, *(-g for g in _GRID if low < 0)}
    grid |= set(_thresholds(system, year).get(spec.unit, ()))
    values = sorted(v for v in grid if low <= v <= high)
    if spec.kind == INT:
        values = sorted({float(round(v)) for v in values})
    default = spec.default
    return [int(v) if spec.kind == INT else v for v in values if v != default]


# Numbers a witness firm gives an unanswered input, by unit: one set for a small firm, one for a large.
_WITNESS_NUMBERS = {
    "currency-EUR": (1e6, 1e8),
    "hour": (1_000.0, 2_000.0),
    "AWU": (5.0, 400.0),
    "enterprise": (3.0, 3.0),
    "year": (1.0, 5.0),
    "/1": (0.37, 0.495),
}
WITNESSES = 6
# Witnesses 4 and 5 give amounts of a moderate size, half and whole by turns: inputs that matter only
# as a pair with a ratio between them (own costs at most 70% of the project's, MIT-regeling) need one
# smaller than the other, which the equal amounts of witnesses 0-3 never give.
_SHARED_AMOUNT = 200_000.0
_SHARE_FACTORS = (0.5, 1.0)


def witness_value(spec: InputSpec, k: int, rank: int = 0) -> Any:
    """The value the k-th witness firm gives an input: witnesses switch many inputs at once, so that
    inputs which matter only together (a ticket and a benefit, a project and its partners) show.
    `rank` is the input's place among the varied inputs of its unit, in name order: witnesses 4 and 5
    give neighbouring amounts opposite factors, so of two related amounts (named alike, so next to
    each other) one witness makes the first the smaller and the other the second."""
    if spec.kind == BOOL:
        return spec.default if k == 3 else not spec.default
    if spec.kind == ENUM:
        return spec.items[(k + 1) % len(spec.items)]
    if spec.kind not in (INT, FLOAT):
        return spec.default
    small, large = _WITNESS_NUMBERS.get(spec.unit, (1.0, 1.0))
    value = small if k % 2 == 0 else large
    if k >= 4 and spec.unit == "currency-EUR":
        value = _SHARED_AMOUNT * _SHARE_FACTORS[(rank + k) % 2]
    if spec.maximum is not None:
        value = min(value, spec.maximum)
    return int(value) if spec.kind == INT else value
