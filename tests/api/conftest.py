"""A real `peloton serve` on a free loopback port for the API tests: started once per session in a
subprocess with a private PELOTON_HOME, waited for on /ready, stopped after the tests."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.conftest import REPO, peloton_bin

READY_TIMEOUT = 90.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, base: str, home: Path, process: subprocess.Popen[str]) -> None:
        self.base = base
        self.home = home
        self.process = process


def start_server(home: Path, *options: str) -> Server:
    """`peloton serve` on a free loopback port with PELOTON_HOME=home (and `options`, e.g.
    `--rate-limit 5`), once /ready answers 200."""
    port = free_port()
    env = {**os.environ, "PELOTON_HOME": str(home)}
    log = (home / "serve.log").open("a")
    process = subprocess.Popen(
        [*peloton_bin(), "serve", "--host", "127.0.0.1", "--port", str(port), *options],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    log.close()
    base = f"http://127.0.0.1:{port}/api/v1"
    deadline = time.monotonic() + READY_TIMEOUT
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"peloton serve exited: {(home / 'serve.log').read_text()}")
        try:
            if httpx.get(f"{base}/ready", timeout=2).status_code == 200:
                return Server(base, home, process)
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            stop_server(Server(base, home, process))
            raise RuntimeError("peloton serve was not ready in time")
        time.sleep(0.2)


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=5)


@contextmanager
def serving(home: Path, *options: str) -> Iterator[Server]:
    """A started server for the length of a `with` block (a fixture's lifetime), stopped after."""
    running = start_server(home, *options)
    try:
        yield running
    finally:
        stop_server(running)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serving(tmp_path_factory.mktemp("api-home")) as running:
        yield running


@pytest.fixture(scope="session")
def client(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base, timeout=120) as c:
        yield c


def wait_for_job(client: httpx.Client, url: str, timeout: float = 300) -> dict[str, Any]:
    """Poll a simulation job's URL (relative to the client's base) until it is done or failed."""
    deadline = time.monotonic() + timeout
    while True:
        data: dict[str, Any] = client.get(url).json()
        if data["status"] in ("done", "failed") or time.monotonic() > deadline:
            return data
        time.sleep(0.3)
