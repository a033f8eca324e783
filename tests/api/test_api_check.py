"""POST /check is `peloton check --json`, byte for byte, on every example profile; with a reform it
is `peloton check --reform --json`; POST /check/next lists the questions still worth asking."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from tests.conftest import EXAMPLES
from typer.testing import CliRunner

from peloton.cli import app as cli_app
from peloton.core.inputs import input_specs

PROFILES = sorted(EXAMPLES.glob("*.yaml"))
REFORM = EXAMPLES / "reforms" / "wbso_eerste_schijf_500k.yaml"
PROBLEM = "application/problem+json"


def _body(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.setdefault("name", path.stem)  # the CLI names a profile without `name` after its file
    return data


def _cli(*args: str) -> str:
    result = CliRunner().invoke(cli_app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("path", PROFILES, ids=[p.stem for p in PROFILES])
def test_check_is_the_cli_json_byte_for_byte(client: httpx.Client, path: Path) -> None:
    response = client.post("/check", json=_body(path))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.content == _cli("check", str(path), "--json").encode("utf-8")


def test_explain_adds_the_trace(client: httpx.Client) -> None:
    path = EXAMPLES / "micro_software_startup.yaml"
    response = client.post("/check", params={"explain": "true"}, json=_body(path))
    assert response.content == _cli("check", str(path), "--json", "--explain").encode("utf-8")
    wbso = next(s for s in response.json()["schemes"] if s["id"] == "wbso")
    assert wbso["explanation"]


def test_a_reform_in_the_body_is_check_reform(client: httpx.Client) -> None:
    path = EXAMPLES / "micro_software_startup.yaml"
    reform = json.loads(json.dumps(yaml.safe_load(REFORM.read_text(encoding="utf-8")), default=str))
    response = client.post("/check", json={**_body(path), "reform": reform})
    assert response.status_code == 200
    api = response.json()
    cli = json.loads(_cli("check", str(path), "--reform", str(REFORM), "--json"))
    assert api["reform"]["file"] == "request"
    api["reform"]["file"] = cli["reform"]["file"]  # the one field that names where the reform came from
    assert api == cli
    assert api["difference"] and "under_reform" in api


def test_input_hash_follows_the_request(client: httpx.Client) -> None:
    body = _body(EXAMPLES / "micro_software_startup.yaml")
    first = client.post("/check", json=body).headers["X-Peloton-Input-Hash"]
    spaced = json.dumps(body, indent=4).encode()
    again = client.post("/check", content=spaced, headers={"content-type": "application/json"})
    assert again.status_code == 200, again.text
    other = client.post("/check", json={**body, "year": 2023}).headers["X-Peloton-Input-Hash"]
    explained = client.post("/check", params={"explain": "true"}, json=body).headers["X-Peloton-Input-Hash"]
    assert len(first) == 64 and first == again.headers["X-Peloton-Input-Hash"]
    assert len({first, other, explained}) == 3


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({"year": 2024, "onderneming": {"so_uren": -5}}, "/onderneming/so_uren"),
        ({"year": 2024, "onderneming": {"so_uren": {"2023": 10, "2024": -1}}}, "/onderneming/so_uren/2024"),
        ({"year": 2024, "onderneming": {"so_urne": 10}}, "/onderneming/so_urne"),
        ({"year": 2024, "onderneming": {"rechtsvorm": "plc"}}, "/onderneming/rechtsvorm"),
        ({"year": 1990, "onderneming": {}}, "/year"),
        ({"onderneming": {}}, "/year"),
        ({"year": 2024}, "/onderneming"),
        ({"year": 2024, "onderneming": {}, "colour": 1}, "/colour"),
        ({"year": 2024, "ondernemingen": {"acme": {"so_uren": "many"}}}, "/ondernemingen/acme/so_uren"),
        (
            {"year": 2024, "onderneming": {}, "reform": {"name": "x", "parameter_changes": [{"value": 1}]}},
            "/reform/parameter_changes/0/parameter",
        ),
        ({"year": 2024, "onderneming": {}, "reform": {"parameter_changes": []}}, "/reform/name"),
        ([1, 2], ""),
    ],
)
def test_bad_profiles_are_422_problems_naming_the_field(
    client: httpx.Client, body: Any, pointer: str
) -> None:
    response = client.post("/check", json=body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["status"] == 422 and problem["title"] and problem["detail"]
    assert problem["errors"][0]["pointer"] == pointer
    assert "Traceback" not in response.text


def test_invalid_json_and_bad_query_are_problems(client: httpx.Client) -> None:
    broken = client.post("/check", content=b'{"year": 2024,', headers={"content-type": "application/json"})
    assert broken.status_code == 422 and broken.headers["content-type"] == PROBLEM
    assert "not valid JSON" in broken.json()["errors"][0]["detail"]
    query = client.post("/check", params={"explain": "maybe"}, json={"year": 2024, "onderneming": {}})
    assert query.status_code == 422 and query.json()["errors"][0]["parameter"] == "explain"
    year = client.post("/check", params={"year": 1990}, json={"year": 2024, "onderneming": {}})
    assert year.status_code == 422 and year.json()["errors"][0]["parameter"] == "year"


def test_next_lists_decisive_questions_first(client: httpx.Client) -> None:
    response = client.post("/check/next", json={"year": 2024, "onderneming": {"rechtsvorm": "bv"}})
    assert response.status_code == 200
    data = response.json()
    assert data["answered"] == ["rechtsvorm"] and not data["done"]
    questions = data["questions"]
    names = [q["variable"] for q in questions]
    assert "so_uren" in names and "rechtsvorm" not in names
    shares = [q["decisiveness"] for q in questions]
    assert shares == sorted(shares, reverse=True)
    so_uren = questions[names.index("so_uren")]
    assert so_uren["question"] and so_uren["unit"] and so_uren["minimum"] == 0
    assert "wbso" in so_uren["schemes"] and so_uren["changes"] > 0
    assert "X-Peloton-Input-Hash" in response.headers


def test_next_is_empty_when_every_input_is_answered(client: httpx.Client) -> None:
    answers = {}
    for name, spec in input_specs().items():
        default = spec.as_dict()["default"]
        answers[name] = default if default is not None else (spec.minimum or 0)
    response = client.post("/check/next", json={"year": 2024, "onderneming": answers})
    assert response.status_code == 200, response.text
    assert response.json()["questions"] == [] and response.json()["done"]


def test_next_refuses_bad_answers_like_check(client: httpx.Client) -> None:
    response = client.post("/check/next", json={"year": 2024, "onderneming": {"personeel_fte": "x"}})
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "/onderneming/personeel_fte"
