"""The policy simulator's pages ("Beleidssimulator"): choose a year and a parameter (its current value
and history shown beside the field) and give it a new value, or sweep it from a start to a stop value
(a cost curve); add a new scheme with its target and take-up, or paste a reform as YAML. The form is
submitted as a job of the API's job store (the same validation and the same content-hash id as POST
/api/v1/simulations), then a progress page (JavaScript polls the API; without it the page refreshes
by a Refresh header) and the result with charts, tables and CSVs. The job id is the share link."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import ValidationError
from starlette.responses import RedirectResponse, Response

from peloton.api.jobs import JobStore, QueueFull, job_id, valid_id
from peloton.api.problems import Problem
from peloton.api.simulations import SimulationRequest, submit_simulation
from peloton.catalog import covered_years
from peloton.core.parameters import ParameterPathError, is_leaf, parameter_history
from peloton.errors import InputError
from peloton.model import tax_benefit_system
from peloton.model.reforms.spec import SHAPES, SIZE_CLASSES
from peloton.simulate.defaults import DEFAULT_RECORDS
from peloton.web import i18n, reform_form
from peloton.web.answers import FieldError, human_number
from peloton.web.datatables import Column, DataTable
from peloton.web.rendering import check_language, not_found, page, query_string
from peloton.web.simulator_tables import cost_table, group_tables, sweep_tables, value_kind, winners_table

router = APIRouter()
REFRESH_SECONDS = 2


def _store(request: Request) -> JobStore:
    store: JobStore = request.app.state.jobs
    return store


def parameter_paths() -> list[str]:
    """Every leaf parameter of the rules, for the simulator's parameter list."""
    out: list[str] = []
    stack = [tax_benefit_system().parameters]
    while stack:
        node = stack.pop()
        if is_leaf(node):
            out.append(node.name)
        else:
            stack.extend(getattr(node, "children", {}).values())
    return sorted(p for p in out if not p.startswith("takeup.") or p.count(".") >= 1)


def history_table(path: str, lang: str) -> DataTable:
    kind = value_kind(path)
    rows = [
        [v["from"], v["value"], v.get("confidence", ""), ", ".join(v.get("references", []))]
        for v in parameter_history(path)
    ]
    return DataTable(
        "history",
        i18n.text(lang, "history_chart", label=path),
        [
            Column(i18n.text(lang, "valid_from"), "date"),
            Column(i18n.text(lang, "value"), kind, 4 if kind == "number" else 2),
            Column(i18n.text(lang, "confidence")),
            Column(i18n.text(lang, "source")),
        ],
        rows,
        chart="step",
        hover=3,
    )


def _form_page(
    request: Request, lang: str, values: dict[str, str], errors: list[FieldError], status: int = 200
) -> Response:
    chosen = values.get("parameter", "")
    tables: list[DataTable] = []
    current = None
    if chosen:
        try:
            tables.append(history_table(chosen, lang))
            current = parameter_history(chosen)[-1]
        except ParameterPathError:
            chosen = ""
    return page(
        request,
        lang,
        "simulator_form.html.j2",
        status=status,
        tables=tables,
        years=covered_years(),
        values=values,
        chosen=chosen,
        current=current,
        parameters=parameter_paths(),
        errors=errors,
        shapes=SHAPES,
        size_classes=SIZE_CLASSES,
        cost_bases=reform_form.cost_bases(lang),
        innovation_kinds=reform_form.innovation_kinds(),
        yes_no_variables=reform_form.yes_no_variables(),
        new_scheme_open=any(k.startswith(reform_form.NEW) and v for k, v in values.items()),
    )


@router.get("/{lang}/simulator")
def simulator(lang: str, request: Request) -> Response:
    check_language(lang)
    values = {k: v for k, v in request.query_params.items()}
    values.setdefault("year", "2024")
    values.setdefault("records", str(DEFAULT_RECORDS))
    return _form_page(request, lang, values, [])


@router.post("/{lang}/simulator")
async def submit(lang: str, request: Request) -> Response:
    check_language(lang)
    form = await request.form()
    values = {k: str(v) for k, v in form.items() if isinstance(v, str)}
    is_sweep = values.get("run") == "sweep" or bool(values.get("sweep"))
    reform, errors = reform_form.reform_of(values, lang, sweep=is_sweep)
    sweep = None
    if is_sweep:
        sweep, sweep_errors = reform_form.sweep_of(values, lang)
        errors += sweep_errors
    try:
        year = int(values.get("year", ""))
    except ValueError:
        year = -1
    records = human_number(values.get("records", "") or str(DEFAULT_RECORDS), lang)
    if records is None or not records.is_integer():
        label = i18n.text(lang, "sim_records")
        errors.append(FieldError("records", "records", i18n.text(lang, "error_not_whole", label=label)))
    if not errors:
        try:
            body = SimulationRequest(year=year, reform=reform, records=int(records or 0), sweep=sweep)
            job, _ = submit_simulation(request, body)
        except ValidationError as exc:
            where = str(exc.errors()[0]["loc"][0])
            field = "records" if where == "records" else "year"
            label = i18n.text(lang, "sim_records" if field == "records" else "year")
            errors = [FieldError(field, field, f"{label}: {exc.errors()[0]['msg']}")]
        except Problem as problem:
            errors = reform_form.problem_errors(problem, lang, from_yaml=bool(values.get("reform_yaml")))
        except (InputError, QueueFull) as exc:
            errors = [FieldError("year", "year", str(exc) or i18n.text(lang, "sim_queue_full"))]
    if errors:
        return _form_page(request, lang, values, errors, status=422)
    return RedirectResponse(f"/{lang}/simulator/{job}", status_code=303)


def _sweep_page(request: Request, lang: str, results: dict[str, Any], context: dict[str, Any]) -> Response:
    return page(
        request,
        lang,
        "simulator_sweep.html.j2",
        tables=sweep_tables(results, lang),
        results=results,
        **context,
    )


@router.get("/{lang}/simulator/{job}")
def job_page(lang: str, job: str, request: Request) -> Response:
    check_language(lang)
    store = _store(request)
    if not valid_id(job):
        return not_found(request, lang, i18n.text(lang, "sim_unknown"))
    state, reason = store.status(job)
    if state == "unknown":
        return not_found(request, lang, i18n.text(lang, "sim_unknown"))
    asked = store.request_of(job)
    rules_changed = asked is not None and job_id(asked) != job
    context: dict[str, Any] = {
        "job": job,
        "state": state,
        "reason": reason,
        "asked": asked,
        "rules_changed": rules_changed,
        "share_url": f"/{lang}/simulator/{job}",
        "api_url": f"/api/v1/simulations/{job}",
        "api_tables": [f"/api/v1/simulations/{job}/{name}.csv" for name in store.tables(job)],
        "recompute_reform": "" if not (asked and asked.get("reform")) else asked["reform"],
    }
    if state in ("queued", "running"):
        response = page(request, lang, "simulator_job.html.j2", **context)
        response.headers["Refresh"] = str(REFRESH_SECONDS)
        return response
    if state == "failed":
        return page(request, lang, "simulator_job.html.j2", **context)
    results = store.results(job)
    if results.get("kind") == "sweep":
        return _sweep_page(request, lang, results, context)
    differences = sorted(results["difference"], key=lambda d: -abs(d["difference_cost_eur"] or 0))
    scheme = request.query_params.get("regeling") or (
        differences[0]["scheme"] if differences and differences[0]["difference_cost_eur"] else "wbso"
    )
    tables = [cost_table(results, lang), *group_tables(results, scheme, lang), winners_table(results, lang)]
    total = {
        "law": sum(d["baseline_cost_eur"] or 0 for d in results["difference"]),
        "reform": sum(d["reform_cost_eur"] or 0 for d in results["difference"]),
    }
    return page(
        request,
        lang,
        "simulator_job.html.j2",
        tables=tables,
        results=results,
        scheme=scheme,
        total=total,
        firm_url=_firm_url(lang, job, asked),
        **context,
    )


def _firm_url(lang: str, job: str, asked: dict[str, Any] | None) -> str | None:
    """The navigator for one firm under this job's reform (its answers and the job id in the URL)."""
    if not asked or not asked.get("reform") or asked.get("year") is None:
        return None
    return f"/{lang}/navigator?{query_string([('year', asked['year']), ('hervorming', job)])}"
