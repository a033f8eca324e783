"""The tax-benefit system: entities, variables and parameters loaded from this package."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from openfisca_core.taxbenefitsystems import TaxBenefitSystem

from peloton.model.entities import entities

HERE = Path(__file__).parent
PARAMETERS_DIR = HERE / "parameters"
VARIABLES_DIR = HERE / "variables"


class CountryTaxBenefitSystem(TaxBenefitSystem):
    """peloton's rules: every scheme as variables reading dated, referenced parameters."""

    def __init__(self) -> None:
        super().__init__(entities)
        self.add_variables_from_directory(str(VARIABLES_DIR))
        self.load_parameters(str(PARAMETERS_DIR))


@cache
def tax_benefit_system() -> CountryTaxBenefitSystem:
    """One shared instance: building the system parses every YAML file, so do it once per process."""
    return CountryTaxBenefitSystem()
