"""Commands of the monitor: `peloton stats ...` and `peloton monitor` (registered by peloton.cli).

Thin adapters over peloton.stats.analyses/report/statline; user errors are InputError, which the
root CLI prints as one line with exit code 2; option errors (``--from abc``) are Typer's usage line
and one message, exit 2 (peloton.stats.usage). Every stats command has ``--json`` (one plain JSON
document, see peloton.stats.output) and tables that fit 80 columns.

One rule for ``--store`` everywhere (the same as ``peloton read``): a file the user names must exist;
only the default location is created (and filled from the snapshot) on first use. ``stats update`` is
the one command that creates a named store, because building a store is what it is for.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import Progress

from peloton.errors import InputError
from peloton.stats import analyses, output, payloads
from peloton.stats.measures import MEASURES
from peloton.stats.store import Store
from peloton.stats.usage import UsageCommand, UsageGroup, year

stats_app = typer.Typer(
    help="The stats store: CBS series and scheme use, with sources.", no_args_is_help=True, cls=UsageGroup
)

StoreOpt = Annotated[
    Path | None,
    typer.Option(
        "--store",
        help="DuckDB store file; must exist (default: $PELOTON_STORE or $PELOTON_HOME/stats.duckdb).",
    ),
]
FromOpt = Annotated[int, typer.Option("--from", parser=year, metavar="YEAR", help="Start year.")]
ToOpt = Annotated[int, typer.Option("--to", parser=year, metavar="YEAR", help="End year.")]
MeasureOpt = Annotated[
    str, typer.Option("--measure", help="Sector series to compare (see `peloton stats measures`).")
]
SectorOpt = Annotated[
    list[str] | None, typer.Option("--sector", help="SBI code (A..S or a CBS grouping like G-I); repeatable.")
]
LevelOpt = Annotated[str, typer.Option("--level", help="sections | groupings | all (ignored with --sector).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document instead of a table.")]
CsvOpt = Annotated[Path | None, typer.Option("--csv", help="Also write the table to this CSV file.")]


def _open(store: Path | None) -> Store:
    """Read-only: a named file must exist; the default falls back to the bundled snapshot."""
    return Store.open(store, read_only=True)


@stats_app.command("sectors", cls=UsageCommand)
def sectors_cmd(
    start: FromOpt = 2010,
    end: ToOpt = 2020,
    measure: MeasureOpt = "employee_jobs",
    sector: SectorOpt = None,
    level: LevelOpt = "sections",
    csv_out: CsvOpt = None,
    as_json: JsonOpt = False,
    store: StoreOpt = None,
) -> None:
    """Jobs by sector between two years: change, % change, ranked, and the dip-and-recovery pattern."""
    with _open(store) as st:
        rows = analyses.sector_change(st, start, end, measure=measure, sectors=sector, level=level)
        obs = st.observations(measure, str(end), rows[0].sector_code) if rows else []
    if csv_out:
        output.write_csv(
            csv_out,
            ["sector_code", "sector_label", start, end, "change", "pct_change", "trough_period"],
            (
                [
                    c.sector_code,
                    c.sector_label,
                    c.start_value,
                    c.end_value,
                    c.change,
                    c.pct_change,
                    c.trough_period,
                ]
                for c in rows
            ),
        )
    if as_json:
        output.print_json("stats sectors", payloads.sectors_payload(measure, start, end, rows, obs))
        return
    spec = MEASURES.get(measure)
    table = output.table(
        f"{spec.label if spec else measure} {start}-{end} ({spec.unit if spec else ''})",
        [
            ("sector", "left"),
            (str(start), "right"),
            (str(end), "right"),
            ("change", "right"),
            ("%", "right"),
            ("low point between", "left"),
        ],
    )
    for c in rows:
        colour = "red" if c.change < 0 else "green" if c.change > 0 else ""
        table.add_row(
            c.sector_label or c.sector_code,
            output.number(c.start_value, 0),
            output.number(c.end_value, 0),
            f"[{colour}]{c.change:+,.0f}[/]" if colour else f"{c.change:+,.0f}",
            "" if c.pct_change is None else f"{c.pct_change:+.1f}",
            f"{c.trough_period} ({output.number(c.trough_value, 0)})"
            + ("" if c.recovered_fully else ", not back")
            if c.dipped and c.trough_value is not None
            else "",
        )
    console = output.console()
    console.print(table)
    if spec:
        console.print(f"Counts: {spec.scope}.")
    if obs:
        console.print(f"Source: {obs[0].source.split(' (')[0]} (table {obs[0].table_id}, {obs[0].vintage}).")


@stats_app.command("productivity", cls=UsageCommand)
def productivity_cmd(
    periods: Annotated[
        str, typer.Option("--periods", help="Windows to average, e.g. 2009-2013,2014-2020 or 1974-2013.")
    ] = "2009-2013,2014-2020",
    measure: Annotated[str, typer.Option("--measure")] = "labour_productivity_commercial",
    as_json: JsonOpt = False,
    store: StoreOpt = None,
) -> None:
    """Yearly labour-productivity growth, averages over windows, and CBS's published averages.

    A window the yearly series covers is computed (geometric mean); a window it does not cover but
    for which CBS published an average (1974-2013, 2014-2023) shows that published figure, marked so.
    """
    windows = analyses.parse_windows(periods)
    with _open(store) as st:
        series = analyses.yearly_series(st, measure)
        averages = [analyses.window_average(st, a, b, measure) for a, b in windows]
        published = st.observations("labour_productivity_avg_growth")
    if as_json:
        output.print_json(
            "stats productivity", payloads.productivity_payload(measure, series, averages, published)
        )
        return
    console = output.console()
    table = output.table(
        f"{MEASURES[measure].label if measure in MEASURES else measure}, % change",
        [("year", "left"), ("%", "right"), ("vintage", "left"), ("confidence", "left")],
    )
    for o in series:
        table.add_row(o.period, f"{o.value:+.1f}", o.vintage, o.confidence)
    console.print(table)
    if series:
        console.print(f"Scope: {series[0].scope}. Source: {series[0].source}")
    for a in averages:
        console.print(a.sentence())
    for o in published:
        console.print(f"published {o.period}: {o.value:.1f} {o.unit} ({o.scope}; {o.confidence})")


@stats_app.command("schemes", cls=UsageCommand)
def schemes_cmd(
    scheme: Annotated[str, typer.Option("--scheme", help="Scheme id from the catalog.")] = "wbso",
    as_json: JsonOpt = False,
    store: StoreOpt = None,
) -> None:
    """Scheme use by year: firms, SME share, self-employed, projects, benefit; shares computed from counts."""
    with _open(store) as st:
        years = analyses.scheme_use(st, scheme)
        with_data = payloads.schemes_with_data(st)
    ids = [m.id for m in MEASURES.values() if m.scheme == scheme]
    present = [i for i in ids if any(i in y.values for y in years)]
    projects = payloads.registry_projects(scheme)
    if as_json:
        with _open(store) as st:
            output.print_json("stats schemes", payloads.scheme_use_payload(st, scheme, years))
        return
    console = output.console()
    if not years:
        console.print(f"no data for {scheme}; schemes with data: {', '.join(with_data)}")
        return
    rows: list[tuple[str, list[str]]] = []
    for mid in present:
        rows.append(
            (
                f"{MEASURES[mid].label} ({MEASURES[mid].unit})",
                [
                    output.number(y.values[mid].value)
                    + ("*" if y.values[mid].source.startswith("seed:") else "")
                    if mid in y.values
                    else ""
                    for y in years
                ],
            )
        )
    for key in ("self_employed_share", "research_share_of_projects"):
        if any(key in y.computed for y in years):
            rows.append(
                (
                    f"{key.replace('_', ' ')} (computed, %)",
                    [output.number(y.computed[key], 1) if key in y.computed else "" for y in years],
                )
            )
    # stack: as many years per table as the terminal has room for (a measure column plus years)
    per_table = max(1, (console.width - 34) // 10)
    for first in range(0, len(years), per_table):
        chunk = years[first : first + per_table]
        title = f"{scheme} use by year" + (
            f" ({chunk[0].period}-{chunk[-1].period})" if len(years) > per_table else ""
        )
        table = output.table(title, [("measure", "left"), *((y.period, "right") for y in chunk)])
        for label, cells in rows:
            part = cells[first : first + per_table]
            if any(part):
                table.add_row(label, *part)
        console.print(table)
    console.print(
        "* only the seed gives this figure (not independently confirmed)."
        " Sources: `peloton monitor --out DIR`."
    )
    if projects and projects["projects"]:
        sources = "; ".join(
            f"{s['projects']:,} in {s['source']} ({s['first_year']}-{s['last_year']}, "
            f"EUR {output.number(s['amount_eur'])})"
            for s in projects["by_source"]
        )
        console.print(f"Projects in the registry: {sources}. See: {projects['search']}")


@stats_app.command("value-added", cls=UsageCommand)
def value_added_cmd(
    start: FromOpt = 2020,
    end: ToOpt = 2025,
    kind: Annotated[
        str, typer.Option("--kind", help="volume (real growth) | value (current prices).")
    ] = "volume",
    sector: SectorOpt = None,
    level: LevelOpt = "sections",
    csv_out: CsvOpt = None,
    as_json: JsonOpt = False,
    store: StoreOpt = None,
) -> None:
    """Value-added growth by industry per year (CBS 85880NED, OData v4), ranked by the average."""
    kinds = {"volume": "value_added_volume_growth", "value": "value_added_value_growth"}
    if kind not in kinds:
        raise InputError("kind", f"'{kind}' is not one of {', '.join(kinds)}")
    measure = kinds[kind]
    with _open(store) as st:
        rows = analyses.value_added_growth(st, start, end, measure=measure, sectors=sector, level=level)
        obs = st.observations(measure, str(end), rows[0].sector_code) if rows else []
        notes = st.notes(measure)
    years = [str(y) for y in range(start, end + 1)]
    if csv_out:
        output.write_csv(
            csv_out,
            ["sector_code", "sector_label", *years, "average"],
            ([g.sector_code, g.sector_label, *(g.values.get(y) for y in years), g.average] for g in rows),
        )
    if as_json:
        output.print_json(
            "stats value-added",
            {
                "measure": payloads.measure_json(measure),
                "from": start,
                "to": end,
                "rows": [
                    {
                        "sector_code": g.sector_code,
                        "sector_label": g.sector_label,
                        "values": g.values,
                        "average": g.average,
                    }
                    for g in rows
                ],
                "sources": payloads.sources_json(obs),
            },
        )
        return
    spec = MEASURES[measure]
    table = output.table(
        f"{spec.label}, % change on the previous year",
        [("sector", "left"), *((y, "right") for y in years), ("avg", "right")],
    )
    for g in rows:
        table.add_row(
            g.sector_label or g.sector_code,
            *(f"{g.values[y]:+.1f}" if y in g.values else "" for y in years),
            "" if g.average is None else f"{g.average:+.1f}",
        )
    console = output.console()
    console.print(table)
    console.print(f"Counts: {spec.scope}. avg = geometric mean of the yearly changes.")
    if obs:
        console.print(f"Source: {obs[0].source.split(' ; ')[0]} ({obs[0].vintage}).")
        provisional = sorted({p for (_, p), n in notes.items() if "Voorlopig" in n and p in years})
        if provisional:
            console.print(f"Provisional (CBS status Voorlopig): {', '.join(provisional)}.")


@stats_app.command("claims", cls=UsageCommand)
def claims_cmd(as_json: JsonOpt = False, store: StoreOpt = None) -> None:
    """The seed's figures checked against the data: confirmed, cannot confirm, or contradicted."""
    from peloton.stats.claims import check_claims

    with _open(store) as st:
        checks = check_claims(st)
    if as_json:
        output.print_json("stats claims", payloads.claims_payload(checks))
        return
    table = output.table(
        "The seed's figures vs the data",
        [("Q", "left"), ("seed", "left"), ("data", "left"), ("verdict", "left")],
        show_lines=True,
    )
    for c in checks:
        table.add_row(c.question, c.claim, c.data, c.verdict)
    output.console().print(table)


@stats_app.command("measures", cls=UsageCommand)
def measures_cmd(as_json: JsonOpt = False, store: StoreOpt = None) -> None:
    """Measure ids in the store, with unit, scope, periods and number of rows."""
    with _open(store) as st:
        counts = dict(st.con.execute("SELECT measure, count(*) FROM observations GROUP BY 1").fetchall())
        items = [(mid, st.periods(mid)) for mid in st.measures()]
    if as_json:
        output.print_json(
            "stats measures",
            {
                "rows": [
                    {
                        **payloads.measure_json(mid),
                        "first_period": p[0],
                        "last_period": p[-1],
                        "rows": counts[mid],
                    }
                    for mid, p in items
                ]
            },
        )
        return
    table = output.table(
        "Measures in the store",
        [("measure", "left"), ("unit", "left"), ("periods", "left"), ("rows", "right")],
    )
    for mid, periods in items:
        spec = MEASURES.get(mid)
        table.add_row(mid, spec.unit if spec else "", f"{periods[0]}..{periods[-1]}", str(counts[mid]))
    console = output.console()
    console.print(table)
    console.print("What each measure counts (its scope): `peloton stats measures --json`.")


@stats_app.command("info", cls=UsageCommand)
def info_cmd(as_json: JsonOpt = False, store: StoreOpt = None) -> None:
    """Where the store is, which snapshot it holds and when series were last updated."""
    from peloton.stats.store import default_store_path

    with _open(store) as st:
        path = st.path
        meta = st.meta()
        n = len(st.measures())
    location = str(path or store or default_store_path())
    if as_json:
        output.print_json("stats info", payloads.info_payload(location, path is not None, meta, n))
        return
    console = output.console()
    lines = [f"store: {location}" + ("" if path else " (not created yet); showing the bundled snapshot")]
    lines += [f"{key}: {value}" for key, value in sorted(meta.items())]
    lines.append(f"measures: {n}")
    for line in lines:
        console.print(line, markup=False, highlight=False)


@stats_app.command("update", cls=UsageCommand)
def update_cmd(
    table: Annotated[
        list[str] | None, typer.Option("--table", help="CBS table id to fetch; repeatable (default: all).")
    ] = None,
    timeout: Annotated[float, typer.Option("--timeout", min=1, help="Seconds per request.")] = 30,
    as_json: JsonOpt = False,
    store: StoreOpt = None,
) -> None:
    """Fetch the CBS tables live (v3 and v4) and replace their series; offline the store is left as it is."""
    from peloton.stats import statline, statline_v4

    v4_id = statline_v4.VALUE_ADDED.table_id
    known = {s.table_id.lower(): s.table_id for s in statline.TABLES} | {v4_id.lower(): v4_id}
    for t in table or []:
        if t.lower() not in known:
            raise InputError("table", f"unknown table '{t}'; known: {', '.join(known.values())}")
    wanted = {t.lower() for t in table} if table else set(known)
    v3_ids = [t for t in known if t in wanted and t != v4_id.lower()]
    with Store.open(store) as st, Progress(transient=True) as progress:
        task = progress.add_task("fetching CBS StatLine", total=len(wanted))
        try:
            parsed: dict[str, list[dict[str, Any]]] = {}
            if v3_ids:
                parsed |= statline.fetch(v3_ids, on_table=lambda _t: progress.advance(task), timeout=timeout)
            if v4_id.lower() in wanted:
                parsed |= statline_v4.fetch(timeout=timeout)
                progress.advance(task)
        except statline.StatLineUnavailable as exc:
            progress.stop()
            snapshot = st.meta().get("snapshot_version", "?")
            typer.echo(
                f"offline: CBS StatLine not reachable ({exc}); store unchanged (snapshot {snapshot})",
                err=True,
            )
            # SystemExit, not typer.Exit: the root app runs click in non-standalone mode, which turns
            # typer.Exit into a return value that would be lost.
            raise SystemExit(1) from exc
        except statline.TableShapeError as exc:
            progress.stop()
            typer.echo(f"error: {exc}; store unchanged", err=True)
            raise SystemExit(1) from exc
        st.replace_many(parsed)
    counts = {m: len(r) for m, r in sorted(parsed.items())}
    if as_json:
        output.print_json("stats update", {"rows": counts})
        return
    for measure, n in counts.items():
        typer.echo(f"{measure}: {n} rows")


def monitor_cmd(
    out: Annotated[Path, typer.Option("--out", help="Directory for report.html and the CSVs.")],
    start: FromOpt = 2010,
    end: ToOpt = 2020,
    measure: MeasureOpt = "employee_jobs",
    sector: SectorOpt = None,
    level: LevelOpt = "sections",
    store: StoreOpt = None,
) -> None:
    """Build the monitor report (self-contained HTML with charts, plus CSVs) answering seed Q3, Q4-5, Q7."""
    from peloton.stats.report import build_report

    # a named store must exist (as for every reading command); only the default is created on first use
    with Store.open(store, read_only=True) if store is not None else Store.open() as st:
        path = build_report(st, out, start=start, end=end, measure=measure, sectors=sector, level=level)
    typer.echo(f"report: {path}")
    sys.stdout.flush()


def register(app: typer.Typer) -> None:
    """Add this capability's commands to the root app."""
    app.add_typer(stats_app, name="stats")
    app.command("monitor", cls=UsageCommand)(monitor_cmd)
