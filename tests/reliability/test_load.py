"""Load on a real server: a mixed loop without errors, identical simulations arriving together run
once, and an overloaded queue answers 429 with Retry-After (never a timeout or a 500)."""

from __future__ import annotations

import threading
from concurrent.futures import Future
from pathlib import Path

import httpx
from tests.api.conftest import Server, start_server, stop_server
from tests.reliability.conftest import SCALE
from tests.reliability.load import run_load

from peloton.api.jobs import JobStore


def test_a_mixed_load_has_no_errors(open_server: Server) -> None:
    result = run_load(open_server.base, clients=max(4, int(4 * SCALE)), seconds=8 * SCALE, seed=1)
    assert result.requests >= 10
    assert result.errors == []
    assert all(status < 500 for status in result.statuses)


class _Held:
    """An executor whose jobs never start: the store's bookkeeping alone is under test."""

    def submit(self, *args: object, **kwargs: object) -> Future[str]:
        return Future()


def test_identical_simulations_arriving_together_run_once(tmp_path: Path) -> None:
    store = JobStore(tmp_path, workers=1, queue_limit=4)
    store._executor = _Held()  # type: ignore[assignment]
    barrier = threading.Barrier(20)
    created: list[bool] = []

    def submit() -> None:
        barrier.wait()
        created.append(store.submit({"year": 2024, "records": 1000, "seed": 7})[1])

    threads = [threading.Thread(target=submit) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(created) == [False] * 19 + [True]


def test_identical_simulations_over_http_share_one_job(open_server: Server) -> None:
    ids: list[str] = []
    barrier = threading.Barrier(12)

    def submit() -> None:
        barrier.wait()
        with httpx.Client(base_url=open_server.base, timeout=60) as client:
            response = client.post("/simulations", json={"year": 2024, "records": 1000, "seed": 11})
            assert response.status_code == 202, response.text
            ids.append(response.json()["id"])

    threads = [threading.Thread(target=submit) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(ids) == 12 and len(set(ids)) == 1
    requests = list((Path(open_server.home) / "api-cache").glob(f"{ids[0]}.request.json"))
    assert len(requests) == 1


def test_an_overloaded_queue_answers_429_with_retry_after(tmp_path: Path) -> None:
    server = start_server(tmp_path, "--rate-limit", "0", "--jobs", "1")
    try:
        with httpx.Client(base_url=server.base, timeout=30) as client:
            answers = [
                client.post("/simulations", json={"year": 2024, "records": 50_000, "seed": seed})
                for seed in range(12)
            ]
        statuses = [a.status_code for a in answers]
        assert set(statuses) <= {202, 429} and 429 in statuses, statuses
        refused = next(a for a in answers if a.status_code == 429)
        assert int(refused.headers["Retry-After"]) > 0 and "queue is full" in refused.json()["detail"]
        assert httpx.get(f"{server.base}/health", timeout=10).status_code == 200
    finally:
        stop_server(server)
