"""Commands of the monitor: `peloton stats ...` and `peloton monitor` (registered by peloton.cli).

Thin adapters over peloton.stats.analyses/report/statline; user errors are InputError, which the
root CLI prints as one line with exit code 2.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from peloton.errors import InputError
from peloton.stats import analyses
from peloton.stats.measures import MEASURES

stats_app = typer.Typer(
    help="The stats store: CBS series and scheme use, with sources.", no_args_is_help=True
)

StoreOpt = Annotated[
    Path | None,
    typer.Option(
        "--store", help="DuckDB store file (default: $PELOTON_STORE or $PELOTON_HOME/stats.duckdb)."
    ),
]
FromOpt = Annotated[int, typer.Option("--from", help="Start year.")]
ToOpt = Annotated[int, typer.Option("--to", help="End year.")]
MeasureOpt = Annotated[
    str, typer.Option("--measure", help="Sector series to compare (see `peloton stats measures`).")
]
SectorOpt = Annotated[
    list[str] | None, typer.Option("--sector", help="SBI code (A..S or a CBS grouping like G-I); repeatable.")
]
LevelOpt = Annotated[str, typer.Option("--level", help="sections | groupings | all (ignored with --sector).")]


def _console() -> Console:
    return Console(width=max(100, Console().width))


@stats_app.command("sectors")
def sectors_cmd(
    start: FromOpt = 2010,
    end: ToOpt = 2020,
    measure: MeasureOpt = "employee_jobs",
    sector: SectorOpt = None,
    level: LevelOpt = "sections",
    csv_out: Annotated[
        Path | None, typer.Option("--csv", help="Also write the table to this CSV file.")
    ] = None,
    store: StoreOpt = None,
) -> None:
    """Jobs by sector between two years: change, % change, ranked, and the dip-and-recovery pattern."""
    from peloton.stats.store import Store

    with Store.open(store, read_only=True) as st:
        rows = analyses.sector_change(st, start, end, measure=measure, sectors=sector, level=level)
        obs = st.observations(measure, str(end), rows[0].sector_code) if rows else []
    spec = MEASURES.get(measure)
    table = Table(title=f"{spec.label if spec else measure} {start}-{end} ({spec.unit if spec else ''})")
    for col in ("sector", str(start), str(end), "change", "%", "low point between"):
        table.add_column(col, justify="left" if col in ("sector", "low point between") else "right")
    for c in rows:
        colour = "red" if c.change < 0 else "green" if c.change > 0 else ""
        table.add_row(
            c.sector_label or c.sector_code,
            f"{c.start_value:,.0f}",
            f"{c.end_value:,.0f}",
            f"[{colour}]{c.change:+,.0f}[/]" if colour else f"{c.change:+,.0f}",
            "" if c.pct_change is None else f"{c.pct_change:+.1f}",
            f"{c.trough_period} ({c.trough_value:,.0f})" + ("" if c.recovered_fully else ", not back")
            if c.dipped and c.trough_value is not None
            else "",
        )
    console = _console()
    console.print(table)
    if spec:
        console.print(f"Counts: {spec.scope}.")
    if obs:
        console.print(f"Source: {obs[0].source.split(' (')[0]} (table {obs[0].table_id}, {obs[0].vintage}).")
    if csv_out:
        with csv_out.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(
                ["sector_code", "sector_label", start, end, "change", "pct_change", "trough_period"]
            )
            for c in rows:
                writer.writerow(
                    [
                        c.sector_code,
                        c.sector_label,
                        c.start_value,
                        c.end_value,
                        c.change,
                        c.pct_change,
                        c.trough_period,
                    ]
                )


@stats_app.command("productivity")
def productivity_cmd(
    periods: Annotated[
        str, typer.Option("--periods", help="Windows to average, e.g. 2009-2013,2014-2020.")
    ] = "2009-2013,2014-2020",
    measure: Annotated[str, typer.Option("--measure")] = "labour_productivity_commercial",
    store: StoreOpt = None,
) -> None:
    """Yearly labour-productivity growth, computed averages over windows, and CBS's published averages."""
    from peloton.stats.store import Store

    windows = analyses.parse_windows(periods)
    with Store.open(store, read_only=True) as st:
        series = analyses.yearly_series(st, measure)
        averages = [analyses.average_growth(st, a, b, measure) for a, b in windows]
        published = st.observations("labour_productivity_avg_growth")
    console = _console()
    table = Table(title=f"{MEASURES[measure].label if measure in MEASURES else measure}, % change")
    for col in ("year", "%", "vintage", "confidence"):
        table.add_column(col)
    for o in series:
        table.add_row(o.period, f"{o.value:+.1f}", o.vintage, o.confidence)
    console.print(table)
    if series:
        console.print(f"Scope: {series[0].scope}. Source: {series[0].source}")
    for a in averages:
        console.print(
            f"average {a.start}-{a.end}: {a.average:+.2f}% a year"
            f" (computed, geometric; {', '.join(a.vintages)})"
        )
    for o in published:
        console.print(f"published {o.period}: {o.value:.1f} {o.unit} ({o.scope}; {o.confidence})")


@stats_app.command("schemes")
def schemes_cmd(
    scheme: Annotated[str, typer.Option("--scheme", help="Scheme id from the catalog.")] = "wbso",
    store: StoreOpt = None,
) -> None:
    """Scheme use by year: firms, SME share, self-employed, projects, benefit; shares computed from counts."""
    from peloton.stats.store import Store

    with Store.open(store, read_only=True) as st:
        years = analyses.scheme_use(st, scheme)
    ids = [m.id for m in MEASURES.values() if m.scheme == scheme]
    present = [i for i in ids if any(i in y.values for y in years)]
    table = Table(title=f"{scheme} use by year")
    table.add_column("measure")
    for y in years:
        table.add_column(y.period, justify="right")
    for mid in present:
        table.add_row(
            f"{MEASURES[mid].label} ({MEASURES[mid].unit})",
            *(
                f"{y.values[mid].value:,.4g}" + ("*" if y.values[mid].source.startswith("seed:") else "")
                if mid in y.values
                else ""
                for y in years
            ),
        )
    for key in ("self_employed_share", "research_share_of_projects"):
        if any(key in y.computed for y in years):
            table.add_row(
                f"{key.replace('_', ' ')} (computed, %)",
                *(f"{y.computed[key]:.1f}" if key in y.computed else "" for y in years),
            )
    console = _console()
    console.print(table)
    console.print(
        "* only the seed gives this figure (not independently confirmed)."
        " Sources: `peloton monitor --out DIR`."
    )


@stats_app.command("claims")
def claims_cmd(store: StoreOpt = None) -> None:
    """The seed's figures checked against the data: confirmed, cannot confirm, or contradicted."""
    from peloton.stats.claims import check_claims
    from peloton.stats.store import Store

    with Store.open(store, read_only=True) as st:
        checks = check_claims(st)
    table = Table(title="The seed's figures vs the data", show_lines=True)
    for col in ("Q", "seed", "data", "verdict"):
        table.add_column(col)
    for c in checks:
        table.add_row(c.question, c.claim, c.data, c.verdict)
    _console().print(table)


@stats_app.command("measures")
def measures_cmd(store: StoreOpt = None) -> None:
    """Measure ids in the store, with unit, scope, periods and number of rows."""
    from peloton.stats.store import Store

    with Store.open(store, read_only=True) as st:
        counts = dict(st.con.execute("SELECT measure, count(*) FROM observations GROUP BY 1").fetchall())
        table = Table(title="Measures in the store")
        for col in ("measure", "unit", "periods", "rows", "scope"):
            table.add_column(col)
        for mid in st.measures():
            periods = st.periods(mid)
            spec = MEASURES.get(mid)
            table.add_row(
                mid,
                spec.unit if spec else "",
                f"{periods[0]}..{periods[-1]}",
                str(counts[mid]),
                spec.scope if spec else "",
            )
    _console().print(table)


@stats_app.command("info")
def info_cmd(store: StoreOpt = None) -> None:
    """Where the store is, which snapshot it holds and when series were last updated."""
    from peloton.stats.store import Store, default_store_path

    with Store.open(store, read_only=True) as st:
        typer.echo(
            f"store: {st.path or f'{store or default_store_path()} (not created yet)'}"
            + ("" if st.path else "; showing the bundled snapshot")
        )
        for key, value in sorted(st.meta().items()):
            typer.echo(f"{key}: {value}")
        typer.echo(f"measures: {len(st.measures())}")


@stats_app.command("update")
def update_cmd(
    table: Annotated[
        list[str] | None, typer.Option("--table", help="CBS table id to fetch; repeatable (default: all).")
    ] = None,
    timeout: Annotated[float, typer.Option("--timeout", min=1, help="Seconds per request.")] = 30,
    store: StoreOpt = None,
) -> None:
    """Fetch the CBS tables live and replace their series; offline the store is left as it is."""
    from peloton.stats import statline
    from peloton.stats.store import Store

    known = {s.table_id.lower(): s.table_id for s in statline.TABLES}
    for t in table or []:
        if t.lower() not in known:
            raise InputError("table", f"unknown table '{t}'; known: {', '.join(known.values())}")
    n_tables = len(table) if table else len(statline.TABLES)
    with Store.open(store) as st, Progress(transient=True) as progress:
        task = progress.add_task("fetching CBS StatLine", total=n_tables)
        try:
            counts = statline.update(st, table, on_table=lambda _t: progress.advance(task), timeout=timeout)
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
    for measure, n in sorted(counts.items()):
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
    from peloton.stats.store import Store

    with Store.open(store) as st:
        path = build_report(st, out, start=start, end=end, measure=measure, sectors=sector, level=level)
    typer.echo(f"report: {path}")
    sys.stdout.flush()


def register(app: typer.Typer) -> None:
    """Add this capability's commands to the root app."""
    app.add_typer(stats_app, name="stats")
    app.command("monitor")(monitor_cmd)
