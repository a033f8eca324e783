"""Scenarios: the law as it stands, or a reform of it. One object says which rules system computes,
which schemes exist (the law's plus a reform's new schemes), what each is called and its take-up.

The navigator evaluates a profile under a scenario, the simulator a population under one or two;
both ask the scenario, so a reform means the same thing to every capability.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from peloton.catalog import get_scheme, load_catalog
from peloton.core.parameters import parameter_value
from peloton.core.schemes import CASH, SCHEME_RULES, Component, SchemeRule
from peloton.core.takeup import Takeup, takeup_for
from peloton.errors import InputError
from peloton.model import tax_benefit_system
from peloton.model.reforms import NewScheme, ReformSpec, reform_system

LAW = "law"


@dataclass(frozen=True)
class SchemeInfo:
    """What the interfaces show of a scheme: from the catalog, or from a reform's new scheme."""

    id: str
    name: str
    legal_kind: str
    certainty: str
    links: tuple[str, ...]
    allocation_note: str = ""
    allocation_source: str = ""
    years: tuple[int, ...] = ()


def new_scheme_rule(scheme: NewScheme) -> SchemeRule:
    """A reform's new scheme as every scheme is read: one cash component, its own variable."""
    return SchemeRule(id=scheme.id, components=(Component(scheme.id, scheme.kind, CASH),))


@cache
def _catalog_ids() -> frozenset[str]:
    return frozenset(s.id for s in load_catalog())


@dataclass(frozen=True)
class Scenario:
    """The law (`reform` None) or a reform; small and picklable for any executor."""

    reform: ReformSpec | None = None

    @property
    def name(self) -> str:
        return LAW if self.reform is None else self.reform.name

    @property
    def is_reform(self) -> bool:
        return self.reform is not None

    def system(self) -> Any:
        return tax_benefit_system() if self.reform is None else reform_system(self.reform)

    def rules(self) -> tuple[SchemeRule, ...]:
        if self.reform is None:
            return SCHEME_RULES
        return SCHEME_RULES + tuple(new_scheme_rule(s) for s in self.reform.new_schemes)

    def takeup(self, scheme: str, year: int) -> Takeup:
        return takeup_for(scheme, year, self.system())

    def scheme_info(self, scheme_id: str) -> SchemeInfo:
        new = self.new_scheme(scheme_id)
        if new is not None:
            return SchemeInfo(
                id=new.id,
                name=new.name,
                legal_kind=new.kind,
                certainty="entitlement",
                links=(new.reference,) if new.reference.startswith("http") else (),
            )
        scheme = get_scheme(scheme_id)
        return SchemeInfo(
            id=scheme.id,
            name=scheme.name,
            legal_kind=scheme.legal_kind,
            certainty=scheme.certainty,
            links=tuple(scheme.links),
            allocation_note=scheme.allocation_note,
            allocation_source=scheme.allocation_source,
            years=tuple(scheme.years),
        )

    def new_scheme(self, scheme_id: str) -> NewScheme | None:
        if self.reform is None:
            return None
        return next((s for s in self.reform.new_schemes if s.id == scheme_id), None)

    def changes(self, year: int) -> list[dict[str, Any]]:
        """Each parameter change with the law's and the reform's value in `year`, and whether it is in
        force on 1 January of that year (when OpenFisca reads a year's parameters)."""
        if self.reform is None:
            return []
        reformed = self.system()
        out: list[dict[str, Any]] = []
        for change in self.reform.parameter_changes:
            out.append(
                {
                    "parameter": change.parameter,
                    "start": change.start,
                    "stop": change.stop,
                    "baseline_value": parameter_value(tax_benefit_system(), change.parameter, year),
                    "reform_value": parameter_value(reformed, change.parameter, year),
                    "in_force": change.start <= f"{year}-01-01"
                    and (change.stop is None or change.stop >= f"{year}-01-01"),
                }
            )
        return out

    def notes(self, year: int) -> list[str]:
        """What a result for `year` must say beside it: changes not in force, schemes not running."""
        if self.reform is None:
            return []
        out = []
        for change in self.changes(year):
            if not change["in_force"]:
                out.append(
                    f"reform: {change['parameter']} changes from {change['start']}"
                    + (f" to {change['stop']}" if change["stop"] else "")
                    + f", not in force on 1 January {year}: no effect in this year"
                )
        for scheme in self.reform.new_schemes:
            if not scheme.in_force(year):
                out.append(
                    f"reform: {scheme.id} runs from {scheme.start}"
                    + (f" to {scheme.stop}" if scheme.stop else "")
                    + f": not in force in {year}"
                )
        return out


def scenario_for(reform: ReformSpec | None) -> Scenario:
    """The scenario of a reform (or the law); a new scheme may not take a scheme's id."""
    if reform is not None:
        taken = _catalog_ids() | {r.id for r in SCHEME_RULES}
        for i, scheme in enumerate(reform.new_schemes):
            if scheme.id in taken:
                raise InputError(
                    f"new_schemes[{i}].id",
                    f"{scheme.id!r} is already a scheme; give the new scheme its own id",
                )
    return Scenario(reform)


LAW_SCENARIO = Scenario()
