"""The firm's own characteristics: legal form, size figures, history. Inputs shared by all schemes."""

from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import YEAR

from peloton.model.entities import Onderneming
from peloton.model.enums import Rechtsvorm, one_of
from peloton.model.variable import Variable

EU_SME = "https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32003H0361"
WET_IB = "https://wetten.overheid.nl/BWBR0011353/"
WVA = "https://wetten.overheid.nl/BWBR0007746/"


class rechtsvorm(Variable):
    value_type = Enum
    possible_values = Rechtsvorm
    default_value = Rechtsvorm.bv
    entity = Onderneming
    definition_period = YEAR
    label = "Legal form of the enterprise"
    reference = WET_IB


class is_ib_ondernemer(Variable):
    value_type = bool
    entity = Onderneming
    definition_period = YEAR
    label = "The enterprise is run by an entrepreneur taxed under the income tax (IB-ondernemer)"
    reference = WET_IB

    def formula(onderneming, period):
        """Sole proprietors and partners in a VOF, maatschap or CV pay income tax on the profit."""
        vorm = onderneming("rechtsvorm", period)
        return one_of(vorm, Rechtsvorm.eenmanszaak, Rechtsvorm.vof, Rechtsvorm.maatschap, Rechtsvorm.cv)


class is_inhoudingsplichtige(Variable):
    value_type = bool
    default_value = True
    entity = Onderneming
    definition_period = YEAR
    label = "The enterprise withholds wage tax for employees (withholding agent, inhoudingsplichtige)"
    reference = WVA


class personeel_fte(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "Staff headcount of the enterprise in annual work units (AWU / FTE)"
    unit = "AWU"
    reference = EU_SME


class jaaromzet(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "Annual turnover of the enterprise"
    unit = "currency-EUR"
    reference = EU_SME


class balanstotaal(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "Annual balance-sheet total of the enterprise"
    unit = "currency-EUR"
    reference = EU_SME


class personeel_fte_partner_verbonden(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "Headcount (AWU) of partner enterprises pro rata to the holding plus linked enterprises at 100%"
    unit = "AWU"
    reference = EU_SME


class jaaromzet_partner_verbonden(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "Turnover of partner enterprises pro rata to the holding plus linked enterprises at 100%"
    unit = "currency-EUR"
    reference = EU_SME


class balanstotaal_partner_verbonden(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "Balance-sheet total of partner enterprises pro rata plus linked enterprises at 100%"
    unit = "currency-EUR"
    reference = EU_SME


class is_familiebedrijf(Variable):
    value_type = bool
    entity = Onderneming
    definition_period = YEAR
    label = "The enterprise is a family business (no scheme distinguishes family firms)"
    reference = "https://www.tweedekamer.nl/kamerstukken/kamervragen"


class marginaal_tarief(Variable):
    value_type = float
    default_value = -1.0
    entity = Onderneming
    definition_period = YEAR
    label = "Marginal tax rate on the enterprise's profit as a fraction (-1 when unknown)"
    unit = "/1"
    reference = WET_IB
