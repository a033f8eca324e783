"""MIT-regeling (MKB-innovatiestimulering Regio en Topsectoren): three instruments for SMEs only.

Each pays a share of eligible costs up to the year's maximum. The budget is allocated first come,
first served with a lottery on the opening day (feasibility, vouchers) or by tender (R&D
collaboration), so an amount here is what the firm can apply for, not what it will get.
"""

from numpy import fmax, fmin, where
from openfisca_core.periods import YEAR

from peloton.model.entities import Onderneming
from peloton.model.variable import Variable

REGELING = "https://zoek.officielebekendmakingen.nl/stcrt-2019-10565.html"
HAALBAARHEID = "https://www.rvo.nl/subsidies-financiering/mit/haalbaarheidsprojecten"
RD = "https://www.rvo.nl/subsidies-financiering/mit/rd-samenwerkingsprojecten"
VOUCHER = "https://www.rvo.nl/subsidies-financiering/mit/kennisvouchers"


class mit_haalbaarheid_subsidie(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "MIT-haalbaarheidsproject: subsidy on a feasibility study"
    unit = "currency-EUR"
    reference = (REGELING, HAALBAARHEID)

    def formula(onderneming, period, parameters):
        """The year's percentage of the study's costs, at most the year's maximum; SMEs only."""
        p = parameters(period).mit.haalbaarheid
        kosten = onderneming("haalbaarheid_projectkosten", period)
        return onderneming("is_mkb", period) * fmin(p.subsidiepercentage * kosten, p.max_subsidie)


class mit_kennisvoucher(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "MIT-kennisvoucher: part of a knowledge institution's invoice"
    unit = "currency-EUR"
    reference = (REGELING, VOUCHER)

    def formula(onderneming, period, parameters):
        """The better of the small and large voucher, each at most its value and its share of the
        invoice; nothing in years the instrument is closed; SMEs only."""
        p = parameters(period).mit.kennisvoucher
        factuur = onderneming("kennisvraag_factuur", period)
        if not p.open:
            return factuur * 0
        klein = fmin(p.klein.waarde, p.klein.max_aandeel_factuur * factuur)
        groot = fmin(p.groot.waarde, p.groot.max_aandeel_factuur * factuur)
        return onderneming("is_mkb", period) * fmax(klein, groot)


class voldoet_aan_samenwerkingseisen_mit(Variable):
    value_type = bool
    entity = Onderneming
    definition_period = YEAR
    label = "The R&D collaboration has enough independent SMEs and no participant bears too large a share"
    reference = RD

    def formula(onderneming, period, parameters):
        """At least the minimum number of SMEs, and the firm's costs at most the maximum share."""
        p = parameters(period).mit.rd_samenwerking
        aantal = onderneming("aantal_mkb_deelnemers", period)
        eigen = onderneming("rd_samenwerking_kosten_eigen", period)
        project = onderneming("rd_samenwerking_projectkosten", period)
        return (aantal >= p.min_aantal_mkb) * (eigen <= p.max_aandeel_deelnemer * project) * (eigen > 0)


class mit_rd_samenwerking_project_subsidie(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "MIT R&D-samenwerking: subsidy on the whole project before the project maximum"
    unit = "currency-EUR"
    reference = RD

    def formula(onderneming, period, parameters):
        """The percentage of the eligible costs of all SME participants together."""
        p = parameters(period).mit.rd_samenwerking
        return p.subsidiepercentage * onderneming("rd_samenwerking_projectkosten", period)


class is_groot_mit_rd_project(Variable):
    value_type = bool
    entity = Onderneming
    definition_period = YEAR
    label = "The R&D collaboration is a large project (project subsidy above the small-project maximum)"
    reference = RD

    def formula(onderneming, period, parameters):
        """Small projects get up to the small-project maximum; above it the large-project limits apply."""
        grens = parameters(period).mit.rd_samenwerking.grens_klein_project
        return onderneming("mit_rd_samenwerking_project_subsidie", period) > grens


class mit_rd_samenwerking_subsidie(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "MIT R&D-samenwerking: the firm's share of the subsidy"
    unit = "currency-EUR"
    reference = (REGELING, RD)

    def formula(onderneming, period, parameters):
        """The percentage of the firm's own costs, within the per-participant maximum of the project's
        size and its pro-rata share of the project maximum; nothing below the minimum per project or
        per participant; SMEs only."""
        p = parameters(period).mit.rd_samenwerking
        eigen = onderneming("rd_samenwerking_kosten_eigen", period)
        project = onderneming("rd_samenwerking_projectkosten", period)
        project_subsidie = onderneming("mit_rd_samenwerking_project_subsidie", period)
        max_deelnemer = where(
            onderneming("is_groot_mit_rd_project", period),
            p.max_subsidie_deelnemer_groot_project,
            p.max_subsidie_deelnemer_klein_project,
        )
        aandeel = where(project > 0, eigen / where(project > 0, project, 1), 0)
        subsidie = fmin(fmin(p.subsidiepercentage * eigen, max_deelnemer), p.max_subsidie_project * aandeel)
        recht = (
            onderneming("is_mkb", period)
            * onderneming("voldoet_aan_samenwerkingseisen_mit", period)
            * (project_subsidie >= p.min_subsidie_project)
            * (subsidie >= p.min_subsidie_deelnemer)
        )
        return where(recht, subsidie, 0)
