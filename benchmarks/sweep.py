"""A 20-step cost curve on the synthetic population: one process, a 2-process pool, Dask with 2 workers,
and the same 20 reforms as 20 separate `simulate` runs.

The sweep raises the WBSO's first bracket (wbso.afdrachtvermindering.plafond_schijf_1) from EUR 350,000
to EUR 540,000 in steps of EUR 10,000 in 2024: 20 reforms, every scheme, on the cached population
(generated before the clock starts). Each measurement runs in a fresh Python process:

- `one`: the local engine with 1 process (the tasks run in order in the process itself);
- `pool`: the local engine with a pool of 2 processes;
- `dask`: a distributed.LocalCluster of 2 worker processes (started before the clock);
- `separate`: the same 20 reforms as 20 calls of results.simulate (what 20 `peloton simulate
  --reform` runs compute, without 20 interpreter starts), one process.

Printed: wall time, speed-up and efficiency per worker against one process, peak resident memory per
worker (ru_maxrss for one process; the largest RSS sampled every 50 ms over the worker processes for
the pool and Dask), the sweep's cost per step against the separate runs' (target <= 0.7), the
seconds per task and per million records and scenario (the figure docs/scale.md extrapolates from),
and a check that every engine gave the same table to the cent.

    .venv/bin/python benchmarks/sweep.py                    # 2,300,000 records
    .venv/bin/python benchmarks/sweep.py --records 500000   # a smaller population
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import subprocess
import sys
import threading
import time
from typing import Any

YEAR = 2024
SEED = 2024
CHUNK_SIZE = 500_000
SWEEP = "wbso.afdrachtvermindering.plafond_schijf_1=350000:540000:10000"  # 20 steps
WORKERS = 2


class PeakSampler:
    """The largest resident memory of each descendant process, sampled in a thread."""

    def __init__(self) -> None:
        import psutil

        self.me = psutil.Process()
        self.peaks: dict[int, int] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        while not self.stop.is_set():
            for child in self.me.children(recursive=True):
                try:
                    rss = child.memory_info().rss
                except psutil.Error:
                    continue
                self.peaks[child.pid] = max(self.peaks.get(child.pid, 0), rss)
            self.stop.wait(0.05)

    def __enter__(self) -> PeakSampler:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        self.thread.join()

    def peak_gib(self) -> float:
        return max(self.peaks.values(), default=0) / 2**30


def _digest(payload: dict[str, Any]) -> str:
    figures = {k: v for k, v in payload.items() if k != "run"}
    return hashlib.sha256(json.dumps(figures, sort_keys=True, default=str).encode()).hexdigest()[:16]


def measure(mode: str, records: int) -> dict[str, Any]:
    """In a fresh process: one measurement."""
    from peloton.model import tax_benefit_system
    from peloton.simulate import synthetic
    from peloton.simulate.study import StudyOptions
    from peloton.simulate.sweep import parse_sweep, run_sweep

    path = synthetic.ensure(YEAR, records, SEED)
    tax_benefit_system()
    sweep = parse_sweep(SWEEP)
    if mode == "separate":
        from peloton.model.reforms import parse_reform
        from peloton.simulate.evaluation import Plan
        from peloton.simulate.population import PopulationFile
        from peloton.simulate.results import simulate

        specs = [
            parse_reform({"name": f"step {v}", "parameter_changes": [
                {"parameter": sweep.parameter, "value": v, "start": f"{YEAR}-01-01"}]})
            for v in sweep.values
        ]  # fmt: skip
        start = time.perf_counter()
        costs = []
        for spec in specs:
            source = PopulationFile(path, kind="synthetic")
            results = simulate(source, source.synthetic_info(), Plan(YEAR, spec), chunk_size=CHUNK_SIZE)
            costs.append(results.difference()[0]["difference_cost_eur"])
        seconds = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 2**30
        return {"seconds": seconds, "peak_gib": peak, "wbso_difference": costs}
    cluster = None
    options: dict[str, Any] = {"population": None, "records": records, "seed": SEED, "chunk_size": CHUNK_SIZE}
    if mode == "one":
        options["workers"] = 1
    elif mode == "pool":
        options["workers"] = WORKERS
    else:
        import distributed

        cluster = distributed.LocalCluster(
            n_workers=WORKERS, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
        )
        options.update(engine="dask", scheduler=cluster.scheduler_address, workers=WORKERS)
    with PeakSampler() as sampler:
        start = time.perf_counter()
        payload = run_sweep(YEAR, sweep, options=StudyOptions(**options))
        seconds = time.perf_counter() - start
    if cluster is not None:
        cluster.close()
    peak = (
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 2**30
        if mode == "one"
        else sampler.peak_gib()
    )
    wbso = [
        next(r for r in s["schemes"] if r["scheme"] == "wbso")["difference_cost_eur"]
        for s in payload["steps"]
    ]
    return {
        "seconds": seconds,
        "peak_gib": peak,
        "tasks": payload["run"]["tasks"],
        "digest": _digest(payload),
        "wbso_difference": wbso,
    }


def run_fresh(mode: str, records: int) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--measure", mode, "--records", str(records)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=2_300_000)
    parser.add_argument("--measure", choices=("one", "pool", "dask", "separate"))
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.measure, args.records)))
        return
    from peloton.simulate import synthetic

    start = time.perf_counter()
    path = synthetic.cache_path(YEAR, args.records, SEED)
    if not path.exists():
        synthetic.ensure(YEAR, args.records, SEED)
        print(f"generated the population in {time.perf_counter() - start:.1f} s (cached, not timed below)")
    steps = 20
    print(f"sweep {SWEEP} ({steps} steps), {YEAR}, {args.records:,} records, chunks of {CHUNK_SIZE:,}")
    runs = {mode: run_fresh(mode, args.records) for mode in ("one", "pool", "dask", "separate")}
    one = runs["one"]["seconds"]
    print(
        f"{'engine':<22} {'seconds':>8} {'speed-up':>9} {'eff/worker':>11} "
        f"{'peak GiB/worker':>16} {'tasks':>6}"
    )
    for mode, label, workers in (("one", "local, 1 process", 1), ("pool", "local, 2 processes", WORKERS),
                                 ("dask", "dask, 2 workers", WORKERS)):  # fmt: skip
        r = runs[mode]
        speedup = one / r["seconds"]
        print(
            f"{label:<22} {r['seconds']:>8.2f} {speedup:>9.2f} {speedup / workers:>11.0%} "
            f"{r['peak_gib']:>16.2f} {r['tasks']:>6}"
        )
    separate = runs["separate"]["seconds"]
    print(
        f"{'20 separate simulate':<22} {separate:>8.2f} {'':>9} {'':>11} "
        f"{runs['separate']['peak_gib']:>16.2f}"
    )
    same = len({runs[m]["digest"] for m in ("one", "pool", "dask")}) == 1
    agree = runs["separate"]["wbso_difference"] == runs["one"]["wbso_difference"]
    scenarios = steps + 1  # one law baseline per partition, shared by the 20 steps
    per_task = one / runs["one"]["tasks"]
    per_million = one / (args.records / 1e6 * scenarios)
    print(f"identical tables across engines: {same}; WBSO cost per step equal to the separate runs: {agree}")
    print(f"per task (one partition of <= {CHUNK_SIZE:,} records x {steps} steps + law): {per_task:.2f} s; "
          f"per million records and scenario: {per_million:.3f} s")  # fmt: skip
    print(
        f"sweep cost per step vs separate runs (1 process each): {one / separate:.2f} (target <= 0.70); "
        f"cost per step {one / steps:.2f} s vs {separate / steps:.2f} s"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
