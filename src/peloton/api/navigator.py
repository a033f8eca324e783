"""Routes of the navigator: the inputs the schemes read, a profile checked (law or reform), and the
questions still worth asking. Profiles are parsed by peloton.navigator.profile.parse_profile, the
result serialised by FirmResult.as_dict / Comparison.as_dict: the same JSON as `peloton check --json`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from starlette.responses import Response

from peloton.api.computing import json_response, locked
from peloton.api.models import problems
from peloton.api.problems import Problem, input_error_problem
from peloton.errors import InputError
from peloton.navigator.next_questions import next_questions

router = APIRouter(tags=["navigator"])

PROFILE_EXAMPLE = {
    "year": 2024,
    "name": "Micro software start-up",
    "onderneming": {"rechtsvorm": "bv", "personeel_fte": 3, "so_uren": 2000},
}


def _firm_location(body: dict[str, Any]) -> list[str]:
    """Where a profile's input variables sit in the body, for pointers."""
    firms = body.get("ondernemingen")
    if isinstance(firms, dict) and len(firms) == 1 and "onderneming" not in body:
        return ["ondernemingen", str(next(iter(firms)))]
    return ["onderneming"]


def _split(body: Any) -> tuple[dict[str, Any], Any]:
    if not isinstance(body, dict):
        raise Problem(
            422,
            "the body must be a JSON object: a profile with `year` and `onderneming`",
            [{"pointer": "", "detail": "must be a JSON object"}],
            detail_nl="de body moet een JSON-object zijn: een profiel met `year` en `onderneming`",
        )
    profile = {k: v for k, v in body.items() if k != "reform"}
    return profile, body.get("reform")


def _profile(profile: dict[str, Any], year: int | None) -> Any:
    from peloton.navigator.profile import parse_profile

    try:
        return parse_profile(profile, year=year, default_name="firm")
    except InputError as exc:
        if year is not None and exc.field == "year":  # the query's ?year=, not the body's
            errors = [{"pointer": "", "parameter": "year", "in": "query", "detail": exc.problem}]
            raise Problem(422, str(exc), errors) from None
        raise input_error_problem(
            exc, firm=_firm_location(profile), body_keys=list(map(str, profile))
        ) from None


def _scenario(reform: Any) -> Any:
    from peloton.core.scenario import LAW_SCENARIO, scenario_for
    from peloton.model.reforms import parse_reform

    if reform is None:
        return LAW_SCENARIO
    try:
        return scenario_for(parse_reform(reform, source="request"))
    except InputError as exc:
        raise input_error_problem(exc, prefix=["reform"]) from None


@lru_cache(maxsize=64)
def _needed(schemes: tuple[str, ...], year: int | None) -> list[dict[str, Any]]:
    from peloton.navigator.questions import needed_inputs

    return [dict(n.__dict__) for n in locked(lambda: needed_inputs(list(schemes) or None, year))]


@router.get(
    "/questions",
    summary="The inputs the schemes read (as `peloton questions --json`)",
    responses=problems(422),
)
def questions(
    request: Request,
    year: Annotated[
        int | None, Query(description="Probe only this year (default: every computed year).")
    ] = None,
    schemes: Annotated[
        list[str] | None, Query(description="Scheme ids, repeated or comma-separated (default: all).")
    ] = None,
) -> Response:
    from peloton.catalog import covered_years

    ids = tuple(s.strip() for item in schemes or [] for s in item.split(",") if s.strip())
    years = covered_years()
    if year is not None and year not in years:
        raise Problem(
            422,
            f"year: {year} is outside the years the rules cover ({years[0]}-{years[-1]})",
            [{"pointer": "", "parameter": "year", "in": "query", "detail": f"{years[0]}-{years[-1]}"}],
        )
    try:
        payload = _needed(ids, year)
    except InputError as exc:
        raise Problem(
            422, str(exc), [{"pointer": "", "parameter": "schemes", "in": "query", "detail": exc.problem}]
        ) from None
    return json_response(payload, request)


@router.post(
    "/check",
    summary="Every scheme for one firm (the JSON of `peloton check --json`)",
    response_description="FirmResult.as_dict(), or Comparison.as_dict() with a `reform` in the body",
    responses=problems(413, 422),
)
def check(
    request: Request,
    body: Annotated[Any, Body(openapi_examples={"profile": {"value": PROFILE_EXAMPLE}})],
    explain: Annotated[bool, Query(description="Add the full computation from the trace.")] = False,
    year: Annotated[int | None, Query(description="Evaluate this year instead of the profile's.")] = None,
) -> Response:
    from peloton.navigator.evaluate import compare, evaluate

    raw, reform = _split(body)
    profile = _profile(raw, year)
    scenario = _scenario(reform)
    if scenario.is_reform:
        comparison = locked(lambda: compare([profile], scenario, explain=explain)[0])
        return json_response(comparison.as_dict(explain=explain), request, body)
    result = locked(lambda: evaluate([profile], explain=explain)[0])
    return json_response(result.as_dict(explain=explain), request, body)


@router.post(
    "/check/next",
    summary="The questions still worth asking, given partial answers",
    responses=problems(413, 422),
)
def check_next(
    request: Request,
    body: Annotated[Any, Body(openapi_examples={"partial": {"value": {"year": 2024, "onderneming": {}}}})],
) -> Response:
    raw, reform = _split(body)
    if "ondernemingen" not in raw:
        raw.setdefault("onderneming", {})  # no answers yet is a valid start
    profile = _profile(raw, None)
    scenario = _scenario(reform)
    questions_left = locked(lambda: next_questions(profile, scenario))
    payload = {
        "year": profile.year,
        "answered": sorted(profile.inputs),
        "questions": questions_left,
        "done": not questions_left,
    }
    return json_response(payload, request, body)
