"""One chunk of a population through the rules (baseline and reform) → a mergeable partial result.

`evaluate_chunk(chunk, plan)` is a pure function of its arguments: it builds the simulations for the
chunk, asks every scheme of SCHEME_RULES (plus a reform's new schemes) for its amounts, applies
take-up, and reduces the firms to sums by group. `Partial.merge` adds two partials. Because every sum
is kept as a whole number (weights in millionths of a firm, money in cents, both held exactly in
float64 below 2**53), the merge is associative and exact: a population cut into chunks of any size, in
any order, on any number of machines, gives the same result to the cent. That is what lets the same
chunk function be mapped over a distributed engine's partitions later without change.

The simulator never names a scheme's variables: it asks the scenario (peloton.core.scenario) for its
schemes and their take-up, and computes each scheme's totals through peloton.core.schemes, as the
navigator does, so schemes added to the rules model are simulated without a change here.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from openfisca_core.errors import ParameterNotFoundError

from peloton.core.columns import simulation_from_columns
from peloton.core.parameters import missing_parameter_name
from peloton.core.scenario import Scenario, scenario_for
from peloton.core.schemes import SchemeRule, SchemeTotals, scheme_arrays, scheme_totals
from peloton.core.takeup import Takeup
from peloton.errors import InputError
from peloton.model.enums import MkbGrootteklasse, Provincie, SbiSectie
from peloton.model.reforms import ReformSpec
from peloton.simulate.population import Chunk
from peloton.simulate.takeup import applies

BASELINE, REFORM = "baseline", "reform"
WEIGHT_UNIT = 1e6  # weights are summed in millionths of a firm
CENT = 100.0  # money is summed in cents
CHANGE_THRESHOLD_EUR = 1.0  # a firm wins or loses when its worth moves by more than this

# Breakdown dimensions: name → (group labels, how to read the group index from the baseline simulation).
DIMENSIONS: dict[str, tuple[str, ...]] = {
    "all": ("all firms",),
    "size_class": tuple(item.name for item in MkbGrootteklasse),
    "sbi_section": tuple(item.name for item in SbiSectie),
    "province": tuple(item.name for item in Provincie),
    "family_business": ("no", "yes"),
    "firm_type": ("employer or legal entity", "self-employed (IB, no staff)"),
}
SME_GROUPS = tuple(i for i, name in enumerate(DIMENSIONS["size_class"]) if name != "groot")

# Columns of a scheme's stats array, per group: firms, legal amount, worth, cost to the government.
ELIGIBLE, REACHED, AMOUNT, VALUE, UNVALUED, ELIGIBLE_AMOUNT, COST, ELIGIBLE_COST, UNCOSTED = range(9)
STAT_FIELDS = (
    "eligible", "reached", "amount", "value", "unvalued", "eligible_amount", "cost", "eligible_cost",
    "uncosted",
)  # fmt: skip
# Columns of a winners/losers array, per group.
WINNERS, LOSERS, GAINS, LOSSES = range(4)


@dataclass(frozen=True)
class Plan:
    """What to simulate: the year, and optionally a reform. Small and picklable, for any executor."""

    year: int
    reform: ReformSpec | None = None
    # Variables summed over each scheme's reached firms (weighted, in hundredths), e.g. for checks.
    extra_variables: tuple[str, ...] = ()

    def scenarios(self) -> list[str]:
        return [BASELINE, REFORM] if self.reform is not None else [BASELINE]

    def scenario(self, scenario: str) -> Scenario:
        """The law for the baseline; the reform (checked: new ids may not take a scheme's) for REFORM."""
        return scenario_for(self.reform if scenario == REFORM else None)

    def system(self, scenario: str) -> Any:
        return self.scenario(scenario).system()

    def rules(self, scenario: str) -> tuple[SchemeRule, ...]:
        return self.scenario(scenario).rules()

    def scheme_ids(self) -> list[str]:
        ids: list[str] = []
        for scenario in self.scenarios():
            ids.extend(r.id for r in self.rules(scenario) if r.id not in ids)
        return ids

    def takeup(self, scheme: str, scenario: str | None = None) -> Takeup:
        """The scheme's take-up in a scenario (default: the reform where there is one, else the law).
        A reform may change take-up; the draws are the same in both, so firms compare one to one."""
        return self.scenario(scenario or self.scenarios()[-1]).takeup(scheme, self.year)


def _values_table(cents: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct amounts (cents) with the summed weight units of the firms at each: the median's partial."""
    if not len(cents):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    unique, inverse = np.unique(cents.astype(np.int64), return_inverse=True)
    summed = np.bincount(inverse, weights=weights, minlength=len(unique))
    return unique, np.round(summed).astype(np.int64)


@dataclass
class Partial:
    """Sums over some records; `merge` adds two. Every number is a whole count of units (exact)."""

    records: int = 0
    population: dict[str, np.ndarray] = field(default_factory=dict)  # dim → (groups, 2): weight, records
    stats: dict[tuple[str, str, str], np.ndarray] = field(default_factory=dict)  # (scenario, scheme, dim)
    values: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    changes: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)  # (scheme|"total", dim)
    not_computed: dict[tuple[str, str], str] = field(default_factory=dict)  # (scenario, scheme) → reason
    extras: dict[tuple[str, str, str], np.ndarray] = field(default_factory=dict)  # (scenario, scheme, var)

    def merge(self, other: Partial) -> Partial:
        """The partial of both sets of records (exact, associative, commutative)."""

        def add(a: dict[Any, np.ndarray], b: dict[Any, np.ndarray]) -> dict[Any, np.ndarray]:
            out = {k: v.copy() for k, v in a.items()}
            for k, v in b.items():
                out[k] = out[k] + v if k in out else v.copy()
            return out

        values = dict(self.values)
        for key, (cents, weights) in other.values.items():
            if key in values:
                mine = values[key]
                values[key] = _values_table(
                    np.concatenate([mine[0], cents]), np.concatenate([mine[1], weights]).astype(np.float64)
                )
            else:
                values[key] = (cents.copy(), weights.copy())
        return Partial(
            records=self.records + other.records,
            population=add(self.population, other.population),
            stats=add(self.stats, other.stats),
            values=values,
            changes=add(self.changes, other.changes),
            not_computed={**self.not_computed, **other.not_computed},
            extras=add(self.extras, other.extras),
        )


def _calculate(simulation: Any, name: str, year: int) -> np.ndarray:
    return np.asarray(simulation.calculate(name, str(year)))


def _groups(simulation: Any, year: int) -> dict[str, np.ndarray]:
    """Each firm's group in every breakdown dimension, from the baseline simulation."""
    try:
        ib = _calculate(simulation, "is_ib_ondernemer", year)
        staff = _calculate(simulation, "is_inhoudingsplichtige", year)
        groups = {
            "all": np.zeros(len(ib), dtype=np.int64),
            "size_class": _calculate(simulation, "mkb_grootteklasse", year).astype(np.int64),
            "sbi_section": _calculate(simulation, "sbi_sectie", year).astype(np.int64),
            "province": _calculate(simulation, "provincie", year).astype(np.int64),
            "family_business": _calculate(simulation, "is_familiebedrijf", year).astype(np.int64),
            "firm_type": (ib & ~staff).astype(np.int64),
        }
    except ParameterNotFoundError as exc:
        raise InputError(
            "year", f"the rules have no value of {missing_parameter_name(exc)} for {year}"
        ) from None
    return groups


def _scheme(simulation: Any, rule: SchemeRule, year: int) -> SchemeTotals:
    """The scheme's totals for every firm (peloton.core.schemes: the navigator's totals too)."""
    return scheme_totals(scheme_arrays(simulation, rule, str(year)), rule)


def _bincount(index: np.ndarray, weights: np.ndarray, size: int) -> np.ndarray:
    return np.bincount(index, weights=weights, minlength=size)[:size]


def evaluate_chunk(chunk: Chunk, plan: Plan) -> Partial:
    """Simulate one chunk in every scenario of the plan; reduce it to a Partial (see module docstring)."""
    return evaluate_plans(chunk, (plan,))[0]


def evaluate_plans(chunk: Chunk, plans: Sequence[Plan]) -> list[Partial]:
    """One chunk under several plans of one year that share the law as baseline (a sweep's steps).

    The baseline is simulated once and its sums are shared; each plan's reform is simulated on its own.
    The partial of each plan is exactly the one `evaluate_chunk(chunk, plan)` gives, because that is
    this function with one plan: a sweep step is an ordinary reform run, to the cent.
    """
    if not plans:
        return []
    year, extra = plans[0].year, plans[0].extra_variables
    if any(p.year != year or p.extra_variables != extra for p in plans):
        raise ValueError("evaluate_plans: the plans must share their year and extra variables")
    n = len(chunk)
    weight_units = np.round(chunk.weights * WEIGHT_UNIT)
    law = plans[0]  # every plan's baseline is the law (Plan.scenario(BASELINE))
    baseline = simulation_from_columns(chunk.inputs, year, system=law.system(BASELINE))
    groups = _groups(baseline, year)
    shared = Partial(records=n)
    for dim, labels in DIMENSIONS.items():
        size = len(labels)
        shared.population[dim] = np.stack(
            [
                _bincount(groups[dim], weight_units, size),
                _bincount(groups[dim], np.ones(n), size),
            ],
            axis=1,
        )
    reforms = any(p.reform is not None for p in plans)
    baseline_worth = _scenario_sums(shared, law, BASELINE, baseline, chunk, groups, weight_units, reforms)
    out = []
    for plan in plans:
        if plan.reform is None:
            out.append(shared)
            continue
        partial = shared.merge(Partial())  # a copy: the reform's sums go into this plan's own partial
        simulation = simulation_from_columns(chunk.inputs, year, system=plan.system(REFORM))
        worth = {
            BASELINE: baseline_worth,
            REFORM: _scenario_sums(partial, plan, REFORM, simulation, chunk, groups, weight_units, True),
        }
        _winners_losers(partial, plan, worth, groups, chunk.weights, weight_units)
        out.append(partial)
        # a simulation holds reference cycles: free this step's arrays before the next step's are made
        del simulation, worth
        gc.collect()
    return out


def _scenario_sums(
    partial: Partial,
    plan: Plan,
    scenario: str,
    simulation: Any,
    chunk: Chunk,
    groups: dict[str, np.ndarray],
    weight_units: np.ndarray,
    keep_worth: bool,
) -> dict[str, np.ndarray]:
    """Every scheme of one scenario on the chunk, summed into `partial`; each firm's worth per scheme
    when `keep_worth` (for winners and losers)."""
    n = len(chunk)
    year = plan.year
    size_class = groups["size_class"]
    worth: dict[str, np.ndarray] = {}
    for rule in plan.rules(scenario):
        try:
            outcome = _scheme(simulation, rule, year)
        except ParameterNotFoundError as exc:
            partial.not_computed[(scenario, rule.id)] = (
                f"the reference does not back parameter {missing_parameter_name(exc)} for {year}"
            )
            continue
        idx = np.flatnonzero(outcome.eligible)
        reached_sub = applies(chunk.ids[idx], size_class[idx], plan.takeup(rule.id, scenario), rule.id)
        reached = idx[reached_sub]
        w = weight_units[idx]
        wr = weight_units[reached]
        amount_cents = np.round(chunk.weights[reached] * outcome.amount[reached] * CENT)
        value_cents = np.round(chunk.weights[reached] * outcome.value[reached] * CENT)
        cost_cents = np.round(chunk.weights[reached] * outcome.cost[reached] * CENT)
        eligible_cents = np.round(chunk.weights[idx] * outcome.amount[idx] * CENT)
        eligible_cost_cents = np.round(chunk.weights[idx] * outcome.cost[idx] * CENT)
        unvalued_w = np.where(outcome.unvalued[reached], wr, 0.0)
        uncosted_w = np.where(outcome.uncosted[reached], wr, 0.0)
        for dim, labels in DIMENSIONS.items():
            size = len(labels)
            g_all, g_reached = groups[dim][idx], groups[dim][reached]
            stats = np.zeros((size, len(STAT_FIELDS)))
            stats[:, ELIGIBLE] = _bincount(g_all, w, size)
            stats[:, ELIGIBLE_AMOUNT] = _bincount(g_all, eligible_cents, size)
            stats[:, REACHED] = _bincount(g_reached, wr, size)
            stats[:, AMOUNT] = _bincount(g_reached, amount_cents, size)
            stats[:, VALUE] = _bincount(g_reached, value_cents, size)
            stats[:, UNVALUED] = _bincount(g_reached, unvalued_w, size)
            stats[:, COST] = _bincount(g_reached, cost_cents, size)
            stats[:, ELIGIBLE_COST] = _bincount(g_all, eligible_cost_cents, size)
            stats[:, UNCOSTED] = _bincount(g_reached, uncosted_w, size)
            partial.stats[(scenario, rule.id, dim)] = stats
        partial.values[(scenario, rule.id)] = _values_table(np.round(outcome.cost[reached] * CENT), wr)
        for name in plan.extra_variables:
            extra = _calculate(simulation, name, year).astype(np.float64)
            partial.extras[(scenario, rule.id, name)] = np.array(
                [float(np.round(chunk.weights[reached] * extra[reached] * CENT).sum())]
            )
        if keep_worth:
            firm_worth = np.zeros(n)
            firm_worth[reached] = outcome.value[reached]
            worth[rule.id] = firm_worth
    return worth


def _winners_losers(
    partial: Partial,
    plan: Plan,
    worth: dict[str, dict[str, np.ndarray]],
    groups: dict[str, np.ndarray],
    weights: np.ndarray,
    weight_units: np.ndarray,
) -> None:
    """Firms whose worth from the schemes rises (winners) or falls (losers) under the reform."""
    n = len(weights)
    total = np.zeros(n)
    for scheme in plan.scheme_ids():
        before = worth[BASELINE].get(scheme, np.zeros(n))
        after = worth[REFORM].get(scheme, np.zeros(n))
        diff = after - before
        total += diff
        partial.changes[(scheme, "all")] = _change_sums(diff, groups["all"], 1, weights, weight_units)
    for dim, labels in DIMENSIONS.items():
        partial.changes[("total", dim)] = _change_sums(total, groups[dim], len(labels), weights, weight_units)


def _change_sums(
    diff: np.ndarray, group: np.ndarray, size: int, weights: np.ndarray, weight_units: np.ndarray
) -> np.ndarray:
    out = np.zeros((size, 4))
    up = np.flatnonzero(diff > CHANGE_THRESHOLD_EUR)
    down = np.flatnonzero(diff < -CHANGE_THRESHOLD_EUR)
    out[:, WINNERS] = _bincount(group[up], weight_units[up], size)
    out[:, LOSERS] = _bincount(group[down], weight_units[down], size)
    out[:, GAINS] = _bincount(group[up], np.round(weights[up] * diff[up] * CENT), size)
    out[:, LOSSES] = _bincount(group[down], np.round(weights[down] * -diff[down] * CENT), size)
    return out


def run(
    chunks: Iterable[Chunk],
    plan: Plan,
    on_chunk: Callable[[int], None] | None = None,
    evaluate: Callable[[Chunk, Plan], Partial] = evaluate_chunk,
) -> Partial:
    """Evaluate chunk after chunk and merge: memory holds one chunk and the running partial."""
    total = Partial()
    for chunk in chunks:
        total = total.merge(evaluate(chunk, plan))
        if on_chunk is not None:
            on_chunk(len(chunk))
    if total.records == 0:
        raise InputError("population", "no records")
    return total
