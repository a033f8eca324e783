"""The Dask engine on a real distributed.LocalCluster (two worker processes on loopback): a sweep and a
window give exactly the local engine's figures, and a worker killed in the middle of a run is replaced
and its tasks rerun, with the same result to the cent."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from peloton.simulate.study import StudyOptions
from peloton.simulate.sweep import run_sweep
from peloton.simulate.window import run_window

distributed = pytest.importorskip("distributed")

REPO = Path(__file__).resolve().parents[2]
PLAFOND = "wbso.afdrachtvermindering.plafond_schijf_1"
WBSO_REFORM = REPO / "examples" / "reforms" / "wbso_eerste_schijf_500k.yaml"
RECORDS = 6_000


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    with distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        silence_logs=40,
    ) as local:
        yield local


def _figures(payload: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in payload.items() if k != "run"}


def _sweep(population: Path, **options: Any) -> dict[str, Any]:
    return run_sweep(
        2024,
        f"{PLAFOND}=380000:500000:60000",
        options=StudyOptions(population=population, chunk_size=1_500, **options),
    )


def test_sweep_and_window_on_dask_equal_the_local_engine(cluster: Any, make_population) -> None:
    population = make_population(2024, RECORDS)
    address = cluster.scheduler_address
    local = _sweep(population, workers=1)
    dask = _sweep(population, engine="dask", scheduler=address, workers=2)
    assert dask["run"]["engine"] == "dask" and dask["run"]["tasks"] >= 4
    assert _figures(dask) == _figures(local)
    window = {
        engine: run_window(
            "2023-2024",
            reform=WBSO_REFORM,
            options=StudyOptions(
                population=population,
                chunk_size=2_000,
                engine=engine,
                scheduler=address if engine == "dask" else None,
            ),
        )
        for engine in ("local", "dask")
    }
    assert _figures(window["dask"]) == _figures(window["local"])


def test_scheduler_from_the_environment(cluster: Any, make_population, monkeypatch) -> None:
    monkeypatch.setenv("PELOTON_DASK_SCHEDULER", cluster.scheduler_address)
    payload = run_window([2024], options=StudyOptions(population=make_population(2024, 3_000), engine="dask"))
    assert payload["run"]["scheduler"] == cluster.scheduler_address


def test_a_worker_killed_mid_run_is_recovered_with_the_same_result(cluster: Any, make_population) -> None:
    population = make_population(2024, RECORDS)
    expected = _sweep(population, workers=1)
    with distributed.Client(cluster.scheduler_address) as client:
        before = client.run(os.getpid)
    killed: list[int] = []

    def kill_one(stage: str, done: int, total: int) -> None:
        """After the first task has come back, while the others run: SIGKILL one worker."""
        if stage == "simulating" and done == 1 and not killed:
            pid = sorted(before.values())[0]
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    recovered = run_sweep(
        2024,
        f"{PLAFOND}=380000:500000:60000",
        options=StudyOptions(
            population=population,
            chunk_size=1_500,
            engine="dask",
            scheduler=cluster.scheduler_address,
            workers=2,
        ),
        progress=kill_one,
    )
    assert killed, "no worker was killed: the run finished before its first task came back"
    with distributed.Client(cluster.scheduler_address) as client:
        client.wait_for_workers(2, timeout=60)
        after = client.run(os.getpid)
    assert killed[0] not in after.values()  # the nanny started a new worker in its place
    assert recovered["run"]["tasks"] > 2
    assert _figures(recovered) == _figures(expected)
