"""The REST API on loopback: time from `peloton serve` to /ready; POST /check latency (p50, p99)
with 1 and with 20 concurrent clients, for the same profile again and again, for a profile whose
S&O hours change with every request (a navigator answering one question), and for a new firm every
request (hours, staff, turnover and profit drawn at random); a simulation on the default population
from submit to done, and its cached repeat. A bounded loop: a fixed number of requests per setting,
then the server is stopped. Nothing leaves 127.0.0.1.

    .venv/bin/python benchmarks/api.py            # 100 requests per setting
    .venv/bin/python benchmarks/api.py 300
"""

from __future__ import annotations

import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import yaml

REPO = Path(__file__).resolve().parents[1]
PROFILE = REPO / "examples" / "micro_software_startup.yaml"
PELOTON = Path(sys.executable).with_name("peloton")
KINDS = (("same", "same profile"), ("hours", "new S&O hours"), ("firm", "new firm"))


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _bodies(kind: str, base_body: dict[str, Any], count: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    bodies = []
    for _ in range(count):
        firm = dict(base_body["onderneming"])
        if kind in ("hours", "firm"):
            firm["so_uren"] = rng.randint(100, 20_000)
        if kind == "firm":
            firm["personeel_fte"] = rng.randint(1, 500)
            firm["jaaromzet"] = rng.randint(100_000, 100_000_000)
            firm["belastbare_winst"] = rng.randint(0, 5_000_000)
        bodies.append({**base_body, "onderneming": firm})
    return bodies


def _run(base: str, clients: int, bodies: list[dict[str, Any]]) -> tuple[list[float], float]:
    local = threading.local()

    def one(body: dict[str, Any]) -> float:
        client = getattr(local, "client", None)
        if client is None:
            client = local.client = httpx.Client(timeout=120)
        start = time.perf_counter()
        response = client.post(f"{base}/check", json=body)
        elapsed = time.perf_counter() - start
        response.raise_for_status()
        return elapsed

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        times = list(pool.map(one, bodies))
    return times, time.perf_counter() - start


def _simulation(base: str) -> None:
    """The default population (the server's defaults: year, records, seed) with a reform, submit to
    done; then the same request again (one cached result)."""
    text = (REPO / "examples" / "reforms" / "wbso_eerste_schijf_500k.yaml").read_text(encoding="utf-8")
    reform = json.loads(json.dumps(yaml.safe_load(text), default=str))  # YAML dates as ISO strings
    body = {"year": 2024, "reform": reform}
    with httpx.Client(timeout=600) as client:
        for label in ("first run", "cached repeat"):
            start = time.perf_counter()
            job = client.post(f"{base}/simulations", json=body).json()
            while True:
                state = client.get(f"{base}/simulations/{job['id']}").json()
                if state["status"] in ("done", "failed"):
                    break
                time.sleep(0.02)
            elapsed = time.perf_counter() - start
            print(
                f"simulation, default population, WBSO reform, {label}: {elapsed * 1000:.0f} ms "
                f"({state['status']})"
            )


def main(requests: int = 100) -> None:
    body = yaml.safe_load(PROFILE.read_text(encoding="utf-8"))
    port = _port()
    base = f"http://127.0.0.1:{port}/api/v1"
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "PELOTON_HOME": home}
        started = time.perf_counter()
        process = subprocess.Popen(
            [str(PELOTON), "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = started + 120
            while time.perf_counter() < deadline:
                try:
                    if httpx.get(f"{base}/ready", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                time.sleep(0.05)
            else:
                raise SystemExit("peloton serve was not ready within 120 s")
            print(f"time to ready: {time.perf_counter() - started:.2f} s")
            _run(base, 1, [body] * 3)  # warm-up: first evaluation builds caches
            for n, (kind, label) in enumerate(KINDS):
                for clients in (1, 20):
                    bodies = _bodies(kind, body, requests, seed=n * 100 + clients)
                    times, wall = _run(base, clients, bodies)
                    p50, p99 = _percentile(times, 0.5) * 1000, _percentile(times, 0.99) * 1000
                    print(
                        f"POST /check, {label}, {clients:>2} concurrent client(s), {requests} requests: "
                        f"p50 {p50:.0f} ms, p99 {p99:.0f} ms, "
                        f"mean {statistics.mean(times) * 1000:.0f} ms, {requests / wall:.1f} requests/s"
                    )
            _simulation(base)
        finally:
            process.terminate()
            process.wait(timeout=15)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
