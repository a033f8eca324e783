"""WBSO through the rules model versus the same formula in plain NumPy, in one process.

Prints, per population size, wall time and peak traced memory of both, and their ratio. The last
line is the headline: `ratio R at N firms`. Rates come from the rules model's parameters in both
paths, so the comparison is formula against formula, not a copy of the law.
"""

from __future__ import annotations

import gc
import sys
import time
import tracemalloc
from collections.abc import Callable

import numpy as np

from peloton.core.columns import simulation_from_columns
from peloton.model import tax_benefit_system

YEAR = 2024
SIZES = [10_000, 100_000, 1_000_000, 2_300_000]


def population(n: int, seed: int = 2024) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "rechtsvorm": np.where(rng.random(n) < 0.1, "eenmanszaak", "bv"),
        "is_inhoudingsplichtige": rng.random(n) < 0.93,
        "so_uren": rng.gamma(1.2, 2500, n).astype(np.float32),
        "had_so_verklaring_twee_jaar_eerder": rng.random(n) < 0.7,
        "so_uurloon_opgegeven": rng.uniform(25, 80, n).astype(np.float32),
        "wbso_kosten_keuze": np.where(rng.random(n) < 0.8, "forfait", "werkelijk"),
        "so_kosten_uitgaven_werkelijk": rng.gamma(1.0, 40_000, n).astype(np.float32),
        "aantal_jaren_ondernemer_voorgaand": rng.integers(0, 6, n).astype(np.int32),
        "aantal_jaren_so_verklaring_voorgaand": rng.integers(0, 6, n).astype(np.int32),
        "so_uren_eigen": rng.uniform(0, 1500, n).astype(np.float32),
        "uren_onderneming": rng.uniform(800, 2500, n).astype(np.float32),
    }


def rules_model(cols: dict[str, np.ndarray]) -> float:
    """Hands the columns to the engine (enum names encoded there) and computes both amounts."""
    simulation = simulation_from_columns(cols, YEAR)
    credit = simulation.calculate("wbso_afdrachtvermindering", str(YEAR))
    deduction = simulation.calculate("so_aftrek", str(YEAR))
    return float(credit.sum(dtype=np.float64) + deduction.sum(dtype=np.float64))


def plain_numpy(cols: dict[str, np.ndarray]) -> float:
    p = tax_benefit_system().parameters(f"{YEAR}-01-01").wbso
    uren = cols["so_uren"]
    uurloon = np.where(
        cols["had_so_verklaring_twee_jaar_eerder"], cols["so_uurloon_opgegeven"], p.vast_uurloon
    )
    f = p.forfait
    forfait = (
        np.minimum(uren, f.urendrempel) * f.bedrag_per_uur_tot_drempel
        + np.maximum(uren - f.urendrempel, 0) * f.bedrag_per_uur_boven_drempel
    )
    kosten = np.where(cols["wbso_kosten_keuze"] == "forfait", forfait, cols["so_kosten_uitgaven_werkelijk"])
    grondslag = np.where(cols["is_inhoudingsplichtige"] & (uren > 0), uren * uurloon + kosten, 0)
    s = p.starter
    starter = (cols["aantal_jaren_ondernemer_voorgaand"] <= s.max_jaren_inhoudingsplichtig) & (
        cols["aantal_jaren_so_verklaring_voorgaand"] <= s.max_jaren_so_verklaring
    )
    a = p.afdrachtvermindering
    tarief = np.where(starter, a.tarief_schijf_1_starter, a.tarief_schijf_1)
    credit = tarief * np.minimum(grondslag, a.plafond_schijf_1) + a.tarief_schijf_2 * np.maximum(
        grondslag - a.plafond_schijf_1, 0
    )
    ib = cols["rechtsvorm"] == "eenmanszaak"
    recht = (
        ib
        & (cols["so_uren_eigen"] >= p.aftrek.minimum_so_uren)
        & (cols["uren_onderneming"] >= p.aftrek.urencriterium)
    )
    deduction = np.where(
        recht, p.aftrek.so_aftrek + np.where(starter, p.aftrek.verhoogde_so_aftrek_starter, 0), 0
    )
    return float(credit.sum(dtype=np.float64) + deduction.sum(dtype=np.float64))


def measure(
    fn: Callable[[dict[str, np.ndarray]], float], cols: dict[str, np.ndarray]
) -> tuple[float, float, float]:
    """Best of three untraced runs for time; one more run under tracemalloc for peak memory,
    since tracing every allocation slows the engine's many small Python objects far more
    than NumPy's few large arrays."""
    seconds = float("inf")
    total = 0.0
    for _ in range(3):
        gc.collect()
        start = time.perf_counter()
        total = fn(cols)
        seconds = min(seconds, time.perf_counter() - start)
    gc.collect()
    tracemalloc.start()
    fn(cols)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return seconds, peak, total


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or SIZES
    tax_benefit_system()  # built once, outside the timings
    rules_model(population(100))  # warm-up
    print(
        f"{'firms':>10} {'rules s':>9} {'numpy s':>9} {'ratio':>6} "
        f"{'rules MiB':>10} {'numpy MiB':>10} {'total EUR m':>12}"
    )
    ratio = 0.0
    size = 0
    for size in sizes:
        cols = population(size)
        t_rules, m_rules, total_rules = measure(rules_model, cols)
        t_np, m_np, total_np = measure(plain_numpy, cols)
        if abs(total_rules - total_np) > 1e-4 * max(abs(total_np), 1.0):
            raise SystemExit(f"totals differ: rules {total_rules:,.0f} vs numpy {total_np:,.0f}")
        ratio = t_rules / t_np
        print(
            f"{size:>10,} {t_rules:>9.3f} {t_np:>9.3f} {ratio:>6.2f} "
            f"{m_rules:>10.1f} {m_np:>10.1f} {total_rules / 1e6:>12,.1f}"
        )
    print(f"ratio {ratio:.1f} at {size} firms")


if __name__ == "__main__":
    main(sys.argv[1:])
