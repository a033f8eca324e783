"""Innovatiebox: qualifying innovation profit taxed at an effective rate below the normal Vpb rate.

The law reaches the effective rate by shrinking the taxable base: the box profit counts only for
effective rate / high rate of its amount, and the rest of the profit goes through the normal
brackets. The entry ticket is an S&O-verklaring; a larger taxpayer also needs a patent or an
equivalent right. Only corporate-tax payers are modelled (the reference covers the Wet Vpb).
"""

from numpy import fmin, isnan, maximum, where
from openfisca_core.periods import YEAR

from peloton.model.belasting import belastingbesparing
from peloton.model.entities import Onderneming
from peloton.model.variable import Variable

WET_VPB_BOX = "https://wetten.overheid.nl/jci1.3:c:BWBR0002672&artikel=12b"
KLEINERE = (
    "https://www.belastingdienst.nl/wps/wcm/connect/bldcontentnl/belastingdienst/zakelijk/winst/"
    "vennootschapsbelasting/innovatiebox/kleinere-en-grotere-belastingplichtigen"
)


class innovatiebox_voordelen(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "Qualifying net benefits of the year from the self-developed intangible asset"
    unit = "currency-EUR"
    reference = WET_VPB_BOX


class activum_met_so_verklaring(Variable):
    value_type = bool
    entity = Onderneming
    definition_period = YEAR
    label = "The intangible asset was developed under an S&O-verklaring (in any year)"
    reference = WET_VPB_BOX


class heeft_octrooi_of_gelijkwaardig(Variable):
    value_type = bool
    entity = Onderneming
    definition_period = YEAR
    label = "The asset is protected by a patent, plant breeder's right, software or an equivalent right"
    reference = KLEINERE


class bruto_voordelen_immaterieel_vijf_jaar(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "Gross benefits from all intangible assets over this year and the four before"
    unit = "currency-EUR"
    reference = KLEINERE


class netto_omzet_vijf_jaar(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "Net turnover (of the group) over this year and the four before"
    unit = "currency-EUR"
    reference = KLEINERE


class is_kleinere_belastingplichtige_innovatiebox(Variable):
    value_type = bool
    entity = Onderneming
    definition_period = YEAR
    label = "Smaller taxpayer for the innovatiebox (five-year benefits and turnover within the limits)"
    reference = KLEINERE

    def formula(onderneming, period, parameters):
        """Both five-year tests: gross intangible benefits below, and net turnover at most, the limit."""
        grens = parameters(period).innovatiebox.kleinere_belastingplichtige
        bruto = onderneming("bruto_voordelen_immaterieel_vijf_jaar", period)
        omzet = onderneming("netto_omzet_vijf_jaar", period)
        return (bruto < grens.max_bruto_voordelen_vijf_jaar) * (omzet <= grens.max_netto_omzet_vijf_jaar)


class voldoet_aan_toegangsticket_innovatiebox(Variable):
    value_type = bool
    entity = Onderneming
    definition_period = YEAR
    label = "The firm holds the innovatiebox entry ticket (S&O-verklaring; larger taxpayers also a patent)"
    reference = (WET_VPB_BOX, KLEINERE)

    def formula(onderneming, period):
        """Every user needs the S&O-verklaring; a larger taxpayer needs a patent or equivalent as well."""
        verklaring = onderneming("activum_met_so_verklaring", period) + onderneming(
            "heeft_so_verklaring", period
        )
        tweede = onderneming("is_kleinere_belastingplichtige_innovatiebox", period) + onderneming(
            "heeft_octrooi_of_gelijkwaardig", period
        )
        return verklaring * tweede


class innovatiebox_verlaging(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "Reduction of the taxable profit by the innovatiebox"
    unit = "currency-EUR"
    reference = WET_VPB_BOX

    def formula(onderneming, period, parameters):
        """Box profit (at most the profit, when known) times 1 - effective rate / high Vpb rate."""
        fractie = 1 - parameters(period).innovatiebox.effectief_tarief / parameters(period).vpb.tarief_hoog
        recht = onderneming("is_vpb_plichtig", period) * onderneming(
            "voldoet_aan_toegangsticket_innovatiebox", period
        )
        voordelen = onderneming("innovatiebox_voordelen", period)
        if not (recht * (voordelen > 0)).any():
            return voordelen * 0
        winst = onderneming("belastbare_winst", period)
        in_box = where(isnan(winst), voordelen, fmin(voordelen, maximum(winst, 0)))
        return where(recht, in_box * fractie, 0)


class innovatiebox_belastingbesparing(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "Corporate tax saved by the innovatiebox (NaN when the profit is unknown)"
    unit = "currency-EUR"
    reference = WET_VPB_BOX

    def formula(onderneming, period, parameters):
        """The reduction is a deduction from the taxable profit: worth the tax it removes."""
        return belastingbesparing(
            onderneming, period, parameters, onderneming("innovatiebox_verlaging", period)
        )
