"""The reliability suite's servers: real `peloton serve` processes on loopback (tests/api/conftest.py
starts them), one shared without a rate limit for fuzzing and hostile input, others per test where a
test kills or overloads its server. How hard the suite pushes is set by RELIABILITY_SCALE (1 in CI;
benchmarks/reliability.py runs the long versions)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from tests.api.conftest import Server, serving

SCALE = float(os.environ.get("RELIABILITY_SCALE", "1"))


def rss_peak_kb(pid: int) -> int:
    """The peak resident memory of a process (VmHWM), in kB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


@pytest.fixture(scope="session")
def open_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server without a rate limit: the fuzzer and the hostile inputs send many requests."""
    with serving(tmp_path_factory.mktemp("reliability-home"), "--rate-limit", "0") as running:
        yield running


@pytest.fixture(scope="session")
def open_client(open_server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=open_server.base, timeout=120) as c:
        yield c
