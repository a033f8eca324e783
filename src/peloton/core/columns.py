"""Firms given as columns (one NumPy array per input variable) → an OpenFisca simulation.

Building a simulation from a situation dict costs Python work per firm; for populations of
millions (the simulator) and for the navigator's thousands of what-if variants of one firm, the
inputs are handed to the engine as whole arrays instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from openfisca_core import periods
from openfisca_core.indexed_enums import EnumArray
from openfisca_core.simulation_builder import SimulationBuilder

from peloton.core.inputs import encode_enum
from peloton.errors import InputError
from peloton.model import tax_benefit_system


def simulation_from_columns(columns: Mapping[str, np.ndarray], year: int, *, system: Any = None) -> Any:
    """One simulation whose firms are the rows of `columns`; enum columns may hold item names.

    `system` is the rules model to run (default: the baseline); a reform passes its reformed system,
    so that baseline and reform go through this same function.
    """
    system = system if system is not None else tax_benefit_system()
    sizes = {len(v) for v in columns.values()}
    if len(sizes) != 1:
        raise InputError("population", f"columns differ in length: {sorted(sizes)}")
    count = sizes.pop()
    builder = SimulationBuilder()
    builder.create_entities(system)
    # declare_person_entity() copies the ids through a Python list, which dominates for millions
    # of firms; setting the population's ids and count directly is what it does, without the list.
    firms = builder.populations["onderneming"]
    firms.ids = np.arange(count)
    firms.count = count
    builder.persons_plural = firms.entity.plural
    simulation = builder.build(system)
    period = periods.period(str(year))  # parsed once: set_input parses a text period per call
    for name, values in columns.items():
        variable = system.variables.get(name)
        if variable is None or variable.formulas:
            raise InputError(name, "is not an input variable of the rules model")
        enum = getattr(variable, "possible_values", None)
        if enum is not None and not isinstance(values, EnumArray):
            values = encode_enum(name, enum, np.asarray(values))
        simulation.set_input(name, period, values)
    return simulation
