"""Which rules-model variables make up each scheme's amount, and how that amount is valued.

No rule lives here: only the names of the variables that the rules model computes, so that the
navigator, the simulator and the API read the same outputs.
"""

from __future__ import annotations

from dataclasses import dataclass

# How a component's amount turns into its worth to the firm (and its cost to the government):
CASH = "cash"  # a subsidy or a tax credit: worth its amount
TAX_SAVING = "tax_saving"  # a deduction from profit: worth the tax it saves (the `value` variable)
LOAN = "loan"  # a loan: its worth depends on interest and repayment terms the reference lacks
TIMING = "timing"  # free depreciation: moves tax to later years; worth interest, not modelled


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


SCHEME_RULES: tuple[SchemeRule, ...] = (
    SchemeRule(
        id="wbso",
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
        components=(Component("mit_haalbaarheid_subsidie", "subsidie", CASH),),
    ),
    SchemeRule(
        id="mit_rd_samenwerking",
        components=(Component("mit_rd_samenwerking_subsidie", "subsidie", CASH),),
    ),
    SchemeRule(
        id="mit_kennisvoucher",
        components=(Component("mit_kennisvoucher", "voucher", CASH),),
    ),
    SchemeRule(
        id="innovatiekrediet",
        components=(Component("innovatiekrediet", "krediet", LOAN),),
    ),
    SchemeRule(
        id="eia",
        components=(Component("eia_aftrek", "aftrek", TAX_SAVING, value="eia_belastingbesparing"),),
    ),
    SchemeRule(
        id="mia_vamil",
        components=(
            Component("mia_aftrek", "aftrek", TAX_SAVING, value="mia_belastingbesparing"),
            Component("vamil_willekeurige_afschrijving", "willekeurige afschrijving", TIMING),
        ),
    ),
    SchemeRule(
        id="slim",
        components=(Component("slim_subsidie", "subsidie", CASH),),
    ),
)

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
