"""Which inputs each scheme needs, read from the rules' own dependency graph.

The rules are traced on a small probe population whose firms take opposite values for every
yes/no and choice input, so that every branch of every formula runs; the inputs met in each
scheme's trace are the ones a form must ask.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openfisca_core.errors import ParameterNotFoundError

from peloton.catalog import covered_years, get_scheme
from peloton.core.inputs import input_spec, questions
from peloton.core.schemes import SCHEME_RULES
from peloton.errors import InputError
from peloton.model import tax_benefit_system
from peloton.navigator.evaluate import build_simulation
from peloton.navigator.profile import Profile
from peloton.navigator.regional import READS


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
    """Three firms: one with every input at its default, one with every bool flipped and every
    choice at its first non-default value (as an IB-ondernemer), and the same as a BV; numbers
    positive so that no branch is skipped."""
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
    corporate = dict(flipped)
    flipped["rechtsvorm"] = {str(year): "eenmanszaak"}
    # Amounts large enough to pass every minimum (investment, project size), counts small enough
    # to keep the probe an SME, so that no branch is skipped.
    positive = {
        name: {str(year): 1_000_000 if getattr(variable, "unit", "") == "currency-EUR" else 1}
        for name, variable in system.variables.items()
        if not variable.formulas and variable.value_type in (int, float)
    }
    return [
        Profile("probe_default", year, positive),
        Profile("probe_flipped", year, {**positive, **flipped}),
        Profile("probe_flipped_bv", year, {**positive, **corporate}),
    ]


def _allowed(variable: Any, name: str) -> str:
    spec = input_spec(name)
    return spec.allowed() if spec is not None else str(variable.value_type.__name__)


def _probe_years(scheme_id: str) -> tuple[int, ...]:
    """The years the scheme is computed (all covered years for a scheme the catalog leaves open)."""
    return get_scheme(scheme_id).years or covered_years()


def _targets() -> dict[str, tuple[set[str], tuple[int, ...]]]:
    """Per scheme id: the rules-model variables its answer rests on, and the years to probe."""
    jobs: dict[str, tuple[set[str], tuple[int, ...]]] = {}
    for rule in SCHEME_RULES:
        names = [rule.modelled] + [n for c in rule.components for n in (c.variable, c.applies, c.value)]
        jobs[rule.id] = ({n for n in names if n}, _probe_years(rule.id))
    latest = (max(covered_years()),)  # regional entries read the same inputs in every year
    for scheme_id, variables in READS.items():  # regional entries: read from the regional catalog
        jobs[scheme_id] = (set(variables), latest)
    return jobs


def needed_inputs(scheme_ids: list[str] | None = None, year: int | None = None) -> list[Need]:
    """Inputs that the given schemes (all when None) read, each with the schemes that need it."""
    jobs = _targets()
    chosen = scheme_ids or list(jobs)
    for scheme_id in chosen:
        if scheme_id not in jobs:
            raise InputError("SCHEME", f"unknown scheme {scheme_id!r}; known: {', '.join(jobs)}")
    system = tax_benefit_system()
    users: dict[str, list[str]] = {}
    for scheme_id in chosen:
        targets, years = jobs[scheme_id]
        # One fresh simulation per scheme and year: a variable another scheme computed first would
        # come from the cache without its inputs. Every computed year is probed, because a scheme
        # may read different inputs in different years (e.g. an instrument closed in one of them).
        for probe_year in [year] if year else years:
            simulation = build_simulation(_probe_profiles(probe_year), trace=True)
            for target in sorted(targets):
                try:
                    simulation.calculate(target, str(probe_year))
                except ParameterNotFoundError:
                    continue
            for root in simulation.tracer.trees:
                if root.name not in targets:
                    continue
                stack = [root]
                while stack:
                    node = stack.pop()
                    stack.extend(node.children)
                    if not system.variables[node.name].formulas:
                        users.setdefault(node.name, [])
                        if scheme_id not in users[node.name]:
                            users[node.name].append(scheme_id)
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
