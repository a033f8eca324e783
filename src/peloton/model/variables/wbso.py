"""WBSO: the S&O-afdrachtvermindering for employers and the S&O-aftrek for IB-ondernemers.

Employer: credit = rate_1 x min(grondslag, ceiling) + rate_2 x (grondslag - ceiling)+, where the
grondslag is S&O wage costs (hours x S&O hourly wage) plus costs and expenditures (forfait or
actual). IB-ondernemer with 500+ own S&O hours and 1,225+ hours in the enterprise: a fixed
deduction from profit, raised for starters.
"""

from numpy import maximum, minimum, where
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import YEAR

from peloton.model.belasting import belastingbesparing
from peloton.model.entities import Onderneming
from peloton.model.enums import KostenKeuze, StarterOpgave
from peloton.model.variable import Variable

WVA = "https://wetten.overheid.nl/BWBR0007746/"
WVA_SO = "https://wetten.overheid.nl/jci1.3:c:BWBR0007746&hoofdstuk=VIII"
WET_IB_SO = "https://wetten.overheid.nl/jci1.3:c:BWBR0011353&artikel=3.77"
RVO_BEREKEN = "https://www.rvo.nl/subsidies-financiering/wbso/bereken-wbso-voordeel"


class so_uren(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "S&O hours of the firm's employees in the calendar year (on the S&O-verklaring)"
    unit = "hour"
    reference = WVA_SO


class had_so_verklaring_twee_jaar_eerder(Variable):
    value_type = bool
    entity = Onderneming
    definition_period = YEAR
    label = "The firm had an S&O-verklaring in the calendar year two years before (t-2)"
    reference = RVO_BEREKEN


class so_uurloon_opgegeven(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "S&O hourly wage computed by RVO from the t-2 payroll data of the S&O employees"
    unit = "currency-EUR"
    reference = RVO_BEREKEN


class so_uurloon(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "S&O hourly wage that applies to the firm's S&O hours"
    unit = "currency-EUR"
    reference = RVO_BEREKEN

    def formula(onderneming, period, parameters):
        """RVO's t-2 wage when the firm had an S&O-verklaring two years earlier, else the fixed wage."""
        had = onderneming("had_so_verklaring_twee_jaar_eerder", period)
        if not had.any():
            return had * 0.0 + parameters(period).wbso.vast_uurloon
        opgegeven = onderneming("so_uurloon_opgegeven", period)
        if had.all():
            return opgegeven
        return where(had, opgegeven, parameters(period).wbso.vast_uurloon)


class so_loonkosten(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "S&O wage costs: S&O hours times the S&O hourly wage"
    unit = "currency-EUR"
    reference = WVA_SO

    def formula(onderneming, period):
        """The wage part of the S&O-grondslag."""
        return onderneming("so_uren", period) * onderneming("so_uurloon", period)


class wbso_kosten_keuze(Variable):
    value_type = Enum
    possible_values = KostenKeuze
    default_value = KostenKeuze.forfait
    entity = Onderneming
    definition_period = YEAR
    label = "Costs and expenditures declared as the forfait or as actual amounts"
    reference = WVA_SO


class so_kosten_uitgaven_werkelijk(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "Estimated actual S&O costs and expenditures (when not using the forfait)"
    unit = "currency-EUR"
    reference = WVA_SO


class wbso_forfait(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "Forfait for costs and expenditures: a rate per S&O hour up to the threshold, a lower one above"
    unit = "currency-EUR"
    reference = RVO_BEREKEN

    def formula(onderneming, period, parameters):
        """Hours up to the threshold at the first rate, hours above it at the second rate."""
        forfait = parameters(period).wbso.forfait
        uren = onderneming("so_uren", period)
        tot_drempel = minimum(uren, forfait.urendrempel)
        boven_drempel = maximum(uren - forfait.urendrempel, 0)
        return (
            tot_drempel * forfait.bedrag_per_uur_tot_drempel
            + boven_drempel * forfait.bedrag_per_uur_boven_drempel
        )


class so_kosten_en_uitgaven(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "Costs and expenditures in the S&O-grondslag (forfait or actual)"
    unit = "currency-EUR"
    reference = WVA_SO

    def formula(onderneming, period):
        """The firm's choice for the year decides which of the two amounts counts."""
        forfait = onderneming("wbso_kosten_keuze", period) == KostenKeuze.forfait
        if forfait.all():
            return onderneming("wbso_forfait", period)
        werkelijk = onderneming("so_kosten_uitgaven_werkelijk", period)
        if not forfait.any():
            return werkelijk
        return where(forfait, onderneming("wbso_forfait", period), werkelijk)


class so_grondslag(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "S&O-grondslag: S&O wage costs plus costs and expenditures"
    unit = "currency-EUR"
    reference = WVA_SO

    def formula(onderneming, period):
        """Only a withholding agent with S&O hours has a grondslag for the afdrachtvermindering."""
        recht = (onderneming("so_uren", period) > 0) * onderneming("is_inhoudingsplichtige", period)
        if not recht.any():
            return recht * 0.0
        grondslag = onderneming("so_loonkosten", period) + onderneming("so_kosten_en_uitgaven", period)
        return where(recht, grondslag, 0)


class aantal_jaren_ondernemer_voorgaand(Variable):
    value_type = int
    entity = Onderneming
    definition_period = YEAR
    label = (
        "Calendar years, of the five preceding, in which the firm was a withholding agent "
        "(for an IB-ondernemer: an entrepreneur)"
    )
    unit = "year"
    reference = WVA_SO


class aantal_jaren_so_verklaring_voorgaand(Variable):
    value_type = int
    entity = Onderneming
    definition_period = YEAR
    label = "Calendar years, of the five preceding, for which the firm received an S&O-verklaring"
    unit = "year"
    reference = WVA_SO


class wbso_starter_opgave(Variable):
    value_type = Enum
    possible_values = StarterOpgave
    default_value = StarterOpgave.afleiden
    entity = Onderneming
    definition_period = YEAR
    label = "Starter status: derived from the history, or stated explicitly (override)"
    reference = WVA_SO


class is_wbso_starter(Variable):
    value_type = bool
    entity = Onderneming
    definition_period = YEAR
    label = "The firm is a starter for the WBSO"
    reference = (WVA_SO, "https://wbsohulp.nl/faq/wat-is-een-starter/")

    def formula(onderneming, period, parameters):
        """Starter: not a withholding agent (entrepreneur) in at least one of the five preceding years,
        and S&O-verklaringen for at most two of them; an explicit statement overrides the history."""
        opgave = onderneming("wbso_starter_opgave", period)
        afleiden = opgave == StarterOpgave.afleiden
        opgegeven = opgave == StarterOpgave.starter
        if not afleiden.any():
            return opgegeven
        starter = parameters(period).wbso.starter
        jaren_ondernemer = onderneming("aantal_jaren_ondernemer_voorgaand", period)
        jaren_verklaring = onderneming("aantal_jaren_so_verklaring_voorgaand", period)
        afgeleid = (jaren_ondernemer <= starter.max_jaren_inhoudingsplichtig) * (
            jaren_verklaring <= starter.max_jaren_so_verklaring
        )
        return where(afleiden, afgeleid, opgegeven)


class wbso_tarief_schijf_1(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "Rate that applies to the firm in the first bracket (starters' rate for a starter)"
    unit = "/1"
    reference = WVA_SO

    def formula(onderneming, period, parameters):
        """A starter gets the higher starters' rate in the first bracket only."""
        tarieven = parameters(period).wbso.afdrachtvermindering
        return where(
            onderneming("is_wbso_starter", period),
            tarieven.tarief_schijf_1_starter,
            tarieven.tarief_schijf_1,
        )


class wbso_afdrachtvermindering(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "S&O-afdrachtvermindering: reduction of wage tax and premiums for S&O work"
    unit = "currency-EUR"
    reference = (WVA_SO, "https://english.rvo.nl/subsidies-programmes/wbso/wbso-tax-credit-benefit")

    def formula(onderneming, period, parameters):
        """First-bracket rate up to the bracket ceiling, second-bracket rate on the rest; no upper limit."""
        tarieven = parameters(period).wbso.afdrachtvermindering
        grondslag = onderneming("so_grondslag", period)
        schijf_1 = minimum(grondslag, tarieven.plafond_schijf_1)
        schijf_2 = maximum(grondslag - tarieven.plafond_schijf_1, 0)
        return onderneming("wbso_tarief_schijf_1", period) * schijf_1 + tarieven.tarief_schijf_2 * schijf_2


class so_uren_eigen(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "S&O hours the IB-ondernemer works on S&O personally (on the S&O-verklaring)"
    unit = "hour"
    reference = WET_IB_SO


class uren_onderneming(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "Hours the IB-ondernemer spends on the enterprise in the calendar year"
    unit = "hour"
    reference = WET_IB_SO


class voldoet_aan_so_urencriterium(Variable):
    value_type = bool
    entity = Onderneming
    definition_period = YEAR
    label = "The IB-ondernemer works at least the minimum S&O hours personally"
    reference = WET_IB_SO

    def formula(onderneming, period, parameters):
        """At least 500 own S&O hours in the calendar year."""
        return onderneming("so_uren_eigen", period) >= parameters(period).wbso.aftrek.minimum_so_uren


class voldoet_aan_urencriterium(Variable):
    value_type = bool
    entity = Onderneming
    definition_period = YEAR
    label = "The IB-ondernemer meets the general hours criterion (urencriterium)"
    reference = WET_IB_SO

    def formula(onderneming, period, parameters):
        """At least 1,225 hours spent on the enterprise in the calendar year."""
        return onderneming("uren_onderneming", period) >= parameters(period).wbso.aftrek.urencriterium


class heeft_recht_op_so_aftrek(Variable):
    value_type = bool
    entity = Onderneming
    definition_period = YEAR
    label = "The entrepreneur is entitled to the S&O-aftrek"
    reference = WET_IB_SO

    def formula(onderneming, period):
        """An IB-ondernemer who meets both hours conditions."""
        ib = onderneming("is_ib_ondernemer", period)
        if not ib.any():
            return ib
        return (
            ib
            * onderneming("voldoet_aan_so_urencriterium", period)
            * onderneming("voldoet_aan_urencriterium", period)
        )


class so_aftrek(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "S&O-aftrek including the starters' supplement: a deduction from the entrepreneur's profit"
    unit = "currency-EUR"
    reference = (WET_IB_SO, "https://english.rvo.nl/subsidies-programmes/wbso/wbso-tax-credit-benefit")

    def formula(onderneming, period, parameters):
        """A fixed amount, plus the supplement for a starter; nothing without entitlement."""
        recht = onderneming("heeft_recht_op_so_aftrek", period)
        if not recht.any():
            return recht * 0.0
        aftrek = parameters(period).wbso.aftrek
        starter = onderneming("is_wbso_starter", period)
        bedrag = aftrek.so_aftrek + where(starter, aftrek.verhoogde_so_aftrek_starter, 0)
        return where(recht, bedrag, 0)


class heeft_so_verklaring(Variable):
    value_type = bool
    entity = Onderneming
    definition_period = YEAR
    label = "The firm has an S&O-verklaring for the year (S&O hours of employees or of the entrepreneur)"
    reference = WVA_SO

    def formula(onderneming, period):
        """RVO issues the S&O-verklaring for the S&O hours; any hours on it mean the firm holds one."""
        return (onderneming("so_uren", period) > 0) + (onderneming("so_uren_eigen", period) > 0)


class so_aftrek_belastingbesparing(Variable):
    value_type = float
    entity = Onderneming
    definition_period = YEAR
    label = "Income tax saved by the S&O-aftrek at the entrepreneur's marginal rate (NaN when unknown)"
    unit = "currency-EUR"
    reference = WET_IB_SO

    def formula(onderneming, period, parameters):
        """A deduction from profit is worth the tax it removes; limits on that rate are not modelled."""
        return belastingbesparing(onderneming, period, parameters, onderneming("so_aftrek", period))
