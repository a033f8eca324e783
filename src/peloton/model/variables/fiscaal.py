"""Corporate tax through the year's brackets and the worth of a deduction from profit.

A deduction from profit is worth the tax it removes. For a BV/NV that is the corporate tax on the
profit minus the tax on the profit less the deduction (both through the year's brackets); for an
IB-ondernemer it is the deduction times the profile's marginal income-tax rate. Unknown profit or
rate gives NaN, which the navigator reports as "value cannot be estimated" instead of zero.
"""

from numpy import nan, where
from openfisca_core.periods import YEAR

from peloton.model.belasting import vpb_op
from peloton.model.entities import Onderneming
from peloton.model.variable import Variable

WET_VPB = "https://wetten.overheid.nl/BWBR0002672/"
WET_VPB_TARIEF = "https://wetten.overheid.nl/jci1.3:c:BWBR0002672&artikel=22"


class is_vpb_plichtig(Variable):
    value_type = bool
    entity = Onderneming
    definition_period = YEAR
    label = "The enterprise pays corporate tax (vennootschapsbelasting) on its profit"
    reference = WET_VPB

    def formula(onderneming, period):
        """Every legal form whose profit is not taxed in the owners' income tax."""
        return ~onderneming("is_ib_ondernemer", period)


class belastbare_winst(Variable):
    value_type = float
    default_value = nan
    entity = Onderneming
    definition_period = YEAR
    label = "Taxable profit of the year before the scheme's deduction (unknown when not given)"
    unit = "currency-EUR"
    reference = WET_VPB


class vpb_verschuldigd(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "Corporate tax on the taxable profit before any scheme's deduction"
    unit = "currency-EUR"
    reference = WET_VPB_TARIEF

    def formula(onderneming, period, parameters):
        """Through the year's two brackets; zero for an IB-ondernemer, who pays income tax instead."""
        tax = vpb_op(onderneming("belastbare_winst", period), parameters(period).vpb)
        return where(onderneming("is_vpb_plichtig", period), tax, 0)
