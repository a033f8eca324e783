"""Declarative reforms (YAML) as OpenFisca reforms of the rules model: `spec` reads and validates a
reform file, `builder` turns it into a reformed tax-benefit system, `examples` exposes the shipped
reforms as Reform classes for `openfisca test` (tests/reforms/)."""

from peloton.model.reforms.builder import reform_class, reform_system
from peloton.model.reforms.spec import (
    Condition,
    NewScheme,
    ParameterChange,
    ReformSpec,
    TakeupSpec,
    load_reform,
    parse_reform,
)

__all__ = [
    "Condition",
    "NewScheme",
    "ParameterChange",
    "ReformSpec",
    "TakeupSpec",
    "load_reform",
    "parse_reform",
    "reform_class",
    "reform_system",
]
