"""The firm's innovation project and investments: the inputs every scheme after the WBSO reads.

One profile drives every scheme, so each cost is asked once, under the name of what it is (a
feasibility study, a knowledge institution's invoice, an investment on the Energielijst), and the
schemes that pay for that kind of cost read it.
"""

from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import YEAR

from peloton.model.entities import Onderneming
from peloton.model.enums import InnovatieSoort, MilieulijstCategorie, Provincie, SbiSectie
from peloton.model.variable import Variable

CBS_SBI = "https://www.cbs.nl/nl-nl/onze-diensten/methoden/classificaties/activiteiten/sbi-2008-standaard-bedrijfsindeling-2008"
MIT = "https://www.rvo.nl/subsidies-financiering/mit"
INNOVATIEKREDIET = "https://www.rvo.nl/subsidies-financiering/innovatiekrediet/voorwaarden"
EIA = "https://www.rvo.nl/subsidies-financiering/eia"
MIA_VAMIL = "https://www.rvo.nl/subsidies-financiering/mia-vamil"
SLIM = "https://www.uitvoeringvanbeleidszw.nl/subsidies-en-regelingen/slim"


class provincie(Variable):
    value_type = Enum
    possible_values = Provincie
    default_value = Provincie.onbekend
    entity = Onderneming
    definition_period = YEAR
    label = "Province of the establishment where the project is carried out"
    reference = "https://www.efro-oost.eu/over-efro-oost/programma-efro-oost"


class sbi_sectie(Variable):
    value_type = Enum
    possible_values = SbiSectie
    default_value = SbiSectie.onbekend
    entity = Onderneming
    definition_period = YEAR
    label = "Main activity of the enterprise as an SBI 2008 section"
    reference = CBS_SBI


class innovatie_soort(Variable):
    value_type = Enum
    possible_values = InnovatieSoort
    default_value = InnovatieSoort.geen
    entity = Onderneming
    definition_period = YEAR
    label = "Kind of innovation the project is about"
    reference = INNOVATIEKREDIET


class kennisvraag_factuur(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "Invoice of a knowledge institution for answering the firm's knowledge question"
    unit = "currency-EUR"
    reference = "https://www.rvo.nl/subsidies-financiering/mit/kennisvouchers"


class haalbaarheid_projectkosten(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "Eligible costs of a feasibility study into the firm's own planned innovation project"
    unit = "currency-EUR"
    reference = MIT


class rd_samenwerking_projectkosten(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "Eligible costs of an R&D collaboration project, summed over all SME participants"
    unit = "currency-EUR"
    reference = "https://www.rvo.nl/subsidies-financiering/mit/rd-samenwerkingsprojecten"


class rd_samenwerking_kosten_eigen(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "The firm's own eligible costs in the R&D collaboration project"
    unit = "currency-EUR"
    reference = "https://www.rvo.nl/subsidies-financiering/mit/rd-samenwerkingsprojecten"


class aantal_mkb_deelnemers(Variable):
    value_type = int
    entity = Onderneming
    definition_period = YEAR
    label = "Independent SMEs taking part in the R&D collaboration, the firm itself included"
    unit = "enterprise"
    reference = "https://www.rvo.nl/subsidies-financiering/mit/rd-samenwerkingsprojecten"


class ontwikkelingskosten(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "Costs of the development project of a technically new product, process or service"
    unit = "currency-EUR"
    reference = INNOVATIEKREDIET


class investering_energielijst(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "Investment in new assets on the year's Energielijst"
    unit = "currency-EUR"
    reference = EIA


class investering_milieulijst(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "Investment in new assets on the year's Milieulijst"
    unit = "currency-EUR"
    reference = MIA_VAMIL


class milieulijst_categorie(Variable):
    value_type = Enum
    possible_values = MilieulijstCategorie
    default_value = MilieulijstCategorie.geen
    entity = Onderneming
    definition_period = YEAR
    label = "MIA category of the asset's Milieulijst code (or Vamil only)"
    reference = MIA_VAMIL


class heeft_vamil_code(Variable):
    value_type = bool
    entity = Onderneming
    definition_period = YEAR
    label = "The asset's Milieulijst code also allows Vamil (free depreciation)"
    reference = MIA_VAMIL


class opleidingskosten(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "Eligible costs of a learning-and-development project for the firm's workers"
    unit = "currency-EUR"
    reference = SLIM
