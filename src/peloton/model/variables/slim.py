"""SLIM: subsidy for learning and development in SMEs (and, until 2025, some large firms).

SMEs get a share of the project costs, small enterprises a higher share until 2025; agriculture
has a lower maximum (de-minimis rules). Large firms in agriculture, horeca and recreation had a
chapter of their own until the 2024 amendment. Windows are allocated by lottery.
"""

from numpy import where
from openfisca_core.periods import YEAR

from peloton.model.entities import Onderneming
from peloton.model.enums import SbiSectie, one_of
from peloton.model.variable import Variable

REGELING = "https://zoek.officielebekendmakingen.nl/stcrt-2024-41822.html"
UVB = "https://www.uitvoeringvanbeleidszw.nl/subsidies-en-regelingen/slim"


class is_slim_sector_grootbedrijf(Variable):
    value_type = bool
    entity = Onderneming
    definition_period = YEAR
    label = "Main activity in agriculture (A), horeca (I) or recreation (R): SLIM's large-firm sectors"
    reference = (REGELING, UVB)

    def formula(onderneming, period):
        """The three SBI sections with much seasonal work."""
        return one_of(onderneming("sbi_sectie", period), SbiSectie.A, SbiSectie.I, SbiSectie.R)


class slim_subsidiepercentage(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "SLIM subsidy percentage for the firm (higher for small enterprises in some years)"
    unit = "/1"
    reference = (REGELING, UVB)

    def formula(onderneming, period, parameters):
        """Micro and small enterprises get the small-enterprise percentage, others the default."""
        p = parameters(period).slim
        klein = onderneming("is_kleine_onderneming", period)
        return where(klein, p.subsidiepercentage_kleine_onderneming, p.subsidiepercentage)


class slim_max_subsidie(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "SLIM maximum subsidy for the firm: SME, agriculture or large-firm chapter; 0 if not eligible"
    unit = "currency-EUR"
    reference = (REGELING, UVB)

    def formula(onderneming, period, parameters):
        """Agriculture has its own lower maximum; large firms only in the three sectors while open.
        Each maximum is read only when a firm needs it: a year may back one chapter and not another."""
        p = parameters(period).slim
        mkb = onderneming("is_mkb", period)
        landbouw = onderneming("sbi_sectie", period) == SbiSectie.A
        groot_mag = (~mkb) * onderneming("is_slim_sector_grootbedrijf", period)
        if groot_mag.any():
            groot_mag = groot_mag * p.grootbedrijf_open
        maximum = mkb * 0.0
        if (mkb * ~landbouw).any():
            maximum = where(mkb, p.max_subsidie_mkb, maximum)
        if (groot_mag * ~landbouw).any():
            maximum = where(groot_mag, p.max_subsidie_grootbedrijf, maximum)
        if (landbouw * (mkb + groot_mag)).any():
            maximum = where(landbouw * (mkb + groot_mag), p.max_subsidie_landbouw, maximum)
        return maximum


class slim_subsidie(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "SLIM: subsidy on a learning-and-development project"
    unit = "currency-EUR"
    reference = (REGELING, UVB)

    def formula(onderneming, period, parameters):
        """The firm's percentage of the costs up to its maximum, when the costs reach the minimum;
        nothing in years before the regulation opened."""
        p = parameters(period).slim
        kosten = onderneming("opleidingskosten", period)
        if not p.open:
            return kosten * 0
        bedrag = onderneming("slim_subsidiepercentage", period) * kosten
        maximum = onderneming("slim_max_subsidie", period)
        return (kosten >= p.min_kosten) * where(bedrag < maximum, bedrag, maximum)
