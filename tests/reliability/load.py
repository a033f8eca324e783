"""A bounded load loop on loopback: `clients` threads for `seconds`, each sending a mix of check,
check/next, schemes, stats and simulation submit-and-poll; latencies per route and every error kept.
Used by tests/reliability/test_load.py (briefly) and benchmarks/reliability.py (50 clients, 60 s)."""

from __future__ import annotations

import random
import statistics
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

import httpx

PROFILE = {"year": 2024, "onderneming": {"rechtsvorm": "bv", "personeel_fte": 3, "so_uren": 2000}}
MIX = (("check", 0.3), ("check/next", 0.2), ("schemes", 0.2), ("stats", 0.2), ("simulation", 0.1))


@dataclass
class LoadResult:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.latencies.values())

    def percentile(self, route: str, q: float) -> float:
        values = sorted(self.latencies[route])
        return values[min(len(values) - 1, int(q * len(values)))] if values else 0.0

    def median(self, route: str) -> float:
        return statistics.median(self.latencies[route]) if self.latencies[route] else 0.0


def _one(client: httpx.Client, kind: str, rng: random.Random) -> httpx.Response:
    if kind == "check":
        return client.post("/check", json=PROFILE)
    if kind == "check/next":
        return client.post("/check/next", json=PROFILE)
    if kind == "schemes":
        return client.get("/schemes")
    if kind == "stats":
        return client.get("/stats/sectors")
    submitted = client.post("/simulations", json={"year": 2024, "records": 2000, "seed": rng.randrange(3)})
    if submitted.status_code != 202:
        return submitted
    url = submitted.headers["Location"].removeprefix("/api/v1")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        status = client.get(url)
        if status.status_code != 200 or status.json()["status"] in ("done", "failed"):
            return status
        time.sleep(0.2)
    return status


def run_load(base: str, clients: int, seconds: float, seed: int = 0, on_request: object = None) -> LoadResult:
    result = LoadResult()
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    kinds, weights = zip(*MIX, strict=True)

    def worker(n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        with httpx.Client(base_url=base, timeout=120) as client:
            while time.monotonic() < stop_at:
                kind = rng.choices(kinds, weights)[0]
                started = time.perf_counter()
                try:
                    response = _one(client, kind, rng)
                    ok = response.status_code < 400 and not (
                        kind == "simulation" and response.json().get("status") == "failed"
                    )
                    error = "" if ok else f"{kind}: {response.status_code} {response.text[:120]}"
                    status = response.status_code
                except httpx.HTTPError as exc:
                    error, status = f"{kind}: {type(exc).__name__}", 0
                elapsed = time.perf_counter() - started
                with lock:
                    result.latencies[kind].append(elapsed)
                    result.statuses[status] += 1
                    if error:
                        result.errors.append(error)
                    if callable(on_request):
                        on_request(result.requests)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return result
