"""Commands of the simulator: `simulate` and `population` (registered by peloton.cli).

Thin: they parse options, show progress, and print what the simulate package computes. Bad input is
an `InputError` (one line, exit 2, via peloton.cli); `population --check` exits 1 when a target is
missed, so CI can run it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from peloton.errors import InputError
from peloton.simulate.defaults import DEFAULT_RECORDS, DEFAULT_SEED
from peloton.tables import Grid, print_grid

console = Console()
err_console = Console(stderr=True)


def register(app: typer.Typer) -> None:
    """Add the simulator's commands to the root app."""
    app.command("simulate")(simulate_command)
    app.command("population")(population_command)


@contextmanager
def _progress(description: str, total: int | None) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr over records (hidden when stderr is not a terminal)."""
    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()]
    with Progress(
        *columns, console=err_console, transient=True, disable=not err_console.is_terminal
    ) as progress:
        task = progress.add_task(description, total=total or None)

        def advance(n: int) -> None:
            progress.advance(task, n)

        yield advance


@contextmanager
def _stages(description: str) -> Iterator[Callable[[str], None]]:
    """A spinner with the current stage of a multi-step job (population generation)."""
    with Progress(
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=not err_console.is_terminal,
    ) as p:
        task = p.add_task(description, total=None)

        def stage(text: str) -> None:
            p.update(task, description=f"{description}: {text}")

        yield stage


def _synthetic(year: int, records: int, seed: int) -> Any:
    from peloton.simulate import synthetic
    from peloton.simulate.population import PopulationFile

    path = synthetic.cache_path(year, records, seed)
    if not path.exists():
        with _stages(f"generating the synthetic population ({records:,} records, seed {seed})") as stage:
            synthetic.ensure(year, records, seed, progress=stage)
    source = PopulationFile(path, kind="synthetic")
    return source, source.synthetic_info()


def _user(path: Path, chunk_size: int) -> Any:
    from peloton.simulate.population import PopulationFile

    source = PopulationFile(path, kind="user")
    with _progress(f"checking {path.name}", source.count_rows()) as advance:
        info = source.validate(chunk_size, on_chunk=advance)
    return source, info


def _eur_m(value: float | None) -> str:
    return "-" if value is None else f"{value / 1e6:,.1f}"


def _eur(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def _value(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:,.10g}"
    return "no value" if value is None else str(value)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "reform"


def simulate_command(
    year: Annotated[
        int | None, typer.Option("--year", help="Year to simulate (the rules' parameters of that year).")
    ] = None,
    reform: Annotated[
        Path | None, typer.Option("--reform", help="Reform YAML file (examples/reforms/).")
    ] = None,
    population: Annotated[
        Path | None,
        typer.Option("--population", help="Your own population, CSV or Parquet (default: synthetic)."),
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Folder for CSV, JSON and charts.")] = None,
    chunk_size: Annotated[
        int, typer.Option("--chunk-size", help="Records per chunk: bounds memory; results are identical.")
    ] = 500_000,
    records: Annotated[
        int, typer.Option("--records", help="Records of the synthetic population.")
    ] = DEFAULT_RECORDS,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the synthetic population.")] = DEFAULT_SEED,
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
    charts: Annotated[bool, typer.Option("--charts/--no-charts", help="Write PNG and HTML charts.")] = True,
    sweep: Annotated[
        str | None,
        typer.Option(
            "--sweep",
            help="A cost curve: PARAMETER=START:STOP:STEP or PARAMETER=v1,v2,... (a parameter path, or "
            "NEW_SCHEME.percentage|maximum|amount|minimum_costs of the --reform), each step a reform.",
        ),
    ] = None,
    years: Annotated[
        str | None,
        typer.Option("--years", help="A budget window FROM-TO (2019-2026): the law and the reform per year."),
    ] = None,
    engine: Annotated[
        str, typer.Option("--engine", help="Where sweeps and windows run: local (process pool) or dask.")
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Dask scheduler address (default: $PELOTON_DASK_SCHEDULER, else a LocalCluster).",
        ),
    ] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", help="Worker processes (default: all cores).")
    ] = None,
) -> None:
    """What each scheme (or a reform) costs and whom it reaches: cost, firms, by size, sector, province."""
    from peloton.model.reforms import load_reform
    from peloton.simulate.evaluation import Plan
    from peloton.simulate.results import export, simulate
    from peloton.simulate.study import StudyOptions, check_year

    if chunk_size < 1:
        raise InputError("chunk-size", "must be at least 1")
    if sweep is not None or years is not None:
        options = StudyOptions(population, records, seed, chunk_size, engine, scheduler, workers)
        _study(year, years, sweep, reform, options, out, charts, as_json)
        return
    if year is None:
        raise InputError("year", "give --year Y (or --years FROM-TO for a budget window)")
    check_year(year)
    spec = load_reform(reform) if reform is not None else None
    plan = Plan(year=year, reform=spec)
    if population is None:
        source, info = _synthetic(year, records, seed)
    else:
        source, info = _user(population, chunk_size)
    with _progress(f"simulating {year}" + (" (baseline + reform)" if spec else ""), info.records) as advance:
        results = simulate(source, info, plan, chunk_size=chunk_size, on_chunk=advance)
    folder = out or Path("out") / (f"simulate-{year}" + (f"-{_slug(spec.name)}" if spec else ""))
    written = export(results, folder)
    if charts:
        from peloton.simulate.charts import write_charts

        written += write_charts(results, folder)
    if as_json:
        typer.echo(json.dumps(results.as_dict(), indent=2, ensure_ascii=False, default=str))
        return
    _print_results(results)
    console.print(f"\nwritten to {folder}/: " + ", ".join(p.name for p in written), highlight=False)


def _basis_title(results: Any, scenario: str, schemes: list[str], dim: str) -> str:
    """What the breakdown rests on, per scheme, for the table's title ("" for an unlabelled breakdown):
    "; assumption for every scheme" or "; assumption: wbso, eia; population file: ..."."""
    from peloton.simulate.results import basis_label

    by_basis: dict[str, list[str]] = {}
    for scheme in schemes:
        label = basis_label(results.stats(scenario, scheme), dim)
        if label:
            by_basis.setdefault(label, []).append(scheme)
    if len(by_basis) == 1 and len(next(iter(by_basis.values()))) == len(schemes):
        return f"; users' {dim.replace('sbi_section', 'sector')}: {next(iter(by_basis))} for every scheme"
    return "".join(f"; {label}: {', '.join(ids)}" for label, ids in by_basis.items())


@contextmanager
def _study_progress() -> Iterator[Callable[[str, int, int], None]]:
    """One bar over a study's tasks, with the stage (population, simulating) as its text."""
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=not err_console.is_terminal,
    ) as p:
        task = p.add_task("preparing", total=None)

        def update(stage: str, done: int, total: int) -> None:
            p.update(task, description=stage, completed=done, total=total or None)

        yield update


def _study(
    year: int | None,
    years: str | None,
    sweep: str | None,
    reform: Path | None,
    options: Any,
    out: Path | None,
    charts: bool,
    as_json: bool,
) -> None:
    """A sweep (cost curve) or a budget window: run, export, print."""
    from peloton.simulate.sweep import run_sweep
    from peloton.simulate.window import run_window

    if sweep is not None and years is not None:
        raise InputError("years", "a sweep runs in one --year; a window (--years) runs one reform")
    if years is not None and year is not None:
        raise InputError("year", "give --year Y or --years FROM-TO, not both")
    with _study_progress() as progress:
        if sweep is not None:
            if year is None:
                raise InputError("year", "a sweep needs --year Y")
            folder = out or Path("out") / f"sweep-{year}-{_slug(sweep.split('=')[0])}"
            payload = run_sweep(year, sweep, reform, options, folder, charts, progress)
        else:
            assert years is not None
            folder = out or Path("out") / f"window-{_slug(years)}"
            payload = run_window(years, reform, options, folder, charts, progress)
    if as_json:
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False, default=str))
        return
    if payload["kind"] == "sweep":
        _print_sweep(payload)
    else:
        _print_window(payload)
    written = sorted(p.name for p in folder.iterdir() if p.is_file())
    console.print(f"\nwritten to {folder}/: " + ", ".join(written), highlight=False)


def _print_sweep(payload: dict[str, Any]) -> None:
    base = payload["base_reform"]
    console.print(
        f"[bold]Sweep of {payload['parameter']} · {payload['year']}"
        + (f" · on reform: {base['name']}" if base else " · on the law")
        + "[/bold]",
        highlight=False,
    )
    console.print(f"[yellow]Population:[/yellow] {payload['population']['label']}", highlight=False)
    columns = ["value", "cost vs law EUR m", "marginal EUR m", "winners", "losers", "SME share winners"]
    table = Grid("Per step: all schemes against the law", columns, right=set(columns), keys=1)
    for s in payload["steps"]:
        table.add_row(
            _value(s["value"]),
            f"{s['difference_cost_eur'] / 1e6:+,.2f}",
            "-" if s["marginal_cost_eur"] is None else f"{s['marginal_cost_eur'] / 1e6:+,.2f}",
            _eur(s["winners"]),
            _eur(s["losers"]),
            _share(s["sme_share_winners"]),
        )
    print_grid(table, console)
    moving: list[str] = []
    for s in payload["steps"]:
        moving.extend(
            r["scheme"] for r in s["schemes"] if r["difference_cost_eur"] and r["scheme"] not in moving
        )
    scheme_columns = ["value", "scheme", "cost EUR m", "vs law EUR m", "reached", "SME firms", "SME money"]
    detail = Grid(
        "Per step and scheme (schemes the sweep moves)", scheme_columns, right=set(scheme_columns[2:]), keys=2
    )
    for s in payload["steps"]:
        for r in s["schemes"]:
            if r["scheme"] not in moving:
                continue
            if not r["computed"]:
                detail.add_row(
                    _value(s["value"]), r["scheme"], f"not computed: {r['reason']}", "", "", "", ""
                )
                continue
            detail.add_row(
                _value(s["value"]),
                r["scheme"],
                _eur_m(r["cost_eur"]),
                f"{r['difference_cost_eur'] / 1e6:+,.2f}",
                _eur(r["reached_firms"]),
                _share(r["sme_share_firms"]),
                _share(r["sme_share_money"]),
            )
    if detail.rows:
        print_grid(detail, console)
    run = payload["run"]
    console.print(
        f"[dim]engine {run['engine']}: {run['workers']} workers, {run['tasks']} tasks[/dim]", highlight=False
    )
    for note in payload["notes"]:
        console.print(f"[dim]note: {note}[/dim]", highlight=False)


def _print_window(payload: dict[str, Any]) -> None:
    years = payload["years"]
    reform = payload["reform"]
    console.print(
        f"[bold]Budget window {years[0]}-{years[-1]}"
        + (f" · reform: {reform['name']}" if reform else "")
        + "[/bold]",
        highlight=False,
    )
    keys = ["law", "reform"] if reform else ["law"]
    columns = ["year", "scheme", *(f"{k} EUR m" for k in keys)] + (["difference EUR m"] if reform else [])
    table = Grid("Per year: cost to the government", columns, right=set(columns[2:]), keys=2)
    for row in payload["per_year"]:
        cells = [_eur_m(row[f"{k}_cost_eur"]) if row[f"{k}_computed"] else "not computed" for k in keys]
        if reform:
            diff = row["difference_cost_eur"]
            cells.append("-" if diff is None else f"{diff / 1e6:+,.1f}")
        table.add_row(str(row["year"]), row["scheme"], *cells)
    print_grid(table, console)
    total_columns = (
        ["scheme", *(f"{k} EUR m" for k in keys)]
        + (["difference EUR m"] if reform else [])
        + ["years not computed"]
    )
    totals = Grid(
        "Window total (over the years each scheme is computed)", total_columns, right=set(total_columns[1:-1])
    )
    for t in payload["totals"]:
        cells = [_eur_m(t.get(f"{k}_cost_eur")) for k in keys]
        if reform:
            diff = t.get("difference_cost_eur")
            cells.append("-" if diff is None else f"{diff / 1e6:+,.1f}")
        missing = ", ".join(
            str(n["year"]) + (f" ({n['scenarios'][0]} only)" if reform and len(n["scenarios"]) == 1 else "")
            for n in t["not_computed"]
        )
        totals.add_row(t["scheme"], *cells, missing or "-")
    window = payload["window_total"]
    cells = [_eur_m(window.get(f"{k}_cost_eur")) for k in keys]
    if reform:
        cells.append(f"{window['difference_cost_eur'] / 1e6:+,.1f}")
    totals.add_row("all schemes", *cells, ", ".join(window["incomplete"]) or "-")
    print_grid(totals, console)
    for note in payload["notes"]:
        console.print(f"[dim]note: {note}[/dim]", highlight=False)


def _print_results(results: Any) -> None:
    from peloton.simulate.evaluation import BASELINE, REFORM

    plan = results.plan
    title = f"Simulation {results.year}" + (
        f" · reform: {plan.reform.name}" if plan.reform else " · current rules"
    )
    console.print(f"[bold]{title}[/bold]", highlight=False)
    console.print(f"[yellow]Population:[/yellow] {results.population.label()}", highlight=False)
    if plan.reform is not None:
        for change in results.reform_changes:
            console.print(
                f"  {change['parameter']}: {_value(change['baseline_value'])} → "
                f"{_value(change['reform_value'])} in {results.year} (from {change['start']})",
                highlight=False,
            )
        for scheme in plan.reform.new_schemes:
            console.print(f"  new scheme {scheme.id}: {scheme.formula_text()}", highlight=False)
    scenarios = list(results.schemes)
    columns = [
        "scheme",
        "scenario",
        "eligible firms",
        "reached firms",
        "cost EUR m",
        "legal amount EUR m",
        "mean cost EUR",
        "median cost EUR",
        "SME share firms",
        "SME share money",
    ]
    table = Grid("Per scheme (reached = eligible and applying)", columns, right=set(columns[2:]), keys=2)
    for scheme in results.scheme_ids():
        for scenario in scenarios:
            s = results.stats(scenario, scheme)
            if not s.exists:
                table.add_row(scheme, scenario, "-", "-", "-", "-", "-", "-", "-", "-")
                continue
            if not s.computed:
                table.add_row(scheme, scenario, f"not computed: {s.reason}", "", "", "", "", "", "", "")
                continue
            table.add_row(
                f"{scheme}",
                scenario,
                _eur(s.eligible_firms),
                _eur(s.reached_firms),
                f"{_eur_m(s.cost_eur)} ({s.cost_kind})",
                f"{_eur_m(s.legal_amount_eur)} ({s.legal_kind})",
                _eur(s.mean_eur),
                _eur(s.median_eur),
                _share(s.sme_share_firms),
                _share(s.sme_share_money),
            )
    print_grid(table, console)
    if REFORM in results.schemes:
        diff_columns = ["scheme", "cost EUR m", "legal amount EUR m", "reached firms", "winners", "losers"]
        diff = Grid(
            "Reform minus baseline: cost to the government first", diff_columns, right=set(diff_columns[1:])
        )
        for row in results.difference():
            if row.get("not_computed"):
                diff.add_row(row["scheme"], f"not computed: {row['not_computed']}", "", "", "", "")
                continue
            diff.add_row(
                row["scheme"],
                f"{row['difference_cost_eur'] / 1e6:+,.1f}",
                f"{row['difference_legal_amount_eur'] / 1e6:+,.1f}",
                f"{row['difference_reached_firms']:+,.0f}",
                _eur(row["winners"]),
                _eur(row["losers"]),
            )
        total = results.winners_losers["total"]
        diff.add_row("all schemes", "", "", "", _eur(total["winners"]), _eur(total["losers"]))
        print_grid(diff, console)
    last = scenarios[-1]
    money = [s for s in results.scheme_ids() if results.stats(last, s).reached_firms > 0]
    for dim, title, limit in (
        ("size_class", "By size class", None),
        ("sbi_section", "By SBI section (largest costs)", 8),
        ("province", "By province", None),
        ("family_business", "By family business", None),
        ("firm_type", "By firm type", None),
    ):
        if not money:
            break
        t = Grid(
            f"{title}, {last}: reached firms / cost EUR m{_basis_title(results, last, money, dim)}",
            ["group", "firms", *money],
            right={"firms", *money},
        )
        groups = results.population_groups[dim]
        rows = []
        for g in groups:
            cells, weight = [], 0.0
            for scheme in money:
                by = {x.group: x for x in results.stats(last, scheme).by[dim]}
                x = by.get(g["group"])
                cells.append(
                    "-" if x is None or x.reached == 0 else f"{x.reached:,.0f} / {x.cost_eur / 1e6:,.1f}"
                )
                weight += 0.0 if x is None else x.cost_eur
            rows.append((weight, [g["group"], f"{g['firms']:,.0f}", *cells]))
        if limit is not None:
            rows = sorted(rows, key=lambda r: -r[0])[:limit]
        for _, cells in rows:
            t.add_row(*cells)
        print_grid(t, console)
    takeup = Grid(
        "Take-up (share of eligible firms that apply)",
        ["scheme", "micro", "klein", "middelgroot", "groot", "method"],
    )
    for t_row in results.takeup_table():
        rates = t_row["rates"]
        takeup.add_row(
            t_row["scheme"],
            *(f"{rates[k]:.2f}" for k in ("micro", "klein", "middelgroot", "groot")),
            t_row["method"] + (" (upper bound)" if t_row.get("upper_bound") else ""),
        )
    print_grid(takeup, console)
    for note in results.notes:
        console.print(f"[dim]note: {note}[/dim]", highlight=False)
    del BASELINE


def population_command(
    year: Annotated[
        int | None, typer.Option("--year", help="Year (default: every year with targets).")
    ] = None,
    records: Annotated[
        int, typer.Option("--records", help="Records of the synthetic population.")
    ] = DEFAULT_RECORDS,
    seed: Annotated[
        int, typer.Option("--seed", help="Seed: the same seed gives the same file.")
    ] = DEFAULT_SEED,
    check: Annotated[bool, typer.Option("--check", help="Compare with the published targets.")] = False,
    export_to: Annotated[
        Path | None, typer.Option("--export", help="Write a copy as .csv or .parquet.")
    ] = None,
    chunk_size: Annotated[int, typer.Option("--chunk-size", help="Records per chunk.")] = 500_000,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """The synthetic firm population: generate (cached), describe, export, or check against the targets."""
    from peloton.simulate.calibration import REFERENCE_YEARS, check_years

    if year is not None:
        from peloton.simulate.study import check_year

        check_year(year)
    if check:
        _check(list(check_years()) if year is None else [year], records, seed, chunk_size, as_json)
        return
    source, info = _synthetic(year or REFERENCE_YEARS[-1], records, seed)
    if export_to is not None:
        _export_population(source, export_to, chunk_size)
    if as_json:
        typer.echo(json.dumps({**info.as_dict(), "file": str(source.path)}, indent=2, default=str))
        return
    console.print(info.label(), highlight=False)
    console.print(f"file: {source.path}", highlight=False)
    meta = info.metadata
    table = Grid(f"Calibrated to {meta.get('calibration_year')}", ["input", "name", "value"], keys=1)
    for label, key in (("WBSO input", "wbso_inputs"), ("S&O hours scale", "hours_scale")):
        values = meta.get(key)
        if isinstance(values, dict):
            for name, value in values.items():
                table.add_row(label, name.replace("_", " "), _metadata_value(name, value))
    if table.rows:
        print_grid(table, console)
    if export_to is not None:
        console.print(f"exported to {export_to}", highlight=False)


def _metadata_value(name: str, value: Any) -> str:
    """A generator input in words: shares as percentages, euros with thousands separators."""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return str(value)
    if name.endswith("_share"):
        return f"{value:.2%}"
    if name.endswith("_eur"):
        return f"EUR {value:,.0f}"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.6g}"


def _export_population(source: Any, target: Path, chunk_size: int) -> None:
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    suffix = target.suffix.lower()
    if suffix not in (".csv", ".parquet", ".pq"):
        raise InputError("export", "expected a .csv or .parquet file name")
    target.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        with pacsv.CSVWriter(target, pq.ParquetFile(source.path).schema_arrow.remove_metadata()) as writer:
            for table in source.tables(chunk_size):
                writer.write_table(table.replace_schema_metadata(None))
    else:
        import shutil

        shutil.copyfile(source.path, target)


def _check(years: list[int], records: int, seed: int, chunk_size: int, as_json: bool) -> None:
    from peloton.simulate.calibration import (
        REFERENCE_YEARS,
        breakdown_basis,
        calibration_year,
        check_variables,
        firm_count_rows,
        innovatiebox_rows,
        province_rows,
        scheme_use_rows,
        scheme_use_variables,
        wbso_rows,
    )
    from peloton.simulate.evaluation import Plan
    from peloton.simulate.results import simulate

    rows = []
    box_rows = []
    use_rows = []
    province = []
    first_path = None
    checked_populations: set[int] = set()
    for y in years:
        source, info = _synthetic(y, records, seed)
        first_path = first_path or source.path
        if calibration_year(y) not in checked_populations:  # 2025 and 2026 run on the 2024 population
            checked_populations.add(calibration_year(y))
            province.extend(province_rows(source.path, calibration_year(y)))
        with _progress(f"checking {y}", info.records) as advance:
            plan = Plan(y, extra_variables=(*check_variables(), *scheme_use_variables()))
            results = simulate(source, info, plan, chunk_size, advance)
        if y in REFERENCE_YEARS:
            rows.extend(wbso_rows(y, results))
        box_rows.extend(innovatiebox_rows(y, results))
        use_rows.extend(scheme_use_rows(y, results))
    assert first_path is not None
    counts = firm_count_rows(first_path)
    failed = [r for r in [*rows, *box_rows, *use_rows, *counts, *province] if r.ok is False]
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "wbso": [r.as_dict() for r in rows],
                    "innovatiebox": [r.as_dict() for r in box_rows],
                    "scheme_use": [r.as_dict() for r in use_rows],
                    "firm_counts": [r.as_dict() for r in counts],
                    "provinces": [r.as_dict() for r in province],
                    "sectors_of_users": breakdown_basis(True)["sbi_section"],
                    "all_targets_met": not failed,
                },
                indent=2,
            )
        )
    else:
        console.print(
            f"[yellow]Population:[/yellow] SYNTHETIC, {records:,} records, seed {seed}", highlight=False
        )
        if rows:
            _check_table("WBSO use per year (usage_statistics.yaml)", rows)
        if box_rows:
            _check_table("Innovatiebox use per year (usage_statistics.yaml)", box_rows)
        if use_rows:
            _check_table(
                "Other schemes' budgets and use (take-up calibrated; targets.yaml scheme_use)", use_rows
            )
        _check_table("Firm counts, every year (CBS 81588NED 2024Q2)", counts)
        _check_table(
            "Provinces: share of firms vs share of CBS establishments (81578NED, COROP rolled up), "
            "per population year",
            province,
        )
        sectors = breakdown_basis(True)["sbi_section"]
        console.print(
            f"Sectors of the users: no target, {sectors['basis']}: {sectors['note']}", highlight=False
        )
        console.print(
            "kind: target = must be within the tolerance; input = no published value, the generator's input "
            "is shown; info = shown for comparison, not calibrated; realised = spending or use that happened "
            "(a target); ceiling = a ceiling of commitments (simulated must not exceed it); budget = an "
            "ex-ante fiscal budget (shown, no verdict)",
            highlight=False,
        )
        met = sum(1 for r in [*rows, *box_rows, *use_rows, *counts, *province] if r.ok)
        console.print(
            f"{met} of {met + len(failed)} targets met"
            + ("" if not failed else f"; MISSED: {', '.join(f'{r.year} {r.measure}' for r in failed)}"),
            highlight=False,
        )
    if failed:
        raise typer.Exit(1)


def _fmt(value: float | None, measure: str) -> str:
    if value is None or value != value:  # none, or NaN: not computed
        return "-"
    if "share" in measure:
        return f"{value:.2%}"
    return f"{value:,.0f}"


def _check_table(title: str, rows: list[Any]) -> None:
    table = Grid(
        title,
        ["year", "measure", "kind", "target", "simulated", "gap", "tolerance", "ok", "published as"],
        right={"target", "simulated", "gap"},
        keys=2,
    )
    for r in rows:
        ok = "" if r.ok is None else ("yes" if r.ok else "[red]NO[/red]")
        table.add_row(
            r.year,
            r.measure,
            r.kind,
            _fmt(r.target, r.measure),
            _fmt(r.simulated, r.measure),
            r.gap(),
            r.tolerance,
            ok,
            r.published[:48] if not r.published.startswith("not computed") else r.published[:120],
        )
    print_grid(table, console)
