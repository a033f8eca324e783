"""The navigator's pages ("Welke regelingen passen bij mijn bedrijf?"): one question at a time, the
one that can still change the result most (peloton.navigator.next_questions, the function behind
POST /api/v1/check/next), the running result (peloton.navigator.evaluate, as POST /api/v1/check),
and the result page. Every step is a plain GET form whose URL carries the answers, so the flow works
without JavaScript and any URL is a share link; nothing is stored on the server."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from peloton.api.computing import locked
from peloton.api.jobs import JobStore, valid_id
from peloton.catalog import covered_years, load_catalog, load_combinations
from peloton.core.inputs import InputSpec, input_specs
from peloton.core.scenario import LAW_SCENARIO, Scenario, scenario_for
from peloton.errors import InputError
from peloton.navigator.next_questions import next_questions
from peloton.web import i18n
from peloton.web.answers import ANSWER_PREFIX, Answers, FieldError, label_of, machine_value, read_answers
from peloton.web.rendering import check_language, not_found, page, query_string

router = APIRouter()


def _default_year() -> int:
    import datetime as dt

    years = covered_years()
    this = dt.date.today().year
    return this if this in years else years[-1]


def _read(request: Request, lang: str) -> Answers:
    return read_answers(list(request.query_params.multi_items()), input_specs(), covered_years(), lang)


def _profile(answers: Answers) -> Any:
    from peloton.navigator.profile import parse_profile

    return parse_profile(
        {"year": answers.year, "name": "navigator", "onderneming": dict(answers.values)}, default_name="firm"
    )


class UnknownReform(Exception):
    """The `hervorming` of a navigator URL names no simulation job with a reform that still parses."""


def reform_scenario(request: Request, job: str | None) -> tuple[Scenario, dict[str, Any] | None]:
    """The scenario a navigator URL asks for: the law, or the reform of simulation job `job`, read
    back from the job's stored request (the URL carries only the id; nothing is stored for it)."""
    from peloton.model.reforms import parse_reform

    if job is None:
        return LAW_SCENARIO, None
    store: JobStore = request.app.state.jobs
    asked = store.request_of(job) if valid_id(job) else None
    reform = (asked or {}).get("reform")
    if not reform:
        raise UnknownReform(job)
    try:
        return scenario_for(parse_reform(reform, source=f"simulation {job}")), reform
    except InputError as exc:
        raise UnknownReform(str(exc)) from None


def question_view(spec: InputSpec, lang: str, typed: str | None, error: str | None) -> dict[str, Any]:
    question, hint = i18n.question_text(lang, spec)
    return {
        "spec": spec,
        "field_id": f"{ANSWER_PREFIX}{spec.name}",
        "question": question,
        "hint": hint,
        "typed": typed,
        "error": error,
        "default": machine_value(spec.default) if spec.default is not None else "",
    }


def _answered_view(answers: Answers, specs: dict[str, InputSpec], lang: str) -> list[dict[str, Any]]:
    rows = []
    for name, value in answers.values.items():
        link = query_string([*answers.pairs(without=[name]), ("edit", name)])
        rows.append({"label": label_of(specs[name], lang), "value": value, "spec": specs[name], "edit": link})
    return rows


@router.get("/{lang}/navigator")
def navigator(lang: str, request: Request) -> Response:
    check_language(lang)
    answers = _read(request, lang)
    specs = input_specs()
    years = covered_years()
    try:
        scenario, reform = reform_scenario(request, answers.reform_job)
    except UnknownReform:
        return not_found(request, lang, i18n.text(lang, "sim_unknown"))
    typed_any = any(k.startswith(ANSWER_PREFIX) for k in request.query_params)
    if answers.year is None or (answers.errors and all(e.variable == "year" for e in answers.errors)):
        return page(
            request,
            lang,
            "navigator_start.html.j2",
            years=years,
            chosen=answers.year or _default_year(),
            errors=answers.errors,
            reform=reform,
            reform_job=answers.reform_job,
        )
    if typed_any and not answers.errors:  # post/redirect/get: the canonical URL is the share link
        return RedirectResponse(f"/{lang}/navigator?{query_string(answers.pairs())}", status_code=303)
    profile_error: FieldError | None = None
    profile = None
    if not answers.errors:
        try:
            profile = _profile(answers)
        except InputError as exc:
            spec = specs.get(exc.field)
            label = label_of(spec, lang) if spec else exc.field
            message = i18n.text(lang, "error_invalid", label=label, problem=exc.problem)
            profile_error = FieldError(f"{ANSWER_PREFIX}{exc.field}", exc.field, message)
    errors = [*answers.errors, *([profile_error] if profile_error else [])]
    if errors:
        names = list(dict.fromkeys(e.variable for e in errors if e.variable in specs))
        views = [
            question_view(
                specs[n], lang, answers.typed.get(n), next(e.message for e in errors if e.variable == n)
            )
            for n in names
        ]
        kept = answers.pairs(without=names)
        return page(
            request,
            lang,
            "navigator_step.html.j2",
            errors=errors,
            questions=views,
            hidden=kept,
            answered=_answered_view(answers, specs, lang),
            left=None,
            running=None,
            step=len(answers.values) + 1,
            result_url=None,
            reform=reform,
        )
    assert profile is not None  # no errors: the answers made a profile
    firm = profile
    asked = [
        q for q in locked(lambda: next_questions(firm, scenario)) if q["variable"] not in answers.skipped
    ]
    if answers.editing:
        asked = [{"variable": answers.editing}, *[q for q in asked if q["variable"] != answers.editing]]
    result_url = f"/{lang}/navigator/uitkomst?{query_string(answers.pairs())}"
    if not asked:
        return RedirectResponse(result_url, status_code=303)
    first = specs[asked[0]["variable"]]
    running = _evaluate(profile, scenario).as_dict()
    return page(
        request,
        lang,
        "navigator_step.html.j2",
        errors=[],
        questions=[question_view(first, lang, None, None)],
        hidden=answers.pairs(without=[first.name]),
        skip_pairs=query_string([*answers.pairs(), ("skip", first.name)]),
        answered=_answered_view(answers, specs, lang),
        left=len(asked),
        running=running,
        step=len(answers.values) + 1,
        result_url=result_url,
        reform=reform,
    )


def _evaluate(profile: Any, scenario: Scenario = LAW_SCENARIO) -> Any:
    from peloton.navigator.evaluate import evaluate

    return locked(lambda: evaluate([profile], scenario=scenario)[0])


def _compare(profile: Any, scenario: Scenario) -> dict[str, Any]:
    """The firm under the law and under the reform (as POST /api/v1/check with a `reform`)."""
    from peloton.navigator.evaluate import compare

    result: dict[str, Any] = locked(lambda: compare([profile], scenario)[0].as_dict())
    return result


@router.get("/{lang}/navigator/uitkomst")
def result(lang: str, request: Request) -> Response:
    check_language(lang)
    answers = _read(request, lang)
    if answers.year is None or answers.errors:
        return RedirectResponse(f"/{lang}/navigator?{request.url.query}", status_code=303)
    try:
        profile = _profile(answers)
    except InputError:
        return RedirectResponse(f"/{lang}/navigator?{request.url.query}", status_code=303)
    try:
        scenario, reform = reform_scenario(request, answers.reform_job)
    except UnknownReform:
        return not_found(request, lang, i18n.text(lang, "sim_unknown"))
    comparison = _compare(profile, scenario) if reform else None
    outcome = comparison["under_reform"] if comparison else _evaluate(profile).as_dict()
    if request.query_params.get("format") == "json":
        return Response(
            json.dumps(comparison or outcome, indent=2, ensure_ascii=False, default=str) + "\n",
            media_type="application/json",
            headers={"Content-Disposition": 'attachment; filename="peloton-uitkomst.json"'},
        )
    catalog = {s.id: s for s in load_catalog()}
    eligible = {s["id"] for s in outcome["schemes"] if s["eligible"]}
    combinations = [c for c in load_combinations() if eligible & set(c.schemes)]
    share = f"/{lang}/navigator/uitkomst?{query_string(answers.pairs())}"
    return page(
        request,
        lang,
        "navigator_result.html.j2",
        outcome=outcome,
        catalog=catalog,
        combinations=combinations,
        answered=_answered_view(answers, input_specs(), lang),
        share_url=share,
        json_url=f"{share}&format=json",
        print_view=request.query_params.get("print") == "1",
        restart_url=f"/{lang}/navigator?{query_string(answers.pairs())}",
        comparison=comparison,
        reform_job=answers.reform_job,
    )
