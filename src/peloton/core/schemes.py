"""The scheme table: which rules-model variables make up each scheme's amount, how that amount is
valued, and a scheme's totals per firm (legal amount, worth to the firm, cost to the government).

No rule lives here: only the names of the variables that the rules model computes, and the functions
that read them from a simulation, so that the navigator, the simulator and the API read the same
outputs the same way: a scheme's totals are computed here once, for one firm or millions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

# How a component's amount turns into its worth to the firm and its cost to the government:
CASH = "cash"  # a subsidy or a tax credit: worth its amount, costs its amount
TAX_SAVING = "tax_saving"  # a deduction from profit: worth the tax it saves, which is the tax forgone
LOAN = "loan"  # a loan: costs the credit lent; its worth depends on terms the reference lacks
TIMING = "timing"  # free depreciation: moves tax to later years; worth and cost are interest, not modelled

# What the cost to the government is called, per valuation (chart titles and table headers say it).
COST_KINDS = {CASH: "paid", TAX_SAVING: "tax forgone", LOAN: "credit lent", TIMING: "not costed"}


@dataclass(frozen=True)
class Component:
    """One legal amount of a scheme (e.g. the WBSO's wage-tax credit, or its profit deduction)."""

    variable: str
    legal_kind: str
    valuation: str
    applies: str | None = None  # bool variable: does this component concern the firm (None: always)
    value: str | None = None  # TAX_SAVING: the variable holding the tax saved (NaN when unknown)

    @property
    def value_variable(self) -> str | None:
        """The variable whose sum is the component's worth; None when it has no money worth."""
        if self.valuation == CASH:
            return self.variable
        if self.valuation == TAX_SAVING:
            return self.value
        return None


@dataclass(frozen=True)
class SchemeRule:
    id: str
    components: tuple[Component, ...]
    modelled: str | None = None  # bool variable: False means the rules do not cover this firm
    parameters: tuple[str, ...] = ()  # the parameter nodes of the scheme's own law (for source counts)


SCHEME_RULES: tuple[SchemeRule, ...] = (
    SchemeRule(
        id="wbso",
        parameters=("wbso",),
        components=(
            Component(
                "wbso_afdrachtvermindering", "afdrachtvermindering", CASH, applies="is_inhoudingsplichtige"
            ),
            Component(
                "so_aftrek",
                "aftrek",
                TAX_SAVING,
                applies="is_ib_ondernemer",
                value="so_aftrek_belastingbesparing",
            ),
        ),
    ),
    SchemeRule(
        id="innovatiebox",
        parameters=("innovatiebox",),
        components=(
            Component(
                "innovatiebox_verlaging",
                "grondslagverlaging",
                TAX_SAVING,
                value="innovatiebox_belastingbesparing",
            ),
        ),
        modelled="is_vpb_plichtig",
    ),
    SchemeRule(
        id="mit_haalbaarheid",
        parameters=("mit.haalbaarheid",),
        components=(Component("mit_haalbaarheid_subsidie", "subsidie", CASH),),
    ),
    SchemeRule(
        id="mit_rd_samenwerking",
        parameters=("mit.rd_samenwerking",),
        components=(Component("mit_rd_samenwerking_subsidie", "subsidie", CASH),),
    ),
    SchemeRule(
        id="mit_kennisvoucher",
        parameters=("mit.kennisvoucher",),
        components=(Component("mit_kennisvoucher", "voucher", CASH),),
    ),
    SchemeRule(
        id="innovatiekrediet",
        parameters=("innovatiekrediet",),
        components=(Component("innovatiekrediet", "krediet", LOAN),),
    ),
    SchemeRule(
        id="eia",
        parameters=("eia",),
        components=(Component("eia_aftrek", "aftrek", TAX_SAVING, value="eia_belastingbesparing"),),
    ),
    SchemeRule(
        id="mia_vamil",
        parameters=("mia", "vamil"),
        components=(
            Component("mia_aftrek", "aftrek", TAX_SAVING, value="mia_belastingbesparing"),
            Component("vamil_willekeurige_afschrijving", "willekeurige afschrijving", TIMING),
        ),
    ),
    SchemeRule(
        id="slim",
        parameters=("slim",),
        components=(Component("slim_subsidie", "subsidie", CASH),),
    ),
)


@dataclass
class SchemeArrays:
    """One scheme's arrays for a whole population, by component variable (float64).

    `values` is each component's worth in euros: its amount for cash, the tax saved for a
    deduction, 0 for a timing benefit, NaN where no worth can be given (a loan, or a deduction
    whose profit or marginal rate is unknown). `modelled` is False for firms the rules do not cover.
    """

    amounts: dict[str, np.ndarray]
    values: dict[str, np.ndarray]
    applies: dict[str, np.ndarray]
    modelled: np.ndarray


@dataclass
class SchemeTotals:
    """One scheme's totals per firm, summed over its components (float64 euros).

    `amount` is the legal amount (a timing benefit is not added to deductions), `value` the worth to
    the firm and `cost` the cost to the government (subsidy or credit paid, tax forgone), both with
    unknown parts counted as 0 and flagged in `unvalued` / `uncosted`. `eligible`: some component
    gives the firm an amount and the rules cover it.
    """

    amount: np.ndarray
    value: np.ndarray
    cost: np.ndarray
    unvalued: np.ndarray
    uncosted: np.ndarray
    eligible: np.ndarray
    modelled: np.ndarray  # False: the rules do not cover this firm (e.g. the innovatiebox for an IB firm)


def component_cost(component: Component, amount: np.ndarray, value: np.ndarray) -> np.ndarray:
    """The cost to the government of one component: its amount for cash and loans, the tax saved
    (forgone) for a deduction, 0 for a timing benefit; NaN where the tax saved is unknown."""
    if component.valuation in (CASH, LOAN):
        return amount
    if component.valuation == TAX_SAVING:
        return value
    return np.zeros(amount.shape)


def scheme_totals(arrays: SchemeArrays, rule: SchemeRule) -> SchemeTotals:
    """Sum a scheme's components per firm: the one place where a scheme's totals are computed."""
    amounts = np.stack([arrays.amounts[c.variable] for c in rule.components])
    values = np.stack([arrays.values[c.variable] for c in rule.components])
    costs = np.stack(
        [component_cost(c, arrays.amounts[c.variable], arrays.values[c.variable]) for c in rule.components]
    )
    counted = np.array([c.valuation != TIMING for c in rule.components])
    positive = amounts > 0
    return SchemeTotals(
        amount=amounts[counted].sum(axis=0),
        value=np.nan_to_num(values, nan=0.0).sum(axis=0),
        cost=np.nan_to_num(costs, nan=0.0).sum(axis=0),
        unvalued=(positive & np.isnan(values)).any(axis=0),
        uncosted=(positive & np.isnan(costs)).any(axis=0),
        eligible=positive.any(axis=0) & arrays.modelled,
        modelled=arrays.modelled,
    )


def scheme_arrays(simulation: Any, rule: SchemeRule, period: str) -> SchemeArrays:
    """Compute every component of `rule`; a year without a sourced parameter raises OpenFisca's
    ParameterNotFoundError, which each caller reports in its own terms."""
    amounts: dict[str, np.ndarray] = {}
    values: dict[str, np.ndarray] = {}
    applies: dict[str, np.ndarray] = {}
    for component in rule.components:
        amount = np.asarray(simulation.calculate(component.variable, period), dtype=np.float64)
        amounts[component.variable] = amount
        if component.applies is None:
            applies[component.variable] = np.ones(amount.shape, dtype=bool)
        else:
            applies[component.variable] = np.asarray(
                simulation.calculate(component.applies, period), dtype=bool
            )
        value_variable = component.value_variable
        if value_variable is not None:
            values[component.variable] = np.asarray(
                simulation.calculate(value_variable, period), dtype=np.float64
            )
        elif component.valuation == TIMING:
            values[component.variable] = np.zeros(amount.shape)
        else:
            values[component.variable] = np.where(amount > 0, np.nan, 0.0)
    if rule.modelled is None:
        modelled = np.ones(next(iter(amounts.values())).shape, dtype=bool)
    else:
        modelled = np.asarray(simulation.calculate(rule.modelled, period), dtype=bool)
    return SchemeArrays(amounts, values, applies, modelled)


FIRM_VARIABLES: tuple[str, ...] = (
    "mkb_grootteklasse",
    "is_mkb",
    "is_ib_ondernemer",
    "is_familiebedrijf",
    "provincie",
    "sbi_sectie",
    "innovatie_soort",
)


def scheme_rule(scheme_id: str) -> SchemeRule:
    for rule in SCHEME_RULES:
        if rule.id == scheme_id:
            return rule
    raise KeyError(scheme_id)
