"""Innovatiekrediet: a risk-bearing loan for a share of a development project's costs, by firm size.

A loan is not a gift: repayable when the project succeeds technically, not when it fails. The
amount is what the firm may borrow; its worth depends on interest and terms the reference lacks.
"""

from numpy import fmin, select
from openfisca_core.periods import YEAR

from peloton.model.entities import Onderneming
from peloton.model.enums import InnovatieSoort
from peloton.model.variable import Variable

VOORWAARDEN = "https://www.rvo.nl/subsidies-financiering/innovatiekrediet/voorwaarden"


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
