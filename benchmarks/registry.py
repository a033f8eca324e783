"""Benchmark of the registry: import and search timings, and how good the innovation-kind labels are.

Prints figures; asserts nothing. Timings use a temporary store, never the user's. Precision and recall
are printed per class on the held-out labels (src/peloton/registry/labels/held_out.yaml, never used
to tune the lexicon) and on the development set ../shared/reference/registry/labelled_sample.yaml
(which the lexicon was tuned on, so its figures are optimistic).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from peloton.registry.estimate import kind_estimate
from peloton.registry.importer import import_file
from peloton.registry.measure import format_scores, held_out_labels, join_labels, load_labels
from peloton.registry.search import search, search_index
from peloton.registry.store import RegistryStore

REF = Path(__file__).resolve().parents[1].parent / "shared" / "reference" / "registry"
QUERIES = ("robot", "procesinnovatie", "sensor", "innovatie productieproces")


def _timed(label: str, fn: object) -> float:
    t0 = time.perf_counter()
    fn()  # type: ignore[operator]
    seconds = time.perf_counter() - t0
    print(f"{label}: {seconds:.2f} s")
    return seconds


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "registry.duckdb"
        t0 = time.perf_counter()
        store = RegistryStore.open(path)
        print(
            f"fresh store from the bundled snapshot (27k rows, classified): {time.perf_counter() - t0:.2f} s"
        )
        if REF.exists():
            _timed(
                "import europaomdehoek (1,808 rows) with U+FFFD repair from the raw export",
                lambda: import_file(
                    store,
                    REF / "europaomdehoek_2007_2013.csv",
                    "europaomdehoek",
                    source="bench_eoh",
                    repair_from=REF / "europaomdehoek_2007_2013_raw_2016.csv",
                ),
            )
            _timed(
                "import rijksbegroting (25,163 rows)",
                lambda: import_file(
                    store,
                    REF / "rijksbegroting_subsidieontvangers_2015.csv",
                    "rijksbegroting",
                    source="bench_rb",
                ),
            )
            _timed(
                "import raw europaomdehoek export (mac_roman, 2,347 rows)",
                lambda: import_file(
                    store,
                    REF / "europaomdehoek_2007_2013_raw_2016.csv",
                    "europaomdehoek",
                    encoding="mac_roman",
                    source="bench_raw",
                ),
            )
            for source in ("bench_eoh", "bench_rb", "bench_raw"):
                store.replace_source(
                    source,
                    [],
                    [],
                    fmt="csv",
                    source_file="-",
                    sha256="-",
                    table_version="-",
                    retrieved_at="-",
                )
        _timed("search index build (all rows)", lambda: search_index(store))
        for q in QUERIES:
            times = []
            for _ in range(20):
                t0 = time.perf_counter()
                result = search(store, q, limit=20)
                times.append(time.perf_counter() - t0)
            print(
                f"search {q!r}: {result.total} matches, "
                f"median {statistics.median(times) * 1000:.1f} ms (20 runs)"
            )
        print()
        held = join_labels(store, held_out_labels())
        print(format_scores("HELD-OUT labels (never tuned on)", held))
        print(format_scores("  held-out, EFRO only", [i for i in held if i.fund == "EFRO"]))
        dev_path = REF / "labelled_sample.yaml"
        if dev_path.exists():
            print(
                format_scores(
                    "DEVELOPMENT labels, labelled_sample.yaml (tuned on: optimistic)",
                    join_labels(store, load_labels(dev_path)),
                )
            )
        else:
            print(f"(no {dev_path}: development-set figures skipped)")
        print()
        est = kind_estimate(store, fund="EFRO")
        print(f"EFRO by innovation kind (ESTIMATE; {est.method}):")
        for f in est.figures:
            lo, hi = f.amount_interval or (0.0, 0.0)
            print(
                f"  {f.kind:8} naive {f.projects_naive:4} projects EUR {f.amount_naive / 1e6:6.1f} m | "
                f"estimate {f.projects_estimate:6.1f} projects EUR {(f.amount_estimate or 0) / 1e6:6.1f} m "
                f"(90% {lo / 1e6:.1f}-{hi / 1e6:.1f} m)"
            )
        store.close()


if __name__ == "__main__":
    main()
