"""The tax-benefit system: entities, variables and parameters loaded from this package."""

from __future__ import annotations

import importlib.metadata
from functools import cache
from pathlib import Path
from typing import Any

from openfisca_core.errors import VariableNotFoundError
from openfisca_core.taxbenefitsystems import TaxBenefitSystem

from peloton.model.entities import entities

HERE = Path(__file__).parent
DISTRIBUTION = "peloton"
PARAMETERS_DIR = HERE / "parameters"
VARIABLES_DIR = HERE / "variables"


class CountryTaxBenefitSystem(TaxBenefitSystem):
    """peloton's rules: every scheme as variables reading dated, referenced parameters."""

    def __init__(self) -> None:
        super().__init__(entities)
        self.add_variables_from_directory(str(VARIABLES_DIR))
        self.load_parameters(str(PARAMETERS_DIR))

    def get_package_metadata(self) -> dict[str, str]:
        """The metadata OpenFisca's web API builds `source` links and headers from, read from this
        distribution's own metadata (pyproject.toml) and the package's real location. OpenFisca's
        default guesses the location by splitting the path on the package name, which breaks when
        a parent folder carries that name too."""
        urls = project_urls()
        return {
            "name": DISTRIBUTION,
            "version": importlib.metadata.version(DISTRIBUTION),
            "repository_url": urls.get("Repository", ""),
            "location": str(source_root()),
        }

    def get_variable(self, variable_name: str, check_existence: bool = False) -> Any:
        """OpenFisca's lookup, with an unknown name reported against this project's changelog
        (OpenFisca's own message links to github.com/openfisca/<package>, another project)."""
        try:
            return super().get_variable(variable_name, check_existence)
        except VariableNotFoundError:
            raise UnknownVariable(variable_name) from None


class UnknownVariable(VariableNotFoundError):
    """A variable name the rules do not have; the message says where renames are recorded."""

    def __init__(self, variable_name: str) -> None:
        changelog = project_urls().get("Changelog", "CHANGELOG.md")
        self.variable_name = variable_name
        self.message = (
            f"You tried to calculate or to set a value for variable '{variable_name}', but it was not "
            f"found in peloton's rules ({DISTRIBUTION}@{importlib.metadata.version(DISTRIBUTION)}). "
            f"`peloton questions` lists the input variables; renames and removals are in {changelog}."
        )
        Exception.__init__(self, self.message)


def source_root() -> Path:
    """The folder that source links are relative to: the repository root in a checkout (src layout,
    so links read /src/peloton/...), else the folder that holds the installed package."""
    package_parent = HERE.parents[1]
    return package_parent.parent if package_parent.name == "src" else package_parent


@cache
def project_urls() -> dict[str, str]:
    """The [project.urls] of this distribution: label -> URL."""
    found: dict[str, str] = {}
    for entry in importlib.metadata.metadata(DISTRIBUTION).get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        found[label.strip()] = url.strip()
    return found


@cache
def tax_benefit_system() -> CountryTaxBenefitSystem:
    """One shared instance: building the system parses every YAML file, so do it once per process."""
    return CountryTaxBenefitSystem()
