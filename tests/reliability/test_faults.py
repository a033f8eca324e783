"""Faults: the server killed with SIGKILL at random moments during simulations and uploads, `peloton
stats update` killed while it replays a recorded CBS response, and a full disk (an injected ENOSPC)
during cache writes. Afterwards nothing damaged is served and nothing stored before is lost."""

from __future__ import annotations

import errno
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.api.conftest import start_server, stop_server
from tests.conftest import REPO
from tests.reliability.conftest import SCALE

from peloton.api.jobs import MANIFEST, file_digests
from peloton.api.uploads import UploadStore

KILL_ROUNDS = max(2, int(2 * SCALE))  # the benchmark: 20
STATS_KILL_ROUNDS = max(3, int(2 * SCALE))  # the benchmark: 20
RECORDED_V4 = REPO.parent / "shared" / "reference" / "cbs" / "recorded_v4"


def _traffic(base: str, stop: threading.Event, seed: int) -> None:
    """Simulations (new and repeated) and uploads until `stop`; errors from the kill are expected."""
    rng = random.Random(seed)
    csv = (REPO / "examples" / "populations" / "tiny.csv").read_bytes()
    with httpx.Client(base_url=base, timeout=10) as client:
        while not stop.is_set():
            try:
                if rng.random() < 0.5:
                    client.post(
                        "/simulations", json={"year": 2024, "records": 1000, "seed": rng.randrange(6)}
                    )
                else:
                    client.post("/populations", content=csv)
            except httpx.HTTPError:
                return


def _check_cache(home: Path, base: str) -> dict[str, int]:
    """Every job folder matches its manifest or is not served; every upload matches its id."""
    cache = home / "api-cache"
    counts = {"done": 0, "failed": 0, "uploads": 0}
    with httpx.Client(base_url=base, timeout=60) as client:
        for request in cache.glob("*.request.json"):
            job = request.name.removesuffix(".request.json")
            response = client.get(f"/simulations/{job}")
            assert response.status_code == 200, response.text
            state = response.json()["status"]
            assert state in ("done", "failed", "queued", "running"), state
            if state == "done":
                folder = cache / job
                assert json.loads((folder / MANIFEST).read_text()) == file_digests(folder)
                counts["done"] += 1
            elif state == "failed":
                assert response.json()["reason"]  # interrupted (reruns), or the job's own reason
                assert not (cache / job).exists() or (cache / job / MANIFEST).exists()
                counts["failed"] += 1
    store = UploadStore(cache)
    for upload in (cache / "uploads").glob("*.csv"):
        assert store.path(upload.stem) is not None  # its bytes hash to its id
        counts["uploads"] += 1
    return counts


def kill_round(home: Path, rng: random.Random, round_: int) -> str | None:
    """One round: a server under simulation and upload traffic killed with SIGKILL at a random
    moment, restarted on the same cache; None when the cache is sound, else what was wrong (each
    round's outcome is counted on its own: benchmarks/reliability.py prints N/20)."""
    server = start_server(home, "--rate-limit", "0", "--jobs", "1")
    stop = threading.Event()
    clients = [threading.Thread(target=_traffic, args=(server.base, stop, i)) for i in range(3)]
    for thread in clients:
        thread.start()
    time.sleep(rng.uniform(0.5, 4.0))
    server.process.send_signal(signal.SIGKILL)
    server.process.wait(timeout=10)
    stop.set()
    for thread in clients:
        thread.join(timeout=20)
    restarted = start_server(home, "--rate-limit", "0", "--jobs", "1")
    try:
        _check_cache(home, restarted.base)
        with httpx.Client(base_url=restarted.base, timeout=60) as client:
            again = client.post("/simulations", json={"year": 2024, "records": 1000, "seed": round_ % 6})
            assert again.status_code == 202, again.text  # interrupted jobs rerun, done ones are shared
    except (AssertionError, httpx.HTTPError) as exc:
        first = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        return f"round {round_ + 1}: {first}"
    finally:
        stop_server(restarted)
    return None


def test_kill_9_during_simulations_and_uploads_leaves_a_sound_cache(tmp_path: Path) -> None:
    rng = random.Random(14)
    outcomes = [kill_round(tmp_path, rng, round_) for round_ in range(KILL_ROUNDS)]
    assert outcomes == [None] * KILL_ROUNDS


def test_a_damaged_result_is_never_served(tmp_path: Path) -> None:
    server = start_server(tmp_path, "--rate-limit", "0")
    try:
        with httpx.Client(base_url=server.base, timeout=120) as client:
            job = client.post("/simulations", json={"year": 2024, "records": 1000}).json()["id"]
            while client.get(f"/simulations/{job}").json()["status"] in ("queued", "running"):
                time.sleep(0.3)
        table = tmp_path / "api-cache" / job / "schemes.csv"
        table.write_bytes(table.read_bytes()[:-20])  # as a disk error would
    finally:
        stop_server(server)
    server = start_server(tmp_path, "--rate-limit", "0")
    try:
        with httpx.Client(base_url=server.base, timeout=120) as client:
            status = client.get(f"/simulations/{job}").json()
            assert status["status"] == "failed" and "damaged" in status["reason"]
            assert client.get(f"/simulations/{job}/schemes.csv").status_code == 404
            assert client.post("/simulations", json={"year": 2024, "records": 1000}).status_code == 202
    finally:
        stop_server(server)


STATS_RUNNER = """
import sys
from peloton.stats import statline_v4
recorded = sys.argv[1]
download = statline_v4.download
def replayed(spec, session_factory=None, timeout=30):
    return download(spec, lambda: statline_v4.RecordedSession(__import__("pathlib").Path(recorded)), timeout)
statline_v4.download = replayed
from peloton.cli import main
sys.argv = ["peloton", "stats", "update", "--table", "85880ned", "--json", "--store", sys.argv[2]]
main()
"""


def _store_rows(path: Path) -> dict[str, Any]:
    from peloton.stats.store import Store

    with Store.open(path, read_only=True) as store:
        rows = store.con.execute("SELECT measure, count(*) FROM observations GROUP BY measure").fetchall()
    return dict(rows)


def stats_kill_round(store: Path, runner: Path, before: dict[str, Any], rng: random.Random) -> str | None:
    """One round: `peloton stats update` replaying the recorded CBS response, killed with SIGKILL at
    a random moment; None when the store opens with its previous contents (plus, at most, the whole
    table the update adds), else what was wrong."""
    process = subprocess.Popen(
        [sys.executable, str(runner), str(RECORDED_V4), str(store)],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "PELOTON_HOME": str(store.parent / "home")},
    )
    time.sleep(rng.uniform(0.5, 3.0))
    process.kill()
    process.wait(timeout=10)
    try:
        rows = _store_rows(store)  # opens: the store is never left unreadable
    except Exception as exc:  # any failure to open is the outcome this round counts
        return f"the store does not open: {type(exc).__name__}: {str(exc)[:160]}"
    grown = {k: v for k, v in rows.items() if before.get(k) != v}
    if not all(k.startswith("value_added") and v == 144 for k, v in grown.items()):
        return f"partly written measures: {grown}"
    kept = {k: v for k, v in rows.items() if k in before and k not in grown}
    if kept != {k: v for k, v in before.items() if k not in grown}:
        return "rows stored before were lost"
    return None


def prepared_stats_store(folder: Path) -> tuple[Path, Path, dict[str, Any]]:
    """An empty stats store, the runner script, and the store's rows before any round."""
    from peloton.stats.store import Store

    store = folder / "stats.duckdb"
    Store.open(store).close()
    runner = folder / "runner.py"
    runner.write_text(STATS_RUNNER, encoding="utf-8")
    return store, runner, _store_rows(store)


@pytest.mark.skipif(not (RECORDED_V4 / "85880NED").is_dir(), reason="recorded CBS v4 responses not found")
def test_kill_9_during_stats_update_keeps_the_store(tmp_path: Path) -> None:
    store, runner, before = prepared_stats_store(tmp_path)
    rng = random.Random(85880)
    outcomes = [stats_kill_round(store, runner, before, rng) for _ in range(STATS_KILL_ROUNDS)]
    assert outcomes == [None] * STATS_KILL_ROUNDS


def _enospc(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_during_cache_writes_is_a_507_and_loses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fastapi.testclient import TestClient

    from peloton.api import atomic
    from peloton.api.app import create_app

    app = create_app(cache=tmp_path, workers=1, rate_limit=0)
    with TestClient(app) as client:
        csv = (REPO / "examples" / "populations" / "tiny.csv").read_bytes()
        kept = client.post("/api/v1/populations", content=csv)
        assert kept.status_code == 201
        stored = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
        real_replace = os.replace
        monkeypatch.setattr(atomic.os, "replace", lambda *a, **k: _enospc())
        full = client.post("/api/v1/simulations", json={"year": 2024, "records": 1000})
        assert full.status_code == 507 and "disk is full" in full.json()["detail"]
        assert full.headers["content-type"] == "application/problem+json"
        monkeypatch.setattr(atomic.os, "replace", real_replace)
        monkeypatch.setattr("peloton.api.uploads.os.replace", lambda *a, **k: _enospc())
        other = client.post("/api/v1/populations", content=csv + b"\n")
        assert other.status_code == 507
        monkeypatch.setattr("peloton.api.uploads.os.replace", real_replace)
        for path, data in stored.items():
            assert path.read_bytes() == data  # nothing stored before was lost or changed
        leftovers = [p for p in tmp_path.rglob("*") if p.is_file() and p not in stored]
        assert not [p for p in leftovers if p.name.endswith(".tmp")], leftovers
        assert client.get(f"/api/v1/populations/{kept.json()['id']}").status_code == 200


def test_a_full_disk_while_writing_the_population_cache_leaves_no_half_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyarrow as pa

    from peloton.simulate import synthetic

    def full_disk(table: Any, where: Any, **kwargs: Any) -> None:
        Path(where).write_bytes(b"PAR1 half")
        _enospc()

    monkeypatch.setattr(synthetic.pq, "write_table", full_disk)
    target = tmp_path / "synthetic.parquet"
    with pytest.raises(OSError):
        synthetic.write(pa.table({"a": [1]}), target)
    assert list(tmp_path.iterdir()) == []
    target.write_bytes(b"PAR1 cut short")  # damaged by something else: not served
    assert not synthetic._readable(target)
