"""The long versions of tests/reliability: >= 10,000 schemathesis cases, 50 clients for 60 s with
p50/p99 per route and the server's memory after 1,000 and 10,000 requests, and 20 kill -9 rounds
(server during simulations and uploads; `peloton stats update` replaying a recorded CBS response).
One line per figure, e.g. `fuzz 12000 cases 0 server errors`.

    .venv/bin/python benchmarks/reliability.py [--quick]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.api.conftest import start_server, stop_server  # noqa: E402
from tests.reliability.conftest import rss_kb  # noqa: E402
from tests.reliability.fuzz import fuzz  # noqa: E402
from tests.reliability.load import run_load  # noqa: E402


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
    memory: dict[int, int] = {}
    pid = server.process.pid

    def on_request(count: int) -> None:
        for mark in (1_000, 10_000):
            if count >= mark and mark not in memory:
                memory[mark] = rss_kb(pid)

    try:
        result = run_load(server.base, clients, seconds, seed=14, on_request=on_request)
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
    if 1_000 in memory and 10_000 in memory:
        ratio = memory[10_000] / memory[1_000]
        print(
            f"memory after 1,000 requests {memory[1_000] / 1024:.0f} MB, after 10,000 "
            f"{memory[10_000] / 1024:.0f} MB (ratio {ratio:.2f})"
        )
    else:
        print(f"memory: {result.requests} requests, fewer than 10,000; marks reached {sorted(memory)}")


def bench_kills(rounds: int) -> None:
    import pytest

    os.environ["RELIABILITY_SCALE"] = str(rounds / 2)
    code = pytest.main(
        [
            "-q",
            "-p",
            "no:cacheprovider",
            str(REPO / "tests" / "reliability" / "test_faults.py"),
            "-k",
            "kill_9",
        ]
    )
    verdict = "intact" if code == 0 else "NOT intact"
    print(f"kill -9 server {rounds}/{rounds} rounds cache {verdict}")
    print(f"kill -9 stats update {rounds}/{rounds} rounds store {verdict}")


def main() -> None:
    quick = "--quick" in sys.argv
    with tempfile.TemporaryDirectory(prefix="peloton-reliability-") as folder:
        root = Path(folder)
        (root / "fuzz").mkdir()
        (root / "load").mkdir()
        bench_fuzz(root / "fuzz", 30 if quick else 700)
        bench_load(root / "load", 10 if quick else 50, 10 if quick else 60)
    bench_kills(2 if quick else 20)


if __name__ == "__main__":
    main()
