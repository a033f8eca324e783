"""Which inputs each scheme needs, read from the rules' own dependency graph.

The rules are traced on the probe firms of core.probes, which take opposite values for every
yes/no and choice input, so that every branch of every formula runs; the inputs met in each
scheme's trace are the ones a form must ask.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from peloton.catalog import covered_years, get_scheme
from peloton.core.inputs import input_spec, questions
from peloton.core.probes import probe_reads
from peloton.core.schemes import SCHEME_RULES
from peloton.errors import InputError
from peloton.model import tax_benefit_system
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
            for name in sorted(probe_reads(targets, probe_year).inputs):
                users.setdefault(name, [])
                if scheme_id not in users[name]:
                    users[name].append(scheme_id)
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
