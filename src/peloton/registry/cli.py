"""Commands of the registry: `peloton registry import|search|export|summary|sources` (see peloton.cli).

Thin adapters over peloton.registry's modules; user errors are InputError, which the root CLI
prints as one line with exit code 2.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from peloton.errors import InputError

if TYPE_CHECKING:
    from peloton.registry.estimate import KindEstimate
    from peloton.registry.store import RegistryStore

# the registry's modules (DuckDB, PyArrow, NumPy, the stemmer) load inside each command, so that
# registering these commands costs the rest of `peloton` nothing at start-up
FORMATS = ("europaomdehoek", "rijksbegroting", "volginnovatie", "kohesio", "csv")

registry_app = typer.Typer(
    help="Supported projects (Europa om de hoek, Rijksbegroting, volginnovatie, Kohesio): "
    "import, search, innovation kind.",
    no_args_is_help=True,
)

StoreOpt = Annotated[
    Path | None,
    typer.Option(
        "--store", help="Registry file (default: $PELOTON_REGISTRY or $PELOTON_HOME/registry.duckdb)."
    ),
]


def _console() -> Console:
    return Console(width=max(100, Console().width))


def _eur(v: float | None) -> str:
    return "-" if v is None else f"EUR {v:,.0f}"


@registry_app.command("import")
def import_cmd(
    file: Annotated[Path, typer.Argument(help="The CSV file to import.")],
    fmt: Annotated[str, typer.Option("--format", help=f"One of: {', '.join(FORMATS)}.")],
    mapping: Annotated[
        Path | None,
        typer.Option("--mapping", help="YAML column mapping (shape of the built-in mappings/*.yaml)."),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option("--source", help="Name of the source (default: file name); its rows are replaced."),
    ] = None,
    encoding: Annotated[str, typer.Option("--encoding", help="Text encoding of the file.")] = "utf-8-sig",
    repair_from: Annotated[
        Path | None,
        typer.Option(
            "--repair-from", help="Raw Europa-om-de-hoek export to recover characters lost as U+FFFD."
        ),
    ] = None,
    table_version: Annotated[
        str | None, typer.Option("--table-version", help="The file's table version (default: its sha256).")
    ] = None,
    retrieved: Annotated[
        str | None,
        typer.Option("--retrieved", help="When the file was retrieved (default: its modification date)."),
    ] = None,
    store: StoreOpt = None,
) -> None:
    """Import a file into the registry; the source's previous rows are replaced in one transaction."""
    from peloton.registry.importer import read_source, store_parsed
    from peloton.registry.store import RegistryStore

    try:
        "".encode(encoding)
    except LookupError:
        raise InputError("--encoding", f"unknown encoding {encoding!r}") from None
    # read (and repair) before opening the store: a bad file never touches it, and the store's
    # lock is held only while the rows are written
    status = f"reading {file.name}" + (f", repairing from {repair_from.name}" if repair_from else "")
    with Console(stderr=True).status(status + " ..."):
        parsed, report = read_source(file, fmt, mapping, encoding, repair_from)
    with RegistryStore.open(store) as reg:
        result = store_parsed(
            reg, file, fmt, parsed, report, source=source, table_version=table_version, retrieved_at=retrieved
        )
    typer.echo(f"imported {result.rows:,} rows from {file.name} as source {result.source!r}")
    if result.repair:
        typer.echo(result.repair.summary())
    if result.problems:
        typer.echo(f"{len(result.problems):,} rows could not be read (not imported):")
        for line, problem in result.problems[:50]:
            typer.echo(f"  line {line}: {problem}")
        if len(result.problems) > 50:
            typer.echo(f"  ... and {len(result.problems) - 50:,} more (peloton registry sources --problems)")


@registry_app.command("search")
def search_cmd(
    query: Annotated[str, typer.Argument(help="Words to find in titles and summaries (all must match).")],
    fund: Annotated[str | None, typer.Option("--fund", help="EFRO, ESF, ...")] = None,
    scheme: Annotated[
        str | None, typer.Option("--scheme", help="A catalog id (mit, efro) or part of the scheme's name.")
    ] = None,
    source: Annotated[str | None, typer.Option("--source", help="Only this source.")] = None,
    year_from: Annotated[
        int | None, typer.Option("--from", help="First year (start year or payment year).")
    ] = None,
    year_to: Annotated[int | None, typer.Option("--to", help="Last year.")] = None,
    min_amount: Annotated[float | None, typer.Option("--min-amount", help="Minimum amount in EUR.")] = None,
    kind: Annotated[
        str | None, typer.Option("--kind", help="product, process, both, none or unknown.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="How many results to show.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="JSON: results and facets.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="CSV of the results.")] = False,
    store: StoreOpt = None,
) -> None:
    """Full-text search (Dutch stemming, ranked), with facets by fund, year, kind and amount band."""
    from peloton.registry.search import search
    from peloton.registry.store import RegistryStore

    if year_from is not None and year_to is not None and year_from > year_to:
        raise InputError("--from", f"{year_from} is after --to {year_to}")
    with RegistryStore.open(store, read_only=True) as reg:
        result = search(
            reg,
            query,
            fund=fund,
            scheme=scheme,
            source=source,
            year_from=year_from,
            year_to=year_to,
            min_amount=min_amount,
            kind=kind,
            limit=limit,
        )
    if as_json:
        typer.echo(json.dumps(result.as_dict(), ensure_ascii=False, indent=1, default=str))
        return
    if as_csv:
        fields = [
            "source",
            "source_row",
            "score",
            "beneficiary",
            "title",
            "fund",
            "scheme",
            "scheme_id",
            "amount_eur",
            "year",
            "innovation_kind",
            "kind_reason",
        ]
        writer = csv.DictWriter(sys.stdout, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(result.results)
        return
    console = _console()
    console.print(f"{result.total:,} projects match {query!r}; best {len(result.results)}:")
    table = Table(show_lines=False)
    for col in ("score", "fund / scheme", "beneficiary", "title", "amount", "year", "kind"):
        table.add_column(col)
    for r in result.results:
        table.add_row(
            f"{r['score']:.1f}",
            r["fund"] or (r["scheme"] or "")[:30],
            (r["beneficiary"] or "")[:30],
            (r["title"] or "")[:50],
            _eur(r["amount_eur"]),
            str(r["year"] or ""),
            r["innovation_kind"],
        )
    console.print(table)
    for name, values in result.facets.items():
        console.print(f"{name}: " + ", ".join(f"{k} {v}" for k, v in values.items()))


@registry_app.command("export")
def export_cmd(
    source: Annotated[str | None, typer.Option("--source", help="Only this source.")] = None,
    as_csv: Annotated[bool, typer.Option("--csv", help="CSV on stdout.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="JSON on stdout.")] = False,
    store: StoreOpt = None,
) -> None:
    """Every record with source, source_row, title, fund or scheme, amounts, innovation kind and reason."""
    from peloton.registry.export import export_records, to_csv, to_json
    from peloton.registry.store import RegistryStore

    if as_csv == as_json:
        raise InputError("--csv/--json", "give exactly one of --csv or --json")
    with RegistryStore.open(store, read_only=True) as reg:
        records = export_records(reg, source)
    sys.stdout.write(to_csv(records) if as_csv else to_json(records) + "\n")


@registry_app.command("summary")
def summary_cmd(
    fund: Annotated[str | None, typer.Option("--fund", help="Only this fund, e.g. EFRO.")] = None,
    source: Annotated[str | None, typer.Option("--source", help="Only this source.")] = None,
    by: Annotated[str, typer.Option("--by", help="kind, year or fund.")] = "kind",
    as_json: Annotated[bool, typer.Option("--json", help="JSON.")] = False,
    store: StoreOpt = None,
) -> None:
    """Money and projects by innovation kind: the naive count next to the error-corrected estimate."""
    from peloton.registry.estimate import kind_estimate
    from peloton.registry.store import RegistryStore

    if by not in ("kind", "year", "fund"):
        raise InputError("--by", f"{by!r}; allowed: kind, year, fund")
    with RegistryStore.open(store, read_only=True) as reg:
        if by == "kind":
            estimates = [kind_estimate(reg, fund=fund, source=source)]
        else:
            estimates = [
                kind_estimate(
                    reg,
                    fund=g if by == "fund" else fund,
                    source=source,
                    year=g if by == "year" and g is not None else None,
                    no_year=by == "year" and g is None,
                )
                for g in _groups(reg, by, fund, source)
            ]
    if as_json:
        data = [e.as_dict() for e in estimates]
        typer.echo(json.dumps(data[0] if by == "kind" else data, ensure_ascii=False, indent=1))
        return
    for est in estimates:
        _print_estimate(est)


def _groups(reg: RegistryStore, by: str, fund: str | None, source: str | None) -> list[Any]:
    """The funds or years present in the selection, in order (None last: projects without a year)."""
    col = "year" if by == "year" else "fund"
    # projects without a fund (payments) have no kind split worth correcting; without a year they do
    where, params = (["1 = 1"] if by == "year" else ["fund IS NOT NULL"]), []
    if fund:
        where.append("upper(fund) = upper(?)")
        params.append(fund)
    if source:
        where.append("source = ?")
        params.append(source)
    rows = reg.con.execute(
        f"SELECT DISTINCT {col} FROM projects WHERE {' AND '.join(where)} ORDER BY 1 NULLS LAST", params
    ).fetchall()
    if not rows:
        raise InputError("--fund" if fund else "--source", f"no projects for {fund or source}")
    return [r[0] for r in rows]


def _print_estimate(est: KindEstimate) -> None:
    console = _console()
    console.print(
        f"{est.selection}: {est.projects:,} projects, {_eur(est.amount)} — by innovation kind (ESTIMATE)"
    )
    table = Table()
    for col in (
        "kind",
        "projects (naive)",
        "projects (estimate, 90% interval)",
        "amount (naive)",
        "amount (estimate, 90% interval)",
    ):
        table.add_column(col)
    for f in est.figures:
        pi, ai = f.projects_interval, f.amount_interval
        table.add_row(
            f.kind,
            f"{f.projects_naive:,}",
            f"{f.projects_estimate:,.0f} ({pi[0]:,.0f}-{pi[1]:,.0f})",
            _eur(f.amount_naive),
            f"{_eur(f.amount_estimate)} ({ai[0] / 1e6:,.1f}-{ai[1] / 1e6:,.1f} m)",
        )
    console.print(table)
    console.print(f"method: {est.method}; {est.labelled} held-out labels used")
    for note in est.notes:
        console.print(f"note: {note}")


@registry_app.command("sources")
def sources_cmd(
    problems: Annotated[
        bool, typer.Option("--problems", help="Also list rows that could not be read.")
    ] = False,
    store: StoreOpt = None,
) -> None:
    """What the registry holds: each source with file, table version, retrieval date, rows, problems."""
    from peloton.registry.store import RegistryStore

    with RegistryStore.open(store, read_only=True) as reg:
        for s in reg.sources():
            typer.echo(
                f"{s['source']}: {s['rows']:,} rows, {s['problems']:,} unreadable; format {s['format']}; "
                f"file {s['source_file']}; table version {s['table_version']}; retrieved {s['retrieved_at']}"
                + (f"; {s['notes']}" if s["notes"] else "")
            )
        if problems:
            for p in reg.problems():
                typer.echo(f"  {p['source']} line {p['line']}: {p['problem']}")


def register(app: typer.Typer) -> None:
    """Add `peloton registry ...` to the root app."""
    app.add_typer(registry_app, name="registry")
