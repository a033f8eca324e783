"""The reforms that ship with peloton as OpenFisca Reform classes, one per YAML file in this folder.

`openfisca test` and `TaxBenefitSystem.apply_reform` take a reform by its import path, so each file
`NAME.yaml` here is exposed as `peloton.model.reforms.examples.NAME` (the same files are linked from
examples/reforms/ for the CLI). tests/reforms/*.yaml name them in their `reforms:` key.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from peloton.model.reforms.builder import reform_class
from peloton.model.reforms.spec import ReformSpec, parse_reform
from peloton.yaml_input import load_user_yaml


def example_names() -> list[str]:
    """The shipped reforms' names (their file names without .yaml)."""
    folder = resources.files("peloton.model.reforms.examples")
    return sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml"))


def example_spec(name: str) -> ReformSpec:
    """One shipped reform, read and validated like any reform file."""
    path = resources.files("peloton.model.reforms.examples").joinpath(f"{name}.yaml")
    return parse_reform(
        load_user_yaml(path.read_text(encoding="utf-8")), source=f"examples/reforms/{name}.yaml"
    )


def __getattr__(name: str) -> Any:
    """`peloton.model.reforms.examples.wbso_eerste_schijf_500k` -> its Reform class."""
    if name in example_names():
        reform = reform_class(example_spec(name))
        reform.__name__ = name
        reform.__module__ = __name__
        globals()[name] = reform
        return reform
    raise AttributeError(name)
