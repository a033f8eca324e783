"""GET /reproduce/{hash}: a computation's input hash gives back the CLI command, its files and a
Python snippet, and running that command gives the same JSON as the API did."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
from tests.conftest import peloton_bin

PROFILE = {
    "year": 2024,
    "name": "Reproduced",
    "onderneming": {"rechtsvorm": "bv", "personeel_fte": 3, "so_uren": 2000},
}
REFORM = {
    "name": "eerste schijf 500k",
    "parameter_changes": [
        {"parameter": "wbso.afdrachtvermindering.plafond_schijf_1", "start": "2024-01-01", "value": 500000}
    ],
}


def _run(recipe: dict[str, Any], folder: Path) -> str:
    for name, text in recipe["files"].items():
        (folder / name).write_text(text, encoding="utf-8")
    command = recipe["command"].split()
    assert command[0] == "peloton"
    done = subprocess.run(
        [*peloton_bin(), *command[1:]], cwd=folder, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_check_with_a_reform_is_reproduced_by_the_cli(client: httpx.Client, tmp_path: Path) -> None:
    response = client.post("/check?explain=true", json={**PROFILE, "reform": REFORM})
    assert response.status_code == 200, response.text
    digest = response.headers["X-Peloton-Input-Hash"]
    recipe = client.get(f"/reproduce/{digest}")
    assert recipe.status_code == 200, recipe.text
    data = recipe.json()
    assert data["route"] == "/api/v1/check" and "--explain" in data["command"]
    assert "--reform reform.yaml" in data["command"] and set(data["files"]) == {"profile.yaml", "reform.yaml"}
    cli = _run(data, tmp_path)
    # byte for byte, but for where the reform came from: the request, or the file the command reads
    assert cli == response.text.replace('"file": "request"', '"file": "reform.yaml"')
    (tmp_path / "snippet.py").write_text(data["python"], encoding="utf-8")
    snippet = subprocess.run(
        [sys.executable, "snippet.py"], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert snippet.returncode == 0, snippet.stderr
    assert snippet.stdout == cli


def test_a_stats_query_is_reproduced_by_the_cli(client: httpx.Client, tmp_path: Path) -> None:
    response = client.get("/stats/sectors?from=2015&to=2020&sector=C")
    assert response.status_code == 200, response.text
    data = client.get(f"/reproduce/{response.headers['X-Peloton-Input-Hash']}").json()
    assert data["command"] == "peloton stats sectors --from 2015 --sector C --to 2020 --json"
    assert _run(data, tmp_path) == response.text


def test_unknown_and_hostile_hashes_are_404_problems(client: httpx.Client) -> None:
    for digest in ("0" * 64, "..%2F..%2Fetc%2Fpasswd", "zz", "a" * 65):
        response = client.get(f"/reproduce/{digest}")
        assert response.status_code == 404, (digest, response.text)
        assert response.headers["content-type"] == "application/problem+json"
