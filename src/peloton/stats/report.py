"""The monitor report: one self-contained HTML page (charts inline, works offline) plus its CSVs.

Why one file with plotly.js inline: the report must open on a machine without network and be
mailable as one attachment; the CSVs next to it let anyone redo the numbers.
"""

from __future__ import annotations

import csv
import math
import re
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import plotly.graph_objects as go
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape
from plotly.offline import get_plotlyjs

from peloton.catalog import get_scheme
from peloton.errors import InputError
from peloton.stats import analyses
from peloton.stats.claims import SEED, check_claims
from peloton.stats.measures import MEASURES
from peloton.stats.store import Observation, Store
from peloton.stats.verify import is_seed_source

QUESTIONS = {
    "Q3": (
        "Kunt u inzicht geven in welke sectoren de banen afnemen en in welke sectoren de banen toenemen, "
        "kijkend naar de afgelopen 5-10 jaar?",
        "In which sectors are jobs shrinking and in which are they growing, over the last 5-10 years?",
    ),
    "Q4-5": (
        "Hoe zou de arbeidsproductiviteit in Nederland kunnen worden verhoogd, nadat deze in 2020 met 1,8% "
        "is afgenomen ten opzichte van 2019?",
        "How can labour productivity be raised, after it fell 1.8% in 2020 compared with 2019?",
    ),
    "Q7": (
        "Kunt u op een rijtje zetten welke nationale regelingen er thans zijn om procesinnovatie te "
        "ondersteunen [...] en wat het gebruik van deze regelingen is? In hoeverre hebben mkb- en "
        "familiebedrijven toegang tot deze regelingen?",
        "Which national schemes support process innovation, how much are they used, and can SMEs and "
        "family firms reach them?",
    ),
}


@dataclass(frozen=True)
class SourceLine:
    """One source as listed under a section: what, where, which version, how sure, how old."""

    measure: str
    label: str
    source: str
    table_id: str
    vintage: str
    confidence: str
    scope: str
    retrieved_at: str


@dataclass(frozen=True)
class ChartTable:
    """The numbers behind one chart, shown under it, and the CSV file that holds them."""

    caption: str
    csv: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...] = ()


_URL = re.compile(r"https?://[^\s;,)]+[^\s;,.)]")
_HASH = re.compile(r"\b([0-9a-f]{7})[0-9a-f]{33}\b")


def links(text: str) -> Markup:
    """Escape ``text``, make every URL a link and shorten 40-digit commit hashes to 7 digits.

    Why: the sources are for people to follow; a URL that cannot be clicked and a cell full of
    hashes make the sources table unreadable.
    """
    text = _HASH.sub(r"\1", str(text))
    out, last = [], 0

    def plain(part: str) -> Markup:
        # the words between URLs (how a copy was made, commits) are provenance: kept, but quieter
        return (
            Markup('<span class="provenance">{0}</span>').format(part) if part.strip(" ;") else escape(part)
        )

    for match in _URL.finditer(text):
        out.append(plain(text[last : match.start()]))
        url = match.group(0)
        out.append(
            Markup('<a href="{0}">{1}</a>').format(url, url.removeprefix("https://").removeprefix("http://"))
        )
        last = match.end()
    out.append(plain(text[last:]))
    return Markup("").join(out)


def _fmt(value: float | None, decimals: int = 1, sign: bool = False) -> str:
    if value is None:
        return ""
    return f"{value:+,.{decimals}f}" if sign else f"{value:,.{decimals}f}"


def _sources(observations: Iterable[Observation]) -> list[SourceLine]:
    """One line per (source, confidence), listing the series and periods it backs."""
    groups: dict[tuple[str, str], list[Observation]] = {}
    for o in observations:
        groups.setdefault((o.source, o.confidence), []).append(o)
    lines = []
    for (source, confidence), rows in groups.items():

        def joined(values: Iterable[str]) -> str:
            return "; ".join(dict.fromkeys(v for v in values if v))

        measures = dict.fromkeys(o.measure for o in rows)
        periods = sorted({o.period for o in rows})
        span = periods[0] if len(periods) == 1 else f"{periods[0]}..{periods[-1]}"
        lines.append(
            SourceLine(
                ", ".join(measures),
                joined(MEASURES[m].label if m in MEASURES else m for m in measures) + f" ({span})",
                source,
                joined(o.table_id for o in rows),
                joined(o.vintage for o in rows),
                confidence,
                joined(o.scope for o in rows),
                joined(o.retrieved_at for o in rows),
            )
        )
    return lines


def _fig_html(fig: go.Figure, div_id: str) -> Markup:
    fig.update_layout(template="plotly_white", height=fig.layout.height or 420)
    fig.update_layout(
        margin={"l": 60, "r": 20, "t": 50, "b": 50} | (fig.layout.margin.to_plotly_json() or {})
    )
    html = fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id, config={"displaylogo": False})
    return Markup(html)


def _write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)


def _jobs_section(
    store: Store, out: Path, start: int, end: int, measure: str, sectors: Sequence[str] | None, level: str
) -> dict[str, Any]:
    changes = analyses.sector_change(store, start, end, measure=measure, sectors=sectors, level=level)
    groupings = analyses.sector_change(store, start, end, measure=measure, level="groupings")
    total = analyses.sector_change(store, start, end, measure=measure, sectors=["A-U"]) if not sectors else []
    spec = MEASURES[measure]
    _write_csv(
        out / "sector_change.csv",
        [
            "measure",
            "sector_code",
            "sector_label",
            f"value_{start}",
            f"value_{end}",
            "change",
            "pct_change",
            "trough_period",
            "trough_value",
            "dipped_then_recovered",
            "back_to_start_level",
            "unit",
            "scope",
        ],
        (
            [
                measure,
                c.sector_code,
                c.sector_label,
                c.start_value,
                c.end_value,
                c.change,
                None if c.pct_change is None else round(c.pct_change, 2),
                c.trough_period,
                c.trough_value,
                c.recovered,
                c.recovered_fully,
                spec.unit,
                spec.scope,
            ]
            for c in changes + groupings
        ),
    )
    codes = [c.sector_code for c in changes]
    series = analyses.sector_series(store, measure, [*codes, *(g.sector_code for g in groupings)], start, end)
    _write_csv(
        out / "jobs_by_sector.csv",
        [
            "measure",
            "sector_code",
            "sector_label",
            "period",
            "value",
            "unit",
            "table_id",
            "vintage",
            "confidence",
            "source",
        ],
        (
            [
                o.measure,
                o.sector_code,
                o.sector_label,
                o.period,
                o.value,
                o.unit,
                o.table_id,
                o.vintage,
                o.confidence,
                o.source,
            ]
            for rows in series.values()
            for o in rows
        ),
    )
    tables = sorted({o.table_id for rows in series.values() for o in rows if o.table_id}) or [measure]
    ranked = sorted(changes, key=lambda c: c.change)
    bar = go.Figure(
        go.Bar(
            x=[c.change for c in ranked],
            y=[c.sector_label or c.sector_code for c in ranked],
            orientation="h",
            marker_color=["#c0392b" if c.change < 0 else "#2e86c1" for c in ranked],
            text=[
                f"{c.change:+,.0f}k ({c.pct_change:+.1f}%)" if c.pct_change is not None else ""
                for c in ranked
            ],
            textposition="outside",
            cliponaxis=False,
        )
    )
    low = min([0.0, *(c.change for c in ranked)])
    high = max([0.0, *(c.change for c in ranked)])
    pad = (high - low) * 0.22 or 1.0  # room for the value labels beside the bars, inside the plot
    bar.update_layout(
        title=f"{spec.label}, change {start}-{end} ({spec.unit}), CBS {', '.join(tables)}",
        xaxis={"title": f"change, {spec.unit}", "range": [low - (pad if low < 0 else 0), high + pad]},
        yaxis={"automargin": True},
        height=max(420, 26 * len(ranked) + 120),
    )
    lines = go.Figure()
    for g in groupings:
        rows = series.get(g.sector_code, [])
        if rows and rows[0].value:
            lines.add_trace(
                go.Scatter(
                    x=[o.period for o in rows],
                    y=[o.value / rows[0].value * 100 for o in rows],
                    mode="lines+markers",
                    name=g.sector_label or g.sector_code,
                )
            )
    lines.update_layout(
        title=f"{spec.label} by CBS grouping, index {start} = 100",
        yaxis_title=f"index {start}=100",
        xaxis={"dtick": 1},
    )
    years = [str(y) for y in range(start, end + 1)]
    index_table = ChartTable(
        f"{spec.label} by CBS grouping ({spec.unit}); the chart shows each row as an index, {start} = 100",
        "jobs_by_sector.csv",
        ("grouping", *years),
        tuple(
            (
                g.sector_label or g.sector_code,
                *(_fmt(v.get(y), 0) for y in years),
            )
            for g in groupings
            for v in [{o.period: o.value for o in series.get(g.sector_code, [])}]
        ),
        (False, *(True for _ in years)),
    )
    sources = _sources(o for rows in series.values() for o in rows)
    return {
        "changes": changes,
        "groupings": groupings,
        "total": total[0] if total else None,
        "fell": [c for c in changes if c.change < 0],
        "dips": [c for c in changes if c.recovered],
        "measure": spec,
        "chart_bar": _fig_html(bar, "chart-q3-change"),
        "chart_lines": _fig_html(lines, "chart-q3-index"),
        "table_lines": index_table,
        "sources": sources,
    }


def _productivity_section(store: Store, out: Path) -> dict[str, Any]:
    series = analyses.yearly_series(store, "labour_productivity_commercial")
    gdp = analyses.yearly_series(store, "labour_productivity_gdp_per_hour")
    averages = store.observations("labour_productivity_avg_growth") + store.observations(
        "labour_productivity_cumulative"
    )
    years = [int(o.period) for o in series]
    computed = []
    first, last = min(years), max(years)
    # Windows inside one release (CBS news of July 2021) so no average mixes table versions.
    for a, b in ((first, 2013), (2014, 2019), (2014, 2020)):
        if first <= a < b <= last:
            computed.append(analyses.average_growth(store, a, b))
    ga = {
        m: analyses.yearly_series(store, m)
        for m in (
            "ga_value_added",
            "ga_contrib_hours",
            "ga_contrib_composition",
            "ga_contrib_capital",
            "ga_contrib_mfp",
        )
    }
    _write_csv(
        out / "productivity.csv",
        ["measure", "period", "value", "unit", "scope", "vintage", "confidence", "source"],
        (
            [o.measure, o.period, o.value, o.unit, o.scope, o.vintage, o.confidence, o.source]
            for o in [*series, *gdp, *averages, *(o for rows in ga.values() for o in rows)]
        ),
    )
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=[int(o.period) for o in series],
            y=[o.value for o in series],
            name="commercial sector, value added per hour (CBS)",
            marker_color=["#c0392b" if o.period == "2020" else "#2e86c1" for o in series],
            text=[f"{o.value:+.1f}" for o in series],
            textposition="outside",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[int(o.period) for o in gdp],
            y=[o.value for o in gdp],
            mode="lines+markers",
            name="whole economy, GDP per hour (CBS, Dec 2019 vintage)",
        )
    )
    fig.update_layout(title="Labour productivity, % change on previous year", yaxis_title="%")
    gafig = go.Figure()
    labels = {
        "ga_contrib_hours": "hours",
        "ga_contrib_composition": "labour composition",
        "ga_contrib_capital": "capital",
        "ga_contrib_mfp": "multifactor productivity",
    }
    for m, name in labels.items():
        gafig.add_trace(go.Bar(x=[int(o.period) for o in ga[m]], y=[o.value for o in ga[m]], name=name))
    gafig.add_trace(
        go.Scatter(
            x=[int(o.period) for o in ga["ga_value_added"]],
            y=[o.value for o in ga["ga_value_added"]],
            mode="markers",
            marker={"size": 10, "color": "black"},
            name="value added, % volume",
        )
    )
    gafig.update_layout(
        barmode="relative",
        title="Growth accounts 84546NED, commercial sector: contributions (pp); gaps = no data",
        xaxis={"type": "linear", "dtick": 1, "tickangle": 0},
        yaxis_title="percentage points",
    )
    fig.update_layout(xaxis={"dtick": 1})
    by_year: dict[str, dict[str, float]] = {}
    for o in series:
        by_year.setdefault(o.period, {})["lp"] = o.value
    for o in gdp:
        by_year.setdefault(o.period, {})["gdp"] = o.value
    lp_table = ChartTable(
        "Labour productivity, % change on the previous year",
        "productivity.csv",
        ("year", "commercial sector, value added per hour", "whole economy, GDP per hour"),
        tuple(
            (y, _fmt(v.get("lp"), sign=True), _fmt(v.get("gdp"), sign=True))
            for y, v in sorted(by_year.items())
        ),
        (False, True, True),
    )
    ga_years = sorted({o.period for rows in ga.values() for o in rows})
    ga_values = {m: {o.period: o.value for o in rows} for m, rows in ga.items()}
    ga_table = ChartTable(
        "Growth accounts 84546NED, commercial sector",
        "productivity.csv",
        ("year", "value added, % volume", *labels.values()),
        tuple(
            (y, *(_fmt(ga_values[m].get(y), sign=True) for m in ("ga_value_added", *labels)))
            for y in ga_years
        ),
        (False, True, *(True for _ in labels)),
    )
    shift = analyses.shift_share(store, 2015, 2022)
    sources = _sources([*series, *gdp, *averages, *ga["ga_value_added"]])
    return {
        "series": series,
        "value_2020": next((o for o in series if o.period == "2020"), None),
        "va_2020": next(iter(store.observations("value_added_volume_commercial", "2020")), None),
        "hours_2020": next(iter(store.observations("hours_worked_commercial", "2020")), None),
        "averages": averages,
        "computed": computed,
        "shift_share": shift,
        "chart": _fig_html(fig, "chart-q45-productivity"),
        "table": lp_table,
        "chart_ga": _fig_html(gafig, "chart-q45-growth-accounts"),
        "table_ga": ga_table,
        "sources": sources,
    }


def _scheme_section(store: Store, out: Path) -> dict[str, Any]:
    years = analyses.scheme_use(store, "wbso")
    scheme = get_scheme("wbso")
    shown = ("wbso", *OTHER_SCHEMES)
    columns = [m.id for m in MEASURES.values() if m.scheme in shown]
    _write_csv(
        out / "scheme_use.csv",
        ["scheme", "period", *columns, "self_employed_share_computed", "research_share_of_projects_computed"],
        (
            [
                y.scheme,
                y.period,
                *(y.values[c].value if c in y.values else None for c in columns),
                y.computed.get("self_employed_share"),
                y.computed.get("research_share_of_projects"),
            ]
            for sid in shown
            for y in (years if sid == "wbso" else analyses.scheme_use(store, sid))
        ),
    )
    firms = [(y.period, y.values["wbso_firms_total"].value) for y in years if "wbso_firms_total" in y.values]
    sme = [(y.period, y.values["wbso_share_sme"].value) for y in years if "wbso_share_sme" in y.values]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=[int(p) for p, _ in firms],
            y=[v for _, v in firms],
            name="WBSO users (granted, incl. self-employed)",
            text=[f"{v:,.0f}" for _, v in firms],
            textposition="outside",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=[int(p) for p, _ in sme],
            y=[v for _, v in sme],
            name="SME share of users, %",
            yaxis="y2",
            mode="lines+markers",
        )
    )
    fig.update_layout(
        title="WBSO use by year (RVO figures as reported)",
        yaxis={"title": "firms"},
        xaxis={"type": "linear", "dtick": 1},
        yaxis2={
            "title": "% SME",
            "overlaying": "y",
            "side": "right",
            "range": [90, 100],
            "tickvals": [90, 92, 94, 96, 98, 100],
            "ticktext": [f"{v}%" for v in (90, 92, 94, 96, 98, 100)],
            "showgrid": False,
        },
        legend={"orientation": "h", "y": -0.15},
    )
    use_table = ChartTable(
        "WBSO use by year: users (granted, incl. self-employed) and SME share of users",
        "scheme_use.csv",
        ("year", "users", "SME share, %"),
        tuple(
            (y.period, _fmt(_value(y, "wbso_firms_total"), 0), _fmt(_value(y, "wbso_share_sme")))
            for y in years
            if "wbso_firms_total" in y.values or "wbso_share_sme" in y.values
        ),
        (False, True, True),
    )
    y2020 = next((y for y in years if y.period == "2020"), None)
    kinds = []
    if y2020:
        for m, name in (
            ("wbso_share_projects_development", "development (all kinds)"),
            ("wbso_share_projects_software", "software"),
            ("wbso_share_projects_process", "production processes"),
            ("wbso_share_projects_research", "technical-scientific research"),
        ):
            if m in y2020.values:
                kinds.append((name, y2020.values[m]))
    kfig = go.Figure(
        go.Bar(
            x=[n for n, _ in kinds],
            y=[o.value for _, o in kinds],
            marker_color=["#7f8c8d" if is_seed_source(o.source) else "#2e86c1" for _, o in kinds],
            text=[f"{o.value:.0f}%" + (" (seed only)" if is_seed_source(o.source) else "") for _, o in kinds],
            textposition="outside",
        )
    )
    kfig.update_layout(
        title="WBSO 2020 projects by kind, % of granted projects (grey = only the seed gives it)",
        yaxis_title="%",
    )
    kinds_table = ChartTable(
        "WBSO 2020 projects by kind, % of granted projects",
        "scheme_use.csv",
        ("kind", "% of projects", "source"),
        tuple(
            (n, _fmt(o.value, 0), "the seed only" if is_seed_source(o.source) else "RVO figures")
            for n, o in kinds
        ),
        (False, True, False),
    )
    obs = [o for y in years for o in y.values.values()]
    others = [_other_scheme(store, sid) for sid in OTHER_SCHEMES]
    return {
        "scheme": scheme,
        "years": years,
        "y2020": y2020,
        "chart": _fig_html(fig, "chart-q7-use"),
        "table": use_table,
        "chart_kinds": _fig_html(kfig, "chart-q7-kinds"),
        "table_kinds": kinds_table,
        "others": [o for o in others if o is not None],
        "sources": _sources([*obs, *(r for o in others if o for r in o["observations"])]),
    }


def _value(year: analyses.SchemeYear, measure: str) -> float | None:
    obs = year.values.get(measure)
    return obs.value if obs else None


def _efro_kind_section(out: Path) -> dict[str, Any] | None:
    """Q7's missing figure: how EFRO money split between product and process innovation. The minister
    said it is not recorded; the registry estimates it from the project descriptions (its public
    `efro_kind_estimate`), labelled as an estimate with its method and interval. None when the
    registry cannot be read (the report is still written)."""
    from peloton.errors import InputError as RegistryInputError
    from peloton.registry import efro_kind_estimate

    try:
        estimate = efro_kind_estimate()
    except (RegistryInputError, OSError, duckdb.Error):
        return None

    def money(value: float) -> str:
        return f"{value / 1e6:,.1f}"

    rows = []
    for k in estimate["by_kind"]:
        low, high = k["amount_interval_eur"]
        plow, phigh = k["projects_interval"]
        rows.append(
            (
                k["kind"],
                f"{k['projects_naive']:,}",
                f"{k['projects_estimate']:,.0f} ({plow:,.0f}-{phigh:,.0f})",
                money(k["amount_naive_eur"]),
                f"{money(k['amount_estimate_eur'])} ({money(low)}-{money(high)})",
            )
        )
    _write_csv(
        out / "efro_kinds.csv",
        [
            "kind",
            "projects_naive",
            "projects_estimate",
            "projects_low",
            "projects_high",
            "eur_naive",
            "eur_estimate",
            "eur_low",
            "eur_high",
        ],
        (
            [
                k["kind"],
                k["projects_naive"],
                k["projects_estimate"],
                *k["projects_interval"],
                k["amount_naive_eur"],
                k["amount_estimate_eur"],
                *k["amount_interval_eur"],
            ]
            for k in estimate["by_kind"]
        ),
    )
    table = ChartTable(
        f"EFRO 2007-2013 by innovation kind ({estimate['projects']:,} projects, "
        f"EUR {money(estimate['amount_eur'])} m EU subsidy): naive count and corrected estimate, "
        "90% interval",
        "efro_kinds.csv",
        ("kind", "projects (naive)", "projects (estimate)", "EUR m (naive)", "EUR m (estimate)"),
        tuple(rows),
        (False, True, True, True, True),
    )
    return {"estimate": estimate, "table": table}


# The other schemes whose use the store holds, shown after the WBSO in Q7.
OTHER_SCHEMES = ("mit", "innovatiebox")


def _other_scheme(store: Store, scheme_id: str) -> dict[str, Any] | None:
    """One scheme's use by year: a bar per measure and year, and the table behind it."""
    years = analyses.scheme_use(store, scheme_id)
    if not years:
        return None
    ids = [m.id for m in MEASURES.values() if m.scheme == scheme_id and any(m.id in y.values for y in years)]
    fig = go.Figure()
    one_unit = len({MEASURES[m].unit for m in ids}) == 1
    for i, mid in enumerate(ids):
        rows = [(int(y.period), y.values[mid].value) for y in years if mid in y.values]
        name = f"{MEASURES[mid].label} ({MEASURES[mid].unit})"
        if i == 0 or one_unit:
            fig.add_trace(
                go.Bar(
                    x=[p for p, _ in rows],
                    y=[v for _, v in rows],
                    name=name,
                    text=[_fmt(v, 0) for _, v in rows],
                    textposition="outside",
                    cliponaxis=False,
                )
            )
        else:  # another unit: markers on the right axis, so bars of different units never share a scale
            fig.add_trace(
                go.Scatter(
                    x=[p for p, _ in rows],
                    y=[v for _, v in rows],
                    name=name,
                    mode="markers+text",
                    text=[_fmt(v, 0) for _, v in rows],
                    textposition="top center",
                    marker={"size": 11, "symbol": "diamond"},
                    yaxis="y2",
                )
            )
    scheme = get_scheme(scheme_id)
    span = [int(y.period) for y in years]
    layout: dict[str, Any] = {
        "title": f"{scheme.name} use by year (as published)",
        "xaxis": {"type": "linear", "dtick": 1, "range": [min(span) - 0.7, max(span) + 0.7]},
        "yaxis": {"title": MEASURES[ids[0]].unit, "rangemode": "tozero"},
        "barmode": "group",
        "legend": {"orientation": "h", "y": -0.15},
    }
    if not one_unit:
        # bars in the lower part, the other unit's markers above them: labels never collide
        bar_top = max(y.values[ids[0]].value for y in years if ids[0] in y.values)
        layout["yaxis"] |= {"range": [0, bar_top * 1.8]}
        top = max(y.values[m].value for y in years for m in ids[1:] if m in y.values)
        layout["yaxis2"] = {
            "title": MEASURES[ids[1]].unit,
            "overlaying": "y",
            "side": "right",
            "range": [-top * 0.6, top * 1.15],  # the markers sit above the bars
            "tickvals": [k * _nice_step(top / 4) for k in range(5) if k * _nice_step(top / 4) <= top * 1.15],
            "tickformat": ",",
            "showgrid": False,
        }
    fig.update_layout(**layout)
    table = ChartTable(
        f"{scheme.name} use by year",
        "scheme_use.csv",
        ("year", *(f"{MEASURES[m].label} ({MEASURES[m].unit})" for m in ids)),
        tuple((y.period, *(_fmt(_value(y, m), 0) for m in ids)) for y in years),
        (False, *(True for _ in ids)),
    )
    prefix = scheme.name.split("-")[0]

    def short(m: str) -> str:
        return MEASURES[m].label.removeprefix(prefix).strip()

    summary = "; ".join(
        f"{row[0]}: "
        + ", ".join(
            f"{short(m)} {cell} ({MEASURES[m].unit})" for m, cell in zip(ids, row[1:], strict=True) if cell
        )
        for row in table.rows
    )
    return {
        "scheme": scheme,
        "summary": summary,
        "chart": _fig_html(fig, f"chart-q7-{scheme_id}"),
        "table": table,
        "observations": [o for y in years for o in y.values.values()],
    }


def _nice_step(raw: float) -> float:
    """A tick step of 1, 2 or 5 times a power of ten (so a second axis reads 0, 500, 1,000 ...)."""
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    return next(f * power for f in (1, 2, 5, 10) if f * power >= raw)


def _value_added_section(store: Store, out: Path) -> dict[str, Any] | None:
    """Value-added growth by industry 2020-2025 (85880NED, v4), next to productivity in Q4-5."""
    measure = "value_added_volume_growth"
    periods = [p for p in store.periods(measure) if p.isdigit()]
    if not periods:
        return None
    start, end = int(periods[0]), int(periods[-1])
    sections = analyses.value_added_growth(store, start, end, measure, level="sections")
    groupings = [
        g
        for g in analyses.value_added_growth(store, start, end, measure, level="all")
        if "-" in g.sector_code
    ]
    years = [str(y) for y in range(start, end + 1)]
    notes = store.notes(measure)
    provisional = sorted({p for (_, p), n in notes.items() if "Voorlopig" in n})
    obs = store.observations(measure)
    _write_csv(
        out / "value_added.csv",
        [
            "measure",
            "sector_code",
            "sector_label",
            "period",
            "value",
            "unit",
            "table_id",
            "vintage",
            "note",
            "source",
        ],
        (
            [
                o.measure,
                o.sector_code,
                o.sector_label,
                o.period,
                o.value,
                o.unit,
                o.table_id,
                o.vintage,
                notes.get((o.sector_code, o.period), ""),
                o.source,
            ]
            for o in obs
        ),
    )
    ranked = sorted((g for g in sections if g.average is not None), key=lambda g: g.average or 0)
    fig = go.Figure(
        go.Bar(
            x=[g.average for g in ranked],
            y=[g.sector_label for g in ranked],
            orientation="h",
            marker_color=["#c0392b" if (g.average or 0) < 0 else "#2e86c1" for g in ranked],
            text=[f"{g.average:+.1f}%" for g in ranked],
            textposition="outside",
            cliponaxis=False,
        )
    )
    low = min([0.0, *(g.average or 0 for g in ranked)])
    high = max([0.0, *(g.average or 0 for g in ranked)])
    pad = (high - low) * 0.15 or 1.0
    fig.update_layout(
        title=f"Value added by industry, average volume growth {start}-{end} (% a year), CBS 85880NED",
        xaxis={
            "title": "% a year (geometric mean of the yearly volume changes)",
            "range": [low - pad, high + pad],
        },
        yaxis={"automargin": True},
        height=max(420, 26 * len(ranked) + 120),
    )
    table = ChartTable(
        "Value added by industry, volume change on the previous year (%), CBS 85880NED"
        + (f"; {', '.join(provisional)} provisional" if provisional else ""),
        "value_added.csv",
        ("industry", *years, "average"),
        tuple(
            (g.sector_label, *(_fmt(g.values.get(y), sign=True) for y in years), _fmt(g.average, sign=True))
            for g in [*sections, *groupings]
        ),
        (False, *(True for _ in years), True),
    )
    return {
        "start": start,
        "end": end,
        "sections": sections,
        "fastest": sections[0] if sections else None,
        "slowest": sections[-1] if sections else None,
        "provisional": provisional,
        "chart": _fig_html(fig, "chart-q45-value-added"),
        "table": table,
        "vintage": obs[0].vintage if obs else "",
        "sources": _sources(obs),
    }


def build_report(
    store: Store,
    out_dir: Path,
    start: int = 2010,
    end: int = 2020,
    measure: str = "employee_jobs",
    sectors: Sequence[str] | None = None,
    level: str = "sections",
) -> Path:
    """Write report.html and its CSVs into ``out_dir``; returns the HTML path.

    Inputs are checked before anything is written, so bad input leaves no half-built report.
    """
    analyses.check_window(store, measure, start, end)
    created = _missing_parents(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError("out", f"cannot create {out_dir}: {exc.strerror}") from exc
    try:
        return _write_report(store, out_dir, start, end, measure, sectors, level)
    except OSError as exc:
        # a failed run leaves no folder behind that it made itself (an existing folder is kept)
        for folder in created:
            shutil.rmtree(folder, ignore_errors=True)
        raise InputError("out", f"cannot write into {out_dir}: {exc.strerror or exc}") from exc


def _missing_parents(path: Path) -> list[Path]:
    """The folders that mkdir(parents=True) would create, outermost first."""
    missing = []
    for folder in [path, *path.parents]:
        if folder.exists():
            break
        missing.append(folder)
    return missing[::-1]


def _write_report(
    store: Store,
    out_dir: Path,
    start: int,
    end: int,
    measure: str,
    sectors: Sequence[str] | None,
    level: str,
) -> Path:
    jobs = _jobs_section(store, out_dir, start, end, measure, sectors, level)
    productivity = _productivity_section(store, out_dir)
    value_added = _value_added_section(store, out_dir)
    schemes = _scheme_section(store, out_dir)
    efro_kinds = _efro_kind_section(out_dir)
    claims = check_claims(store)
    _write_csv(
        out_dir / "claims.csv",
        ["question", "claim", "data", "verdict", "sources"],
        ([c.question, c.claim, c.data, c.verdict, " | ".join(c.sources)] for c in claims),
    )
    all_sources = (
        jobs["sources"]
        + productivity["sources"]
        + (value_added or {}).get("sources", [])
        + schemes["sources"]
    )
    _write_csv(
        out_dir / "sources.csv",
        ["measure", "label", "source", "table_id", "vintage", "confidence", "scope", "retrieved_at"],
        (
            [s.measure, s.label, s.source, s.table_id, s.vintage, s.confidence, s.scope, s.retrieved_at]
            for s in all_sources
        ),
    )
    env = Environment(
        loader=PackageLoader("peloton.stats", "templates"), autoescape=select_autoescape(["html", "j2"])
    )
    env.filters["links"] = links
    html = env.get_template("report.html.j2").render(
        plotly_js=Markup(get_plotlyjs()),
        questions=QUESTIONS,
        jobs=jobs,
        productivity=productivity,
        value_added=value_added,
        schemes=schemes,
        efro_kinds=efro_kinds,
        claims=claims,
        claims_by_q={q: [c for c in claims if c.question == q] for q in QUESTIONS},
        verdicts=list(dict.fromkeys(c.verdict for c in claims)),
        meta=store.meta(),
        start=start,
        end=end,
        seed=SEED,
        built_at=datetime.now(UTC).replace(microsecond=0).isoformat(),
        store_path=str(store.path) if store.path else "in-memory snapshot",
    )
    path = out_dir / "report.html"
    path.write_text(html, encoding="utf-8")
    return path
