"""OpenFisca's own web API serves the rules model: `openfisca serve` answers GET /spec on loopback."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_openfisca_serve_answers_spec() -> None:
    port = _free_port()
    openfisca = Path(sys.executable).with_name("openfisca")
    process = subprocess.Popen(
        [
            str(openfisca),
            "serve",
            "--country-package",
            "peloton.model",
            "--port",
            str(port),
            "--bind",
            f"127.0.0.1:{port}",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 90
        body = None
        while time.monotonic() < deadline and body is None:
            if process.poll() is not None:
                raise AssertionError(process.stdout.read().decode() if process.stdout else "serve exited")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/spec", timeout=5) as response:
                    assert response.status == 200
                    body = json.loads(response.read())
            except OSError:
                time.sleep(0.5)
        assert body is not None, "openfisca serve did not answer"
        assert "wbso_afdrachtvermindering" in json.dumps(body)
    finally:
        process.terminate()
        process.wait(timeout=30)
