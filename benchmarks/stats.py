"""Benchmark of the monitor: 10^6 synthetic observations, the sector-change query and the report build.

Prints figures; asserts nothing (targets: sector-change query <= 50 ms on 10^6 rows, report <= 5 s).
The synthetic rows are labelled synthetic in every field that could be shown and live in a temporary
store, never in the user's one.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from peloton.stats import analyses
from peloton.stats.report import build_report
from peloton.stats.store import Store

ROWS = 1_000_000


def load_synthetic(store: Store, n: int = ROWS) -> float:
    """Insert n synthetic rows (sector-year series of a synthetic measure) in one transaction; seconds."""
    t0 = time.perf_counter()
    with store.transaction():
        store.con.execute(
            """
            INSERT INTO observations
            SELECT 'synthetic benchmark data', 'synthetic', 'synthetic_jobs',
                   'S' || lpad(CAST(i // 50 AS VARCHAR), 5, '0'),
                   'synthetic sector ' || CAST(i // 50 AS VARCHAR),
                   CAST(1980 + i % 50 AS VARCHAR), 1000 + (hash(i) % 1000) / 10.0, 'x 1 000',
                   'synthetic', 'synthetic', 'synthetic', 'synthetic, not real data', '', 'benchmark'
            FROM range(?) t(i)
            """,
            [n],
        )
    return time.perf_counter() - t0


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.duckdb"
        t0 = time.perf_counter()
        store = Store.open(path)
        print(f"open + snapshot load:        {(time.perf_counter() - t0) * 1000:8.1f} ms")
        print(f"load {ROWS:,} synthetic rows: {load_synthetic(store) * 1000:8.1f} ms")
        total = store.con.execute("SELECT count(*) FROM observations").fetchone()
        print(f"rows in store:               {total[0] if total else 0:>11,}")
        sectors = ["S00000", "S00010", "S00100", "S01000", "S19999"]
        for label, kwargs in (
            ("sector-change, 5 sectors", {"sectors": sectors}),
            ("sector-change, all 20,000 sectors", {"level": "all"}),
        ):
            times = []
            for _ in range(7):
                t0 = time.perf_counter()
                rows = analyses.sector_change(store, 1990, 2020, measure="synthetic_jobs", **kwargs)
                times.append((time.perf_counter() - t0) * 1000)
            print(
                f"{label:34s} median {statistics.median(times):7.1f} ms"
                f"  (min {min(times):.1f}; {len(rows)} rows)"
            )
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            build_report(store, Path(tmp) / "report")
            times.append(time.perf_counter() - t0)
        print(f"report build (on the 10^6-row store)  median {statistics.median(times):6.2f} s")
        store.close()


if __name__ == "__main__":
    main()
