"""Innovatiekrediet: a risk-bearing loan for a share of a development project's costs, by firm size.

A loan is not a gift: repayable when the project succeeds technically, not when it fails. The
amount is what the firm may borrow. What a successful project repays on top is stated by the interest
structure (compound interest; from 2022 also a one-off fixed surcharge), kept beside the amount; the
worth of the loan to the firm also depends on its chance of failure, which the reference lacks.
"""

from numpy import fmin, select
from openfisca_core.periods import YEAR

from peloton.model.entities import Onderneming
from peloton.model.enums import InnovatieSoort
from peloton.model.variable import Variable

VOORWAARDEN = "https://www.rvo.nl/subsidies-financiering/innovatiekrediet/voorwaarden"
RENTESTRUCTUUR = "https://www.rvo.nl/subsidies-financiering/innovatiekrediet/aflossen/nieuwe-rentestructuur"


class is_innovatieproject(Variable):
    value_type = bool
    entity = Onderneming
    definition_period = YEAR
    label = "The firm describes an innovation project (product, process, software or research)"
    reference = VOORWAARDEN

    def formula(onderneming, period):
        """Any kind of innovation other than none."""
        return onderneming("innovatie_soort", period) != InnovatieSoort.geen


class innovatiekrediet_max_aandeel(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "Largest share of the development costs the Innovatiekrediet may finance, by firm size"
    unit = "/1"
    reference = VOORWAARDEN

    def formula(onderneming, period, parameters):
        """Small enterprises (micro included) the highest share, medium less, large firms least."""
        p = parameters(period).innovatiekrediet.max_aandeel
        return select(
            [onderneming("is_kleine_onderneming", period), onderneming("is_middelgrote_onderneming", period)],
            [p.klein, p.middelgroot],
            p.groot,
        )


class innovatiekrediet(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "Innovatiekrediet: the loan the firm may apply for"
    unit = "currency-EUR"
    reference = VOORWAARDEN

    def formula(onderneming, period, parameters):
        """The size class's share of the development costs, at most the maximum credit, for an
        innovation project whose costs reach the minimum project size."""
        p = parameters(period).innovatiekrediet
        kosten = onderneming("ontwikkelingskosten", period)
        recht = onderneming("is_innovatieproject", period) * (kosten >= p.min_projectkosten)
        bedrag = fmin(onderneming("innovatiekrediet_max_aandeel", period) * kosten, p.max_krediet)
        return recht * bedrag


class innovatiekrediet_rentepercentage(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "Compound interest rate on an Innovatiekrediet granted this year (technical project)"
    unit = "/1"
    reference = RENTESTRUCTUUR

    def formula(onderneming, period, parameters):
        """The rate of the year of grant: usually 7% until 2021, 3% for 2022 (set per year)."""
        return onderneming.empty_array() + parameters(period).innovatiekrediet.rente.percentage


class innovatiekrediet_vaste_opslag(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "One-off fixed surcharge a successful project repays on top of the Innovatiekrediet"
    unit = "currency-EUR"
    reference = RENTESTRUCTUUR

    def formula(onderneming, period):
        """Credits granted until 2021: credit plus compound interest, no surcharge."""
        return onderneming.empty_array()

    def formula_2022_01_01(onderneming, period, parameters):
        """From 2022 a fixed share of the credit, bearing no interest (waived on forgiven credit)."""
        opslag = parameters(period).innovatiekrediet.rente.vaste_opslag
        return opslag * onderneming("innovatiekrediet", period)
