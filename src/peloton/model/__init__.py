"""The rules model: an OpenFisca-core country package (`openfisca test --country-package peloton.model`)."""

from peloton.model.system import CountryTaxBenefitSystem, tax_benefit_system

__all__ = ["CountryTaxBenefitSystem", "tax_benefit_system"]
