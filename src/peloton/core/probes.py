"""What the rules read, found by running them: three probe firms that take opposite values for every
yes/no and choice input (one as an IB-ondernemer, one as a BV) and positive amounts everywhere, so
that every branch of every formula runs, traced by OpenFisca. The navigator's question list (the
inputs a scheme's trace meets) and the API's scheme pages (the parameters it meets) both read it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from openfisca_core.errors import ParameterNotFoundError

from peloton.core.columns import simulation_from_columns
from peloton.model import tax_benefit_system

PROBE_AMOUNT = 1_000_000  # EUR: passes every minimum (investment, project size)
PROBE_COUNT = 1  # counts (staff, participants) small enough to keep the probe an SME


def probe_columns(year: int) -> dict[str, np.ndarray]:
    """The three probe firms as input columns: defaults, everything flipped as an eenmanszaak, and
    everything flipped as a BV; every number positive."""
    del year  # the probes are the same in every year; the argument keeps call sites explicit
    system = tax_benefit_system()
    columns: dict[str, np.ndarray] = {}
    for name, variable in system.variables.items():
        if variable.formulas:
            continue
        if variable.value_type in (int, float):
            value = PROBE_AMOUNT if getattr(variable, "unit", "") == "currency-EUR" else PROBE_COUNT
            columns[name] = np.full(3, value, dtype=variable.dtype)
        elif variable.value_type is bool:
            default = bool(variable.default_value)
            columns[name] = np.array([default, not default, not default])
        elif getattr(variable, "possible_values", None) is not None:
            default = variable.default_value.name
            others = [v.name for v in variable.possible_values if v != variable.default_value]
            flipped = others[0] if others else default
            columns[name] = np.array([default, flipped, flipped], dtype=object)
    columns["rechtsvorm"] = np.array([columns["rechtsvorm"][0], "eenmanszaak", columns["rechtsvorm"][2]])
    return columns


@dataclass
class Reads:
    """The input variables and the parameters met while computing some targets."""

    inputs: set[str] = field(default_factory=set)
    parameters: set[str] = field(default_factory=set)


def probe_reads(targets: Iterable[str], year: int, system: Any = None) -> Reads:
    """Trace `targets` for the probe firms in `year` in one fresh simulation (a variable computed
    earlier elsewhere would come from the cache without its inputs); a target whose year lacks a
    parameter (a gap) contributes what it met before the gap."""
    system = system if system is not None else tax_benefit_system()
    simulation = simulation_from_columns(probe_columns(year), year, system=system)
    simulation.trace = True
    wanted = set(targets)
    for target in sorted(wanted):
        try:
            simulation.calculate(target, str(year))
        except ParameterNotFoundError:
            continue
    reads = Reads()
    for root in simulation.tracer.trees:
        if root.name not in wanted:
            continue
        stack = [root]
        while stack:
            node = stack.pop()
            stack.extend(node.children)
            reads.parameters.update(p.name for p in node.parameters)
            if not system.variables[node.name].formulas:
                reads.inputs.add(node.name)
    return reads
