"""A bounded load loop on loopback: `clients` threads for `seconds`, each sending a mix of check,
check/next, schemes, stats and simulation submit-and-poll; latencies per route and every error kept.
Used by tests/reliability/test_load.py (briefly) and benchmarks/reliability.py (50 clients, 60 s).

`cheap_request` is the memory check's mix: reads and checks only (no simulation, whose worker
processes are not the server's memory), each check a different firm and some under a different
reform, so that anything the server keeps per distinct request shows as growth."""

from __future__ import annotations

import random
import statistics
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import httpx

from peloton.core.inputs import BOOL, ENUM, INT, input_specs

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


def random_profile(rng: random.Random) -> dict[str, Any]:
    """A valid firm profile of 1-6 inputs drawn from the input specification."""
    specs = input_specs()
    firm: dict[str, Any] = {}
    for name in rng.sample(sorted(specs), rng.randint(1, 6)):
        spec = specs[name]
        if spec.kind == BOOL:
            firm[name] = rng.random() < 0.5
        elif spec.kind == ENUM:
            firm[name] = rng.choice(spec.items)
        else:
            low = max(spec.minimum if spec.minimum is not None else 0.0, -1e7)
            high = min(spec.maximum if spec.maximum is not None else 1e7, 1e7)
            value = rng.uniform(low, high)
            firm[name] = round(value) if spec.kind == INT else round(value, 2)
    return {"year": rng.choice([2023, 2024, 2025]), "onderneming": firm}


REFORM_PARAMETERS = (  # (parameter, lowest, highest value a varied reform gives it)
    ("wbso.afdrachtvermindering.tarief_schijf_1", 0.2, 0.5),
    ("wbso.afdrachtvermindering.plafond_schijf_1", 200_000, 600_000),
)


def random_reform(rng: random.Random) -> dict[str, Any]:
    parameter, low, high = rng.choice(REFORM_PARAMETERS)
    value = round(rng.uniform(low, high), 3)
    return {
        "name": f"{parameter} {value}",
        "parameter_changes": [{"parameter": parameter, "value": value, "start": "2023-01-01"}],
    }


CHEAP_GETS = ("/schemes", "/questions", "/stats/sectors", "/stats/productivity", "/stats/schemes")


def cheap_request(client: httpx.Client, rng: random.Random) -> httpx.Response:
    """One request of the memory check's mix: half reads, half checks (one in five under a reform)."""
    draw = rng.random()
    if draw < 0.5:
        return client.get(rng.choice(CHEAP_GETS))
    body = random_profile(rng)
    if draw < 0.6:
        body["reform"] = random_reform(rng)
    return client.post("/check" if draw < 0.9 else "/check/next", json=body)


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
