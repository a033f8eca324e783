"""Sweeps and windows as simulation jobs over HTTP: the same documents as `peloton simulate --sweep`
and `--years` (but for the engine that ran them), their CSV tables, bad requests as 422 naming the
field, and a running job's progress read from the file its worker writes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.api.conftest import wait_for_job
from typer.testing import CliRunner

from peloton.api.jobs import ProgressFile, read_progress
from peloton.cli import app as cli_app

SWEEP = "wbso.afdrachtvermindering.plafond_schijf_1=350000:450000:50000"
RECORDS = 20000


def _cli(server: Any, *args: str) -> dict[str, Any]:
    result = CliRunner().invoke(
        cli_app,
        ["simulate", "--records", str(RECORDS), *args, "--json", "--no-charts"],
        env={"PELOTON_HOME": str(server.home)},
    )
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _without_run(document: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k != "run"}


def test_a_sweep_job_equals_the_cli_sweep(client: httpx.Client, server: Any, tmp_path: Path) -> None:
    job = client.post("/simulations", json={"year": 2024, "records": RECORDS, "sweep": SWEEP})
    assert job.status_code == 202, job.text
    data = wait_for_job(client, job.json()["url"].removeprefix("/api/v1"))
    assert data["status"] == "done", data
    expected = _cli(server, "--year", "2024", "--sweep", SWEEP, "--out", str(tmp_path))
    assert _without_run(data["results"]) == _without_run(expected)
    assert {"sweep", "sweep_schemes"} <= {u.rsplit("/", 1)[1].removesuffix(".csv") for u in data["tables"]}
    table = client.get(f"/simulations/{job.json()['id']}/sweep.csv")
    assert table.status_code == 200 and len(table.text.splitlines()) == 1 + 3  # a row per step


def test_a_window_job_equals_the_cli_window(client: httpx.Client, server: Any, tmp_path: Path) -> None:
    job = client.post("/simulations", json={"years": "2023-2024", "records": RECORDS})
    assert job.status_code == 202, job.text
    data = wait_for_job(client, job.json()["url"].removeprefix("/api/v1"))
    assert data["status"] == "done", data
    expected = _cli(server, "--years", "2023-2024", "--out", str(tmp_path))
    assert _without_run(data["results"]) == _without_run(expected)


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({"year": 2024, "sweep": "wbso.nope=1:2:1"}, "/sweep"),
        ({"year": 2024, "sweep": "wbso.afdrachtvermindering.plafond_schijf_1=5:1:1"}, "/sweep"),
        ({"years": "2026-2019"}, "/years"),
        ({"years": "2024", "year": 2024}, "/years"),
        ({"years": "1990-1991"}, "/years"),
    ],
)
def test_bad_studies_are_422_naming_the_field(
    client: httpx.Client, body: dict[str, Any], pointer: str
) -> None:
    response = client.post("/simulations", json=body)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["pointer"] == pointer


def test_progress_is_read_as_percent_and_eta(tmp_path: Path) -> None:
    progress = ProgressFile(tmp_path / "job.progress.json")
    progress.started -= 10  # ten seconds ago
    progress("simulating", 25, 100)
    found = read_progress(tmp_path / "job.progress.json")
    assert found is not None and found["stage"] == "simulating" and found["percent"] == 25.0
    assert found["eta_seconds"] == pytest.approx(30, abs=1)  # 10 s for a quarter: 30 s to go
    assert read_progress(tmp_path / "missing.json") is None
