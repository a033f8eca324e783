"""A firm population given as columns (one NumPy array per input variable) → an OpenFisca simulation.

Building a simulation from a situation dict costs Python work per firm; for populations of
millions the inputs are handed to the engine as whole arrays instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from openfisca_core.indexed_enums import EnumArray
from openfisca_core.simulation_builder import SimulationBuilder

from peloton.errors import InputError
from peloton.model import tax_benefit_system


def encode_enum(name: str, enum: Any, values: np.ndarray) -> EnumArray:
    """Item names (or indices) → EnumArray, one vector comparison per item instead of per firm."""
    if values.dtype.kind in "iu":
        codes = values.astype(np.int16)
        if codes.size and (codes.min() < 0 or codes.max() >= len(enum)):
            raise InputError(name, f"enum index out of range 0..{len(enum) - 1}")
        return EnumArray(codes, enum)
    values = values.astype(str)
    codes = np.full(values.shape, -1, dtype=np.int16)
    for item in enum:
        codes[values == item.name] = item.index
    if (codes < 0).any():
        bad = values[codes < 0][0]
        allowed = ", ".join(item.name for item in enum)
        raise InputError(name, f"unknown value {bad!r}; allowed: {allowed}")
    return EnumArray(codes, enum)


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
    period = str(year)
    for name, values in columns.items():
        variable = system.variables.get(name)
        if variable is None or variable.formulas:
            raise InputError(name, "is not an input variable of the rules model")
        enum = getattr(variable, "possible_values", None)
        if enum is not None and not isinstance(values, EnumArray):
            values = encode_enum(name, enum, np.asarray(values))
        simulation.set_input(name, period, values)
    return simulation
