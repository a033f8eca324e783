"""Analyses over the stats store: jobs by sector, labour productivity, scheme use.

Why here and not in the CLI or report: the same numbers feed the terminal table, the HTML report,
the CSV exports and (later) the API, so they are computed once, with input checks that name the
field and the allowed range.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from peloton.catalog import get_scheme
from peloton.errors import InputError
from peloton.stats.measures import MEASURES
from peloton.stats.store import Observation, Store

# The nine CBS groupings that add up to A-U (employment_by_sector.yaml, grouping.cbs_groupings_in_the_brief).
CBS_GROUPINGS: tuple[str, ...] = ("A", "B-F", "G-I", "J", "K", "L", "M-N", "O-Q", "R-U")
LEVELS = ("sections", "groupings", "all")


@dataclass(frozen=True)
class SectorChange:
    """Change of one sector's series between two years, with the dip-and-recovery pattern."""

    sector_code: str
    sector_label: str
    start_value: float
    end_value: float
    change: float
    pct_change: float | None
    trough_period: str | None
    trough_value: float | None

    @property
    def dipped(self) -> bool:
        """The series fell below its start value in some year inside the window."""
        return self.trough_value is not None and self.trough_value < self.start_value

    @property
    def recovered(self) -> bool:
        """It dipped and ended above its trough (not necessarily back to the start)."""
        return self.dipped and self.trough_value is not None and self.end_value > self.trough_value

    @property
    def recovered_fully(self) -> bool:
        """It dipped and ended at or above its start value."""
        return self.dipped and self.end_value >= self.start_value


def _check_measure(store: Store, measure: str) -> None:
    if not store.periods(measure):
        raise InputError("measure", f"unknown measure '{measure}'; known: {', '.join(store.measures())}")


def check_window(store: Store, measure: str, start: int, end: int) -> None:
    """Raise InputError for an unknown measure, an inverted window or years outside the data."""
    years = [p for p in store.periods(measure) if p.isdigit()]
    if not years:
        raise InputError("measure", f"unknown measure '{measure}'; known: {', '.join(store.measures())}")
    if start >= end:
        raise InputError("window", f"--from {start} must be before --to {end}")
    first, last = years[0], years[-1]
    for name, year in (("from", start), ("to", end)):
        if str(year) not in years:
            raise InputError(name, f"{year} is outside the data of {measure} ({first}-{last})")


def sector_levels(store: Store, measure: str, level: str) -> list[str]:
    """Sector codes of ``measure`` at one level: single-letter sections, the nine groupings, or all."""
    if level not in LEVELS:
        raise InputError("level", f"'{level}' is not one of {', '.join(LEVELS)}")
    codes = sorted(store.sectors(measure))
    if level == "sections":
        return [c for c in codes if len(c) == 1]
    if level == "groupings":
        groupings = [c for c in CBS_GROUPINGS if c in codes]
        return groupings or [c for c in codes if "-" in c]
    return codes


def sector_change(
    store: Store,
    start: int,
    end: int,
    measure: str = "employee_jobs",
    sectors: Sequence[str] | None = None,
    level: str = "sections",
) -> list[SectorChange]:
    """Absolute and % change per sector between two years, ranked by absolute change (largest first).

    ``sectors`` overrides ``level``; unknown codes raise InputError listing the known ones. One
    filtered aggregate query, so it stays fast on a store of millions of rows.
    """
    check_window(store, measure, start, end)
    if level not in LEVELS:
        raise InputError("level", f"'{level}' is not one of {', '.join(LEVELS)}")
    params: dict[str, object] = {"start": str(start), "end": str(end), "measure": measure}
    if sectors:
        found = {
            r[0]
            for r in store.con.execute(
                "SELECT DISTINCT sector_code FROM observations WHERE measure = $m AND sector_code IN "
                "(SELECT unnest($s::VARCHAR[]))",
                {"m": measure, "s": list(sectors)},
            ).fetchall()
        }
        for code in sectors:
            if code not in found:
                known = ", ".join(sorted(store.sectors(measure)))
                raise InputError("sector", f"unknown sector code '{code}'; known: {known}")
        where = "sector_code IN (SELECT unnest($sectors::VARCHAR[]))"
        params["sectors"] = list(sectors)
    elif level == "groupings":
        where = "sector_code IN (SELECT unnest($sectors::VARCHAR[]))"
        params["sectors"] = list(CBS_GROUPINGS)
    elif level == "sections":
        where = "length(sector_code) = 1"
    else:
        where = "sector_code <> ''"
    sql = f"""
        SELECT sector_code, any_value(sector_label),
               max(value) FILTER (WHERE period = $start) AS v0,
               max(value) FILTER (WHERE period = $end) AS v1,
               arg_min(period, value) FILTER (WHERE period > $start AND period < $end) AS trough_period,
               min(value) FILTER (WHERE period > $start AND period < $end) AS trough
        FROM observations
        WHERE measure = $measure AND period >= $start AND period <= $end AND {where}
        GROUP BY sector_code
        HAVING v0 IS NOT NULL AND v1 IS NOT NULL
        ORDER BY v1 - v0 DESC, sector_code
    """
    out = []
    for code, label, v0, v1, trough_period, trough in store.con.execute(sql, params).fetchall():
        pct = (v1 - v0) / v0 * 100 if v0 else None
        out.append(SectorChange(code, label, v0, v1, v1 - v0, pct, trough_period, trough))
    return out


def sector_series(
    store: Store, measure: str, sectors: Sequence[str], start: int, end: int
) -> dict[str, list[Observation]]:
    """Yearly rows per sector inside the window, for charts and CSVs."""
    out: dict[str, list[Observation]] = {}
    for code in sectors:
        rows = [o for o in store.observations(measure, sector_code=code) if o.period.isdigit()]
        out[code] = [o for o in rows if start <= int(o.period) <= end]
    return out


# -- labour productivity ---------------------------------------------------------------------------
def yearly_series(store: Store, measure: str) -> list[Observation]:
    """Non-sector yearly rows of ``measure`` in period order."""
    _check_measure(store, measure)
    return sorted(
        (o for o in store.observations(measure, sector_code="") if o.period.isdigit()), key=lambda o: o.period
    )


@dataclass(frozen=True)
class AverageGrowth:
    """Geometric average of yearly % changes over a window, computed from the yearly series."""

    measure: str
    start: int
    end: int
    average: float
    years: int
    vintages: tuple[str, ...]


def average_growth(
    store: Store, start: int, end: int, measure: str = "labour_productivity_commercial"
) -> AverageGrowth:
    """Average yearly growth over start..end (inclusive); every year must be in the data."""
    rows = {int(o.period): o for o in yearly_series(store, measure)}
    if start > end:
        raise InputError("window", f"start {start} must not be after end {end}")
    missing = [y for y in range(start, end + 1) if y not in rows]
    if missing:
        raise InputError(
            "window",
            f"{measure} has no value for {', '.join(map(str, missing))} (data: {min(rows)}-{max(rows)})",
        )
    factor = math.prod(1 + rows[y].value / 100 for y in range(start, end + 1))
    n = end - start + 1
    vintages = tuple(sorted({rows[y].vintage for y in range(start, end + 1)}))
    return AverageGrowth(measure, start, end, (factor ** (1 / n) - 1) * 100, n, vintages)


@dataclass(frozen=True)
class WindowAverage:
    """The average of one requested window: computed from the yearly series, or CBS's published one.

    Why both: CBS's long-run averages (1974-2013, 2014-2023) reach back before the yearly series the
    store holds; showing the published figure, marked as such, answers the question without
    pretending it was recomputed.
    """

    start: int
    end: int
    computed: AverageGrowth | None
    published: Observation | None

    def sentence(self) -> str:
        """One line for the terminal."""
        if self.computed:
            a = self.computed
            vintages = ", ".join(a.vintages)
            return f"average {a.start}-{a.end}: {a.average:+.2f}% a year (computed, geometric; {vintages})"
        assert self.published is not None
        o = self.published
        return (
            f"average {self.start}-{self.end}: {o.value:.1f} {o.unit} (published by CBS, {o.scope}; "
            "the yearly series does not cover this window, so it is not recomputed)"
        )

    def as_json(self) -> dict[str, object]:
        """The plain JSON shape of `stats productivity --json`."""
        if self.computed:
            a = self.computed
            return {
                "start": a.start,
                "end": a.end,
                "average": a.average,
                "kind": "computed",
                "years": a.years,
            }
        assert self.published is not None
        o = self.published
        return {
            "start": self.start,
            "end": self.end,
            "average": o.value,
            "kind": "published",
            "scope": o.scope,
            "source": o.source,
        }


def window_average(
    store: Store, start: int, end: int, measure: str = "labour_productivity_commercial"
) -> WindowAverage:
    """Computed average if the yearly series covers the window, else CBS's published one, else InputError."""
    try:
        return WindowAverage(start, end, average_growth(store, start, end, measure), None)
    except InputError as exc:
        published = store.observations("labour_productivity_avg_growth", f"{start}-{end}")
        if published:
            return WindowAverage(start, end, None, published[0])
        have = ", ".join(o.period for o in store.observations("labour_productivity_avg_growth"))
        raise InputError(
            "periods", f"{start}-{end}: {exc.problem}; CBS published averages only for {have}"
        ) from exc


def parse_windows(text: str) -> list[tuple[int, int]]:
    """'2009-2013,2014-2020' -> [(2009, 2013), (2014, 2020)]; bad text raises InputError."""
    out = []
    for part in text.split(","):
        bits = part.strip().split("-")
        if len(bits) != 2 or not all(b.strip().isdigit() for b in bits):
            raise InputError("periods", f"'{part.strip()}' is not a window like 2009-2013")
        out.append((int(bits[0]), int(bits[1])))
    return out


@dataclass(frozen=True)
class ShiftShare:
    """Aggregate productivity change split into within-sector growth, static shift and interaction."""

    start: str
    end: str
    total: float
    within: float
    shift: float
    interaction: float
    by_sector: dict[str, dict[str, float]] = field(default_factory=dict)


def shift_share_decomposition(
    value_added: Mapping[str, tuple[float, float]],
    hours: Mapping[str, tuple[float, float]],
    start: str = "",
    end: str = "",
) -> ShiftShare:
    """Classic shift-share of labour productivity P = VA/H = sum_i s_i p_i (s_i hours share, p_i VA/H).

    dP = sum s_i0 dp_i (within) + sum ds_i p_i0 (shift of hours between sectors) + sum ds_i dp_i
    (interaction). Components are returned as % of the start-year aggregate productivity, so they add
    up to the total % change.
    """
    codes = sorted(set(value_added) & set(hours))
    if not codes:
        raise InputError("sectors", "no sector has both value added and hours")
    h0 = sum(hours[c][0] for c in codes)
    h1 = sum(hours[c][1] for c in codes)
    p_total0 = sum(value_added[c][0] for c in codes) / h0
    by_sector: dict[str, dict[str, float]] = {}
    within = shift = inter = 0.0
    for c in codes:
        s0, s1 = hours[c][0] / h0, hours[c][1] / h1
        p0, p1 = value_added[c][0] / hours[c][0], value_added[c][1] / hours[c][1]
        w, s, i = s0 * (p1 - p0), (s1 - s0) * p0, (s1 - s0) * (p1 - p0)
        by_sector[c] = {k: v / p_total0 * 100 for k, v in (("within", w), ("shift", s), ("interaction", i))}
        within, shift, inter = within + w, shift + s, inter + i
    scale = 100 / p_total0
    return ShiftShare(
        start, end, (within + shift + inter) * scale, within * scale, shift * scale, inter * scale, by_sector
    )


SHIFT_SHARE_MEASURES = ("value_added_2021prices", "hours_na_85918ned")


def shift_share(store: Store, start: int, end: int) -> ShiftShare | None:
    """Shift-share from value added (85867NED) and hours (85918NED) by section, if the store holds both.

    The bundled snapshot has no value added by sector, so offline this returns None and the report
    says so; ``peloton stats update`` fetches both tables.
    """
    present = set(store.measures())
    if not set(SHIFT_SHARE_MEASURES) <= present:
        return None
    va: dict[str, tuple[float, float]] = {}
    hrs: dict[str, tuple[float, float]] = {}
    for target, measure in ((va, SHIFT_SHARE_MEASURES[0]), (hrs, SHIFT_SHARE_MEASURES[1])):
        for code in sector_levels(store, measure, "sections"):
            a = store.observations(measure, str(start), code)
            b = store.observations(measure, str(end), code)
            if a and b and a[0].value > 0 and b[0].value > 0:
                target[code] = (a[0].value, b[0].value)
    if not set(va) & set(hrs):
        return None
    return shift_share_decomposition(va, hrs, str(start), str(end))


# -- value added by industry ----------------------------------------------------------------------
VALUE_ADDED_MEASURES = ("value_added_volume_growth", "value_added_value_growth")


@dataclass(frozen=True)
class SectorGrowth:
    """Yearly % growth of one industry's value added, and the compound average over the window."""

    sector_code: str
    sector_label: str
    values: dict[str, float]
    average: float | None


def value_added_growth(
    store: Store,
    start: int,
    end: int,
    measure: str = "value_added_volume_growth",
    sectors: Sequence[str] | None = None,
    level: str = "sections",
) -> list[SectorGrowth]:
    """Value-added growth by industry, start..end; the average is geometric and needs every year.

    Ordered by the average, highest first, so growing and shrinking industries stand at the two ends.
    """
    if measure not in VALUE_ADDED_MEASURES:
        raise InputError("measure", f"'{measure}' is not one of {', '.join(VALUE_ADDED_MEASURES)}")
    years = [p for p in store.periods(measure) if p.isdigit()]
    if not years:
        raise InputError("measure", f"the store holds no {measure}; run `peloton stats update`")
    if start > end:
        raise InputError("window", f"--from {start} must not be after --to {end}")
    for name, year in (("from", start), ("to", end)):
        if str(year) not in years:
            raise InputError(name, f"{year} is outside the data of {measure} ({years[0]}-{years[-1]})")
    known = store.sectors(measure)
    if sectors:
        for code in sectors:
            if code not in known:
                raise InputError("sector", f"unknown sector code '{code}'; known: {', '.join(sorted(known))}")
        codes = list(sectors)
    else:
        codes = sector_levels(store, measure, level)
    out = []
    for code in codes:
        values = {
            o.period: o.value
            for o in store.observations(measure, sector_code=code)
            if o.period.isdigit() and start <= int(o.period) <= end
        }
        complete = all(str(y) in values for y in range(start, end + 1))
        average = (
            (
                math.prod(1 + values[str(y)] / 100 for y in range(start, end + 1)) ** (1 / (end - start + 1))
                - 1
            )
            * 100
            if complete
            else None
        )
        out.append(SectorGrowth(code, known.get(code, code), dict(sorted(values.items())), average))
    return sorted(out, key=lambda g: (g.average is None, -(g.average or 0), g.sector_code))


# -- scheme use ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SchemeYear:
    """One year of a scheme's use: published values by measure, plus shares computed from counts."""

    scheme: str
    period: str
    values: dict[str, Observation]
    computed: dict[str, float]


def scheme_use(store: Store, scheme: str = "wbso") -> list[SchemeYear]:
    """Use of one scheme by year, from every measure tagged with that scheme.

    Shares are computed from counts where the source gives counts (self-employed share of users;
    research share of projects) and kept apart from published shares.
    """
    try:
        get_scheme(scheme)
    except KeyError as exc:
        raise InputError("scheme", f"unknown scheme '{scheme}'") from exc
    ids = [m.id for m in MEASURES.values() if m.scheme == scheme]
    by_year: dict[str, dict[str, Observation]] = {}
    for mid in ids:
        for obs in store.observations(mid):
            by_year.setdefault(obs.period, {})[mid] = obs
    out = []
    for period in sorted(by_year):
        values = by_year[period]
        computed: dict[str, float] = {}
        if "wbso_self_employed" in values and "wbso_firms_total" in values:
            computed["self_employed_share"] = (
                values["wbso_self_employed"].value / values["wbso_firms_total"].value * 100
            )
        if "wbso_projects_development" in values and "wbso_projects_research" in values:
            dev, res = values["wbso_projects_development"].value, values["wbso_projects_research"].value
            computed["research_share_of_projects"] = res / (dev + res) * 100
        out.append(SchemeYear(scheme, period, values, computed))
    return out
