"""The scheme pages: the catalog (what each scheme is, for whom, the years the rules compute) and one
page per scheme with every parameter it reads as a table of dated values with their sources and
confidence, a history chart per parameter drawn from that table, the combination rules, and the
scheme's use over time from the monitor. The same pieces as the API's /schemes/{id}."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from peloton.catalog import load_catalog, load_combinations
from peloton.core.catalog_entry import catalog_entry
from peloton.core.rule_examples import RuleExample, scheme_examples
from peloton.core.scheme_parameters import scheme_parameter_paths
from peloton.model import tax_benefit_system
from peloton.stats import payloads
from peloton.web import i18n
from peloton.web.datatables import Column, DataTable
from peloton.web.formatting import unit_value
from peloton.web.rendering import check_language, not_found, page
from peloton.web.simulator import history_table

router = APIRouter()
EXAMPLES_SHOWN = 6  # the newest; the page says how many more the rule tests hold


def example_view(example: RuleExample, lang: str) -> dict[str, Any]:
    """A rule test as the page shows it: each input and expected output in its variable's unit."""
    variables = tax_benefit_system().variables

    def shown(name: str, value: Any) -> str:
        unit = str(getattr(variables.get(name), "unit", "") or "")
        return unit_value(value, unit, lang)

    return {
        "name": example.name,
        "period": example.period,
        "description": example.description,
        "file": example.file,
        "inputs": [(name, shown(name, v)) for name, v in example.inputs],
        "outputs": [(name, shown(name, v)) for name, v in example.outputs],
    }


@router.get("/{lang}/regelingen")
def scheme_list(lang: str, request: Request) -> Response:
    check_language(lang)
    return page(request, lang, "schemes.html.j2", schemes=[catalog_entry(s) for s in load_catalog()])


@router.get("/{lang}/regelingen/{scheme_id}")
def scheme_page(lang: str, scheme_id: str, request: Request) -> Response:
    from peloton.stats.store import Store

    check_language(lang)
    found = next((s for s in load_catalog() if s.id == scheme_id), None)
    if found is None:
        return not_found(request, lang, i18n.text(lang, "not_found_scheme", id=scheme_id[:60]))
    tables = []
    for index, path in enumerate(scheme_parameter_paths(found.id)):
        table = history_table(path, lang)
        table.name = f"p{index}"
        tables.append(table)
    with Store.open(None, read_only=True) as st:
        use = (
            payloads.scheme_use_payload(st, found.id) if found.id in payloads.schemes_with_data(st) else None
        )
    if use:
        measures = [m for m in use["measures"] if any(m["id"] in r["values"] for r in use["rows"])]
        tables.append(
            DataTable(
                "use",
                i18n.text(lang, "use_over_time"),
                [Column(i18n.text(lang, "year"))]
                + [Column(f"{m['label']} ({m['unit']})", "number") for m in measures],
                [
                    [r["period"], *[(r["values"].get(m["id"]) or {}).get("value") for m in measures]]
                    for r in use["rows"]
                ],
                chart="line",
            )
        )
    examples = scheme_examples(found.id)
    return page(
        request,
        lang,
        "scheme.html.j2",
        tables=tables,
        scheme=catalog_entry(found),
        combinations=[c for c in load_combinations() if found.id in c.schemes],
        has_use=use is not None,
        examples=[example_view(e, lang) for e in examples[:EXAMPLES_SHOWN]],
        examples_total=len(examples),
    )
