"""A merged Partial → results per scheme and scenario, and their export as JSON and CSV.

Every output carries the population it ran on (synthetic or the user's file, records, weighted firm
count), the year, the reform and the take-up rates used, so that a figure is never read without them.
Sums are exact (whole cents and millionths of a firm, see evaluation.py) and reported as float64.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from peloton.core.parameters import uncertain_values
from peloton.core.schemes import COST_KINDS, SchemeRule
from peloton.core.takeup import Takeup
from peloton.simulate.calibration import breakdown_basis
from peloton.simulate.evaluation import (
    AMOUNT,
    BASELINE,
    CENT,
    COST,
    DIMENSIONS,
    ELIGIBLE,
    ELIGIBLE_AMOUNT,
    ELIGIBLE_COST,
    GAINS,
    LOSERS,
    LOSSES,
    REACHED,
    REFORM,
    SME_GROUPS,
    UNCOSTED,
    UNVALUED,
    VALUE,
    WEIGHT_UNIT,
    WINNERS,
    Partial,
    Plan,
    run,
)
from peloton.simulate.population import DEFAULT_CHUNK_SIZE, PopulationFile, PopulationInfo

BREAKDOWNS = ("size_class", "sbi_section", "province", "family_business", "firm_type")
BASIS_TITLES = {"sbi_section": "SBI section", "province": "province"}  # the breakdowns with a basis label


def basis_label(stats: SchemeStats, dim: str) -> str:
    """A breakdown's basis in a word or two ("assumption"), or "" when the breakdown has no label."""
    return stats.breakdown_basis.get(dim, {}).get("basis", "")


def scheme_name(scheme_id: str, plan: Plan) -> str:
    """The Dutch name from the catalog, or the reform file's name for a new scheme."""
    try:
        return plan.scenario(plan.scenarios()[-1]).scheme_info(scheme_id).name
    except KeyError:
        return scheme_id


def _kinds(rule: SchemeRule) -> tuple[str, str]:
    """The legal kind(s) of a scheme's amount and what its cost is (paid, tax forgone, credit lent)."""
    legal = "+".join(dict.fromkeys(c.legal_kind for c in rule.components))
    costs = [COST_KINDS[c.valuation] for c in rule.components if COST_KINDS[c.valuation] != "not costed"]
    return legal, "+".join(dict.fromkeys(costs)) or "not costed"


def weighted_median(cents: np.ndarray, weights: np.ndarray) -> float | None:
    """The smallest amount at which half the weight is reached (the lower weighted median), EUR."""
    if not len(cents) or weights.sum() <= 0:
        return None
    order = np.argsort(cents, kind="stable")
    cumulative = np.cumsum(weights[order].astype(np.float64))
    at = int(np.searchsorted(cumulative, cumulative[-1] / 2.0))
    return float(cents[order][at]) / CENT


@dataclass
class GroupStats:
    group: str
    firms: float  # firms of the population in the group
    eligible: float
    reached: float
    cost_eur: float  # cost to the government: paid, tax forgone, credit lent
    legal_amount_eur: float
    value_eur: float

    def as_dict(self) -> dict[str, Any]:
        return {k: (round(v, 6) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


@dataclass
class SchemeStats:
    """One scheme in one scenario."""

    id: str
    name: str
    scenario: str
    computed: bool
    reason: str = ""
    exists: bool = True  # False: the scheme is not part of this scenario (a reform's new scheme)
    eligible_firms: float = 0.0
    reached_firms: float = 0.0
    # The headline: the cost to the government of the reached firms (subsidy or credit paid, tax
    # forgone); `cost_kind` says which. The legal amount (a deduction is not money) is its own column.
    cost_eur: float = 0.0
    cost_kind: str = ""
    legal_amount_eur: float = 0.0
    legal_kind: str = ""
    value_eur: float = 0.0  # worth to the firms: cash or tax saved; loans and timing not valued
    unvalued_firms: float = 0.0
    uncosted_firms: float = 0.0
    cost_if_all_eligible_apply_eur: float = 0.0
    legal_amount_if_all_eligible_apply_eur: float = 0.0
    mean_eur: float | None = None  # mean cost per reached firm
    median_eur: float | None = None  # median cost per reached firm
    sme_share_firms: float | None = None
    sme_share_money: float | None = None
    takeup: dict[str, Any] = field(default_factory=dict)
    uncertain_values: list[dict[str, Any]] = field(default_factory=list)  # the year's law rests on these
    # per breakdown (sbi_section, province): what it rests on ({"basis": "assumption", "note": ...})
    breakdown_basis: dict[str, dict[str, str]] = field(default_factory=dict)
    by: dict[str, list[GroupStats]] = field(default_factory=dict)
    extras: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in self.__dict__.items() if k not in ("by",)}
        out["by"] = {dim: [g.as_dict() for g in groups] for dim, groups in self.by.items()}
        return out


@dataclass
class Results:
    """Everything `peloton simulate` prints and exports."""

    year: int
    population: PopulationInfo
    plan: Plan
    chunk_size: int
    schemes: dict[str, list[SchemeStats]]  # scenario → per scheme
    population_groups: dict[str, list[dict[str, Any]]]
    reform_changes: list[dict[str, Any]] = field(default_factory=list)
    winners_losers: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def stats(self, scenario: str, scheme: str) -> SchemeStats:
        return next(s for s in self.schemes[scenario] if s.id == scheme)

    def scheme_ids(self) -> list[str]:
        return [s.id for s in self.schemes[BASELINE]]

    def takeup_table(self) -> list[dict[str, Any]]:
        scenario = REFORM if REFORM in self.schemes else BASELINE
        return [{"scheme": s.id, **s.takeup} for s in self.schemes[scenario]]

    def as_dict(self) -> dict[str, Any]:
        reform = None
        if self.plan.reform is not None:
            r = self.plan.reform
            reform = {
                "name": r.name,
                "description": r.description,
                "file": r.source,
                "parameter_changes": self.reform_changes,
                "new_schemes": [
                    {"id": s.id, "name": s.name, "kind": s.kind, "formula": s.formula_text()}
                    for s in r.new_schemes
                ],
            }
        return {
            "year": self.year,
            "population": self.population.as_dict(),
            "chunk_size": self.chunk_size,
            "reform": reform,
            "takeup": self.takeup_table(),
            "schemes": {scenario: [s.as_dict() for s in stats] for scenario, stats in self.schemes.items()},
            "difference": self.difference() if self.plan.reform is not None else None,
            "winners_losers": self.winners_losers or None,
            "population_groups": self.population_groups,
            "notes": self.notes,
        }

    def difference(self) -> list[dict[str, Any]]:
        """Per scheme: baseline, reform and reform minus baseline of cost, legal amount, worth and firms
        reached; a scheme not computed in a scenario says why instead of a number."""
        out = []
        for scheme in self.scheme_ids():
            b, r = self.stats(BASELINE, scheme), self.stats(REFORM, scheme)
            row: dict[str, Any] = {"scheme": scheme, "name": b.name, "cost_kind": r.cost_kind or b.cost_kind}
            reason = b.reason if not b.computed else r.reason
            row["not_computed"] = "" if b.computed and r.computed else reason
            keys = ("cost_eur", "legal_amount_eur", "value_eur", "reached_firms", "eligible_firms")
            for key in keys:
                if row["not_computed"]:
                    row[f"baseline_{key}"] = row[f"reform_{key}"] = row[f"difference_{key}"] = None
                    continue
                row[f"baseline_{key}"] = getattr(b, key)
                row[f"reform_{key}"] = getattr(r, key)
                # sums are whole cents / millionths of a firm: round away float noise of the subtraction
                row[f"difference_{key}"] = round(getattr(r, key) - getattr(b, key), 2 if "eur" in key else 6)
            changes = self.winners_losers.get("by_scheme", {}).get(scheme, {})
            row.update({k: changes.get(k) for k in ("winners", "losers")})
            out.append(row)
        return out


def _scheme_stats(
    partial: Partial, plan: Plan, scenario: str, scheme: str, basis: dict[str, dict[str, str]]
) -> SchemeStats:
    name = scheme_name(scheme, plan)
    takeup: Takeup = plan.takeup(scheme, scenario)
    stats = SchemeStats(
        id=scheme,
        name=name,
        scenario=scenario,
        computed=True,
        takeup=takeup.as_dict(),
        breakdown_basis={dim: dict(entry) for dim, entry in basis.items()},
    )
    rule = next((r for r in plan.rules(scenario) if r.id == scheme), None)
    if rule is None:
        stats.exists = False
        stats.reason = f"not part of the {scenario}"
        return stats
    stats.legal_kind, stats.cost_kind = _kinds(rule)
    stats.uncertain_values = uncertain_values(rule.parameters, plan.year, plan.system(scenario))
    if (scenario, scheme) in partial.not_computed:
        stats.computed = False
        stats.reason = partial.not_computed[(scenario, scheme)]
        return stats
    total = partial.stats[(scenario, scheme, "all")][0]
    stats.eligible_firms = float(total[ELIGIBLE] / WEIGHT_UNIT)
    stats.reached_firms = float(total[REACHED] / WEIGHT_UNIT)
    stats.cost_eur = float(total[COST] / CENT)
    stats.legal_amount_eur = float(total[AMOUNT] / CENT)
    stats.value_eur = float(total[VALUE] / CENT)
    stats.unvalued_firms = float(total[UNVALUED] / WEIGHT_UNIT)
    stats.uncosted_firms = float(total[UNCOSTED] / WEIGHT_UNIT)
    stats.cost_if_all_eligible_apply_eur = float(total[ELIGIBLE_COST] / CENT)
    stats.legal_amount_if_all_eligible_apply_eur = float(total[ELIGIBLE_AMOUNT] / CENT)
    if stats.reached_firms > 0:
        stats.mean_eur = stats.cost_eur / stats.reached_firms
        cents, weights = partial.values[(scenario, scheme)]
        stats.median_eur = weighted_median(cents, weights)
        size = partial.stats[(scenario, scheme, "size_class")]
        stats.sme_share_firms = float(size[list(SME_GROUPS), REACHED].sum() / total[REACHED])
        if total[COST] > 0:
            stats.sme_share_money = float(size[list(SME_GROUPS), COST].sum() / total[COST])
    for dim in BREAKDOWNS:
        table = partial.stats[(scenario, scheme, dim)]
        population = partial.population[dim]
        stats.by[dim] = [
            GroupStats(
                group=label,
                firms=float(population[i, 0] / WEIGHT_UNIT),
                eligible=float(table[i, ELIGIBLE] / WEIGHT_UNIT),
                reached=float(table[i, REACHED] / WEIGHT_UNIT),
                cost_eur=float(table[i, COST] / CENT),
                legal_amount_eur=float(table[i, AMOUNT] / CENT),
                value_eur=float(table[i, VALUE] / CENT),
            )
            for i, label in enumerate(DIMENSIONS[dim])
            if population[i, 1] > 0 or table[i, REACHED] > 0
        ]
    for name in plan.extra_variables:
        key = (scenario, scheme, name)
        if key in partial.extras:
            stats.extras[name] = float(partial.extras[key][0]) / CENT
    return stats


def _winners_losers(partial: Partial, plan: Plan) -> dict[str, Any]:
    def row(values: np.ndarray) -> dict[str, float]:
        return {
            "winners": float(values[WINNERS] / WEIGHT_UNIT),
            "losers": float(values[LOSERS] / WEIGHT_UNIT),
            "gains_eur": float(values[GAINS] / CENT),
            "losses_eur": float(values[LOSSES] / CENT),
        }

    out: dict[str, Any] = {"total": row(partial.changes[("total", "all")][0])}
    out["by_scheme"] = {s: row(partial.changes[(s, "all")][0]) for s in plan.scheme_ids()}
    out["by"] = {
        dim: [
            {"group": label, **row(partial.changes[("total", dim)][i])}
            for i, label in enumerate(DIMENSIONS[dim])
            if partial.population[dim][i, 1] > 0
        ]
        for dim in BREAKDOWNS
    }
    out["definition"] = (
        "a firm wins (loses) when its worth from all schemes (cash plus tax saved, reached firms only) "
        "rises (falls) by more than EUR 1 under the reform; loans and timing benefits are not valued"
    )
    return out


def simulate(
    source: PopulationFile,
    info: PopulationInfo,
    plan: Plan,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    on_chunk: Callable[[int], None] | None = None,
) -> Results:
    """Stream the population through the rules in chunks (baseline and reform) and build the results."""
    partial = run(source.chunks(chunk_size), plan, on_chunk=on_chunk)
    return build_results(partial, plan, info, chunk_size)


def build_results(partial: Partial, plan: Plan, population: PopulationInfo, chunk_size: int) -> Results:
    """Scheme statistics per scenario from the merged partial."""
    synthetic = population.kind == "synthetic" or population.all_synthetic
    basis = breakdown_basis(synthetic)
    schemes = {
        scenario: [_scheme_stats(partial, plan, scenario, s, basis) for s in plan.scheme_ids()]
        for scenario in plan.scenarios()
    }
    groups = {
        dim: [
            {
                "group": label,
                "firms": float(partial.population[dim][i, 0] / WEIGHT_UNIT),
                "records": int(partial.population[dim][i, 1]),
            }
            for i, label in enumerate(DIMENSIONS[dim])
            if partial.population[dim][i, 1] > 0
        ]
        for dim in BREAKDOWNS
    }
    results = Results(
        year=plan.year,
        population=population,
        plan=plan,
        chunk_size=chunk_size,
        schemes=schemes,
        population_groups=groups,
    )
    if plan.reform is not None:
        reform = plan.scenario(REFORM)
        results.reform_changes = reform.changes(plan.year)
        results.winners_losers = _winners_losers(partial, plan)
        results.notes.extend(reform.notes(plan.year))
    for stats in schemes[plan.scenarios()[-1]]:
        if stats.exists and not stats.computed:
            results.notes.append(f"{stats.id}: not computed for {plan.year}: {stats.reason}")
        if not (stats.exists and stats.computed):
            continue
        if stats.uncertain_values:
            names = ", ".join(u["parameter"] for u in stats.uncertain_values)
            results.notes.append(f"{stats.id}: rests on uncertain values: {names}")
        if stats.takeup.get("upper_bound"):
            results.notes.append(
                f"{stats.id}: take-up is an assumption (every eligible firm applies, "
                f"{stats.takeup['parameter']}): cost and reach are upper bounds"
            )
        elif stats.takeup.get("method") == "assumption":
            results.notes.append(f"{stats.id}: take-up is an assumption ({stats.takeup['derivation']})")
        if stats.uncosted_firms > 0:
            results.notes.append(
                f"{stats.id}: the tax forgone for {stats.uncosted_firms:,.0f} reached firms is not known "
                "(unknown profit): cost excludes them"
            )
        if stats.unvalued_firms > stats.uncosted_firms:
            results.notes.append(
                f"{stats.id}: the worth to the firm is not known for {stats.unvalued_firms:,.0f} reached "
                "firms (a loan or a timing benefit): value excludes them"
            )
    if synthetic:
        results.notes.append(
            "SYNTHETIC population: firm counts (CBS 81588NED 2024Q2), firms per province (CBS 81578NED "
            "establishments), WBSO and innovatiebox use are calibrated, and the take-up of MIT, EIA, "
            "Innovatiekrediet and SLIM to their published use and budgets; family firms, projects and "
            "investments are assumptions (docs/population.md)"
        )
        for dim, entry in basis.items():
            if entry["basis"] == "assumption":
                results.notes.append(f"every scheme's breakdown by {BASIS_TITLES[dim]}: {entry['note']}")
    return results


# ----------------------------------------------------------------------------------- export


def _population_columns(results: Results) -> dict[str, Any]:
    p = results.population
    return {
        "year": results.year,
        "population": p.label(),
        "population_kind": "synthetic" if p.kind == "synthetic" or p.all_synthetic else "user",
        "population_firms": round(p.firms, 3),
        "reform": results.plan.reform.name if results.plan.reform else "",
    }


def _write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow({k: ("" if v is None else v) for k, v in row.items()})


def export(results: Results, out: Path) -> list[Path]:
    """results.json, schemes.csv, breakdown.csv (and difference.csv, winners_losers.csv with a reform)."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    path = out / "results.json"
    path.write_text(
        json.dumps(results.as_dict(), indent=2, ensure_ascii=False, default=str), encoding="utf-8"
    )
    written.append(path)
    meta = _population_columns(results)
    summary, breakdown = [], []
    for scenario, stats in results.schemes.items():
        for s in stats:
            summary.append(
                {
                    "scenario": scenario,
                    "scheme": s.id,
                    "name": s.name,
                    "computed": s.computed and s.exists,
                    "eligible_firms": s.eligible_firms,
                    "reached_firms": s.reached_firms,
                    "cost_eur": s.cost_eur,
                    "cost_kind": s.cost_kind,
                    "legal_amount_eur": s.legal_amount_eur,
                    "legal_kind": s.legal_kind,
                    "value_eur": s.value_eur,
                    "mean_eur": s.mean_eur,
                    "median_eur": s.median_eur,
                    "sme_share_firms": s.sme_share_firms,
                    "sme_share_money": s.sme_share_money,
                    "cost_if_all_eligible_apply_eur": s.cost_if_all_eligible_apply_eur,
                    "takeup_rates": json.dumps(s.takeup.get("rates", {})),
                    "takeup_method": s.takeup.get("method", ""),
                    "uncertain_values": "; ".join(u["parameter"] for u in s.uncertain_values),
                    "note": s.reason,
                    **meta,
                }
            )
            for dim, groups in s.by.items():
                for g in groups:
                    breakdown.append(
                        {
                            "scenario": scenario,
                            "scheme": s.id,
                            "dimension": dim,
                            "group": g.group,
                            "firms_in_group": g.firms,
                            "eligible_firms": g.eligible,
                            "reached_firms": g.reached,
                            "cost_eur": g.cost_eur,
                            "legal_amount_eur": g.legal_amount_eur,
                            "value_eur": g.value_eur,
                            "basis": basis_label(s, dim),
                            **meta,
                        }
                    )
    for name, rows in (("schemes.csv", summary), ("breakdown.csv", breakdown)):
        _write_csv(out / name, rows)
        written.append(out / name)
    if results.plan.reform is not None:
        _write_csv(out / "difference.csv", [{**row, **meta} for row in results.difference()])
        written.append(out / "difference.csv")
        rows = [
            {"dimension": dim, **group, **meta}
            for dim, groups in results.winners_losers["by"].items()
            for group in groups
        ]
        _write_csv(out / "winners_losers.csv", rows)
        written.append(out / "winners_losers.csv")
    return written
