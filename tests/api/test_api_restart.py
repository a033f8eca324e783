"""A server of its own: a finished simulation is still there after a restart on the same
PELOTON_HOME, and stopping the server stops its worker processes too."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
from tests.api.conftest import start_server, stop_server


def _children(pid: int) -> set[int]:
    """Every descendant process of `pid`, read from /proc."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _finished(base: str, job: str) -> dict[str, Any]:
    deadline = time.monotonic() + 120
    while True:
        data: dict[str, Any] = httpx.get(f"{base}/simulations/{job}").json()
        if data["status"] in ("done", "failed") or time.monotonic() > deadline:
            return data
        time.sleep(0.3)


def test_results_survive_a_restart_and_workers_stop_with_the_server(tmp_path: Path) -> None:
    first = start_server(tmp_path)
    try:
        job = httpx.post(f"{first.base}/simulations", json={"year": 2023, "records": 20000}).json()
        # too few records to meet the calibration targets: the job fails and says why
        small = httpx.post(f"{first.base}/simulations", json={"year": 2023, "records": 1000}).json()
        assert _finished(first.base, small["id"])["status"] == "failed"
        assert "calibration" in _finished(first.base, small["id"])["reason"]
        assert _finished(first.base, job["id"])["status"] == "done"
        workers = _children(first.process.pid)
        assert workers, "the job ran in a worker process"
    finally:
        stop_server(first)
    time.sleep(0.5)
    assert not [pid for pid in workers if _alive(pid)], "worker processes outlived the server"
    second = start_server(tmp_path)
    try:
        assert httpx.get(f"{second.base}/simulations/{small['id']}").json()["status"] == "failed"
        again = httpx.get(f"{second.base}/simulations/{job['id']}").json()
        assert again["status"] == "done" and again["results"]["year"] == 2023
        repeat = httpx.post(f"{second.base}/simulations", json={"year": 2023, "records": 20000})
        assert repeat.status_code == 202 and repeat.json() == {**job, "status": "done"}
    finally:
        stop_server(second)
