"""The long versions of tests/reliability: >= 10,000 schemathesis cases, 50 clients for 60 s with
p50/p99 per route and the server's memory after 1,000 and 10,000 requests, and 20 kill -9 rounds
(server during simulations and uploads; `peloton stats update` replaying a recorded CBS response).
One line per figure, e.g. `fuzz 12000 cases 0 server errors`.

    .venv/bin/python benchmarks/reliability.py [--quick] [fuzz] [properties] [load] [memory] [kill]
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import httpx  # noqa: E402
from tests.api.conftest import start_server, stop_server  # noqa: E402
from tests.reliability.conftest import rss_kb  # noqa: E402
from tests.reliability.fuzz import fuzz  # noqa: E402
from tests.reliability.load import cheap_request, run_load  # noqa: E402
from tests.reliability.test_faults import (  # noqa: E402
    RECORDED_V4,
    kill_round,
    prepared_stats_store,
    stats_kill_round,
)


def bench_fuzz(home: Path, per_operation: int) -> None:
    server = start_server(home, "--rate-limit", "0")
    try:
        started = time.monotonic()
        result = fuzz(server.base, per_operation)
        took = time.monotonic() - started
        print(
            f"fuzz {result.cases} cases {result.server_errors} server errors "
            f"{len(result.failures)} check failures ({took:.0f} s)"
        )
        for failure in result.failures:
            print(f"  fuzz failure: {failure[:200]}")
    finally:
        stop_server(server)


def bench_load(home: Path, clients: int, seconds: float) -> None:
    server = start_server(home, "--rate-limit", "0")
    try:
        result = run_load(server.base, clients, seconds, seed=14)
    finally:
        stop_server(server)
    p99 = max(result.percentile(r, 0.99) for r in result.latencies) * 1000
    print(
        f"load {clients} clients {seconds:.0f} s {result.requests} requests {len(result.errors)} errors "
        f"p99 {p99:.0f} ms"
    )
    for route in sorted(result.latencies):
        print(
            f"load route {route} n {len(result.latencies[route])} p50 {result.median(route) * 1000:.0f} ms "
            f"p99 {result.percentile(route, 0.99) * 1000:.0f} ms"
        )
    for error in sorted(set(result.errors))[:5]:
        print(f"  load error: {error}")


def rss_bytes(pid: int) -> int:
    """The resident memory of a process: psutil when installed, else /proc/<pid>/status (VmRSS)."""
    try:
        import psutil
    except ImportError:
        return rss_kb(pid) * 1024
    return int(psutil.Process(pid).memory_info().rss)


def bench_memory(home: Path, clients: int, marks: tuple[int, int] = (1_000, 10_000)) -> None:
    """The server's RSS after marks[0] and marks[1] requests of the cheap mix (reads, and checks of
    ever different firms, one in five under an ever different reform), sent by `clients` threads."""
    server = start_server(home, "--rate-limit", "0")
    memory: dict[int, int] = {}
    count = 0
    errors: list[str] = []
    lock = threading.Lock()
    pid = server.process.pid

    def worker(n: int) -> None:
        nonlocal count
        rng = random.Random(1000 + n)
        with httpx.Client(base_url=server.base, timeout=120) as client:
            while True:
                with lock:
                    if count >= marks[1]:
                        return
                try:
                    response = cheap_request(client, rng)
                    error = (
                        "" if response.status_code == 200 else f"{response.status_code} {response.text[:120]}"
                    )
                except httpx.HTTPError as exc:
                    error = f"{type(exc).__name__}: {exc}"
                with lock:
                    count += 1
                    if error:
                        errors.append(error)
                    for mark in marks:
                        if count == mark:
                            memory[mark] = rss_bytes(pid)

    started = time.monotonic()
    try:
        threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        stop_server(server)
    first, last = (memory[m] / 2**20 for m in marks)
    took = time.monotonic() - started
    print(
        f"memory after {marks[0]} requests {first:.0f} MiB, after {marks[1]} {last:.0f} MiB, "
        f"growth {100 * (last - first) / first:.1f}% ({len(errors)} errors, {took:.0f} s)"
    )
    for error in sorted(set(errors))[:5]:
        print(f"  memory error: {error}")


def bench_properties(scale: int) -> None:
    """The readers' property tests with `scale` times their CI examples and each example's deadline
    enforced (RELIABILITY_DEADLINES=1, which the CI suite leaves off); in a process of their own, as
    the scale is read when the suite is imported."""
    env = {**os.environ, "RELIABILITY_SCALE": str(scale), "RELIABILITY_DEADLINES": "1"}
    tests = sorted(str(p) for p in (REPO / "tests" / "reliability").glob("test_*properties.py"))
    started = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    counts = dict.fromkeys(("passed", "failed"), 0)
    summary = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else ""
    for number, word in re.findall(r"(\d+) (passed|failed)", summary):
        counts[word] = int(number)
    print(
        f"properties scale {scale} with deadlines {counts['passed']} passed {counts['failed']} failed "
        f"({time.monotonic() - started:.0f} s)"
    )
    for line in run.stdout.splitlines():
        if line.startswith("FAILED"):
            print(f"  properties failure: {line[:200]}")


def bench_kills(home: Path, rounds: int) -> None:
    """Each round's outcome counted on its own (a round that finds damage does not stop the rest)."""
    rng = random.Random(14)
    server = [kill_round(home / "server", rng, n) for n in range(rounds)]
    print(f"kill -9 server {server.count(None)}/{rounds} cache intact")
    for problem in filter(None, server):
        print(f"  kill -9 server: {problem}")
    if not (RECORDED_V4 / "85880NED").is_dir():
        print(f"kill -9 stats update: not run (no recorded CBS responses at {RECORDED_V4})")
        return
    (home / "stats").mkdir()
    store, runner, before = prepared_stats_store(home / "stats")
    rng = random.Random(85880)
    stats = [stats_kill_round(store, runner, before, rng) for _ in range(rounds)]
    print(f"kill -9 stats update {stats.count(None)}/{rounds} store intact")
    for problem in filter(None, stats):
        print(f"  kill -9 stats update: {problem}")


PARTS = ("fuzz", "properties", "load", "memory", "kill")


def main() -> None:
    quick = "--quick" in sys.argv
    chosen = [a for a in sys.argv[1:] if a in PARTS] or list(PARTS)
    with tempfile.TemporaryDirectory(prefix="peloton-reliability-") as folder:
        root = Path(folder)
        for part in chosen:
            (root / part).mkdir()
        if "fuzz" in chosen:
            bench_fuzz(root / "fuzz", 30 if quick else 700)
        if "properties" in chosen:
            bench_properties(2 if quick else 10)
        if "load" in chosen:
            bench_load(root / "load", 10 if quick else 50, 10 if quick else 60)
        if "memory" in chosen:
            bench_memory(root / "memory", 4, (100, 1_000) if quick else (1_000, 10_000))
        if "kill" in chosen:
            (root / "kill" / "server").mkdir()
            bench_kills(root / "kill", 2 if quick else 20)


if __name__ == "__main__":
    main()
