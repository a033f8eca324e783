"""The seed's figures checked against the store: confirmed, cannot be confirmed, or contradicted.

Why: the minister's answers (the seed) cite figures; the monitor must not print them as fact where the
data say otherwise or where the seed is their only source. Each check names both sources.

One rule for both readers of the seed: whether a stated figure is confirmed, differs, or rests on the
seed alone is decided by `peloton.stats.verify.check_in_store`, the same check `peloton read` applies
to every figure of an answer; this module only words the outcome for the monitor's report. The
measure of each seed figure (SEED_FIGURES) is the one the reader's claim→measure table
(reader/claim_measures.yaml) gives that figure in the seed; a test keeps the two in step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from peloton.stats import analyses
from peloton.stats.store import Store
from peloton.stats.verify import StoreOutcome, check_in_store, is_seed_source

SEED = "seed: answers of the Minister of Economic Affairs and Climate, 10 Nov 2021 (000_4cdabadc9cc4caa1.txt)"
CBS_TRENDS_2022 = (
    "https://www.cbs.nl/nl-nl/longread/statistische-trends/2022/arbeidsmarktdynamiek-in-de-jaren-tien/"
    "6-samenvatting-en-conclusie"
)

CONFIRMED = "confirmed"
NARROWER = "confirmed (narrower scope)"
CANNOT = "cannot confirm"
CONTRADICTED = "contradicted"
# the monitor's words for the shared store check's outcomes
VERDICTS: dict[StoreOutcome, str] = {
    "confirmed": CONFIRMED,
    "differs": CONTRADICTED,
    "seed only": CANNOT,
    "not in store": CANNOT,
}


@dataclass(frozen=True)
class SeedFigure:
    """One figure the seed states, the store measure it is about, and how the monitor words it."""

    question: str
    measure: str
    period: str
    value: float
    claim: str
    fmt: str = "{:g}"


LABOUR_PRODUCTIVITY_2020 = SeedFigure(
    "Q4-5",
    "labour_productivity_commercial",
    "2020",
    -1.8,
    "Labour productivity fell 1.8% in 2020 compared with 2019.",
)
# question 7: the WBSO in 2020
SEED_FIGURES = (
    SeedFigure(
        "Q7", "wbso_firms_total", "2020", 20340.0, "20,340 firms used the WBSO in 2020.", "{:,.0f} firms"
    ),
    SeedFigure("Q7", "wbso_share_sme", "2020", 97.0, "97% of them are SMEs.", "{:.0f}% SME"),
    SeedFigure(
        "Q7",
        "wbso_projects_granted",
        "2020",
        135370.0,
        "135,370 WBSO projects were granted in 2020.",
        "{:,.0f} projects",
    ),
    SeedFigure(
        "Q7",
        "wbso_share_projects_process",
        "2020",
        11.0,
        "11% of the 2020 projects aimed at developing production processes.",
        "{:.0f}%",
    ),
    SeedFigure(
        "Q7",
        "wbso_share_projects_software",
        "2020",
        16.0,
        "16% of the 2020 projects aimed at developing software.",
        "{:.0f}%",
    ),
)


@dataclass(frozen=True)
class ClaimCheck:
    """One seed figure, what the data say, and the verdict with both sources."""

    question: str
    claim: str
    data: str
    verdict: str
    sources: tuple[str, ...]


def _obs_value(store: Store, measure: str, period: str) -> tuple[float, str] | None:
    rows = store.observations(measure, period=period, sector_code="")
    return (rows[0].value, rows[0].source) if rows else None


def _equals(stated: float) -> Callable[[float], bool]:
    """The monitor's agreement test: the store holds exactly the seed's figure."""
    return lambda value: abs(value - stated) < 1e-9


def _fmt(code: str, change: float, pct: float | None) -> str:
    return f"{code} {change:+,.0f}k ({pct:+.1f}%)" if pct is not None else f"{code} {change:+,.0f}k"


def check_claims(store: Store) -> list[ClaimCheck]:
    """Every seed figure of questions 3, 5 and 7 that the monitor can check."""
    checks: list[ClaimCheck] = []
    jobs_source = store.observations("employee_jobs", "2020", "A-U")[0].source.split(" (")[0]

    sections = analyses.sector_change(store, 2010, 2020, level="sections")
    fell = [c for c in sections if c.change < 0]
    flat = [c for c in sections if c.change == 0]
    k = next(c for c in sections if c.sector_code == "K")
    checks.append(
        ClaimCheck(
            "Q3",
            "Employment grew 2010-2020 in every sector except financial services.",
            "CBS 81431ned, employee jobs (no self-employed), 2010->2020: lower in "
            + ", ".join(
                _fmt(c.sector_label or c.sector_code, c.change, c.pct_change)
                for c in sorted(fell, key=lambda c: c.change)
            )
            + "; unchanged in "
            + ", ".join(c.sector_code for c in flat)
            + f"; financial services (K) {k.change:+.0f}k ({k.pct_change:+.1f}%), about level "
            "(K has a coding break between 2014 and 2015).",
            CONTRADICTED,
            (SEED, jobs_source, CBS_TRENDS_2022),
        )
    )
    dips = [c for c in sections if c.dipped and c.recovered]
    checks.append(
        ClaimCheck(
            "Q3",
            "Some sectors first lost jobs after 2010 and grew again in recent years.",
            "In 81431ned "
            + ", ".join(f"{c.sector_code} (low in {c.trough_period})" for c in dips)
            + " fell below their 2010 level and rose again by 2020; "
            + ", ".join(c.sector_code for c in dips if not c.recovered_fully)
            + " had not regained the 2010 level.",
            CONFIRMED,
            (SEED, jobs_source),
        )
    )

    lp = _obs_value(store, LABOUR_PRODUCTIVITY_2020.measure, LABOUR_PRODUCTIVITY_2020.period)
    va = _obs_value(store, "value_added_volume_commercial", "2020")
    hours = _obs_value(store, "hours_worked_commercial", "2020")
    context = f"; value added {va[0]:+.1f}%, hours {hours[0]:+.1f}%" if va and hours else ""
    if lp:
        checks.append(
            ClaimCheck(
                LABOUR_PRODUCTIVITY_2020.question,
                LABOUR_PRODUCTIVITY_2020.claim,
                f"CBS: {lp[0]:+.1f}% in 2020 for the COMMERCIAL SECTOR (value added per hour), not the whole "
                "economy" + context + ".",
                NARROWER,
                (SEED, lp[1]),
            )
        )
    old = _obs_value(store, "labour_productivity_avg_growth", "1974-2013")
    new = _obs_value(store, "labour_productivity_avg_growth", "2014-2023")
    if old and new:
        checks.append(
            ClaimCheck(
                "Q4-5",
                "Labour productivity rises more slowly than in the second half of the 20th century.",
                f"CBS 125-year analysis: {old[0]:.1f}% a year 1974-2013 vs {new[0]:.1f}% a year 2014-2023 "
                "(whole economy).",
                CONFIRMED,
                (SEED, old[1]),
            )
        )

    for fig in SEED_FIGURES:
        result = check_in_store(store, fig.measure, fig.period, "", _equals(fig.value))
        verdict = VERDICTS[result.outcome]
        if result.outcome == "not in store":
            checks.append(ClaimCheck(fig.question, fig.claim, "no value in the store", verdict, (SEED,)))
        elif result.observation is None:
            other = [o for o in store.observations(fig.measure) if not is_seed_source(o.source)]
            extra = (
                "; other years: " + ", ".join(f"{o.period} {o.value:.0f}%" for o in other) if other else ""
            )
            checks.append(
                ClaimCheck(
                    fig.question,
                    fig.claim,
                    "Only the seed gives this figure; no independent source found" + extra + ".",
                    verdict,
                    (SEED, *(o.source for o in other)),
                )
            )
        else:
            obs = result.observation
            checks.append(
                ClaimCheck(
                    fig.question,
                    fig.claim,
                    fig.fmt.format(obs.value) + " (RVO figures as reported)",
                    verdict,
                    (SEED, obs.source),
                )
            )
    return checks
