"""Profiles → every scheme's eligibility, amount, value and reasons, in one vectorised simulation.

A navigator profile is a population of one: the same function takes many firms, so the simulator
and the navigator share one code path through the rules model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from openfisca_core.errors import ParameterNotFoundError
from openfisca_core.simulation_builder import SimulationBuilder

from peloton.catalog import get_scheme
from peloton.errors import InputError
from peloton.model import tax_benefit_system
from peloton.navigator.profile import Profile
from peloton.navigator.schemes import FIRM_VARIABLES, SCHEME_RULES, SchemeRule
from peloton.navigator.trace import (
    TracedVariable,
    TraceReader,
    format_value,
    parameter_use,
    scalar,
)

SEED_Q7 = "seed:000_4cdabadc9cc4caa1.txt (answer to question 7)"


@dataclass
class SchemeResult:
    """The navigator's answer for one scheme and one firm; `as_dict` is the JSON contract."""

    id: str
    name: str
    kind: str
    status: str  # "computed" or "not_computed"
    eligible: bool
    amount_eur: float | None
    value_eur: float | None
    reasons: list[str]
    references: list[str]
    components: list[dict[str, Any]] = field(default_factory=list)
    missing_inputs: list[dict[str, Any]] = field(default_factory=list)
    explanation: list[str] = field(default_factory=list)

    def as_dict(self, explain: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "status": self.status,
            "eligible": self.eligible,
            "amount_eur": self.amount_eur,
            "value_eur": self.value_eur,
            "reasons": self.reasons,
            "references": self.references,
            "components": self.components,
            "missing_inputs": self.missing_inputs,
        }
        if explain:
            out["explanation"] = self.explanation
        return out


@dataclass
class FirmResult:
    name: str
    year: int
    firm: dict[str, Any]
    schemes: list[SchemeResult]

    @property
    def total_value_eur(self) -> float:
        return float(sum(s.value_eur for s in self.schemes if s.eligible and s.value_eur is not None))

    def as_dict(self, explain: bool = False) -> dict[str, Any]:
        unvalued = [s.id for s in self.schemes if s.eligible and s.value_eur is None]
        out: dict[str, Any] = {
            "year": self.year,
            "profile": self.name,
            "firm": self.firm,
            "schemes": [s.as_dict(explain) for s in self.schemes],
            "total_value_eur": round(self.total_value_eur, 2),
        }
        if unvalued:
            out["total_value_note"] = "excludes schemes whose value cannot be estimated: " + ", ".join(
                unvalued
            )
        return out


def build_simulation(profiles: Sequence[Profile], trace: bool = False) -> Any:
    """One OpenFisca simulation holding every profile as one firm."""
    situation = {"ondernemingen": {f"firm_{i}": dict(p.inputs) for i, p in enumerate(profiles)}}
    simulation = SimulationBuilder().build_from_entities(tax_benefit_system(), situation)
    simulation.trace = trace
    return simulation


def evaluate(profiles: Sequence[Profile], explain: bool = False) -> list[FirmResult]:
    """Evaluate every scheme for every profile; all profiles must be about the same year."""
    if not profiles:
        return []
    years = {p.year for p in profiles}
    if len(years) != 1:
        raise InputError("year", f"profiles evaluated together must share one year, got {sorted(years)}")
    year = years.pop()
    period = str(year)
    simulation = build_simulation(profiles, trace=True)
    firms = [_firm_block(simulation, period, i) for i in range(len(profiles))]
    per_scheme: list[list[SchemeResult]] = [[] for _ in profiles]
    outcomes = [(rule, _calculate_scheme(simulation, rule, period)) for rule in SCHEME_RULES]
    reader = TraceReader(simulation.tracer, year)  # indexed once, after every scheme has run
    for rule, outcome in outcomes:
        for i, profile in enumerate(profiles):
            per_scheme[i].append(_scheme_result(rule, outcome, reader, profile, i, explain))
    return [
        FirmResult(name=p.name, year=year, firm=firms[i], schemes=_ranked(per_scheme[i]))
        for i, p in enumerate(profiles)
    ]


def _firm_block(simulation: Any, period: str, index: int) -> dict[str, Any]:
    block: dict[str, Any] = {}
    for name in FIRM_VARIABLES:
        block[name] = scalar(simulation.calculate(name, period), index)
    if block.get("is_familiebedrijf"):
        block["family_business_note"] = (
            "No scheme distinguishes family businesses: the result is the same as for any firm "
            f"of this size and activity ({SEED_Q7})."
        )
    return block


@dataclass
class _Outcome:
    amounts: dict[str, np.ndarray]
    applies: dict[str, np.ndarray]
    missing_parameter: str | None
    missing_note: str


def _calculate_scheme(simulation: Any, rule: SchemeRule, period: str) -> _Outcome:
    amounts: dict[str, np.ndarray] = {}
    applies: dict[str, np.ndarray] = {}
    try:
        for component in rule.components:
            applies[component.variable] = np.asarray(simulation.calculate(component.applies, period))
            amounts[component.variable] = np.asarray(
                simulation.calculate(component.variable, period), dtype=np.float64
            )
    except ParameterNotFoundError as exc:
        use = parameter_use(exc.name, exc.instant_str)
        return _Outcome({}, {}, use.name, use.note)
    return _Outcome(amounts, applies, None, "")


def _scheme_result(
    rule: SchemeRule, outcome: _Outcome, reader: TraceReader, profile: Profile, index: int, explain: bool
) -> SchemeResult:
    scheme = get_scheme(rule.id)
    links = list(scheme.links)
    if outcome.missing_parameter is not None:
        reason = (
            f"not computed for {profile.year}: the reference does not back parameter "
            f"{outcome.missing_parameter} for {profile.year}"
        )
        if outcome.missing_note:
            reason += f" ({outcome.missing_note})"
        return SchemeResult(
            id=rule.id,
            name=scheme.name,
            kind=scheme.legal_kind,
            status="not_computed",
            eligible=False,
            amount_eur=None,
            value_eur=None,
            reasons=[reason],
            references=links,
        )
    traced = {c.variable: reader.traced(c.variable, index) for c in rule.components}
    reasons: list[str] = []
    components: list[dict[str, Any]] = []
    references: list[str] = []
    kinds: list[str] = []
    amount_total = 0.0
    value_total: float | None = 0.0
    marginal = float(profile.value("marginaal_tarief", -1.0))
    for component in rule.components:
        amount = float(outcome.amounts[component.variable][index])
        applies = bool(outcome.applies[component.variable][index])
        node = traced[component.variable]
        if applies:
            kinds.append(component.legal_kind)
        if node is not None:
            references.extend(_references(node))
        component_value: float | None = amount
        if component.valuation == "deduction" and amount > 0:
            if 0 <= marginal <= 1:
                component_value = amount * marginal
                reasons.append(
                    f"value of the {component.legal_kind}: {format_value(amount, 'currency-EUR')} x marginal "
                    f"rate {format_value(marginal, '/1')} = {format_value(component_value, 'currency-EUR')} "
                    "(limits on the rate at which entrepreneur deductions count are not modelled)"
                )
            else:
                component_value = None
                reasons.append(
                    f"value of the {component.legal_kind} unknown: it is a deduction from profit; give "
                    "marginaal_tarief (the marginal tax rate) to estimate the tax saving"
                )
        if value_total is not None and component_value is not None:
            value_total += component_value
        else:
            value_total = None
        amount_total += amount
        components.append(
            {
                "variable": component.variable,
                "kind": component.legal_kind,
                "amount_eur": round(amount, 2),
                "value_eur": None if component_value is None else round(component_value, 2),
                "applies": applies,
            }
        )
        if node is not None and (applies or amount > 0):
            reasons.extend(_why(node, amount))
    reasons.extend(_uncertain(traced.values()))
    applying = [traced[c.variable] for c in rule.components if bool(outcome.applies[c.variable][index])]
    missing = _missing_inputs(applying, profile)
    reasons.extend(
        f"input not given, default used: {m['variable']} = {m['default']} ({m['question']})" for m in missing
    )
    explanation: list[str] = []
    if explain:
        for node in traced.values():
            if node is not None:
                explanation.extend(node.lines())
    eligible = amount_total > 0
    return SchemeResult(
        id=rule.id,
        name=scheme.name,
        kind="+".join(kinds) if kinds else scheme.legal_kind,
        status="computed",
        eligible=eligible,
        amount_eur=round(amount_total, 2),
        value_eur=None if value_total is None else round(value_total, 2),
        reasons=reasons,
        references=_unique([*links, *references]),
        components=components,
        missing_inputs=missing,
        explanation=explanation,
    )


def _why(node: TracedVariable, amount: float) -> list[str]:
    """Eligible: the amount and what it was computed from. Not eligible: the conditions that failed."""
    if amount > 0:
        parts = [child.describe() for child in node.children if child.value not in (0, 0.0, False, None)]
        parts += [p.describe() for p in node.parameters]
        return [f"{node.describe()}, from: " + "; ".join(parts)]
    failed: list[str] = []
    for item in node.walk():
        if item.value is False and not item.is_input:
            detail = [c.describe() for c in item.children] + [p.describe() for p in item.parameters]
            failed.append(
                f"not met: {item.label} ({item.name})" + (": " + "; ".join(detail) if detail else "")
            )
    if not failed:
        zero_inputs = [i.describe() for i in node.walk() if i.is_input and i.value in (0, 0.0, False)]
        failed.append(f"{node.describe()}: " + ("; ".join(zero_inputs) if zero_inputs else "no amount"))
    return _unique(failed)


def _uncertain(nodes: Any) -> list[str]:
    out: list[str] = []
    for node in nodes:
        if node is None:
            continue
        for item in node.walk():
            for p in item.parameters:
                if p.confidence and p.confidence != "confirmed":
                    out.append(
                        f"rests on a {p.confidence} value: {p.label} ({p.name}) = "
                        + format_value(p.value, p.unit)
                    )
    return _unique(out)


def _missing_inputs(nodes: Any, profile: Profile) -> list[dict[str, Any]]:
    from peloton.navigator.registry import questions

    seen: set[str] = set()
    out: list[dict[str, Any]] = []
    for node in nodes:
        if node is None:
            continue
        for item in node.walk():
            if item.is_input and not profile.given(item.name) and item.name not in seen:
                seen.add(item.name)
                question = questions().get(item.name)
                out.append(
                    {
                        "variable": item.name,
                        "default": item.value,
                        "question": question.question if question else item.label,
                    }
                )
    return out


def _references(node: TracedVariable) -> list[str]:
    refs: list[str] = []
    variable = tax_benefit_system().variables[node.name]
    refs.extend(variable.reference or [])
    for item in node.walk():
        for p in item.parameters:
            refs.extend(r for r in p.references if r.startswith("http"))
    return refs


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _ranked(results: list[SchemeResult]) -> list[SchemeResult]:
    """Eligible schemes by value (unvalued after valued), then the rest in catalog order."""
    eligible = [r for r in results if r.eligible]
    other = [r for r in results if not r.eligible]
    eligible.sort(key=lambda r: -(r.value_eur if r.value_eur is not None else -1.0))
    return eligible + other
