"""The policy simulator's pages ("Beleidssimulator"): choose a year and a parameter (its current value
and history shown beside the field) or paste a reform (which may add a new scheme), submit it as a
job of the API's job store (the same validation and the same content-hash id as POST
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
from peloton.core.parameters import ParameterPathError, is_leaf, parameter_history, parameter_node
from peloton.errors import InputError
from peloton.model import tax_benefit_system
from peloton.simulate.defaults import DEFAULT_RECORDS
from peloton.web import i18n
from peloton.web.answers import FieldError, human_number
from peloton.web.datatables import Column, DataTable
from peloton.web.rendering import check_language, not_found, page
from peloton.yaml_input import UserYamlError, load_user_yaml

router = APIRouter()
REFRESH_SECONDS = 2
DIMENSIONS = ("size_class", "sbi_section", "province")


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
    node = parameter_node(path)
    unit = str((getattr(node, "metadata", {}) or {}).get("unit", ""))
    kind = "euro" if unit.startswith("currency") else ("percent" if unit in ("/1", "rate") else "number")
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
    )


@router.get("/{lang}/simulator")
def simulator(lang: str, request: Request) -> Response:
    check_language(lang)
    values = {k: v for k, v in request.query_params.items()}
    values.setdefault("year", "2024")
    values.setdefault("records", str(DEFAULT_RECORDS))
    return _form_page(request, lang, values, [])


def _reform(values: dict[str, str], lang: str) -> tuple[dict[str, Any] | None, list[FieldError]]:
    """The reform the form describes: a pasted YAML reform, or one parameter change from 1 January."""
    text = values.get("reform_yaml", "").strip()
    if text:
        try:
            data = load_user_yaml(text)
        except UserYamlError as exc:
            first = str(exc).splitlines()[0][:200]
            return None, [FieldError("reform_yaml", "reform_yaml", f"{i18n.text(lang, 'sim_yaml')}: {first}")]
        return (data if isinstance(data, dict) else {"name": data}), []
    parameter = values.get("parameter", "")
    raw = values.get("value", "").strip()
    if not parameter and not raw:
        return None, []
    label = i18n.text(lang, "sim_new_value")
    if not raw:
        return None, [FieldError("value", "value", i18n.text(lang, "error_required", label=label))]
    number = human_number(raw, lang)
    value: Any = number if number is not None else {"true": True, "false": False}.get(raw.lower())
    if value is None:
        return None, [FieldError("value", "value", i18n.text(lang, "error_not_number", label=label))]
    name = values.get("name", "").strip() or f"{parameter} = {raw}"
    return {
        "name": name[:200],
        "parameter_changes": [
            {"parameter": parameter, "value": value, "start": f"{values.get('year')}-01-01"}
        ],
    }, []


def _problem_errors(problem: Problem, lang: str) -> list[FieldError]:
    out = []
    for item in problem.errors or [{"pointer": "", "detail": problem.detail}]:
        pointer = str(item.get("pointer", ""))
        field = (
            "year" if pointer == "/year" else ("value" if "parameter_changes" in pointer else "reform_yaml")
        )
        if "parameter_changes" in pointer and pointer.endswith("/parameter"):
            field = "parameter"
        out.append(
            FieldError(
                field, field, f"{pointer.strip('/') or 'reform'}: {item.get('detail', problem.detail)}"
            )
        )
    return out


@router.post("/{lang}/simulator")
async def submit(lang: str, request: Request) -> Response:
    check_language(lang)
    form = await request.form()
    values = {k: str(v) for k, v in form.items() if isinstance(v, str)}
    reform, errors = _reform(values, lang)
    try:
        year = int(values.get("year", ""))
    except ValueError:
        year = -1
    records = human_number(values.get("records", "") or str(DEFAULT_RECORDS), lang)
    if records is None or not records.is_integer():
        errors.append(
            FieldError(
                "records", "records", i18n.text(lang, "error_not_whole", label=i18n.text(lang, "sim_records"))
            )
        )
    if not errors:
        try:
            body = SimulationRequest(year=year, reform=reform, records=int(records or 0))
            job, _ = submit_simulation(request, body)
        except ValidationError as exc:
            where = str(exc.errors()[0]["loc"][0])
            field = "records" if where == "records" else "year"
            label = i18n.text(lang, "sim_records" if field == "records" else "year")
            errors = [FieldError(field, field, f"{label}: {exc.errors()[0]['msg']}")]
        except Problem as problem:
            errors = _problem_errors(problem, lang)
        except (InputError, QueueFull) as exc:
            errors = [FieldError("year", "year", str(exc) or i18n.text(lang, "sim_queue_full"))]
    if errors:
        return _form_page(request, lang, values, errors, status=422)
    return RedirectResponse(f"/{lang}/simulator/{job}", status_code=303)


def _cost_table(results: dict[str, Any], lang: str) -> DataTable:
    t = i18n.text
    reform = {s["id"]: s for s in results["schemes"].get("reform", [])}
    rows = []
    for d in results["difference"]:
        r = reform.get(d["scheme"], {})
        rows.append(
            [
                d["name"],
                d["baseline_cost_eur"],
                d["reform_cost_eur"],
                d["difference_cost_eur"],
                d["reform_reached_firms"],
                r.get("sme_share_firms"),
                r.get("sme_share_money"),
            ]
        )
    return DataTable(
        "cost",
        t(lang, "sim_cost"),
        [
            Column(t(lang, "scheme")),
            Column(t(lang, "law"), "euro"),
            Column(t(lang, "reform"), "euro"),
            Column(t(lang, "difference"), "euro"),
            Column(t(lang, "firms_reached"), "number"),
            Column(t(lang, "sme_share_firms"), "percent"),
            Column(t(lang, "sme_share_money"), "percent"),
        ],
        rows,
        chart="bar",
    )


def _group_tables(results: dict[str, Any], scheme: str, lang: str) -> list[DataTable]:
    t = i18n.text
    law = next((s for s in results["schemes"]["baseline"] if s["id"] == scheme), None)
    new = next((s for s in results["schemes"].get("reform", []) if s["id"] == scheme), law)
    if law is None or new is None:
        return []
    names = {"size_class": "grootteklasse", "sbi_section": "SBI-sectie", "province": "provincie"}
    tables = []
    for dim in DIMENSIONS:
        base = {g["group"]: g for g in law.get("by", {}).get(dim, [])}
        reformed = {g["group"]: g for g in new.get("by", {}).get(dim, [])}
        rows = [
            [
                group,
                base[group]["cost_eur"],
                reformed.get(group, {}).get("cost_eur"),
                (reformed.get(group, {}).get("cost_eur") or 0.0) - base[group]["cost_eur"],
                base[group]["reached"],
                reformed.get(group, {}).get("reached"),
            ]
            for group in base
        ]
        if not rows:
            continue
        label = names[dim] if lang == "nl" else dim.replace("_", " ")
        # where the scheme's users sit by sector or province is an assumption on the synthetic population
        assumed = (new.get("breakdown_basis") or {}).get(dim, {}).get("basis") == "assumption"
        suffix = f" ({t(lang, 'sim_basis_assumption')})" if assumed else ""
        tables.append(
            DataTable(
                f"by_{dim}",
                f"{law['name']}: {t(lang, 'by_group', group=label)}{suffix}",
                [
                    Column(label),
                    Column(t(lang, "law"), "euro"),
                    Column(t(lang, "reform"), "euro"),
                    Column(t(lang, "difference"), "euro"),
                    Column(f"{t(lang, 'firms_reached')} ({t(lang, 'law')})", "number"),
                    Column(f"{t(lang, 'firms_reached')} ({t(lang, 'reform')})", "number"),
                ],
                rows,
                chart="bar",
                notes=[t(lang, f"sim_basis_{dim}")] if assumed else [],
            )
        )
    return tables


def _winners_table(results: dict[str, Any], lang: str) -> DataTable:
    t = i18n.text
    wl = results.get("winners_losers", {})
    rows = [
        [scheme, v["winners"], v["gains_eur"], v["losers"], v["losses_eur"]]
        for scheme, v in wl.get("by_scheme", {}).items()
        if v["winners"] or v["losers"]
    ]
    total = wl.get("total")
    if total:
        rows.append(["total", total["winners"], total["gains_eur"], total["losers"], total["losses_eur"]])
    winners, losers = ("winnaars", "verliezers") if lang == "nl" else ("winners", "losers")
    return DataTable(
        "winners_losers",
        t(lang, "winners_losers"),
        [
            Column(t(lang, "scheme")),
            Column(winners, "number"),
            Column(f"{t(lang, 'amount')} +", "euro"),
            Column(losers, "number"),
            Column(f"{t(lang, 'amount')} −", "euro"),
        ],
        rows,
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
    }
    if state in ("queued", "running"):
        response = page(request, lang, "simulator_job.html.j2", **context)
        response.headers["Refresh"] = str(REFRESH_SECONDS)
        return response
    if state == "failed":
        return page(request, lang, "simulator_job.html.j2", **context)
    results = store.results(job)
    differences = sorted(results["difference"], key=lambda d: -abs(d["difference_cost_eur"] or 0))
    scheme = request.query_params.get("regeling") or (
        differences[0]["scheme"] if differences and differences[0]["difference_cost_eur"] else "wbso"
    )
    tables = [
        _cost_table(results, lang),
        *_group_tables(results, scheme, lang),
        _winners_table(results, lang),
    ]
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
        api_tables=[f"/api/v1/simulations/{job}/{name}.csv" for name in store.tables(job)],
        **context,
    )
