"""The simulator at scale: baseline plus one reform, every scheme, for 10^5, 10^6 and 2.3x10^6 records.

Per size, a fresh Python process reads the cached synthetic population in chunks (default 500,000
records), runs the rules model for the baseline and for the reform (the example procesinnovatie
reform: every scheme of SCHEME_RULES plus a new one), merges the exact partial sums and builds the
results. Printed: wall time of that run (the tax-benefit systems are built before the clock starts),
peak resident memory of the whole process (ru_maxrss: interpreter, OpenFisca and all arrays), and the
growth of time and memory between sizes against the growth of records. Generating a population is
a one-off (cached) and is timed separately.

    .venv/bin/python benchmarks/simulate.py                 # 100000 1000000 2300000
    .venv/bin/python benchmarks/simulate.py 50000 500000    # other sizes

The last line is the headline: `seconds S peak_gib G at N records`.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

SIZES = [100_000, 1_000_000, 2_300_000]
YEAR = 2025
SEED = 2024
CHUNK_SIZE = 500_000
REFORM = Path(__file__).resolve().parents[1] / "examples" / "reforms" / "procesinnovatie_mkb.yaml"


def one(records: int) -> dict[str, float]:
    """Run in a fresh process: generate if needed (untimed), then time one baseline + reform run."""
    from peloton.model import tax_benefit_system
    from peloton.model.reforms import load_reform, reform_system
    from peloton.simulate import synthetic
    from peloton.simulate.evaluation import Plan
    from peloton.simulate.population import PopulationFile
    from peloton.simulate.results import simulate

    start = time.perf_counter()
    path = synthetic.cache_path(YEAR, records, SEED)
    generated = not path.exists()
    synthetic.ensure(YEAR, records, SEED)
    generation = time.perf_counter() - start if generated else 0.0
    if generated:  # measure the simulation in a process that did not also generate
        return {"generation_seconds": generation, "rerun": 1.0}
    spec = load_reform(REFORM)
    tax_benefit_system()
    reform_system(spec)
    source = PopulationFile(path, kind="synthetic")
    info = source.synthetic_info()
    start = time.perf_counter()
    results = simulate(source, info, Plan(YEAR, spec), chunk_size=CHUNK_SIZE)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 2**30  # Linux: KiB
    wbso = results.stats("baseline", "wbso")
    new = results.stats("reform", "procesinnovatie_mkb")
    return {
        "seconds": seconds,
        "peak_gib": peak,
        "wbso_cost_m": wbso.cost_eur / 1e6,
        "new_scheme_cost_m": new.cost_eur / 1e6,
        "schemes": float(len(results.scheme_ids())),
    }


def run_fresh(records: int) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, __file__, "--one", str(records)], capture_output=True, text=True, check=True
    ).stdout
    return dict(json.loads(output.strip().splitlines()[-1]))


def main(argv: list[str]) -> None:
    if argv[:1] == ["--one"]:
        print(json.dumps(one(int(argv[1]))))
        return
    sizes = [int(a) for a in argv] or SIZES
    print(f"year {YEAR}, baseline + reform ({REFORM.name}), chunk size {CHUNK_SIZE:,}, seed {SEED}")
    print(
        f"{'records':>10} {'seconds':>8} {'peak GiB':>9} {'us/record':>10} {'x records':>10} "
        f"{'x time':>7} {'x memory':>9} {'WBSO EUR m':>11} {'new EUR m':>10}"
    )
    previous: tuple[int, float, float] | None = None
    last = {"seconds": 0.0, "peak_gib": 0.0}
    size = 0
    for size in sizes:
        first = run_fresh(size)
        if "generation_seconds" in first:
            print(f"{size:>10,} generated the population in {first['generation_seconds']:.1f} s (cached)")
        last = run_fresh(size) if "generation_seconds" in first else first
        growth = ""
        if previous is not None:
            n0, t0, m0 = previous
            growth = f"{size / n0:>10.1f} {last['seconds'] / t0:>7.1f} {last['peak_gib'] / m0:>9.1f}"
        else:
            growth = f"{'':>10} {'':>7} {'':>9}"
        print(
            f"{size:>10,} {last['seconds']:>8.2f} {last['peak_gib']:>9.2f} "
            f"{last['seconds'] / size * 1e6:>10.2f} {growth} {last['wbso_cost_m']:>11,.1f} "
            f"{last['new_scheme_cost_m']:>10,.1f}"
        )
        previous = (size, last["seconds"], last["peak_gib"])
    print(f"seconds {last['seconds']:.1f} peak_gib {last['peak_gib']:.1f} at {size} records")


if __name__ == "__main__":
    main(sys.argv[1:])
