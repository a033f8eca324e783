"""The REST API on loopback: time from `peloton serve` to /ready, and POST /check latency (p50, p99)
with 1 and with 20 concurrent clients, on an example profile. A bounded loop: a fixed number of
requests per setting, then the server is stopped. Nothing leaves 127.0.0.1.

    .venv/bin/python benchmarks/api.py            # 100 requests per setting
    .venv/bin/python benchmarks/api.py 300
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import yaml

REPO = Path(__file__).resolve().parents[1]
PROFILE = REPO / "examples" / "micro_software_startup.yaml"
PELOTON = Path(sys.executable).with_name("peloton")


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _run(base: str, clients: int, requests: int, body: dict[str, object]) -> tuple[list[float], float]:
    def one(_: int) -> float:
        with httpx.Client(timeout=120) as client:
            start = time.perf_counter()
            response = client.post(f"{base}/check", json=body)
            elapsed = time.perf_counter() - start
            response.raise_for_status()
            return elapsed

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        times = list(pool.map(one, range(requests)))
    return times, time.perf_counter() - start


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
            _run(base, 1, 3, body)  # warm-up: first evaluation builds caches
            for clients in (1, 20):
                times, wall = _run(base, clients, requests, body)
                p50, p99 = _percentile(times, 0.5) * 1000, _percentile(times, 0.99) * 1000
                print(
                    f"POST /check, {clients:>2} concurrent client(s), {requests} requests: "
                    f"p50 {p50:.0f} ms, p99 {p99:.0f} ms, "
                    f"mean {statistics.mean(times) * 1000:.0f} ms, {requests / wall:.1f} requests/s"
                )
        finally:
            process.terminate()
            process.wait(timeout=15)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100)
