"""Profiles → every scheme's eligibility, amount, value and reasons, in one vectorised simulation.

A navigator profile is a population of one: the same function takes many firms, so the simulator
and the navigator share one code path through the rules model.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from openfisca_core.errors import ParameterNotFoundError
from openfisca_core.simulation_builder import SimulationBuilder

from peloton.catalog import get_scheme, load_combinations
from peloton.core.inputs import input_spec, questions
from peloton.core.parameters import missing_parameter_name, parameter_use
from peloton.core.scenario import LAW_SCENARIO, Scenario, SchemeInfo
from peloton.core.schemes import (
    FIRM_VARIABLES,
    LOAN,
    TAX_SAVING,
    TIMING,
    SchemeArrays,
    SchemeRule,
    SchemeTotals,
    scheme_arrays,
    scheme_totals,
)
from peloton.core.sources import official_first
from peloton.core.units import format_value
from peloton.errors import InputError
from peloton.navigator.profile import Profile
from peloton.navigator.regional import regional_results
from peloton.navigator.relevance import Relevant, relevant_inputs
from peloton.navigator.trace import TracedVariable, TraceReader, scalar

SEED_Q7 = "seed:000_4cdabadc9cc4caa1.txt (answer to question 7)"


@dataclass
class SchemeResult:
    """The navigator's answer for one scheme and one firm; `as_dict` is the JSON contract."""

    id: str
    name: str
    kind: str
    status: str  # "computed", "not_computed", "eligibility_only" or "network"
    eligible: bool | None
    amount_eur: float | None
    value_eur: float | None
    reasons: list[str]
    references: list[str]
    components: list[dict[str, Any]] = field(default_factory=list)
    missing_inputs: list[dict[str, Any]] = field(default_factory=list)
    explanation: list[str] = field(default_factory=list)
    certainty: str = "entitlement"  # "chance" when a budget is allocated by lottery, tender or order
    offers: list[dict[str, Any]] = field(default_factory=list)
    cost_eur: float | None = None  # cost to the government: subsidy or credit paid, tax forgone
    uncertain_values: list[dict[str, Any]] = field(default_factory=list)  # the amount rests on these

    def as_dict(self, explain: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "status": self.status,
            "eligible": self.eligible,
            "certainty": self.certainty,
            "amount_eur": self.amount_eur,
            "value_eur": self.value_eur,
            "cost_eur": self.cost_eur,
            "reasons": self.reasons,
            "references": self.references,
            "components": self.components,
            "missing_inputs": self.missing_inputs,
            "uncertain_values": self.uncertain_values,
        }
        if self.offers:
            out["offers"] = self.offers
        if explain:
            out["explanation"] = self.explanation
        return out


@dataclass
class FirmResult:
    name: str
    year: int
    firm: dict[str, Any]
    schemes: list[SchemeResult]
    input_notes: list[str] = field(default_factory=list)

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
        notes = []
        if unvalued:
            notes.append("excludes schemes whose value cannot be estimated: " + ", ".join(unvalued))
        chance = [s.id for s in self.schemes if s.eligible and s.value_eur and s.certainty == "chance"]
        if chance:
            notes.append(
                "includes schemes allocated by lottery, tender or order of receipt: " + ", ".join(chance)
            )
        if notes:
            out["total_value_note"] = "; ".join(notes)
        if self.input_notes:
            out["input_notes"] = self.input_notes
        return out

    def scheme(self, scheme_id: str) -> SchemeResult | None:
        return next((s for s in self.schemes if s.id == scheme_id), None)


def build_simulation(profiles: Sequence[Profile], trace: bool = False, system: Any = None) -> Any:
    """One OpenFisca simulation holding every profile as one firm (under `system`, default the law)."""
    situation = {"ondernemingen": {f"firm_{i}": dict(p.inputs) for i, p in enumerate(profiles)}}
    simulation = SimulationBuilder().build_from_entities(system or LAW_SCENARIO.system(), situation)
    simulation.trace = trace
    return simulation


def evaluate(
    profiles: Sequence[Profile], explain: bool = False, scenario: Scenario = LAW_SCENARIO
) -> list[FirmResult]:
    """Evaluate every scheme for every profile under `scenario` (the law, or a reform); all profiles
    must be about the same year."""
    if not profiles:
        return []
    years = {p.year for p in profiles}
    if len(years) != 1:
        raise InputError("year", f"profiles evaluated together must share one year, got {sorted(years)}")
    year = years.pop()
    period = str(year)
    system = scenario.system()
    simulation = build_simulation(profiles, trace=True, system=system)
    firms = [_firm_block(simulation, period, i) for i in range(len(profiles))]
    per_scheme: list[list[SchemeResult]] = [[] for _ in profiles]
    outcomes = [(rule, _calculate_scheme(simulation, rule, period, system)) for rule in scenario.rules()]
    reader = TraceReader(simulation.tracer, year, system)  # indexed once, after every scheme has run
    relevance = [relevant_inputs(p, scenario) for p in profiles]
    for rule, outcome in outcomes:
        info = scenario.scheme_info(rule.id)
        for i, profile in enumerate(profiles):
            is_ib = bool(firms[i]["is_ib_ondernemer"])
            per_scheme[i].append(
                _scheme_result(
                    rule,
                    info,
                    outcome,
                    reader,
                    profile,
                    i,
                    is_ib,
                    explain,
                    system,
                    relevance[i].get(rule.id, []),
                )
            )
    for i, results in enumerate(per_scheme):
        results.extend(_regional(firms[i], year))
        _add_combination_rules(results)
    return [
        FirmResult(
            name=p.name, year=year, firm=firms[i], schemes=_ranked(per_scheme[i]), input_notes=list(p.notes)
        )
        for i, p in enumerate(profiles)
    ]


def _regional(firm: dict[str, Any], year: int) -> list[SchemeResult]:
    """EFRO, regional vouchers and the support network for the firm's province: no rules compute
    an amount for them, so they come from the sourced regional catalog, not the rules model."""
    out = []
    for entry in regional_results(
        str(firm["provincie"]), year, bool(firm["is_mkb"]), str(firm["innovatie_soort"])
    ):
        scheme = get_scheme(entry.id)
        missing = [
            {"variable": name, "default": "onbekend", "question": questions()[name].question}
            for name in entry.missing_inputs
        ]
        out.append(
            SchemeResult(
                id=entry.id,
                name=scheme.name,
                kind=scheme.legal_kind,
                status=entry.status,
                eligible=entry.eligible,
                amount_eur=None,
                value_eur=None,
                reasons=entry.reasons,
                references=_unique([*scheme.links, *entry.references]),
                missing_inputs=missing,
                certainty=scheme.certainty if entry.status != "network" else "help",
                offers=entry.offers,
            )
        )
    return out


def _add_combination_rules(results: list[SchemeResult]) -> None:
    """Where the firm is eligible for every scheme a combination rule names, each of them says so."""
    eligible = {r.id: r for r in results if r.eligible}
    for combination in load_combinations():
        if all(s in eligible for s in combination.schemes):
            for scheme_id in combination.schemes:
                eligible[scheme_id].reasons.append(
                    f"combined with {', '.join(s for s in combination.schemes if s != scheme_id)}: "
                    f"{combination.rule} ({combination.confidence}; {combination.source})"
                )


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
    arrays: SchemeArrays | None
    totals: SchemeTotals | None
    missing_parameter: str | None
    missing_note: str


def _calculate_scheme(simulation: Any, rule: SchemeRule, period: str, system: Any) -> _Outcome:
    try:
        arrays = scheme_arrays(simulation, rule, period)
        return _Outcome(arrays, scheme_totals(arrays, rule), None, "")
    except ParameterNotFoundError as exc:
        use = parameter_use(missing_parameter_name(exc), exc.instant_str, system=system)
        return _Outcome(None, None, use.name, use.note)


def _scheme_result(
    rule: SchemeRule,
    scheme: SchemeInfo,
    outcome: _Outcome,
    reader: TraceReader,
    profile: Profile,
    index: int,
    is_ib: bool,
    explain: bool,
    system: Any,
    relevant: list[Relevant],
) -> SchemeResult:
    links = list(scheme.links)
    if outcome.arrays is None or outcome.totals is None:
        reason = (
            f"not computed for {profile.year}: the reference does not back parameter "
            f"{outcome.missing_parameter} for {profile.year}"
        )
        if outcome.missing_note:
            reason += f" ({outcome.missing_note})"
        return _not_computed(scheme, [reason], links, _missing_inputs(relevant))
    arrays, totals = outcome.arrays, outcome.totals
    if rule.modelled is not None and not arrays.modelled[index]:
        node = reader.traced(rule.modelled, index)
        why = node.describe() if node is not None else rule.modelled
        reason = f"not computed for this firm: the rules cover only firms where {why}"
        return _not_computed(scheme, [reason], links, _missing_inputs(relevant))
    traced = {c.variable: reader.traced(c.variable, index) for c in rule.components}
    reasons: list[str] = []
    components: list[dict[str, Any]] = []
    references: list[str] = []
    kinds: list[str] = []
    for component in rule.components:
        amount = float(arrays.amounts[component.variable][index])
        applies = bool(arrays.applies[component.variable][index])
        node = traced[component.variable]
        if applies:
            kinds.append(component.legal_kind)
        if node is not None:
            references.extend(_references(node, system))
        component_value, value_reason = _component_value(
            component.valuation, arrays, component.variable, index
        )
        if value_reason and amount > 0:
            reasons.append(value_reason.format(kind=component.legal_kind, who=_who_values(is_ib)))
        if component.valuation == TAX_SAVING and component.value is not None and amount > 0:
            saving = reader.traced(component.value, index)
            if saving is not None and component_value is not None:
                reasons.append(f"value: {saving.describe()}")
        components.append(
            {
                "variable": component.variable,
                "kind": component.legal_kind,
                "valuation": component.valuation,
                "amount_eur": round(amount, 2),
                "value_eur": None if component_value is None else round(component_value, 2),
                "applies": applies,
            }
        )
        if node is not None and (applies or amount > 0):
            reasons.extend(_why(node, amount))
    uncertain_lines, uncertain_values = _uncertain(traced.values())
    reasons.extend(uncertain_lines)
    eligible = bool(totals.eligible[index])
    value_total = None if totals.unvalued[index] else float(totals.value[index])
    cost_total = None if totals.uncosted[index] else float(totals.cost[index])
    if eligible and scheme.certainty == "chance":
        reasons.append(f"a chance, not a certainty: {scheme.allocation_note} ({scheme.allocation_source})")
    missing = _missing_inputs(relevant)
    reasons.extend(
        f"input not given, default used: {m['variable']} = {m['default']} ({m['question']})" for m in missing
    )
    explanation: list[str] = []
    if explain:
        for node in traced.values():
            if node is not None:
                explanation.extend(node.lines())
    return SchemeResult(
        id=rule.id,
        name=scheme.name,
        kind="+".join(kinds) if kinds else scheme.legal_kind,
        status="computed",
        eligible=eligible,
        amount_eur=round(float(totals.amount[index]), 2),
        value_eur=0.0 if not eligible else (None if value_total is None else round(value_total, 2)),
        cost_eur=0.0 if not eligible else (None if cost_total is None else round(cost_total, 2)),
        reasons=reasons,
        references=list(official_first([*links, *references])),
        components=components,
        missing_inputs=missing,
        explanation=explanation,
        certainty=scheme.certainty,
        uncertain_values=uncertain_values if eligible else [],
    )


VALUE_REASONS = {
    TAX_SAVING: (
        "value of the {kind} unknown: it is a deduction from profit; give {who} to estimate the tax saving"
    ),
    LOAN: (
        "value of the {kind} not estimated: it is a loan, repayable when the project succeeds; the "
        "reference gives no interest rate or repayment terms"
    ),
    TIMING: (
        "the {kind} is a timing benefit (depreciation brought forward), worth interest and liquidity, "
        "not a tax saving; counted as 0 in the value"
    ),
}


def _who_values(is_ib: bool) -> str:
    """The input that values a deduction: the IB-ondernemer's rate, or a BV/NV's profit."""
    if is_ib:
        return "marginaal_tarief (the marginal income-tax rate)"
    return "belastbare_winst (the taxable profit)"


def _component_value(
    valuation: str, arrays: SchemeArrays, variable: str, index: int
) -> tuple[float | None, str]:
    """The component's worth in euros and, when it has none that can be given, the reason why."""
    value = float(arrays.values[variable][index])
    if valuation == TIMING:
        return value, VALUE_REASONS[TIMING]
    if np.isnan(value):
        return None, VALUE_REASONS[valuation]
    return value, ""


def _not_computed(
    scheme: Any, reasons: list[str], links: list[str], missing: list[dict[str, Any]]
) -> SchemeResult:
    """A scheme the rules cannot compute for this firm and year; `missing` lists the unanswered inputs
    whose value would let it be computed (or change it once it is)."""
    return SchemeResult(
        id=scheme.id,
        name=scheme.name,
        kind=scheme.legal_kind,
        status="not_computed",
        eligible=False,
        amount_eur=None,
        value_eur=None,
        reasons=reasons,
        references=links,
        certainty=scheme.certainty,
        missing_inputs=missing,
    )


def _why(node: TracedVariable, amount: float) -> list[str]:
    """Eligible: the amount and what it was computed from. Not eligible: the conditions that failed,
    or, when every condition holds, the amounts that are zero. (Which unanswered inputs matter is
    found by trying them, in peloton.navigator.relevance, not from these lines.)"""
    if amount > 0:
        parts = [child.describe() for child in node.children if child.value not in (0, 0.0, False, None)]
        parts += [p.describe() for p in node.parameters]
        return [f"{node.describe()}, from: " + "; ".join(parts)]
    failed: list[str] = []
    for parameter in node.parameters:  # e.g. the instrument is closed in this year
        if parameter.value is False:
            failed.append(f"not met: {parameter.describe()}")
    for item, parent in _with_parents(node):
        if item.value is not False or item.is_input:
            continue
        # A false condition counts only where the amount depends on it being true: directly under
        # the amount, or under another condition that failed (so `not IB-ondernemer` is not listed).
        if parent is not node and parent.value is not False:
            continue
        detail = [c.describe() for c in item.children] + [p.describe() for p in item.parameters]
        failed.append(f"not met: {item.label} ({item.name})" + (": " + "; ".join(detail) if detail else ""))
    if not failed:
        zeros = [i for i in _amount_inputs(node) if isinstance(i.value, float) and i.value == 0]
        failed.append(
            f"{node.describe()}: " + ("; ".join(i.describe() for i in zeros) if zeros else "no amount")
        )
    return _unique(failed)


def _amount_inputs(node: TracedVariable) -> Iterator[TracedVariable]:
    """Inputs the amount is computed from, not those behind a condition (a condition that held
    does not explain a zero; one that failed is reported by itself)."""
    for child in node.children:
        if child.is_input:
            yield child
        elif not isinstance(child.value, bool):
            yield from _amount_inputs(child)


def _with_parents(node: TracedVariable) -> Iterator[tuple[TracedVariable, TracedVariable]]:
    for child in node.children:
        yield child, node
        yield from _with_parents(child)


def _uncertain(nodes: Any) -> tuple[list[str], list[dict[str, Any]]]:
    """Every parameter value the amount rests on that the reference does not confirm: a reason line
    each, and for `uncertain` values (disputed or inferred, e.g. "inferred unchanged") a structured
    entry with the pack's note, so that the JSON and the web app can flag the amount."""
    lines: list[str] = []
    flagged: dict[str, dict[str, Any]] = {}
    for node in nodes:
        if node is None:
            continue
        for item in node.walk():
            for p in item.parameters:
                if not p.confidence or p.confidence == "confirmed":
                    continue
                article = "an" if p.confidence[0] in "aeiou" else "a"
                brief = p.note.split(". ")[0][:160]  # the whole note is in uncertain_values
                note = f" ({brief})" if brief and p.confidence == "uncertain" else ""
                lines.append(
                    f"rests on {article} {p.confidence} value: {p.label} ({p.name}) = "
                    + format_value(p.value, p.unit)
                    + note
                )
                if p.confidence == "uncertain":
                    flagged.setdefault(
                        p.name,
                        {
                            "parameter": p.name,
                            "label": p.label,
                            "value": p.value,
                            "valid_from": p.valid_from,
                            "confidence": p.confidence,
                            "note": p.note,
                        },
                    )
    return _unique(lines), list(flagged.values())


def _missing_inputs(relevant: list[Relevant]) -> list[dict[str, Any]]:
    """The unanswered inputs that can change this scheme's answer (peloton.navigator.relevance), with
    the default the answer was computed with."""
    out: list[dict[str, Any]] = []
    for item in relevant:
        spec = input_spec(item.variable)
        default = None if spec is None else spec.as_dict()["default"]
        question = questions().get(item.variable)
        out.append(
            {
                "variable": item.variable,
                "default": default,
                "question": question.question if question else item.variable,
            }
        )
    return out


def _references(node: TracedVariable, system: Any) -> list[str]:
    refs: list[str] = []
    variable = system.variables[node.name]
    own = variable.reference or []
    refs.extend(
        [own] if isinstance(own, str) and own.startswith("http") else [] if isinstance(own, str) else own
    )
    for item in node.walk():
        for p in item.parameters:
            refs.extend(r for r in p.references if r.startswith("http"))
    return refs


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _ranked(results: list[SchemeResult]) -> list[SchemeResult]:
    """Eligible schemes first, by value (those without a money value after them); then the ones the
    firm does not meet, each with its reason; then help that is not money; then what the reference
    does not let peloton compute. Catalog order within each group."""

    def group(r: SchemeResult) -> int:
        if r.eligible and r.value_eur is not None:
            return 0
        if r.eligible:
            return 1
        return {"computed": 2, "eligibility_only": 2, "network": 3}.get(r.status, 4)

    order = sorted(
        enumerate(results),
        key=lambda item: (group(item[1]), -(item[1].value_eur or 0.0) if group(item[1]) == 0 else 0, item[0]),
    )
    return [r for _, r in order]


@dataclass
class Comparison:
    """One firm under the law and under a reform: both full results and the difference per scheme."""

    law: FirmResult
    reform: FirmResult
    scenario: Scenario

    def difference(self) -> list[dict[str, Any]]:
        """Per scheme of either scenario: amount, value and cost under both, and reform minus law."""
        ids = [rule.id for rule in self.scenario.rules()]  # the rule-based schemes, new ones last
        out = []
        for scheme_id in ids:
            before, after = self.law.scheme(scheme_id), self.reform.scheme(scheme_id)
            shown = after or before
            row: dict[str, Any] = {
                "id": scheme_id,
                "name": shown.name if shown is not None else scheme_id,
                "law_status": before.status if before else "not_in_scenario",
                "reform_status": after.status if after else "not_in_scenario",
            }
            for key in ("amount_eur", "value_eur", "cost_eur"):
                b = _number_or_zero(before, key)
                a = _number_or_zero(after, key)
                row[f"law_{key}"] = b
                row[f"reform_{key}"] = a
                row[f"difference_{key}"] = None if a is None or b is None else round(a - b, 2)
            out.append(row)
        return out

    def as_dict(self, explain: bool = False) -> dict[str, Any]:
        law_total = self.law.total_value_eur
        reform_total = self.reform.total_value_eur
        assert self.scenario.reform is not None
        return {
            "year": self.law.year,
            "profile": self.law.name,
            "reform": self.scenario.reform.as_dict(),
            "reform_changes": self.scenario.changes(self.law.year),
            "notes": self.scenario.notes(self.law.year),
            "difference": self.difference(),
            "total_value_difference_eur": round(reform_total - law_total, 2),
            "law": self.law.as_dict(explain),
            "under_reform": self.reform.as_dict(explain),
        }


def _number_or_zero(result: SchemeResult | None, key: str) -> float | None:
    """A scheme that does not exist in a scenario gives 0; one that is not computed gives None."""
    if result is None:
        return 0.0
    if result.status == "not_computed":
        return None
    value = getattr(result, key)
    return None if value is None else float(value)


def compare(profiles: Sequence[Profile], scenario: Scenario, explain: bool = False) -> list[Comparison]:
    """Every profile under the law and under `scenario` (a reform): what the reform changes per firm."""
    law = evaluate(profiles, explain=explain)
    reformed = evaluate(profiles, explain=explain, scenario=scenario)
    return [Comparison(a, b, scenario) for a, b in zip(law, reformed, strict=True)]
