"""GET /api/v1/reproduce/{hash}: how to recompute a result outside the server. Every computation's
response carries X-Peloton-Input-Hash; this route turns that hash (or a simulation job's id) back
into the CLI command, the files it reads, and a Python snippet that give the same JSON.

The inputs behind a hash are kept in memory only (the last MAX_KEPT computations of this process),
so nothing a user sends is written to disk for this; a simulation's request is already kept with its
job, so its id stays reproducible across restarts.
"""

from __future__ import annotations

import json
import shlex
import threading
from collections import OrderedDict
from typing import Any

import yaml
from fastapi import APIRouter, Request
from starlette.responses import Response

from peloton.api.computing import json_response
from peloton.api.jobs import JobStore, valid_id
from peloton.api.models import problems
from peloton.api.problems import Problem
from peloton.api.versions import rules_version

router = APIRouter(tags=["reproduce"])
MAX_KEPT = 2_000
PREFIX = "/api/v1"
# Query parameters of the stats routes and the CLI options that take the same value.
STATS_OPTIONS = {
    "from": "--from",
    "to": "--to",
    "measure": "--measure",
    "sector": "--sector",
    "level": "--level",
    "periods": "--periods",
    "scheme": "--scheme",
}


class Computations:
    """The inputs of recent computations by input hash (bounded, least recently used dropped)."""

    def __init__(self, limit: int = MAX_KEPT) -> None:
        self.limit = limit
        self.items: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self.lock = threading.Lock()

    def record(self, digest: str, route: str, query: list[tuple[str, str]], body: Any) -> None:
        with self.lock:
            self.items[digest] = {"route": route, "query": query, "body": body}
            self.items.move_to_end(digest)
            while len(self.items) > self.limit:
                self.items.popitem(last=False)

    def get(self, digest: str) -> dict[str, Any] | None:
        with self.lock:
            return self.items.get(digest)


def _yaml(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _check_recipe(query: dict[str, list[str]], body: Any) -> dict[str, Any]:
    profile = {k: v for k, v in body.items() if k != "reform"} if isinstance(body, dict) else body
    reform = body.get("reform") if isinstance(body, dict) else None
    files = {"profile.yaml": _yaml(profile)}
    command = ["peloton", "check", "profile.yaml"]
    year = query.get("year", [None])[0]
    explain = query.get("explain", ["false"])[0].lower() in ("1", "true", "yes", "on")
    if year:
        command += ["--year", year]
    if reform is not None:
        files["reform.yaml"] = _yaml(reform)
        command += ["--reform", "reform.yaml"]
    command.append("--json")
    if explain:
        command.append("--explain")
    call = "compare([profile], scenario, explain=EXPLAIN)" if reform is not None else None
    python = [
        "import json",
        "",
        "import yaml",
        "from peloton.navigator.evaluate import compare, evaluate",
        "from peloton.navigator.profile import parse_profile",
        "",
        f"EXPLAIN = {explain}",
        'profile = parse_profile(yaml.safe_load(open("profile.yaml")), '
        f'year={int(year) if year else None}, default_name="firm")',
    ]
    if call:
        python += [
            "from peloton.core.scenario import scenario_for",
            "from peloton.model.reforms import parse_reform",
            "reform = parse_reform(yaml.safe_load(open('reform.yaml')), source='reform.yaml')",
            "scenario = scenario_for(reform)",
            f"result = {call}[0]",
        ]
    else:
        python.append("result = evaluate([profile], explain=EXPLAIN)[0]")
    python.append(
        "print(json.dumps(result.as_dict(explain=EXPLAIN), indent=2, ensure_ascii=False, default=str))"
    )
    return {"command": shlex.join(command), "files": files, "python": "\n".join(python) + "\n"}


def _simulation_recipe(body: dict[str, Any]) -> dict[str, Any]:
    files: dict[str, str] = {}
    command = ["peloton", "simulate", "--year", str(body["year"])]
    if body.get("reform") is not None:
        files["reform.yaml"] = _yaml(body["reform"])
        command += ["--reform", "reform.yaml"]
    if body.get("population", "synthetic") == "synthetic":
        command += ["--records", str(body["records"]), "--seed", str(body["seed"])]
    else:
        command += ["--population", f"{body['population']}.csv (or .parquet: the uploaded file)"]
    command.append("--json")
    return {
        "command": shlex.join(command),
        "files": files,
        "python": _client_snippet("post", f"{PREFIX}/simulations", [], body),
    }


def _client_snippet(method: str, route: str, query: list[tuple[str, str]], body: Any) -> str:
    """The same request to an in-process app (no server needed): the route's own code path."""
    lines = [
        "from fastapi.testclient import TestClient",
        "from peloton.api.app import create_app",
        "",
        "client = TestClient(create_app())",
    ]
    arguments = [repr(route)]
    if query:
        arguments.append(f"params={query!r}")
    if body is not None:
        arguments.append(f"json={json.dumps(body, ensure_ascii=False)}")
    lines.append(f"print(client.{method}({', '.join(arguments)}).json())")
    return "\n".join(lines) + "\n"


def _generic_recipe(route: str, query: list[tuple[str, str]], body: Any) -> dict[str, Any]:
    command: list[str] = []
    if route.startswith(f"{PREFIX}/stats/"):
        command = ["peloton", "stats", route.rsplit("/", 1)[1]]
        for key, value in query:
            if key in STATS_OPTIONS:
                command += [STATS_OPTIONS[key], value]
        command.append("--json")
    elif route == f"{PREFIX}/questions":
        command = ["peloton", "questions"]
        for key, value in query:
            if key == "schemes":
                command += [s for s in value.split(",") if s]
        command.append("--json")
    method = "post" if body is not None else "get"
    return {
        "command": shlex.join(command) if command else None,
        "files": {},
        "python": _client_snippet(method, route, query, body),
    }


def recipe(route: str, query: list[tuple[str, str]], body: Any) -> dict[str, Any]:
    """The CLI command, its files and a Python snippet for one computation."""
    grouped: dict[str, list[str]] = {}
    for key, value in query:
        grouped.setdefault(key, []).append(value)
    if route == f"{PREFIX}/check" and isinstance(body, dict):
        return _check_recipe(grouped, body)
    if route == f"{PREFIX}/simulations" and isinstance(body, dict) and "year" in body:
        return _simulation_recipe(body)
    if route == f"{PREFIX}/documents" and isinstance(body, dict):
        name = str(body.get("name") or "document")
        return {
            "command": shlex.join(["peloton", "read", name, "--json"]),
            "files": {},
            "python": "from peloton.reader import read_document\n\n"
            f"print(read_document({name!r}).as_dict())\n",
            "needs": f"the uploaded file itself (sha256 {body.get('sha256_of_bytes')})",
        }
    return _generic_recipe(route, query, body)


def _unknown(digest: str) -> Problem:
    return Problem(
        404,
        f"no computation {digest[:64]!r} is known here: hashes of checks are kept for the last "
        f"{MAX_KEPT:,} computations of this server; a simulation's job id is kept with its results",
        [{"pointer": "", "parameter": "input_hash", "in": "path", "detail": "unknown hash"}],
        detail_nl="onbekende berekening",
    )


@router.get(
    "/reproduce/{input_hash}",
    summary="The CLI command and Python snippet that recompute a result",
    responses=problems(404),
)
def reproduce(input_hash: str, request: Request) -> Response:
    if not 1 <= len(input_hash) <= 64 or any(c not in "0123456789abcdef" for c in input_hash):
        raise _unknown(input_hash)
    kept = request.app.state.computations.get(input_hash)
    if kept is not None:
        route, query, body = kept["route"], kept["query"], kept["body"]
    else:
        jobs: JobStore = request.app.state.jobs
        job_request = jobs.request_of(input_hash) if valid_id(input_hash) else None
        if job_request is None:
            raise _unknown(input_hash)
        route, query, body = f"{PREFIX}/simulations", [], job_request
    payload = {
        "input_hash": input_hash,
        "route": route,
        "query": [list(item) for item in query],
        "body": body,
        "rules_version": rules_version(),
        **recipe(route, query, body),
        "note": "the same rules version gives the same result; a different one may differ",
    }
    return json_response(payload, request)
