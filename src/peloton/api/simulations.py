"""Routes of the simulator: submit a simulation (202 and a job URL), poll its status, read its
results (the JSON of `peloton simulate --json`) and its CSV tables. Jobs live in peloton.api.jobs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Body, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import FileResponse, Response

from peloton.api.computing import json_response
from peloton.api.jobs import JobStore, QueueFull, valid_id
from peloton.api.models import JobStatus, JobSubmitted, problems
from peloton.api.problems import Problem, input_error_problem
from peloton.api.uploads import UploadStore
from peloton.errors import InputError
from peloton.simulate.defaults import DEFAULT_RECORDS, DEFAULT_SEED

router = APIRouter(prefix="/simulations", tags=["simulator"])
RETRY_AFTER_SECONDS = 30


class SimulationRequest(BaseModel):
    """What to simulate: a year, optionally a reform (the reform YAML schema as JSON), on the
    synthetic population (`records`, `seed`) or on an uploaded one (its id from POST /populations)."""

    model_config = ConfigDict(extra="forbid")

    year: int | None = Field(
        default=None, description="Year to simulate (the rules' parameters of that year); not with `years`."
    )
    years: str | None = Field(
        default=None,
        max_length=200,
        description="A window of years instead of one, e.g. `2019-2026` or `2020,2024`: law and reform "
        "in each year the rules compute, and the window total (as `peloton simulate --years`).",
    )
    sweep: str | None = Field(
        default=None,
        max_length=10_000,
        description="A cost curve over one parameter, `PATH=START:STOP:STEP` or `PATH=v1,v2,...` "
        "(as `peloton simulate --sweep`); with `year`.",
    )
    reform: dict[str, Any] | None = Field(default=None, description="A reform: name, parameter_changes…")
    population: str = Field(
        default="synthetic",
        max_length=32,
        pattern="^(synthetic|[0-9a-f]{32})$",
        description="`synthetic`, or the id of a population uploaded with POST /api/v1/populations",
    )
    records: int | None = Field(default=DEFAULT_RECORDS, ge=1_000, le=2_500_000)
    seed: int | None = Field(default=DEFAULT_SEED, ge=0, le=2**31 - 1)


def _store(request: Request) -> JobStore:
    store: JobStore = request.app.state.jobs
    return store


def _validate(body: SimulationRequest, uploads: UploadStore) -> tuple[dict[str, Any], Path | None]:
    """The canonical request, checked before a job is queued (a bad year, reform or population is a
    422 now), and the uploaded population's file, if the request names one. The synthetic
    population's size and seed do not apply to an upload, so they are left out of its request."""
    from peloton.catalog import covered_years
    from peloton.core.scenario import scenario_for
    from peloton.model.reforms import parse_reform

    years = covered_years()
    if body.years is not None and (body.year is not None or body.sweep is not None):
        raise Problem(
            422,
            "years: give either `years` (a window) or `year` (with an optional `sweep`), not both",
            [{"pointer": "/years", "detail": "not with year or sweep"}],
            detail_nl="years: geef `years` of `year`, niet beide",
        )
    if body.years is None and body.year not in years:
        raise Problem(
            422,
            f"year: {body.year} is outside the years the rules cover ({years[0]}-{years[-1]})",
            [{"pointer": "/year", "detail": f"must be {years[0]}-{years[-1]}"}],
        )
    try:
        if body.reform is not None:
            scenario_for(parse_reform(body.reform, source="request"))
    except InputError as exc:
        raise input_error_problem(exc, prefix=["reform"]) from None
    _validate_study(body)
    canonical = body.model_dump()
    if body.population == "synthetic":
        return canonical, None
    path = uploads.path(body.population)
    if path is None:
        raise Problem(
            422,
            f"population: no uploaded population {body.population!r}; "
            "upload it with POST /api/v1/populations",
            [{"pointer": "/population", "detail": "unknown population id"}],
            detail_nl="population: onbekende populatie",
        )
    uploads.touch(body.population)
    canonical.update(records=None, seed=None)
    return canonical, path


def submit_simulation(request: Request, body: SimulationRequest) -> tuple[str, dict[str, Any]]:
    """Validate and queue a simulation (or find the job that already holds it): the job id and the
    canonical request. A bad request is a Problem (422), a full queue a 429 Problem. The API's route
    and the web app's simulator form both submit through here."""
    canonical, population = _validate(body, request.app.state.uploads)
    try:
        job, _created = _store(request).submit(canonical, population)
    except QueueFull:
        raise Problem(
            429,
            "the simulation queue is full; try again later",
            detail_nl="de wachtrij voor simulaties is vol; probeer het later opnieuw",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        ) from None
    return job, canonical


def _validate_study(body: SimulationRequest) -> None:
    """A sweep's values (each step an ordinary reform, validated as one) or a window's years."""
    from peloton.simulate.study import reform_data
    from peloton.simulate.sweep import parse_sweep, step_reforms
    from peloton.simulate.window import parse_years

    field = "sweep" if body.sweep is not None else "years"
    try:
        if body.sweep is not None:
            data, source = reform_data(body.reform)
            step_reforms(data, source, parse_sweep(body.sweep), int(body.year or 0))
        elif body.years is not None:
            parse_years(body.years)
    except InputError as exc:
        raise Problem(
            422, str(exc), [{"pointer": f"/{field}", "detail": exc.problem}], detail_nl=f"{field}: ongeldig"
        ) from None


def _not_found(job: str) -> Problem:
    return Problem(
        404,
        f"no simulation {job[:40]!r}",
        [{"pointer": "", "parameter": "job_id", "in": "path", "detail": "unknown job id"}],
        detail_nl="onbekende simulatie",
    )


@router.post(
    "",
    status_code=202,
    summary="Submit a simulation; identical requests share one job",
    responses={202: {"model": JobSubmitted}, **problems(413, 422, 429)},
)
def submit(request: Request, body: Annotated[SimulationRequest, Body()]) -> Response:
    job, canonical = submit_simulation(request, body)
    store = _store(request)
    status, reason = store.status(job)
    url = str(request.url_for("simulation_status", job_id=job).path)
    response = json_response(
        {"id": job, "status": status, "reason": reason, "url": url}, request, canonical, 202
    )
    response.headers["Location"] = url
    return response


@router.get(
    "/{job_id}",
    name="simulation_status",
    summary="A job's status, and its results when done",
    responses={200: {"model": JobStatus}, **problems(404)},
)
def status(job_id: str, request: Request) -> Response:
    store = _store(request)
    if not valid_id(job_id):
        raise _not_found(job_id)
    state, reason = store.status(job_id)
    if state == "unknown":
        raise _not_found(job_id)
    url = str(request.url.path)
    payload: dict[str, Any] = {
        "id": job_id,
        "status": state,
        "reason": reason,
        "url": url,
        "request": store.request_of(job_id),
    }
    if state == "running":
        payload["progress"] = store.progress(job_id)
    if state == "done":
        payload["tables"] = [f"{url}/{t}.csv" for t in store.tables(job_id)]
        payload["results"] = store.results(job_id)
    return json_response(payload, request)


@router.get(
    "/{job_id}/{table}.csv",
    summary="One CSV table of a finished simulation",
    responses={200: {"content": {"text/csv": {}}}, **problems(404)},
)
def table(job_id: str, table: str, request: Request) -> Response:
    store = _store(request)
    if not valid_id(job_id) or store.status(job_id)[0] == "unknown":
        raise _not_found(job_id)
    if store.status(job_id)[0] != "done":
        raise Problem(404, f"simulation {job_id} has no results yet", detail_nl="nog geen resultaten")
    if table not in store.tables(job_id):
        raise Problem(
            404,
            f"no table {table[:40]!r}; this job has: {', '.join(store.tables(job_id))}",
            [{"pointer": "", "parameter": "table", "in": "path", "detail": "unknown table"}],
            detail_nl="onbekende tabel",
        )
    return FileResponse(store.folder(job_id) / f"{table}.csv", media_type="text/csv; charset=utf-8")


@router.delete(
    "/{job_id}",
    status_code=204,
    summary="Delete a finished job's results, and its uploaded population unless another job uses it",
    responses=problems(404, 409),
)
def delete(job_id: str, request: Request) -> Response:
    store = _store(request)
    if not valid_id(job_id) or store.status(job_id)[0] == "unknown":
        raise _not_found(job_id)
    population = (store.request_of(job_id) or {}).get("population", "synthetic")
    if not store.delete(job_id):
        raise Problem(
            409,
            f"simulation {job_id} is still {store.status(job_id)[0]}; delete it when it has finished",
            detail_nl="de simulatie loopt nog",
        )
    if population != "synthetic" and all(r.get("population") != population for r in store.requests()):
        request.app.state.uploads.delete(population)
    return Response(status_code=204)
