"""Which inputs each scheme needs, read from the rules' own dependency graph.

The rules are traced on a small probe population whose firms take opposite values for every
yes/no and choice input, so that every branch of every formula runs; the inputs met in each
scheme's trace are the ones a form must ask.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openfisca_core.errors import ParameterNotFoundError

from peloton.errors import InputError
from peloton.model import tax_benefit_system
from peloton.navigator.evaluate import build_simulation
from peloton.navigator.profile import Profile, covered_years
from peloton.navigator.registry import questions
from peloton.navigator.schemes import SCHEME_RULES


@dataclass(frozen=True)
class Need:
    variable: str
    label: str
    question: str
    hint: str
    unit: str
    allowed: str
    schemes: tuple[str, ...]


def _probe_profiles(year: int) -> list[Profile]:
    """Two firms: one with every input at its default, one with every bool flipped and every
    choice at its first non-default value; numbers positive so that no branch is skipped."""
    system = tax_benefit_system()
    flipped: dict[str, dict[str, Any]] = {}
    for name, variable in system.variables.items():
        if variable.formulas:
            continue
        if variable.value_type is bool:
            flipped[name] = {str(year): not variable.default_value}
        elif getattr(variable, "possible_values", None) is not None:
            others = [v.name for v in variable.possible_values if v != variable.default_value]
            if others:
                flipped[name] = {str(year): others[0]}
    flipped["rechtsvorm"] = {str(year): "eenmanszaak"}
    positive = {
        name: {str(year): 1}
        for name, variable in system.variables.items()
        if not variable.formulas and variable.value_type in (int, float)
    }
    return [Profile("probe_default", year, positive), Profile("probe_flipped", year, {**positive, **flipped})]


def _allowed(variable: Any, name: str) -> str:
    if variable.value_type is bool:
        return "true / false"
    values = getattr(variable, "possible_values", None)
    if values is not None:
        return " | ".join(v.name for v in values)
    q = questions().get(name)
    low = "" if q is None or q.minimum is None else f"{q.minimum:g}"
    high = "" if q is None or q.maximum is None else f"{q.maximum:g}"
    return f"{low or '-inf'} .. {high or 'inf'}"


def needed_inputs(scheme_ids: list[str] | None = None, year: int | None = None) -> list[Need]:
    """Inputs that the given schemes (all when None) read, each with the schemes that need it."""
    known = [rule.id for rule in SCHEME_RULES]
    chosen = scheme_ids or known
    for scheme_id in chosen:
        if scheme_id not in known:
            raise InputError(
                "SCHEME", f"unknown or not rule-based scheme {scheme_id!r}; rule-based: {', '.join(known)}"
            )
    probe_year = year or max(y for y in covered_years() if y <= 2025)
    simulation = build_simulation(_probe_profiles(probe_year), trace=True)
    system = tax_benefit_system()
    users: dict[str, list[str]] = {}
    for rule in SCHEME_RULES:
        if rule.id not in chosen:
            continue
        for component in rule.components:
            for target in (component.applies, component.variable):
                try:
                    simulation.calculate(target, str(probe_year))
                except ParameterNotFoundError:
                    continue
        for root in simulation.tracer.trees:
            if root.name not in {c.variable for c in rule.components} | {c.applies for c in rule.components}:
                continue
            stack = [root]
            while stack:
                node = stack.pop()
                stack.extend(node.children)
                if not system.variables[node.name].formulas:
                    users.setdefault(node.name, [])
                    if rule.id not in users[node.name]:
                        users[node.name].append(rule.id)
    out: list[Need] = []

    def category(name: str) -> str:
        q = questions().get(name)
        return q.category if q else ""

    for name in sorted(users, key=lambda n: (category(n), n)):
        variable = system.variables[name]
        q = questions().get(name)
        out.append(
            Need(
                variable=name,
                label=str(variable.label),
                question=q.question if q else str(variable.label),
                hint=q.hint if q else "",
                unit=(q.unit if q else "") or str(getattr(variable, "unit", "") or ""),
                allowed=_allowed(variable, name),
                schemes=tuple(users[name]),
            )
        )
    return out
