"""Simulation jobs over HTTP: submit -> 202 and a job URL -> done -> results and CSV; an identical
request shares the job and its cached result; bad requests and path-like ids are problems. The job
store's queue bound and its survival across a restart are tested on the store itself."""

from __future__ import annotations

import csv
import io
import json
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.api.conftest import wait_for_job
from typer.testing import CliRunner

from peloton.api.jobs import MANIFEST, JobStore, QueueFull, file_digests, job_id
from peloton.cli import app as cli_app

PROBLEM = "application/problem+json"
REQUEST = {"year": 2024, "records": 20000}


def test_submit_poll_results_csv_and_a_cached_repeat(
    client: httpx.Client, server: Any, tmp_path: Path
) -> None:
    response = client.post("/simulations", json=REQUEST)
    assert response.status_code == 202, response.text
    job = response.json()
    assert job["status"] in ("queued", "running", "done")
    assert response.headers["Location"] == job["url"] == f"/api/v1/simulations/{job['id']}"
    data = wait_for_job(client, job["url"].removeprefix("/api/v1"))
    assert data["status"] == "done", data
    results = data["results"]
    assert results["year"] == 2024 and results["population"]["records"] == 20000
    assert results["population"]["synthetic"] is True
    assert any(s["id"] == "wbso" for s in results["schemes"]["baseline"])
    table = client.get(f"/simulations/{job['id']}/schemes.csv")
    assert table.status_code == 200 and table.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(table.text)))
    assert {r["scheme"] for r in rows} >= {"wbso", "innovatiebox"}
    assert (Path(server.home) / "api-cache" / job["id"] / "results.json").exists()
    again = client.post("/simulations", json={**REQUEST, "population": "synthetic"})
    assert again.status_code == 202
    assert again.json()["id"] == job["id"] and again.json()["status"] == "done"
    cli = CliRunner().invoke(
        cli_app,
        ["simulate", "--year", "2024", "--records", "20000", "--json", "--no-charts", "--out", str(tmp_path)],
        env={"PELOTON_HOME": str(server.home)},
    )
    assert cli.exit_code == 0, cli.output
    assert results == json.loads(cli.stdout)  # the results of `peloton simulate --json`
    missing = client.get(f"/simulations/{job['id']}/difference.csv")
    assert missing.status_code == 404 and missing.headers["content-type"] == PROBLEM


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({"year": 1990, "records": 20000}, "/year"),
        ({"records": 20000}, "/year"),
        ({"year": 2024, "records": 5}, "/records"),
        ({"year": 2024, "population": "mine.csv"}, "/population"),
        ({"year": 2024, "colour": "red"}, "/colour"),
        (
            {
                "year": 2024,
                "reform": {
                    "name": "r",
                    "parameter_changes": [{"parameter": "wbso.nope", "start": "2024-01-01", "value": 1}],
                },
            },
            "/reform/parameter_changes/0/parameter",
        ),
    ],
)
def test_bad_simulation_requests_are_422(client: httpx.Client, body: dict[str, Any], pointer: str) -> None:
    response = client.post("/simulations", json=body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    assert response.json()["errors"][0]["pointer"] == pointer


@pytest.mark.parametrize(
    "path",
    [
        "/simulations/..%2F..%2Fetc%2Fpasswd",
        "/simulations/0123456789abcdef0123456789abcdef",
        "/simulations/x/y.csv",
    ],
)
def test_unknown_and_path_like_ids_are_404_problems(client: httpx.Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404 and response.headers["content-type"] == PROBLEM


class _Never:
    """An executor whose jobs never start: to fill the queue without running anything."""

    def submit(self, *args: Any, **kwargs: Any) -> Future[str]:
        return Future()

    def shutdown(self, **kwargs: Any) -> None:
        pass


def test_the_queue_is_bounded(tmp_path: Path) -> None:
    store = JobStore(tmp_path, workers=1, queue_limit=1)
    store._executor = _Never()  # type: ignore[assignment]
    first, created = store.submit({"year": 2024, "records": 1000, "n": 1})
    assert created and store.status(first)[0] == "queued"
    store.submit({"year": 2024, "records": 1000, "n": 2})
    assert store.submit({"year": 2024, "records": 1000, "n": 1}) == (first, False)  # shared, not queued
    with pytest.raises(QueueFull):
        store.submit({"year": 2024, "records": 1000, "n": 3})


def test_results_and_failures_survive_a_restart(tmp_path: Path) -> None:
    done, failed = {"year": 2024, "n": 1}, {"year": 2024, "n": 2}
    (tmp_path / job_id(done)).mkdir()
    (tmp_path / job_id(done) / "results.json").write_text("{}", encoding="utf-8")
    manifest = json.dumps(file_digests(tmp_path / job_id(done)))
    (tmp_path / job_id(done) / MANIFEST).write_text(manifest, encoding="utf-8")
    (tmp_path / f"{job_id(failed)}.failed.json").write_text(
        '{"reason": "no rules for 2030"}', encoding="utf-8"
    )
    store = JobStore(tmp_path, workers=1)
    store._executor = _Never()  # type: ignore[assignment]
    assert store.status(job_id(done)) == ("done", "")
    assert store.status(job_id(failed)) == ("failed", "no rules for 2030")
    assert store.submit(done) == (job_id(done), False)
    assert store.status(job_id({"year": 2024, "n": 3}))[0] == "unknown"


def test_a_full_queue_is_a_429_problem_with_retry_after(tmp_path: Path) -> None:
    """In process (the real server's queue would need real jobs to fill): the route's answer to a
    full queue."""
    from fastapi.testclient import TestClient

    from peloton.api.app import create_app

    app = create_app(cache=tmp_path, workers=1, queue_limit=0)
    app.state.jobs._executor = _Never()
    with TestClient(app) as local:
        first = local.post("/api/v1/simulations", json={"year": 2024, "records": 1000})
        assert first.status_code == 202 and first.json()["status"] == "queued"
        full = local.post("/api/v1/simulations", json={"year": 2024, "records": 2000})
        assert full.status_code == 429 and full.headers["content-type"] == PROBLEM
        assert full.headers["Retry-After"] == "30" and full.json()["detail_nl"]
        assert local.post("/api/v1/simulations", json={"year": 2024, "records": 1000}).status_code == 202


def test_a_job_interrupted_by_a_restart_reads_failed_and_reruns(tmp_path: Path) -> None:
    """A request accepted before a kill, never finished: after the restart its status is `failed`
    with the reason, and submitting it again starts it again (not the stale failure)."""
    request = {"year": 2024, "records": 1000, "n": 9}
    (tmp_path / f"{job_id(request)}.request.json").write_text(json.dumps(request), encoding="utf-8")
    store = JobStore(tmp_path, workers=1)
    store._executor = _Never()  # type: ignore[assignment]
    state, reason = store.status(job_id(request))
    assert state == "failed" and reason.startswith("interrupted")
    assert store.submit(request) == (job_id(request), True)
    assert store.status(job_id(request))[0] == "queued"


def test_a_job_past_its_time_limit_is_stopped_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In process (the worker's alarm is the mechanism): a population that takes longer than one
    second to generate and simulate is stopped, leaves no folder, and says why."""
    from peloton.api.jobs import run_job

    monkeypatch.setenv("PELOTON_HOME", str(tmp_path))
    folder = tmp_path / "job"
    outcome = run_job({"year": 2024, "records": 1_500_000, "seed": 7}, str(folder), None, time_limit=1)
    assert outcome.startswith("stopped: the simulation ran past the time limit of 1 seconds"), outcome
    assert not folder.exists() and not list(tmp_path.glob(".job*"))
