"""The rules model: an OpenFisca-core country package (`openfisca test --country-package peloton.model`)."""

from peloton.model import exact_tests
from peloton.model.system import CountryTaxBenefitSystem, tax_benefit_system

# `openfisca test` loads its runner before the country package, so installing here covers it; the
# test suite calls install() again after importing the runner itself (tests/test_rules_yaml.py).
exact_tests.install()

__all__ = ["CountryTaxBenefitSystem", "tax_benefit_system"]
