"""EIA and MIA/Vamil: extra deductions and free depreciation on assets on the year's lists.

Each asset must cost at least the minimum; an asset counts for the EIA or the MIA, never both, so
the profile gives the Energielijst and Milieulijst investments apart. The deductions are valued as
the tax they save; Vamil only brings depreciation forward, a timing benefit.
"""

from numpy import fmin, minimum, select
from openfisca_core.periods import YEAR

from peloton.model.belasting import belastingbesparing
from peloton.model.entities import Onderneming
from peloton.model.enums import MilieulijstCategorie, one_of
from peloton.model.variable import Variable

WET_IB_EIA = "https://wetten.overheid.nl/jci1.3:c:BWBR0011353&artikel=3.42"
WET_IB_MIA = "https://wetten.overheid.nl/jci1.3:c:BWBR0011353&artikel=3.42a"
WET_IB_VAMIL = "https://wetten.overheid.nl/jci1.3:c:BWBR0011353&artikel=3.31"
EIA = "https://www.rvo.nl/subsidies-financiering/eia"
MIA_VAMIL = "https://www.rvo.nl/subsidies-financiering/mia-vamil"


class eia_aftrek(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "Energie-investeringsaftrek: extra deduction from profit for Energielijst investments"
    unit = "currency-EUR"
    reference = (WET_IB_EIA, EIA)

    def formula(onderneming, period, parameters):
        """The year's percentage of the investment up to the yearly maximum, from the minimum up."""
        p = parameters(period).eia
        investering = onderneming("investering_energielijst", period)
        return (investering >= p.min_investering) * p.aftrekpercentage * fmin(investering, p.max_investering)


class eia_belastingbesparing(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "Tax saved by the EIA (NaN when profit or marginal rate is unknown)"
    unit = "currency-EUR"
    reference = (WET_IB_EIA, EIA)

    def formula(onderneming, period, parameters):
        """A deduction from profit is worth the tax it removes."""
        return belastingbesparing(onderneming, period, parameters, onderneming("eia_aftrek", period))


class is_mia_categorie(Variable):
    value_type = bool
    entity = Onderneming
    definition_period = YEAR
    label = "The asset's Milieulijst code carries an MIA percentage"
    reference = (WET_IB_MIA, MIA_VAMIL)

    def formula(onderneming, period):
        """Categories I, II and III; a Vamil-only code has no MIA."""
        categorie = onderneming("milieulijst_categorie", period)
        return one_of(
            categorie, MilieulijstCategorie.mia_i, MilieulijstCategorie.mia_ii, MilieulijstCategorie.mia_iii
        )


class mia_percentage(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "MIA percentage of the asset's Milieulijst category"
    unit = "/1"
    reference = (WET_IB_MIA, MIA_VAMIL)

    def formula(onderneming, period, parameters):
        """Each category has the year's percentage; no category, no MIA."""
        p = parameters(period).mia.percentage
        categorie = onderneming("milieulijst_categorie", period)
        return select(
            [
                categorie == MilieulijstCategorie.mia_i,
                categorie == MilieulijstCategorie.mia_ii,
                categorie == MilieulijstCategorie.mia_iii,
            ],
            [p.i, p.ii, p.iii],
            0,
        )


class mia_aftrek(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "Milieu-investeringsaftrek: extra deduction from profit for Milieulijst investments"
    unit = "currency-EUR"
    reference = (WET_IB_MIA, MIA_VAMIL)

    def formula(onderneming, period, parameters):
        """The category's percentage of the investment, from the minimum per asset up."""
        minimum = parameters(period).mia.min_investering
        investering = onderneming("investering_milieulijst", period)
        return (investering >= minimum) * onderneming("mia_percentage", period) * investering

    def formula_2025_01_01(onderneming, period, parameters):
        """From 2025 at most the yearly maximum per taxpayer (all assets together) counts."""
        mia = parameters(period).mia
        investering = onderneming("investering_milieulijst", period)
        grondslag = minimum(investering, mia.max_investering_per_belastingplichtige)
        return (investering >= mia.min_investering) * onderneming("mia_percentage", period) * grondslag


class mia_belastingbesparing(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "Tax saved by the MIA (NaN when profit or marginal rate is unknown)"
    unit = "currency-EUR"
    reference = (WET_IB_MIA, MIA_VAMIL)

    def formula(onderneming, period, parameters):
        """A deduction from profit is worth the tax it removes."""
        return belastingbesparing(onderneming, period, parameters, onderneming("mia_aftrek", period))


class vamil_willekeurige_afschrijving(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "Vamil: part of the investment the firm may depreciate at a moment of its choice"
    unit = "currency-EUR"
    reference = (WET_IB_VAMIL, MIA_VAMIL)

    def formula(onderneming, period, parameters):
        """The Vamil share of the investment when the asset's code allows Vamil, from the minimum up."""
        aandeel = parameters(period).vamil.aandeel
        minimum = parameters(period).mia.min_investering
        categorie = onderneming("milieulijst_categorie", period)
        vamil = (categorie == MilieulijstCategorie.alleen_vamil) + (
            onderneming("is_mia_categorie", period) * onderneming("heeft_vamil_code", period)
        )
        investering = onderneming("investering_milieulijst", period)
        return vamil * (investering >= minimum) * aandeel * investering
