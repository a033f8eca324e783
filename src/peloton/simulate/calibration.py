"""Calibration targets (data/targets.yaml) and the check of a population against them.

The targets are published totals with their sources: CBS firm counts by sector and size class, WBSO
and innovatiebox use per year, and the other schemes' budgets and use (`scheme_use`: realised figures
are targets, ceilings of commitments bound the simulated cost, ex-ante fiscal budgets are shown). The
generator is fitted to the first; take-up parameters (takeup/<scheme>.yaml) to the last;
`peloton population --check` then runs the synthetic population through the same simulator path as
`peloton simulate` and prints, per target, the published value, the simulated value and the gap.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq
import yaml

from peloton.errors import InputError

SIZE_CLASSES = ("1", "2-49", "50-249", "250-499", "500+")


def _data_text(name: str) -> str:
    return resources.files("peloton.simulate").joinpath(f"data/{name}").read_text(encoding="utf-8")


@cache
def targets() -> dict[str, Any]:
    """data/targets.yaml, parsed."""
    return dict(yaml.safe_load(_data_text("targets.yaml")))


@cache
def assumptions() -> dict[str, Any]:
    """data/assumptions.yaml, parsed."""
    return dict(yaml.safe_load(_data_text("assumptions.yaml")))


@cache
def province_data() -> dict[str, Any]:
    """data/provinces.yaml, parsed: CBS establishments per COROP region and year, each region's province."""
    return dict(yaml.safe_load(_data_text("provinces.yaml")))


def data_digest() -> str:
    """A short digest of the data files: a change in them invalidates cached populations."""
    h = hashlib.sha256()
    for name in ("targets.yaml", "assumptions.yaml", "provinces.yaml"):
        h.update(_data_text(name).encode())
    return h.hexdigest()[:10]


# ----------------------------------------------------------------------------------- firm counts


@dataclass(frozen=True)
class FirmCounts:
    """CBS firm counts as a (row × size class) matrix, with the row labels and their SBI sections."""

    rows: tuple[str, ...]
    labels: tuple[str, ...]
    sections: tuple[tuple[str, ...], ...]
    counts: np.ndarray  # shape (rows, 5), float64

    @property
    def total(self) -> float:
        return float(self.counts.sum())


def _classes(values: list[int]) -> list[float]:
    """CBS columns (total, 1, 250-500, 0-50, 0-250) → classes 1 | 2-49 | 50-249 | 250-499 | 500+."""
    total, one, s250, upto50, upto250 = (float(v) for v in values)
    return [one, upto50 - one, upto250 - upto50, s250, total - upto250 - s250]


@cache
def firm_counts() -> FirmCounts:
    """The 2024Q2 counts; the R-U row is the A-U total minus every other row (per column)."""
    raw = targets()["firm_counts"]
    rows: list[str] = []
    labels: list[str] = []
    sections: list[tuple[str, ...]] = []
    values: list[list[float]] = []
    total = np.array(raw["total"]["values"], dtype=np.float64)
    given = np.zeros(5)
    derived_row = None
    for key, row in raw["rows"].items():
        rows.append(str(key))
        labels.append(str(row["label"]))
        sections.append(tuple(row["sections"]))
        if row.get("derived"):
            derived_row = len(values)
            values.append([0.0] * 5)
        else:
            given += np.array(row["values"], dtype=np.float64)
            values.append(_classes(row["values"]))
    if derived_row is not None:
        values[derived_row] = _classes([int(v) for v in total - given])
    counts = np.array(values, dtype=np.float64)
    if (counts < 0).any():
        raise ValueError("targets.yaml: a derived firm count is negative")
    return FirmCounts(tuple(rows), tuple(labels), tuple(sections), counts)


# ----------------------------------------------------------------------------------- breakdowns


def breakdown_basis(synthetic: bool) -> dict[str, dict[str, str]]:
    """What each scheme's breakdown by SBI section and by province rests on (targets.yaml
    breakdown_basis): on the synthetic population an assumption, said with its reason; on a user's
    file, that file."""
    if not synthetic:
        return {
            dim: {
                "basis": "population file",
                "note": f"the {dim} of each record, as the population file gives it",
            }
            for dim in targets()["breakdown_basis"]
        }
    return {
        dim: {"basis": str(entry["basis"]), "note": " ".join(str(entry["note"]).split())}
        for dim, entry in targets()["breakdown_basis"].items()
    }


# ----------------------------------------------------------------------------------- provinces


def province_establishments(year: int) -> dict[str, float]:
    """CBS establishments (81578NED) of `year` per province: the COROP regions' counts rolled up."""
    data = province_data()
    years = [int(y) for y in data["establishments"]["years"]]
    if year not in years:
        raise InputError(
            "year", f"{year}: no CBS establishment counts by region (years {years[0]}-{years[-1]})"
        )
    at = years.index(year)
    out: dict[str, float] = {}
    for region in data["corop"]["regions"].values():
        province = str(region["province"])
        out[province] = out.get(province, 0.0) + float(region["establishments"][at])
    return out


def province_shares(year: int) -> dict[str, float]:
    """Each province's share of the year's establishments: the synthetic firms' province shares."""
    counts = province_establishments(year)
    total = sum(counts.values())
    return {province: count / total for province, count in counts.items()}


# ----------------------------------------------------------------------------------- WBSO targets


REFERENCE_YEARS = tuple(sorted(int(y) for y in yaml.safe_load(_data_text("targets.yaml"))["wbso"]["years"]))


def calibration_year(year: int) -> int:
    """The reference year a population for `year` is calibrated to (later years keep the last one)."""
    if year < REFERENCE_YEARS[0]:
        raise InputError(
            "year",
            f"{year}: the rules model starts in {REFERENCE_YEARS[0]} (no WBSO parameters before); "
            f"the population is calibrated for {REFERENCE_YEARS[0]}-{REFERENCE_YEARS[-1]}",
        )
    return min(year, REFERENCE_YEARS[-1])


def _entry_value(entry: dict[str, Any]) -> float:
    for key in ("target", "calibration_input"):
        if key in entry:
            return float(entry[key])
    raise KeyError(entry)


@dataclass(frozen=True)
class WbsoInputs:
    """What the generator needs for one year: users, SME share, self-employed share, benefit, SME money."""

    year: int
    users: float
    sme_share: float
    self_employed_share: float
    benefit_eur: float
    sme_benefit_share: float
    starters_share: float

    @property
    def large(self) -> float:
        return self.users * (1.0 - self.sme_share)

    @property
    def self_employed(self) -> float:
        return self.users * self.self_employed_share

    @property
    def sme_employers(self) -> float:
        return self.users - self.large - self.self_employed


def wbso_inputs(year: int) -> WbsoInputs:
    cal = calibration_year(year)
    raw = targets()["wbso"]
    entry = raw["years"][cal]
    return WbsoInputs(
        year=cal,
        users=_entry_value(entry["users"]),
        sme_share=_entry_value(entry["sme_share"]),
        self_employed_share=_entry_value(entry["self_employed_share"]),
        benefit_eur=_entry_value(entry["benefit_eur"]),
        sme_benefit_share=_entry_value(entry["sme_benefit_share"]),
        starters_share=float(raw["starters_share_all_years"]),
    )


@dataclass(frozen=True)
class InnovatieboxInputs:
    """The innovatiebox figures of one year: users, SME share of users, tax saving, large share of it."""

    year: int
    users: float
    sme_share: float
    benefit_eur: float
    large_benefit_share: float

    @property
    def large(self) -> float:
        return self.users * (1.0 - self.sme_share)

    @property
    def sme(self) -> float:
        return self.users - self.large


def innovatiebox_inputs(year: int) -> InnovatieboxInputs:
    """The innovatiebox targets (or calibration inputs) of the year's calibration year."""
    cal = calibration_year(year)
    entry = targets()["innovatiebox"]["years"][cal]
    return InnovatieboxInputs(
        year=cal,
        users=_entry_value(entry["users"]),
        sme_share=_entry_value(entry["sme_share"]),
        benefit_eur=_entry_value(entry["benefit_eur"]),
        large_benefit_share=_entry_value(entry["large_benefit_share"]),
    )


def innovatiebox_years() -> tuple[int, ...]:
    """Years with innovatiebox entries in targets.yaml (2025 and 2026 run on the 2024 population)."""
    return tuple(sorted(int(y) for y in targets()["innovatiebox"]["years"]))


def scheme_use_years() -> tuple[int, ...]:
    """Years with a budget or use figure of another scheme in targets.yaml (scheme_use)."""
    return tuple(sorted({int(e["year"]) for e in targets()["scheme_use"]}))


def check_years() -> tuple[int, ...]:
    """Every year `population --check` covers: the WBSO's reference years, the innovatiebox's and the
    other schemes' budget and use years."""
    return tuple(sorted({*REFERENCE_YEARS, *innovatiebox_years(), *scheme_use_years()}))


def solve_scale(
    evaluate: Callable[[float], float], target: float, low: float = 1e-3, high: float = 1e3
) -> float:
    """The factor k with evaluate(k) = target, for an increasing evaluate; bisection in log space.

    Used to size S&O hours so that the rules model's benefit meets the published total: the rules
    compute every candidate, so the calibration cannot drift from the law.
    """
    if evaluate(high) < target:
        raise ValueError(f"calibration target {target:,.0f} not reachable (at most {evaluate(high):,.0f})")
    if evaluate(low) > target:
        return low
    lo, hi = np.log(low), np.log(high)
    for _ in range(60):
        mid = (lo + hi) / 2
        value = evaluate(float(np.exp(mid)))
        if abs(value - target) <= 1e-5 * target:
            return float(np.exp(mid))
        if value < target:
            lo = mid
        else:
            hi = mid
    return float(np.exp((lo + hi) / 2))


# ----------------------------------------------------------------------------------- the check


@dataclass(frozen=True)
class CheckRow:
    """One line of `peloton population --check`."""

    year: str
    measure: str
    # "target" (must be met), "input" (used by the generator, no published value), "info";
    # for scheme_use: "realised" (a target), "ceiling" (an upper bound), "budget" (shown, no verdict)
    kind: str
    published: str
    target: float | None
    simulated: float
    tolerance: str
    ok: bool | None
    source: str

    def gap(self) -> str:
        if self.target is None or self.simulated != self.simulated:  # no target, or not computed (NaN)
            return ""
        if self.tolerance.startswith("±") and self.tolerance.endswith("pt"):
            return f"{(self.simulated - self.target) * 100:+.2f} pt"
        if self.target == 0:
            return ""
        return f"{(self.simulated / self.target - 1) * 100:+.2f}%"

    def as_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "measure": self.measure,
            "kind": self.kind,
            "published": self.published,
            "target": self.target,
            "simulated": None if self.simulated != self.simulated else self.simulated,
            "gap": self.gap(),
            "tolerance": self.tolerance,
            "ok": self.ok,
            "source": self.source,
        }


def _within(kind: str, target: float, simulated: float) -> tuple[bool, str]:
    tol = targets()["tolerances"][kind]
    if "relative" in tol:
        limit = float(tol["relative"])
        return abs(simulated - target) <= limit * abs(target), f"±{limit:.0%}"
    limit = float(tol["absolute"])
    return abs(simulated - target) <= limit + 1e-12, f"±{limit * 100:g} pt"


def firm_count_rows(path: Path) -> list[CheckRow]:
    """Weighted records by CBS row and by size class against the CBS counts (same for every year)."""
    from peloton.model.enums import SbiSectie

    counts = firm_counts()
    table = pq.read_table(path, columns=["weight", "sbi_sectie", "werkzame_personen"])
    weights = table.column("weight").to_numpy()
    sections = np.asarray(table.column("sbi_sectie").cast("string").to_numpy(zero_copy_only=False))
    persons = table.column("werkzame_personen").to_numpy()
    edges = np.array([2, 50, 250, 500])
    size = np.searchsorted(edges, persons, side="right")
    section_row = {s: i for i, secs in enumerate(counts.sections) for s in secs}
    lookup = np.full(len(SbiSectie), -1)
    for item in SbiSectie:
        lookup[item.index] = section_row.get(item.name, -1)
    codes = np.array([SbiSectie[s].index for s in sections]) if len(sections) else np.zeros(0, int)
    row = lookup[codes]
    source = f"CBS {targets()['firm_counts']['table']} {targets()['firm_counts']['period'].split(' ')[0]}"
    out: list[CheckRow] = []
    by_row = np.bincount(row[row >= 0], weights=weights[row >= 0], minlength=len(counts.rows))
    by_size = np.bincount(size, weights=weights, minlength=5)
    for i, label in enumerate(counts.labels):
        target = float(counts.counts[i].sum())
        ok, tol = _within("firm_count", target, float(by_row[i]))
        out.append(
            CheckRow(
                "all",
                f"firms {label.split(' (')[0][:34]}",
                "target",
                f"{target:,.0f}",
                target,
                float(by_row[i]),
                tol,
                ok,
                source,
            )
        )
    for k, name in enumerate(SIZE_CLASSES):
        target = float(counts.counts[:, k].sum())
        ok, tol = _within("firm_count", target, float(by_size[k]))
        out.append(
            CheckRow(
                "all",
                f"firms, {name} working persons",
                "target",
                f"{target:,.0f}",
                target,
                float(by_size[k]),
                tol,
                ok,
                source,
            )
        )
    return out


def province_rows(path: Path, year: int) -> list[CheckRow]:
    """Weighted firms' share per province against the share of CBS establishments of the population's
    calibration year `year` (81578NED per COROP region, rolled up to provinces)."""
    from peloton.model.enums import Provincie

    table = pq.read_table(path, columns=["weight", "provincie"])
    weights = table.column("weight").to_numpy()
    names = np.asarray(table.column("provincie").cast("string").to_numpy(zero_copy_only=False))
    total = float(weights.sum())
    counts = province_establishments(year)
    all_establishments = sum(counts.values())
    source = f"CBS {province_data()['establishments']['table']} {year}, COROP regions rolled up"
    out: list[CheckRow] = []
    for item in Provincie:
        if item.name not in counts:
            continue
        target = counts[item.name] / all_establishments
        simulated = float(weights[names == item.name].sum()) / total if total else 0.0
        ok, tol = _within("province_share", target, simulated)
        published = f"{counts[item.name]:,.0f} of {all_establishments:,.0f} establishments"
        out.append(
            CheckRow(
                str(year),
                f"share of firms, {item.value}",
                "target",
                published,
                target,
                simulated,
                tol,
                ok,
                source,
            )
        )
    return out


def check_variables() -> tuple[str, ...]:
    """Variables the check sums over the WBSO's reached firms (info rows), named in targets.yaml."""
    names: list[str] = []
    for entry in targets()["wbso"]["years"].values():
        for item in entry.values():
            if isinstance(item, dict) and item.get("variable") and item["variable"] not in names:
                names.append(str(item["variable"]))
    return tuple(names)


def wbso_rows(year: int, results: Any) -> list[CheckRow]:
    """The year's WBSO targets against the simulated baseline (a `results.Results`)."""
    raw = targets()["wbso"]
    entry = raw["years"][year]
    stats = results.stats("baseline", str(raw["scheme"]))
    if not stats.computed:
        raise InputError("year", f"{year}: the WBSO cannot be computed: {stats.reason}")
    reached = stats.reached_firms
    firm_type = {g.group: g.reached for g in stats.by["firm_type"]}
    self_employed = sum(v for k, v in firm_type.items() if k.startswith("self-employed"))
    simulated = {
        "users": ("wbso_users", "WBSO users", reached),
        "sme_share": ("wbso_sme_share", "SME share of users", stats.sme_share_firms or 0.0),
        # the published WBSO benefit is afdrachtvermindering plus S&O-aftrek: the legal amounts
        "benefit_eur": ("wbso_benefit", "benefit EUR", stats.legal_amount_eur),
        "self_employed_share": (
            "wbso_self_employed_share",
            "self-employed share",
            self_employed / reached if reached else 0.0,
        ),
        "sme_benefit_share": ("wbso_sme_share", "SME share of benefit", stats.sme_share_money or 0.0),
    }
    out = _target_rows(year, entry, simulated)
    for key, label in (
        ("starters_share", "starters share"),
        ("so_costs_settled_eur", "S&O-grondslag EUR (vs settled)"),
    ):
        item = entry.get(key)
        if item is None or item.get("variable") not in stats.extras:
            continue
        total = stats.extras[item["variable"]]
        value = total / reached if key == "starters_share" and reached else total
        target = float(item["info"])
        out.append(
            CheckRow(
                str(year),
                label,
                "info",
                str(item.get("published", f"{target:,.0f}")),
                target,
                value,
                "",
                None,
                str(item.get("source", "")),
            )
        )
    return out


def innovatiebox_rows(year: int, results: Any) -> list[CheckRow]:
    """The year's innovatiebox targets (and inputs) against the simulated baseline (a `results.Results`)."""
    from peloton.simulate.evaluation import DIMENSIONS, SME_GROUPS

    raw = targets()["innovatiebox"]
    entry = raw["years"].get(year)
    if entry is None:
        return []
    stats = results.stats("baseline", str(raw["scheme"]))
    if not stats.computed:
        raise InputError("year", f"{year}: the innovatiebox cannot be computed: {stats.reason}")
    sme_names = {DIMENSIONS["size_class"][i] for i in SME_GROUPS}
    large_cost = sum(g.cost_eur for g in stats.by["size_class"] if g.group not in sme_names)
    simulated = {
        "users": ("innovatiebox_users", "innovatiebox users", stats.reached_firms),
        "sme_share": (
            "innovatiebox_sme_share",
            "innovatiebox SME share of users",
            stats.sme_share_firms or 0.0,
        ),
        "benefit_eur": ("innovatiebox_benefit", "innovatiebox tax saving EUR", stats.cost_eur),
        "large_benefit_share": (
            "innovatiebox_large_benefit_share",
            "innovatiebox large share of saving",
            large_cost / stats.cost_eur if stats.cost_eur else 0.0,
        ),
    }
    return _target_rows(year, entry, simulated)


def _target_rows(
    year: int, entry: dict[str, Any], simulated: dict[str, tuple[str, str, float]]
) -> list[CheckRow]:
    """One row per simulated measure the year's entry lists: a target with its verdict, or a
    generator input shown beside the value it produced."""
    out: list[CheckRow] = []
    for key, (tolerance_kind, label, value) in simulated.items():
        item = entry.get(key)
        if item is None:
            continue
        source = str(item.get("source", "") or item.get("derivation", ""))
        if "target" in item:
            target = float(item["target"])
            ok, tol = _within(tolerance_kind, target, value)
            published = str(item.get("published", target))
            out.append(CheckRow(str(year), label, "target", published, target, value, tol, ok, source))
        else:
            target = float(item["calibration_input"])
            _, tol = _within(tolerance_kind, target, value)
            published = str(item.get("published", "GAP: generator input"))
            out.append(CheckRow(str(year), label, "input", published, target, value, tol, None, source))
    return out


SCHEME_USE_MEASURES = {"cost": "cost EUR", "investment": "Energielijst investment EUR"}


def scheme_use_variables() -> tuple[str, ...]:
    """Variables the check sums over a scheme's reached firms for scheme_use rows (investment)."""
    return ("investering_energielijst",)


def scheme_use_rows(year: int, results: Any) -> list[CheckRow]:
    """The year's budgets and use figures of the other schemes against the simulated baseline: a
    realised figure within its tolerance, simulated cost at most a ceiling (plus its tolerance), an
    ex-ante budget shown without a verdict; a scheme the rules refuse that year says why."""
    out: list[CheckRow] = []
    tolerances = targets()["scheme_use_tolerances"]
    calibrated_on = targets()["scheme_use_population"]
    population = results.population
    same_population = population.records == int(calibrated_on["records"]) and int(
        population.metadata.get("seed", -1)
    ) == int(calibrated_on["seed"])
    for entry in targets()["scheme_use"]:
        if int(entry["year"]) != year:
            continue
        schemes = [results.stats("baseline", s) for s in entry["scheme"]]
        kind = str(entry["kind"])
        target = float(entry["value"])
        label = f"{'+'.join(s.id for s in schemes)} {SCHEME_USE_MEASURES[entry['statistic']]}"
        source = str(entry["source"])
        refused = [s for s in schemes if not s.computed]
        if refused:
            why = "; ".join(f"{s.id}: {s.reason}" for s in refused)
            out.append(
                CheckRow(
                    str(year),
                    label,
                    kind,
                    f"not computed ({why})"[:200],
                    target,
                    float("nan"),
                    "",
                    None,
                    source,
                )
            )
            continue
        if entry["statistic"] == "investment":
            simulated = sum(s.extras.get("investering_energielijst", 0.0) for s in schemes)
        else:
            simulated = sum(s.cost_eur for s in schemes)
        published = str(entry.get("published", f"{target:,.0f}"))
        if kind == "budget":
            out.append(CheckRow(str(year), label, kind, published, target, simulated, "", None, source))
            continue
        limit = float(tolerances[kind]["relative"])
        if kind == "ceiling":
            ok, tol = simulated <= target * (1 + limit), f"<= +{limit:.0%}"
        else:
            ok, tol = abs(simulated - target) <= limit * target, f"±{limit:.0%}"
        if not same_population:
            ok, tol = None, f"{tol}, verdict on {int(calibrated_on['records']):,} records only"
        out.append(CheckRow(str(year), label, kind, published, target, simulated, tol, ok, source))
    return out
