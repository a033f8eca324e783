"""The measure ids of the stats store: what each series counts, in which unit, and from which table.

Why a registry: a figure is only useful with its scope (employee jobs vs all jobs, commercial sector
vs whole economy). Every series in the store is named by one of these ids, and the monitor, the
reader and the CLI look the scope up here instead of guessing it from the number.

Conventions
-----------
* ``sector_code`` is the SBI 2008 letter code or CBS grouping ("A-U", "C", "G-I", "M-N" ...), and
  ``""`` for series that are not split by sector.
* ``period`` is a year string ("2020"); multi-year figures use "1974-2013", quarters "2024Q2".
* One measure id holds one table version (vintage): levels of different CBS table versions are never
  mixed in one series (CBS renumbered the labour tables in 2024, 84164NED -> 85918NED). Growth rates
  quoted from different releases carry their own ``vintage`` on every row.
* A value whose only source is the seed document has a ``source`` starting with ``seed:``.

Measure ids (bundled snapshot unless marked *live*):

Jobs (CBS 81431ned, payroll-based, employee jobs only):
  ``employee_jobs``, ``employee_labour_volume``
Jobs (CBS national accounts, incl. self-employed; each id one table version):
  ``jobs_na_84166ned``, ``jobs_na_85920ned``, ``jobs_na_85918ned`` (*live*: ``hours_na_85918ned``),
  ``employees_end_september``
Labour productivity:
  ``labour_productivity_commercial``, ``labour_productivity_commercial_later_quote``,
  ``value_added_volume_commercial``, ``hours_worked_commercial``,
  ``labour_productivity_gdp_per_hour``, ``hours_worked_whole_economy``,
  ``labour_productivity_whole_economy``, ``labour_productivity_avg_growth``,
  ``labour_productivity_cumulative``, ``ga_value_added``, ``ga_contrib_labour``, ``ga_contrib_hours``,
  ``ga_contrib_composition``, ``ga_contrib_capital``, ``ga_contrib_ict_capital``,
  ``ga_contrib_non_ict_capital``, ``ga_contrib_mfp`` (*live*: ``value_added_2021prices``)
Value added by industry (CBS 85880NED, OData v4; bundled from the recorded v4 responses):
  ``value_added_volume_growth``, ``value_added_value_growth``
Firms:
  ``firms_total_81588ned`` (*live*: ``firms_total_81589ned``)
Scheme use (RVO and secondary sources):
  ``wbso_firms_total``, ``wbso_firms_with_staff``, ``wbso_self_employed``, ``wbso_firms_settled``,
  ``wbso_share_sme``, ``wbso_projects_granted``, ``wbso_projects_development``,
  ``wbso_projects_research``, ``wbso_share_projects_development``, ``wbso_share_projects_research``,
  ``wbso_share_projects_software``, ``wbso_share_projects_process``, ``wbso_benefit``,
  ``wbso_rd_costs_granted``, ``wbso_fte_granted``, ``wbso_budget_available``,
  ``wbso_sme_share_of_benefit``, ``wbso_starters``, ``mit_subsidy_granted``, ``mit_firms``,
  ``innovatiebox_users``, ``innovatiebox_users_sme``
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Measure:
    """What a series counts; shown next to every figure so its scope is never lost."""

    id: str
    label: str
    unit: str
    scope: str
    by_sector: bool = False
    scheme: str = ""


_EMPLOYEE_SCOPE = (
    "employee jobs only (no self-employed), yearly average, payroll-based (CBS SWL/Polis); "
    "A-U excludes sections T and U"
)
_COMMERCIAL = (
    "commercial sector (all industries except government, education and real estate incl. "
    "owner-occupied housing), value added per hour worked"
)
_VA_SCOPE = (
    "gross value added at basic prices by SBI industry, whole economy incl. self-employed "
    "(quarterly national accounts)"
)
_GA = "commercial sector (A-U excl. L, O, P, T), growth accounts 84546NED"

MEASURES: dict[str, Measure] = {
    m.id: m
    for m in (
        Measure("employee_jobs", "Employee jobs", "x 1 000", _EMPLOYEE_SCOPE, by_sector=True),
        Measure(
            "employee_labour_volume",
            "Employee labour volume",
            "x 1 000 FTE",
            _EMPLOYEE_SCOPE.replace("jobs only", "labour volume only"),
            by_sector=True,
        ),
        Measure(
            "jobs_na_84166ned",
            "Jobs, national accounts (84166NED, 2015 benchmark)",
            "x 1 000",
            "all jobs incl. self-employed, national accounts",
            by_sector=True,
        ),
        Measure(
            "jobs_na_85920ned",
            "Jobs, national accounts (85920NED, 2021 benchmark)",
            "x 1 000",
            "all jobs incl. self-employed, national accounts",
            by_sector=True,
        ),
        Measure(
            "jobs_na_85918ned",
            "Jobs, national accounts (85918NED, 2021 benchmark)",
            "x 1 000",
            "all jobs incl. self-employed, national accounts",
            by_sector=True,
        ),
        Measure(
            "hours_na_85918ned",
            "Hours worked, national accounts (85918NED)",
            "mln uren",
            "all workers incl. self-employed, national accounts",
            by_sector=True,
        ),
        Measure(
            "employees_end_september",
            "Employees (persons), end of September",
            "x 1 000",
            "employees (persons), payroll-based, whole economy",
        ),
        Measure("labour_productivity_commercial", "Labour productivity growth", "%", _COMMERCIAL),
        Measure(
            "labour_productivity_commercial_later_quote",
            "Labour productivity growth (later quote, probably revised)",
            "%",
            _COMMERCIAL,
        ),
        Measure("value_added_volume_commercial", "Value added volume change", "%", "commercial sector"),
        Measure("hours_worked_commercial", "Hours worked change", "%", "commercial sector"),
        Measure(
            "labour_productivity_gdp_per_hour",
            "Labour productivity growth (GDP per hour)",
            "%",
            "whole economy, GDP per hour worked",
        ),
        Measure("hours_worked_whole_economy", "Hours worked change", "%", "whole economy"),
        Measure(
            "labour_productivity_whole_economy",
            "Labour productivity growth, whole economy",
            "%",
            "whole economy (GDP or value added per hour, as quoted per row)",
        ),
        Measure(
            "labour_productivity_avg_growth",
            "Average yearly labour productivity growth",
            "% per year",
            "whole economy, CBS 125-year analysis",
        ),
        Measure(
            "labour_productivity_cumulative",
            "Cumulative labour productivity growth over a period",
            "% over the period",
            "whole economy (measure as quoted per row)",
        ),
        Measure("ga_value_added", "Value added volume change", "%", _GA),
        Measure("ga_contrib_labour", "Contribution of labour", "pp", _GA),
        Measure("ga_contrib_hours", "Contribution of hours", "pp", _GA),
        Measure("ga_contrib_composition", "Contribution of labour composition", "pp", _GA),
        Measure("ga_contrib_capital", "Contribution of capital", "pp", _GA),
        Measure("ga_contrib_ict_capital", "Contribution of ICT capital", "pp", _GA),
        Measure("ga_contrib_non_ict_capital", "Contribution of non-ICT capital", "pp", _GA),
        Measure("ga_contrib_mfp", "Contribution of multifactor productivity", "pp", _GA),
        Measure(
            "value_added_2021prices",
            "Value added at basic prices, price level 2021 (85867NED)",
            "mln euro",
            "national accounts, by industry",
            by_sector=True,
        ),
        Measure(
            "value_added_volume_growth",
            "Value added growth by industry, volume (85880NED)",
            "%",
            _VA_SCOPE + "; volume change on the previous year",
            by_sector=True,
        ),
        Measure(
            "value_added_value_growth",
            "Value added growth by industry, value (85880NED)",
            "%",
            _VA_SCOPE + "; value (current prices) change on the previous year",
            by_sector=True,
        ),
        Measure(
            "firms_total_81588ned",
            "Enterprises (81588NED)",
            "aantal",
            "enterprises on the first day of the quarter, rounded to 5",
            by_sector=True,
        ),
        Measure(
            "firms_total_81589ned",
            "Enterprises (81589NED)",
            "aantal",
            "enterprises on the first day of the quarter",
            by_sector=True,
        ),
        Measure(
            "wbso_firms_total",
            "WBSO users (granted), incl. self-employed",
            "ondernemingen",
            "firms granted WBSO in the year, incl. self-employed (S&O-belastingplichtigen)",
            scheme="wbso",
        ),
        Measure(
            "wbso_firms_with_staff",
            "WBSO users with staff",
            "ondernemingen",
            "withholding agents",
            scheme="wbso",
        ),
        Measure(
            "wbso_self_employed", "WBSO self-employed users", "ondernemingen", "self-employed", scheme="wbso"
        ),
        Measure(
            "wbso_firms_settled",
            "WBSO users (settled)",
            "ondernemingen",
            "settled after realisation ('vastgesteld'); differs from granted counts",
            scheme="wbso",
        ),
        Measure("wbso_share_sme", "SME share of WBSO users", "%", "share of users", scheme="wbso"),
        Measure("wbso_projects_granted", "WBSO projects granted", "projecten", "all projects", scheme="wbso"),
        Measure(
            "wbso_projects_development",
            "WBSO development projects",
            "projecten",
            "development projects",
            scheme="wbso",
        ),
        Measure(
            "wbso_projects_research",
            "WBSO technical-scientific research projects",
            "projecten",
            "technical-scientific research projects",
            scheme="wbso",
        ),
        Measure(
            "wbso_share_projects_development",
            "Share of development projects",
            "%",
            "share of granted projects",
            scheme="wbso",
        ),
        Measure(
            "wbso_share_projects_research",
            "Share of technical-scientific research projects",
            "%",
            "share of granted projects",
            scheme="wbso",
        ),
        Measure(
            "wbso_share_projects_software",
            "Share of software projects",
            "%",
            "share of granted projects developing software",
            scheme="wbso",
        ),
        Measure(
            "wbso_share_projects_process",
            "Share of production-process projects",
            "%",
            "share of granted projects developing production processes",
            scheme="wbso",
        ),
        Measure(
            "wbso_benefit",
            "WBSO benefit",
            "mln euro",
            "granted S&O-afdrachtvermindering (+ aftrek), rounded as published",
            scheme="wbso",
        ),
        Measure(
            "wbso_rd_costs_granted",
            "R&D costs granted (S&O-grondslag)",
            "mln euro",
            "granted wage + non-wage costs, not the benefit",
            scheme="wbso",
        ),
        Measure("wbso_fte_granted", "FTE-years granted", "fte", "R&D labour granted", scheme="wbso"),
        Measure("wbso_budget_available", "Budget available", "mln euro", "budget", scheme="wbso"),
        Measure(
            "wbso_sme_share_of_benefit",
            "SME share of WBSO benefit",
            "%",
            "share of granted benefit going to SMEs (single consultancy summary)",
            scheme="wbso",
        ),
        Measure("wbso_starters", "WBSO starters", "ondernemingen", "starters", scheme="wbso"),
        Measure(
            "mit_subsidy_granted",
            "MIT subsidy granted",
            "mln euro",
            "excl. network activities and innovation brokers",
            scheme="mit",
        ),
        Measure("mit_firms", "MIT participating firms", "ondernemingen", "firms", scheme="mit"),
        Measure("innovatiebox_users", "Innovatiebox users", "ondernemingen", "users", scheme="innovatiebox"),
        Measure(
            "innovatiebox_users_sme",
            "Innovatiebox SME users",
            "ondernemingen",
            "SME users",
            scheme="innovatiebox",
        ),
    )
}


def get_measure(measure_id: str) -> Measure:
    """Look a measure up; unknown ids raise KeyError so callers can name the allowed ones."""
    return MEASURES[measure_id]
