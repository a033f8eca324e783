"""Commands of the navigator: `schemes`, `check`, `questions` (registered by peloton.cli)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from peloton.core.sources import is_official

console = Console()


def register(app: typer.Typer) -> None:
    """Add the navigator's commands to the root app."""
    app.command("schemes")(schemes_command)
    app.command("check")(check_command)
    app.command("questions")(questions_command)


def schemes_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print the catalog as JSON.")] = False,
) -> None:
    """List the schemes peloton knows: id, Dutch name, kind, owner, years the rules cover."""
    from peloton.catalog import load_catalog, year_ranges
    from peloton.core.catalog_entry import catalog_entry
    from peloton.tables import Grid, print_grid

    catalog = load_catalog()
    if as_json:
        typer.echo(json.dumps([catalog_entry(s) for s in catalog], indent=2, ensure_ascii=False))
        return
    table = Grid("Schemes", ["id", "name", "kind", "owner", "years computed"])
    for s in catalog:
        table.add_row(s.id, s.name, s.kind, s.owner, year_ranges(s.years))
    print_grid(table, console)


def check_command(
    profile: Annotated[Path, typer.Argument(help="Firm profile, YAML or JSON (see examples/).")],
    year: Annotated[
        int | None, typer.Option("--year", help="Year to evaluate (default: the profile's).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the machine-readable result.")] = False,
    explain: Annotated[
        bool, typer.Option("--explain", help="Print the full computation from the trace.")
    ] = False,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Exit 3 when any rule-based scheme is not computed for the year."),
    ] = False,
    reform: Annotated[
        Path | None,
        typer.Option("--reform", help="Reform YAML: show the law, the reform and the difference per scheme."),
    ] = None,
) -> None:
    """Say, per scheme, whether the firm is eligible, the amount in euros, and why."""
    from peloton.core.scenario import scenario_for
    from peloton.model.reforms import load_reform
    from peloton.navigator.evaluate import compare, evaluate
    from peloton.navigator.plausibility import plausibility_notes
    from peloton.navigator.profile import read_profile_file

    firm_profile = read_profile_file(profile, year=year)
    notes = plausibility_notes(firm_profile)
    if reform is not None:
        scenario = scenario_for(load_reform(reform))
        comparison = compare([firm_profile], scenario, explain=explain)[0]
        data = comparison.as_dict(explain=explain)
        if notes:
            data["plausibility_notes"] = notes
        if as_json:
            typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))
        else:
            _print_comparison(data, explain)
        if strict and any(s["status"] == "not_computed" for s in data["under_reform"]["schemes"]):
            raise typer.Exit(3)
        return
    result = evaluate([firm_profile], explain=explain)[0]
    payload = result.as_dict(explain=explain)
    if notes:  # only when non-empty, so that a plausible profile's JSON is unchanged
        payload["plausibility_notes"] = notes
    if as_json:
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False, default=str))
    else:
        _print_result(payload, explain)
    if strict and any(s["status"] == "not_computed" for s in payload["schemes"]):
        raise typer.Exit(3)


def _eur(value: float | None) -> str:
    return "-" if value is None else f"EUR {value:,.0f}"


def _print_result(payload: dict[str, Any], explain: bool) -> None:
    firm = payload["firm"]
    console.print(
        f"[bold]{payload['profile']}[/bold] · {payload['year']} · size class {firm['mkb_grootteklasse']}"
        f" ({'SME' if firm['is_mkb'] else 'not an SME'})"
        + (" · IB-ondernemer" if firm.get("is_ib_ondernemer") else "")
    )
    if firm.get("family_business_note"):
        console.print(f"[dim]{firm['family_business_note']}[/dim]")
    for note in payload.get("plausibility_notes", []):
        console.print(f"[yellow]check your inputs:[/yellow] {note}", highlight=False)
    for scheme in payload["schemes"]:
        chance = " [magenta](a chance, not a certainty)[/magenta]" if scheme["certainty"] == "chance" else ""
        if scheme["status"] == "not_computed":
            head = "[yellow]not computed[/yellow]"
        elif scheme["status"] == "network":
            head = "[cyan]help, not money[/cyan]"
        elif scheme["status"] == "eligibility_only" and scheme["eligible"]:
            head = f"[green]eligible[/green], amount not computed{chance}"
        elif scheme["status"] == "eligibility_only" and scheme["eligible"] is None:
            head = "[yellow]not known from the sources[/yellow]"
        elif scheme["eligible"]:
            amount, value = _eur(scheme["amount_eur"]), _eur(scheme["value_eur"])
            head = f"[green]eligible[/green] {amount} ({scheme['kind']}), value {value}{chance}"
        else:
            head = "[red]not eligible[/red]"
        console.print(f"\n[bold]{scheme['name']}[/bold] ({scheme['id']}): {head}", highlight=False)
        for reason in scheme["reasons"]:
            console.print(f"  - {reason}", highlight=False, markup=False)
        for offer in scheme.get("offers", []):
            terms = ", ".join(
                str(offer[k]) for k in ("period", "amount", "percentage", "sme_condition") if offer.get(k)
            )
            console.print(
                f"  * {offer['name']}" + (f" ({terms})" if terms else ""), highlight=False, markup=False
            )
        if explain and scheme.get("explanation"):
            console.print("  computation:")
            for line in scheme["explanation"]:
                console.print(f"    {line}", highlight=False, markup=False)
        if scheme["references"]:
            first = scheme["references"][0]
            kind = "official source" if is_official(first) else "secondary source"
            console.print(f"  {kind}: {first}", highlight=False, markup=False)
    console.print(f"\nTotal estimated value: {_eur(payload['total_value_eur'])}")
    if payload.get("total_value_note"):
        console.print(f"[dim]{payload['total_value_note']}[/dim]")


def _print_comparison(data: dict[str, Any], explain: bool) -> None:
    """The law, the reform and the difference per scheme, then the firm's full result under the reform."""
    console.print(
        f"[bold]{data['profile']}[/bold] · {data['year']} · reform: {data['reform']['name']}", highlight=False
    )
    for note in data["notes"]:
        console.print(f"[yellow]note:[/yellow] {note}", highlight=False, markup=False)
    for note in data.get("plausibility_notes", []):
        console.print(f"[yellow]check your inputs:[/yellow] {note}", highlight=False)
    from peloton.tables import Grid, print_grid

    table = Grid(
        "Law, reform and difference (value to the firm)",
        ["scheme", "law", "reform", "difference"],
        right={"law", "reform", "difference"},
    )
    for row in data["difference"]:
        if row["law_status"] == "not_computed" or row["reform_status"] == "not_computed":
            table.add_row(row["id"], _status_or_eur(row, "law"), _status_or_eur(row, "reform"), "-")
            continue
        diff = row["difference_value_eur"]
        table.add_row(
            row["id"],
            _eur(row["law_value_eur"]),
            _eur(row["reform_value_eur"]),
            "-" if diff is None else f"{diff:+,.0f}",
        )
    print_grid(table, console)
    console.print(f"Total value difference: EUR {data['total_value_difference_eur']:+,.0f}")
    console.print("\n[bold]Under the reform[/bold]")
    _print_result(data["under_reform"], explain)


def _status_or_eur(row: dict[str, Any], side: str) -> str:
    if row[f"{side}_status"] == "not_computed":
        return "not computed"
    return _eur(row[f"{side}_value_eur"])


def questions_command(
    schemes: Annotated[list[str] | None, typer.Argument(help="Scheme ids (default: all rule-based).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """List the inputs the schemes need, from the rules' dependency graph."""
    from peloton.navigator.questions import needed_inputs
    from peloton.tables import Grid, print_grid

    needs = needed_inputs(schemes)
    if as_json:
        typer.echo(json.dumps([n.__dict__ for n in needs], indent=2, ensure_ascii=False))
        return
    table = Grid("Inputs the rules read", ["variable", "question", "unit", "allowed", "schemes"])
    for n in needs:
        table.add_row(n.variable, n.question, n.unit, n.allowed, ", ".join(n.schemes))
    print_grid(table, console)
