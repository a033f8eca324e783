"""Which rules-model variables make up each scheme's amount, and how that amount is valued.

No rule lives here: only the names of the variables that the rules model computes, so that the
navigator, the simulator and the API read the same outputs.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Component:
    """One legal amount of a scheme (e.g. the WBSO's wage-tax credit, or its profit deduction)."""

    variable: str
    legal_kind: str
    valuation: str  # "cash": worth its amount; "deduction": worth amount x marginal rate
    applies: str  # bool variable: does this component concern the firm at all


@dataclass(frozen=True)
class SchemeRule:
    id: str
    components: tuple[Component, ...]


SCHEME_RULES: tuple[SchemeRule, ...] = (
    SchemeRule(
        id="wbso",
        components=(
            Component("wbso_afdrachtvermindering", "afdrachtvermindering", "cash", "is_inhoudingsplichtige"),
            Component("so_aftrek", "aftrek", "deduction", "is_ib_ondernemer"),
        ),
    ),
)

FIRM_VARIABLES: tuple[str, ...] = ("mkb_grootteklasse", "is_mkb", "is_ib_ondernemer", "is_familiebedrijf")


def scheme_rule(scheme_id: str) -> SchemeRule:
    for rule in SCHEME_RULES:
        if rule.id == scheme_id:
            return rule
    raise KeyError(scheme_id)
