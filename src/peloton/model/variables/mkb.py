"""Size class per the EU SME definition: headcount AND (turnover OR balance-sheet total)."""

from numpy import select
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import YEAR

from peloton.model.entities import Onderneming
from peloton.model.enums import MkbGrootteklasse
from peloton.model.variable import Variable

EU_SME = "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32003H0361"


class mkb_personeel_fte(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "Headcount for the SME test: own AWU plus partner (pro rata) and linked enterprises"
    unit = "AWU"
    reference = EU_SME

    def formula(onderneming, period):
        """Annex art. 6: the data of partner and linked enterprises are added to the firm's own."""
        return onderneming("personeel_fte", period) + onderneming("personeel_fte_partner_verbonden", period)


class mkb_jaaromzet(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "Turnover for the SME test: own plus partner (pro rata) and linked enterprises"
    unit = "currency-EUR"
    reference = EU_SME

    def formula(onderneming, period):
        """Annex art. 6: the data of partner and linked enterprises are added to the firm's own."""
        return onderneming("jaaromzet", period) + onderneming("jaaromzet_partner_verbonden", period)


class mkb_balanstotaal(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "Balance-sheet total for the SME test: own plus partner (pro rata) and linked enterprises"
    unit = "currency-EUR"
    reference = EU_SME

    def formula(onderneming, period):
        """Annex art. 6: the data of partner and linked enterprises are added to the firm's own."""
        return onderneming("balanstotaal", period) + onderneming("balanstotaal_partner_verbonden", period)


def _within(onderneming, period, ceilings):
    """Annex art. 2: fewer staff than the ceiling, and turnover OR balance-sheet total within its ceiling."""
    fte = onderneming("mkb_personeel_fte", period)
    omzet = onderneming("mkb_jaaromzet", period)
    balans = onderneming("mkb_balanstotaal", period)
    return (fte < ceilings.fte_kleiner_dan) * (
        (omzet <= ceilings.max_jaaromzet) + (balans <= ceilings.max_balanstotaal)
    )


class is_micro_onderneming(Variable):
    value_type = bool
    entity = Onderneming
    definition_period = YEAR
    label = "Micro enterprise: fewer than 10 AWU and turnover or balance-sheet total at most EUR 2 million"
    reference = EU_SME

    def formula(onderneming, period, parameters):
        """Annex art. 2(3) of Recommendation 2003/361/EC."""
        return _within(onderneming, period, parameters(period).mkb.micro)


class is_kleine_onderneming(Variable):
    value_type = bool
    entity = Onderneming
    definition_period = YEAR
    label = "Small enterprise (or smaller): fewer than 50 AWU and turnover or balance sheet at most EUR 10m"
    reference = EU_SME

    def formula(onderneming, period, parameters):
        """Annex art. 2(2) of Recommendation 2003/361/EC."""
        return _within(onderneming, period, parameters(period).mkb.klein)


class is_middelgrote_onderneming(Variable):
    value_type = bool
    entity = Onderneming
    definition_period = YEAR
    label = "SME: fewer than 250 AWU and turnover at most EUR 50m or balance-sheet total at most EUR 43m"
    reference = EU_SME

    def formula(onderneming, period, parameters):
        """Annex art. 2(1) of Recommendation 2003/361/EC."""
        return _within(onderneming, period, parameters(period).mkb.middelgroot)


class mkb_grootteklasse(Variable):
    value_type = Enum
    possible_values = MkbGrootteklasse
    default_value = MkbGrootteklasse.groot
    entity = Onderneming
    definition_period = YEAR
    label = "Size class of the enterprise per the EU SME definition"
    reference = EU_SME

    def formula(onderneming, period):
        """The smallest class whose ceilings the enterprise meets; large if it meets none."""
        return select(
            [
                onderneming("is_micro_onderneming", period),
                onderneming("is_kleine_onderneming", period),
                onderneming("is_middelgrote_onderneming", period),
            ],
            [MkbGrootteklasse.micro, MkbGrootteklasse.klein, MkbGrootteklasse.middelgroot],
            default=MkbGrootteklasse.groot,
        )


class is_mkb(Variable):
    value_type = bool
    entity = Onderneming
    definition_period = YEAR
    label = "The enterprise is an SME (micro, small or medium-sized) per the EU definition"
    reference = EU_SME

    def formula(onderneming, period):
        """An SME is any enterprise within the medium-sized ceilings."""
        return onderneming("is_middelgrote_onderneming", period)
