"""The synthetic population of Dutch firms: generated from a seed, calibrated, cached as Parquet.

Design (docs/population.md has the full account):

* Structure: CBS 81588NED 2024Q2 firm counts by sector row and size class (targets.yaml). Records are
  spread over the (row × size class) cells, large firms oversampled; each record's weight is its cell's
  count divided by the cell's records, so weighted counts equal the CBS counts exactly.
* WBSO users: a stratum of records (10% of records, at most 60,000) stands for the published number of
  users of the year, split into self-employed, SME employers and large firms by the published shares;
  they carry S&O hours, the other records none. Their S&O hours are scaled, per stratum, until the
  rules model's WBSO amount meets the published benefit and the SME share of benefit: the rules
  compute every candidate, nothing of the WBSO is re-implemented here.
* Provinces: each province's share of the firms is its share of CBS establishments (81578NED, per COROP
  region rolled up to provinces, data/provinces.yaml) in the calibration year, independent of sector and
  size (that independence is an assumption).
* Everything else (legal form, family business, turnover, profit, projects, investments, where the
  users of a scheme sit by sector) is a labelled assumption from assumptions.yaml, not calibrated.

The same seed gives the same file, byte for byte: one `numpy.random.SeedSequence` per part, fixed
ordering, no timestamps in the metadata.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from peloton.core.columns import simulation_from_columns
from peloton.core.inputs import encode_enum
from peloton.core.schemes import scheme_arrays, scheme_rule, scheme_totals
from peloton.errors import InputError
from peloton.model import tax_benefit_system
from peloton.model.enums import Rechtsvorm
from peloton.simulate.calibration import (
    SIZE_CLASSES,
    InnovatieboxInputs,
    WbsoInputs,
    assumptions,
    calibration_year,
    data_digest,
    firm_counts,
    innovatiebox_inputs,
    province_data,
    province_shares,
    solve_scale,
    targets,
    wbso_inputs,
)
from peloton.simulate.population import METADATA_KEY, population_dir

# 3: money columns stored as float64 (exact to the cent); 4: provinces from CBS establishment counts,
# innovatiebox users outside the WBSO drawn with the WBSO's sector propensity
GENERATOR_VERSION = 4
# Stratum codes of a record.
GENERAL, SELF_EMPLOYED, SME_EMPLOYER, LARGE = 0, 1, 2, 3
Progress = Callable[[str], None]


def _noop(_: str) -> None:
    return None


# ----------------------------------------------------------------------------------- small helpers


def _largest_remainder(shares: np.ndarray, total: int) -> np.ndarray:
    """Whole numbers proportional to `shares` summing to `total` (deterministic tie order)."""
    shares = np.asarray(shares, dtype=np.float64)
    if total <= 0 or shares.sum() <= 0:
        return np.zeros(shares.shape, dtype=np.int64)
    exact = shares / shares.sum() * total
    base = np.floor(exact).astype(np.int64)
    rest = total - int(base.sum())
    if rest > 0:
        order = np.argsort(-(exact - base), kind="stable")
        base[order[:rest]] += 1
    return base


def _capped(shares: np.ndarray, total: float, cap: np.ndarray) -> np.ndarray:
    """Split `total` in proportion to `shares`, no cell above `cap`; excess goes to the other cells."""
    out = np.zeros_like(shares, dtype=np.float64)
    free = (shares > 0) & (cap > 0)
    remaining = total
    for _ in range(100):
        if remaining <= 1e-9 or not free.any():
            break
        part = np.where(free, shares, 0.0)
        add = part / part.sum() * remaining
        room = cap - out
        over = free & (add >= room)
        if not over.any():
            out += add
            remaining = 0.0
            break
        out[over] = cap[over]
        remaining = total - out.sum()
        free = free & ~over
    if remaining > 1e-6 * max(total, 1.0):
        raise ValueError(f"cannot place {total:,.0f} firms: the cells' capacity is too small")
    return out


def _choice(rng: np.random.Generator, options: Mapping[str, float], n: int) -> np.ndarray:
    names = list(options)
    probs = np.array([float(options[k]) for k in names])
    return np.array(names, dtype=object)[rng.choice(len(names), size=n, p=probs / probs.sum())]


def _lognormal(rng: np.random.Generator, median: np.ndarray | float, sigma: float, n: int) -> np.ndarray:
    return np.asarray(median) * np.exp(sigma * rng.standard_normal(n))


def _persons(rng: np.random.Generator, klass: str, n: int) -> np.ndarray:
    """Working persons within a CBS size class: a power law p(k) ~ k^-alpha on the class's range."""
    spec = assumptions()["size_classes"][klass]
    lo, hi = (int(v) for v in spec["persons"])
    if lo == hi:
        return np.full(n, lo, dtype=np.int64)
    a = float(spec["alpha"])
    u = rng.random(n)
    lo_f, hi_f = float(lo), float(hi + 1)
    if abs(a - 1.0) < 1e-9:
        x = lo_f * (hi_f / lo_f) ** u
    else:
        e = 1.0 - a
        x = (lo_f**e + u * (hi_f**e - lo_f**e)) ** (1.0 / e)
    return np.clip(np.floor(x), lo, hi).astype(np.int64)


def _provinces(weight: np.ndarray, u: np.ndarray, shares: Mapping[str, float]) -> np.ndarray:
    """Provinces so that the weighted firms per province meet `shares` to within one record's weight.

    The records are taken in the random order of `u` and cut, by cumulative weight, into one run per
    province of the share's length (systematic sampling): a province's records are a random sample of
    every sector and size, and its weighted share misses the target by less than one record.
    """
    names = np.array(list(shares), dtype=object)
    edges = np.cumsum([float(shares[k]) for k in shares])
    order = np.argsort(u, kind="stable")
    cumulative = np.cumsum(weight[order])
    middle = (cumulative - weight[order] / 2.0) / cumulative[-1]
    out = np.empty(len(weight), dtype=object)
    out[order] = names[np.minimum(np.searchsorted(edges / edges[-1], middle, side="right"), len(names) - 1)]
    return out


# ----------------------------------------------------------------------------------- the records


@dataclass
class _Records:
    """The population under construction: one array per column, plus the design columns."""

    row: np.ndarray  # CBS row index
    klass: np.ndarray  # size class index (SIZE_CLASSES)
    stratum: np.ndarray
    weight: np.ndarray
    columns: dict[str, np.ndarray]

    def __len__(self) -> int:
        return len(self.row)


def _so_cells(inputs: WbsoInputs) -> dict[int, tuple[np.ndarray, float]]:
    """Per WBSO stratum: the users expected in each (row, class) cell, capped at a share of the cell."""
    counts = firm_counts()
    a = assumptions()["wbso_users"]
    sector = np.array([float(a["sector_propensity"][r]) for r in counts.rows])
    capacity = counts.counts * float(a["cap_share"])
    out: dict[int, tuple[np.ndarray, float]] = {}
    for stratum, key, total in (
        (LARGE, "large", inputs.large),
        (SME_EMPLOYER, "sme_employer", inputs.sme_employers),
        (SELF_EMPLOYED, "self_employed", inputs.self_employed),
    ):
        size = np.array([float(a["size_propensity"][key].get(k, 0.0)) for k in SIZE_CLASSES])
        shares = counts.counts * sector[:, None] * size[None, :]
        users = _capped(shares.ravel(), total, capacity.ravel()).reshape(counts.counts.shape)
        capacity = capacity - users
        out[stratum] = (users, total)
    return out


def _design(records: int, inputs: WbsoInputs, rng: np.random.Generator) -> _Records:
    """Cells, records per cell and weights, so that weighted counts meet CBS and the WBSO users."""
    counts = firm_counts()
    sample = assumptions()["sample"]
    n_so = int(min(round(records * float(sample["so_record_share"])), int(sample["so_records_max"])))
    shares = sample["so_stratum_record_shares"]
    n_self = round(n_so * float(shares["self_employed"]))
    n_large = round(n_so * float(shares["large"]))
    per_stratum = {SELF_EMPLOYED: n_self, LARGE: n_large, SME_EMPLOYER: n_so - n_self - n_large}
    cells = _so_cells(inputs)
    rows, klasses, strata, weights = [], [], [], []
    so_weight = np.zeros(counts.counts.shape)
    for stratum in (SELF_EMPLOYED, SME_EMPLOYER, LARGE):
        users, total = cells[stratum]
        alloc = _largest_remainder(users.ravel(), per_stratum[stratum]).reshape(users.shape)
        w_cell = np.divide(users, alloc, out=np.zeros_like(users), where=alloc > 0)
        placed = float((w_cell * alloc).sum())
        w_cell *= total / placed if placed > 0 else 0.0  # cells without records: their users move
        for r, k in zip(*np.nonzero(alloc), strict=True):
            m = int(alloc[r, k])
            rows.append(np.full(m, r))
            klasses.append(np.full(m, k))
            strata.append(np.full(m, stratum))
            weights.append(np.full(m, w_cell[r, k]))
            so_weight[r, k] += w_cell[r, k] * m
    remaining = counts.counts - so_weight
    if (remaining < -1e-6).any() or ((counts.counts > 0) & (remaining < 0.2 * counts.counts)).any():
        raise ValueError("WBSO users take too large a share of a CBS cell; lower cap_share")
    n_general = records - n_so
    over = np.array([float(sample["general_oversampling"][k]) for k in SIZE_CLASSES])
    nonempty = remaining > 0.5
    if n_general < int(nonempty.sum()) * 2:
        raise InputError("records", f"at least {int(nonempty.sum()) * 2 + n_so} records are needed")
    cap = np.floor(np.where(nonempty, np.maximum(remaining * float(sample["max_records_per_firm"]), 1), 0))
    if cap.sum() < n_general:  # more records than max_records_per_firm allows: lift the cap evenly
        cap = np.ceil(cap * (n_general / cap.sum()) * 1.01)
    target = _capped((remaining * over[None, :]).ravel(), float(n_general - nonempty.sum()), cap.ravel() - 1)
    alloc = _largest_remainder(target, n_general - int(nonempty.sum())).reshape(remaining.shape)
    alloc = alloc + nonempty.astype(np.int64)
    for r, k in zip(*np.nonzero(alloc), strict=True):
        m = int(alloc[r, k])
        rows.append(np.full(m, r))
        klasses.append(np.full(m, k))
        strata.append(np.full(m, GENERAL))
        weights.append(np.full(m, remaining[r, k] / m))
    row = np.concatenate(rows).astype(np.int64)
    order = rng.permutation(len(row))  # records in random order: chunks are mixed samples
    return _Records(
        row=row[order],
        klass=np.concatenate(klasses).astype(np.int64)[order],
        stratum=np.concatenate(strata).astype(np.int64)[order],
        weight=np.concatenate(weights).astype(np.float64)[order],
        columns={},
    )


@cache
def _ib_forms(year: int) -> tuple[str, ...]:
    """The legal forms whose entrepreneur pays income tax, as the rules model decides it (not a copy)."""
    forms = np.array([item.name for item in Rechtsvorm])
    simulation = simulation_from_columns({"rechtsvorm": forms}, year)
    return tuple(
        str(f) for f in forms[np.asarray(simulation.calculate("is_ib_ondernemer", str(year)), dtype=bool)]
    )


def _sme_turnover_ceiling(year: int) -> float:
    """The EU SME definition's turnover ceiling in force, from the rules model's parameters."""
    return float(tax_benefit_system().parameters(f"{year}-01-01").mkb.middelgroot.max_jaaromzet)


def _firm_attributes(rec: _Records, rng: np.random.Generator, year: int) -> None:
    """Size, sector, province, legal form, age, turnover, profit: assumptions, by row and class."""
    a = assumptions()
    counts = firm_counts()
    n = len(rec)
    cols = rec.columns
    persons = np.zeros(n, dtype=np.int64)
    for k, name in enumerate(SIZE_CLASSES):
        idx = np.flatnonzero(rec.klass == k)
        persons[idx] = _persons(rng, name, len(idx))
    cols["werkzame_personen"] = persons
    lo, hi = (float(v) for v in a["fte_per_person"])
    fte = persons * rng.uniform(lo, hi, n)
    fte = np.where(rec.stratum == LARGE, np.maximum(fte, 250.0), fte)
    cols["personeel_fte"] = fte
    # SBI section within the row
    section = np.empty(n, dtype=object)
    for r, secs in enumerate(counts.sections):
        idx = np.flatnonzero(rec.row == r)
        if len(secs) == 1:
            section[idx] = secs[0]
        else:
            split = a["sections_within_rows"][counts.rows[r]]
            section[idx] = _choice(rng, {s: split[s] for s in secs if split[s] > 0}, len(idx))
    cols["sbi_sectie"] = section
    cols["provincie"] = _provinces(rec.weight, rng.random(n), province_shares(year))
    # legal form
    form = np.empty(n, dtype=object)
    for k, name in enumerate(SIZE_CLASSES):
        idx = np.flatnonzero((rec.klass == k) & (rec.stratum == GENERAL))
        form[idx] = _choice(rng, a["legal_forms"][name], len(idx))
    wu = a["wbso_users"]
    idx = np.flatnonzero(rec.stratum == SELF_EMPLOYED)
    form[idx] = _choice(rng, wu["self_employed_legal_forms"], len(idx))
    idx = np.flatnonzero(rec.stratum == SME_EMPLOYER)
    form[idx] = _choice(rng, wu["sme_employer_legal_forms"], len(idx))
    form[(rec.stratum == SME_EMPLOYER) & (persons == 1)] = "bv"  # a one-person employer is a BV (DGA)
    idx = np.flatnonzero(rec.stratum == LARGE)
    form[idx] = _choice(rng, a["legal_forms"]["500+"], len(idx))
    cols["rechtsvorm"] = form
    ib = np.isin(form, _ib_forms(year))
    staff = np.where(persons >= 2, rng.random(n) < float(a["withholding_agent"]["two_or_more_persons"]), ~ib)
    staff = np.where(np.isin(rec.stratum, (SME_EMPLOYER, LARGE)), True, staff)
    staff = np.where(rec.stratum == SELF_EMPLOYED, False, staff)
    cols["is_inhoudingsplichtige"] = staff
    family = np.array([float(a["family_business"][k]) for k in SIZE_CLASSES])[rec.klass]
    cols["is_familiebedrijf"] = rng.random(n) < family
    age = a["age_years"]
    leeftijd = np.clip(
        np.round(_lognormal(rng, float(age["median"]), float(age["sigma"]), n)), 0, int(age["max"])
    )
    cols["leeftijd"] = leeftijd.astype(np.int64)
    # money
    t = a["turnover_per_fte_eur"]
    median = np.array([float(t["medians"][r]) for r in counts.rows])[rec.row]
    turnover = np.maximum(fte, 0.5) * _lognormal(rng, median, float(t["sigma"]), n)
    ceiling = _sme_turnover_ceiling(year)
    turnover = np.where(rec.stratum == SME_EMPLOYER, np.minimum(turnover, ceiling), turnover)
    cols["jaaromzet"] = turnover
    cols["balanstotaal"] = turnover * _lognormal(rng, float(t["balance_ratio"]), 0.6, n)
    p = a["profit"]
    margin = np.where(
        ib,
        rng.normal(float(p["margin_ib"]["mean"]), float(p["margin_ib"]["sd"]), n),
        rng.normal(float(p["margin_corporate"]["mean"]), float(p["margin_corporate"]["sd"]), n),
    )
    profit = margin * turnover
    cols["belastbare_winst"] = profit
    rate = p["ib_marginal_rate"]
    cols["marginaal_tarief"] = np.where(
        ib, np.where(profit < float(rate["threshold_eur"]), float(rate["low"]), float(rate["high"])), -1.0
    )


def _so_attributes(rec: _Records, inputs: WbsoInputs, rng: np.random.Generator) -> np.ndarray:
    """S&O history, wages, costs, project kind; returns the base hours before calibration."""
    a = assumptions()["wbso_users"]
    n = len(rec)
    cols = rec.columns
    so = rec.stratum != GENERAL
    employer = np.isin(rec.stratum, (SME_EMPLOYER, LARGE))
    large = rec.stratum == LARGE
    # starters: at most 4 of the 5 preceding years as employer/entrepreneur, at most 2 with a verklaring
    starter = so & (rng.random(n) < inputs.starters_share)
    age = cols["leeftijd"].copy()
    age = np.where(starter, rng.integers(0, 5, n), age)
    age = np.where(so & ~starter, np.maximum(age, 5), age)
    cols["leeftijd"] = age
    cols["aantal_jaren_ondernemer_voorgaand"] = np.minimum(age, 5)
    verklaring = np.where(starter, np.minimum(rng.integers(0, 3, n), age), rng.integers(1, 6, n))
    cols["aantal_jaren_so_verklaring_voorgaand"] = np.where(so, verklaring, 0)
    t2 = a["had_verklaring_t2"]
    had = np.where(
        starter,
        (verklaring >= 1) & (age >= 2) & (rng.random(n) < float(t2["starter"])),
        rng.random(n) < float(t2["non_starter"]),
    )
    cols["had_so_verklaring_twee_jaar_eerder"] = so & employer & had
    wage = a["hourly_wage"]
    cols["so_uurloon_opgegeven"] = np.where(
        employer,
        _lognormal(rng, np.where(large, float(wage["large"]), float(wage["sme"])), float(wage["sigma"]), n),
        0.0,
    )
    forfait = rng.random(n) < np.where(
        large, float(a["forfait_share"]["large"]), float(a["forfait_share"]["sme"])
    )
    cols["wbso_kosten_keuze"] = np.where(employer & ~forfait, "werkelijk", "forfait").astype(object)
    costs = a["actual_costs_per_hour"]
    cols["_cost_per_hour"] = _lognormal(rng, float(costs["median"]), float(costs["sigma"]), n)
    dev = a["development_cost_per_hour"]
    cols["_dev_cost_per_hour"] = _lognormal(rng, float(dev["median"]), float(dev["sigma"]), n)
    # self-employed: own hours and hours in the enterprise, both criteria met
    self_employed = rec.stratum == SELF_EMPLOYED
    lo, hi = (float(v) for v in a["own_hours"])
    cols["so_uren_eigen"] = np.where(self_employed, rng.uniform(lo, hi, n), 0.0)
    lo, hi = (float(v) for v in a["enterprise_hours"])
    cols["uren_onderneming"] = np.where(self_employed, rng.uniform(lo, hi, n), 0.0)
    kinds = _choice(rng, a["project_kinds"], n)
    cols["innovatie_soort"] = np.where(so, kinds, "geen").astype(object)
    # base hours: intensity x FTE x hours per FTE (scaled by the calibration)
    intensity = np.array([float(a["intensity"][k]) for k in SIZE_CLASSES])[rec.klass]
    intensity = np.minimum(
        _lognormal(rng, intensity, float(a["intensity_sigma"]), n), float(a["intensity_max"])
    )
    return np.where(employer, intensity * cols["personeel_fte"] * float(a["hours_per_fte"]), 0.0)


def _project_attributes(rec: _Records, rng: np.random.Generator) -> None:
    """Innovation projects of firms without S&O, and other projects and investments: assumptions."""
    a = assumptions()
    n = len(rec)
    cols = rec.columns
    general = rec.stratum == GENERAL
    fte = cols["personeel_fte"]
    inno = a["innovation_without_so"]
    u = rng.random(n)
    edge = np.zeros(n)
    kind = cols["innovatie_soort"].copy() if "innovatie_soort" in cols else np.full(n, "geen", dtype=object)
    for name in ("proces", "product", "software"):
        share = np.array([float(inno["shares"][name][k]) for k in SIZE_CLASSES])[rec.klass]
        hit = general & (u >= edge) & (u < edge + share)
        kind[hit] = name
        edge = edge + share
    cols["innovatie_soort"] = kind
    c = inno["costs"]
    inno_costs = _lognormal(rng, float(c["base"]) * (1.0 + fte) ** float(c["exponent"]), float(c["sigma"]), n)
    cols["ontwikkelingskosten"] = np.where(general & (kind != "geen"), inno_costs, 0.0)

    def pick(spec: Mapping[str, Any]) -> np.ndarray:
        share = np.array([float(spec["shares"].get(k, 0.0)) for k in SIZE_CLASSES])[rec.klass]
        return rng.random(n) < share

    for name in (
        "kennisvraag_factuur",
        "haalbaarheid_projectkosten",
        "investering_energielijst",
        "opleidingskosten",
    ):
        spec = a["projects_and_investments"][name]
        has = pick(spec)
        cols[name] = np.where(has, _lognormal(rng, float(spec["median"]), float(spec["sigma"]), n), 0.0)
    spec = a["projects_and_investments"]["rd_samenwerking_projectkosten"]
    has = pick(spec)
    lo, hi = (int(v) for v in spec["participants"])
    participants = rng.integers(lo, hi + 1, n)
    project = _lognormal(rng, float(spec["median"]), float(spec["sigma"]), n)
    cols["rd_samenwerking_projectkosten"] = np.where(has, project, 0.0)
    cols["rd_samenwerking_kosten_eigen"] = np.where(has, project / participants, 0.0)
    cols["aantal_mkb_deelnemers"] = np.where(has, participants, 0)
    spec = a["projects_and_investments"]["investering_milieulijst"]
    has = pick(spec)
    cols["investering_milieulijst"] = np.where(
        has, _lognormal(rng, float(spec["median"]), float(spec["sigma"]), n), 0.0
    )
    category = _choice(rng, spec["categories"], n)
    cols["milieulijst_categorie"] = np.where(has, category, "geen").astype(object)
    cols["heeft_vamil_code"] = has & (
        (category == "alleen_vamil") | (rng.random(n) < float(spec["vamil_share"]))
    )


BOX_INPUTS = (
    "innovatiebox_voordelen",
    "activum_met_so_verklaring",
    "heeft_octrooi_of_gelijkwaardig",
    "bruto_voordelen_immaterieel_vijf_jaar",
    "netto_omzet_vijf_jaar",
)


@dataclass
class _BoxUsers:
    """The innovatiebox users drawn before calibration: their records, size group and draws."""

    sme: np.ndarray  # record indices of SME users
    large: np.ndarray  # record indices of large users
    share: np.ndarray  # per record: qualifying benefits / taxable profit, before scaling (capped at 1)
    patent: np.ndarray  # per record: holds a patent or an equivalent right


def _take(order: np.ndarray, weight: np.ndarray, goal: float) -> np.ndarray:
    """The shortest prefix of `order` whose weight is nearest to `goal` (whole records)."""
    if goal <= 0 or not len(order):
        return order[:0]
    cumulative = np.cumsum(weight[order])
    n = int(np.searchsorted(cumulative, goal))
    if n >= len(order):
        return order
    below = cumulative[n - 1] if n > 0 else 0.0
    return order[: n if goal - below < cumulative[n] - goal else n + 1]


def _innovatiebox_users(
    rec: _Records, rng: np.random.Generator, inputs: InnovatieboxInputs, year: int
) -> _BoxUsers:
    """Draw the innovatiebox users per size group, WBSO users first, with a chance rising with profit.

    Candidates pay corporate tax and make a profit. Each gets the priority log(u) / chance (a weighted
    draw without replacement, Efraimidis-Spirakis), the chance being the profit; WBSO users of the group
    come first, then (only when they are too few) other profitable corporate firms of the group, which
    hold the asset flag: an S&O-verklaring in an earlier year. Their chance is profit times the WBSO
    users' sector propensity, so that they sit where S&O firms sit. Records are taken until the weighted
    count meets the target.
    """
    a = assumptions()["innovatiebox"]
    n = len(rec)
    cols = rec.columns
    profit = cols["belastbare_winst"]
    candidate = ~np.isin(cols["rechtsvorm"], _ib_forms(year)) & (profit > 0)
    # firms outside the year's WBSO users: a chance rising with profit where S&O firms sit by sector
    sector = assumptions()["wbso_users"]["sector_propensity"]
    propensity = np.array([float(sector[r]) for r in firm_counts().rows])[rec.row]
    chance = np.where(rec.stratum == GENERAL, profit * propensity, profit)
    key = np.log(rng.random(n)) / np.where(candidate, chance, 1.0)
    groups = {
        "sme": (
            rec.stratum == SME_EMPLOYER,
            np.isin(rec.klass, (1, 2)) & (cols["jaaromzet"] <= _sme_turnover_ceiling(year)),
        ),
        "large": (rec.stratum == LARGE, rec.klass >= 3),
    }
    goals = {"sme": inputs.sme, "large": inputs.large}
    chosen: dict[str, np.ndarray] = {}
    for name, (wbso, other) in groups.items():
        first = np.flatnonzero(candidate & wbso)
        rest = np.flatnonzero(candidate & other & (rec.stratum == GENERAL))
        order = np.concatenate(
            [first[np.argsort(-key[first], kind="stable")], rest[np.argsort(-key[rest], kind="stable")]]
        )
        chosen[name] = np.sort(_take(order, rec.weight, goals[name]))
    s = a["share_of_profit"]
    share = _lognormal(rng, float(s["median"]), float(s["sigma"]), n)
    patent = rng.random(n) < float(a["patent_share_sme"])
    patent[chosen["large"]] = True
    return _BoxUsers(chosen["sme"], chosen["large"], share, patent)


def _box_columns(
    profit: np.ndarray, share: np.ndarray, patent: np.ndarray, turnover: np.ndarray, limit: float
) -> dict[str, np.ndarray]:
    """Inputs of users: benefits = share x profit (share at most 1); a patent when the benefits are large."""
    benefits = np.minimum(share, 1.0) * np.maximum(profit, 0.0)
    five_year = benefits * 5.0
    return {
        "innovatiebox_voordelen": benefits,
        "activum_met_so_verklaring": np.ones(len(profit), dtype=bool),
        "heeft_octrooi_of_gelijkwaardig": patent | (five_year >= limit),
        "bruto_voordelen_immaterieel_vijf_jaar": five_year,
        "netto_omzet_vijf_jaar": turnover * 5.0,
    }


def _calibrate_innovatiebox(
    rec: _Records, users: _BoxUsers, inputs: InnovatieboxInputs, year: int
) -> dict[str, float]:
    """Scale the users' box share of profit per group until the rules' tax saving meets the targets.

    Qualifying benefits are a share of the taxable profit (at most all of it); the shares of a group are
    scaled together and each candidate scale is evaluated by the rules model
    (innovatiebox_belastingbesparing) on the group's records. The profit itself is not changed.
    """
    system = tax_benefit_system()
    cols = rec.columns
    n = len(rec)
    cols["innovatiebox_voordelen"] = np.zeros(n)
    cols["activum_met_so_verklaring"] = np.zeros(n, dtype=bool)
    cols["heeft_octrooi_of_gelijkwaardig"] = np.zeros(n, dtype=bool)
    cols["bruto_voordelen_immaterieel_vijf_jaar"] = np.zeros(n)
    cols["netto_omzet_vijf_jaar"] = cols["jaaromzet"] * 5.0
    limit = float(
        system.parameters(
            f"{year}-01-01"
        ).innovatiebox.kleinere_belastingplichtige.max_bruto_voordelen_vijf_jaar
    )
    goals = {
        "sme": (users.sme, inputs.benefit_eur * (1.0 - inputs.large_benefit_share)),
        "large": (users.large, inputs.benefit_eur * inputs.large_benefit_share),
    }
    factors: dict[str, float] = {}
    for name, (idx, goal) in goals.items():
        if not len(idx):
            continue
        sub = _input_columns(rec, idx, system)
        profit, share, patent = cols["belastbare_winst"][idx], users.share[idx], users.patent[idx]
        turnover, weights = cols["jaaromzet"][idx], rec.weight[idx]

        def saving(
            k: float,
            sub: dict[str, np.ndarray] = sub,
            profit: np.ndarray = profit,
            share: np.ndarray = share,
            patent: np.ndarray = patent,
            turnover: np.ndarray = turnover,
            weights: np.ndarray = weights,
        ) -> float:
            sub.update(_box_columns(profit, share * k, patent, turnover, limit))
            simulation = simulation_from_columns(sub, year)
            value = simulation.calculate("innovatiebox_belastingbesparing", str(year))
            return float((np.asarray(value, dtype=np.float64) * weights).sum())

        k = solve_scale(saving, goal)
        for column, values in _box_columns(profit, share * k, patent, turnover, limit).items():
            cols[column][idx] = values
        factors[name] = k
    return factors


# ----------------------------------------------------------------------------------- calibration


def _input_columns(rec: _Records, idx: np.ndarray, system: Any) -> dict[str, np.ndarray]:
    """The rules' inputs of the records `idx`, enum names encoded once (calibration reuses them)."""
    out: dict[str, np.ndarray] = {}
    for name, values in rec.columns.items():
        variable = system.variables.get(name)
        if variable is None or variable.formulas:
            continue
        enum = getattr(variable, "possible_values", None)
        out[name] = encode_enum(name, enum, values[idx]) if enum is not None else values[idx]
    return out


def _scheme_amount(columns: Mapping[str, np.ndarray], year: int, scheme: str) -> np.ndarray:
    """The scheme's total legal amount per firm, from the rules model (peloton.core.schemes' totals)."""
    rule = scheme_rule(scheme)
    simulation = simulation_from_columns(columns, year)
    return scheme_totals(scheme_arrays(simulation, rule, str(year)), rule).amount


def _hours(base_hours: np.ndarray, fte: np.ndarray, scale: np.ndarray | float) -> np.ndarray:
    """S&O hours: base x scale, at most FTE x max hours per FTE, at least one hour for an S&O firm."""
    most = fte * float(assumptions()["wbso_users"]["max_hours_per_fte"])
    hours = np.minimum(base_hours * scale, most)
    return np.where(base_hours > 0, np.maximum(hours, 1.0), 0.0)


def _set_hours(rec: _Records, base_hours: np.ndarray, scale: np.ndarray) -> None:
    """Write the calibrated hours and what follows from them: actual costs, development costs."""
    cols = rec.columns
    hours = _hours(base_hours, cols["personeel_fte"], scale)
    cols["so_uren"] = hours
    werkelijk = cols["wbso_kosten_keuze"] == "werkelijk"
    cols["so_kosten_uitgaven_werkelijk"] = np.where(werkelijk, hours * cols["_cost_per_hour"], 0.0)
    so_dev = (rec.stratum != GENERAL) & np.isin(cols["innovatie_soort"], ("product", "proces", "software"))
    dev_hours = np.where(rec.stratum == SELF_EMPLOYED, cols["so_uren_eigen"], hours)
    cols["ontwikkelingskosten"] = np.where(
        so_dev, dev_hours * cols["_dev_cost_per_hour"], cols["ontwikkelingskosten"]
    )


def _calibrate(rec: _Records, base_hours: np.ndarray, inputs: WbsoInputs, year: int) -> dict[str, float]:
    """Scale S&O hours per stratum until the rules' benefit and SME share of benefit meet the targets.

    Each candidate scale is evaluated by the rules model on the stratum's records; only the hours and
    the costs that follow from them change between candidates.
    """
    system = tax_benefit_system()
    scheme = str(targets()["wbso"]["scheme"])
    scale = np.ones(len(rec))
    _set_hours(rec, base_hours, scale)
    self_idx = np.flatnonzero(rec.stratum == SELF_EMPLOYED)
    self_amount = float(
        (_scheme_amount(_input_columns(rec, self_idx, system), year, scheme) * rec.weight[self_idx]).sum()
    )
    goals = {
        SME_EMPLOYER: inputs.benefit_eur * inputs.sme_benefit_share - self_amount,
        LARGE: inputs.benefit_eur * (1.0 - inputs.sme_benefit_share),
    }
    werkelijk_all = rec.columns["wbso_kosten_keuze"] == "werkelijk"
    factors: dict[str, float] = {}
    for stratum, goal in goals.items():
        idx = np.flatnonzero(rec.stratum == stratum)
        sub = _input_columns(rec, idx, system)
        base, fte = base_hours[idx], rec.columns["personeel_fte"][idx]
        werkelijk, cost = werkelijk_all[idx], rec.columns["_cost_per_hour"][idx]
        weights = rec.weight[idx]

        def benefit(
            k: float,
            sub: dict[str, np.ndarray] = sub,
            base: np.ndarray = base,
            fte: np.ndarray = fte,
            werkelijk: np.ndarray = werkelijk,
            cost: np.ndarray = cost,
            weights: np.ndarray = weights,
        ) -> float:
            hours = _hours(base, fte, k)
            sub["so_uren"] = hours
            sub["so_kosten_uitgaven_werkelijk"] = np.where(werkelijk, hours * cost, 0.0)
            return float((_scheme_amount(sub, year, scheme) * weights).sum())

        k = solve_scale(benefit, goal)
        scale[idx] = k
        factors["sme_employer" if stratum == SME_EMPLOYER else "large"] = k
    _set_hours(rec, base_hours, scale)
    factors["self_employed_benefit_eur"] = self_amount
    return factors


# ----------------------------------------------------------------------------------- the table


def _enum_array(name: str, values: np.ndarray, enum: Any) -> pa.DictionaryArray:
    """Item names → a dictionary column over all the enum's items (one lookup per distinct name)."""
    items = [item.name for item in enum]
    lookup = {item: i for i, item in enumerate(items)}
    encoded = pa.array(values, pa.string()).dictionary_encode()
    mapping = np.array([lookup[v] for v in encoded.dictionary.to_pylist()], dtype=np.int16)
    codes = mapping[np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int64)]
    return pa.DictionaryArray.from_arrays(pa.array(codes, pa.int16()), pa.array(items, pa.string()))


def _table(rec: _Records, system: Any, metadata: dict[str, Any]) -> pa.Table:
    arrays: dict[str, pa.Array] = {
        "id": pa.array(np.arange(len(rec), dtype=np.int64)),
        "weight": pa.array(rec.weight.astype(np.float64)),
        "synthetic": pa.array(np.ones(len(rec), dtype=bool)),
        "werkzame_personen": pa.array(rec.columns["werkzame_personen"].astype(np.int32)),
        "leeftijd": pa.array(rec.columns["leeftijd"].astype(np.int32)),
    }
    for name in sorted(rec.columns):
        variable = system.variables.get(name)
        if variable is None or variable.formulas:
            continue
        values = rec.columns[name]
        enum = getattr(variable, "possible_values", None)
        if enum is not None:
            arrays[name] = _enum_array(name, values, enum)
        elif variable.value_type is bool:
            arrays[name] = pa.array(values.astype(bool))
        elif variable.value_type is int:
            arrays[name] = pa.array(values.astype(np.int32))
        else:
            arrays[name] = pa.array(values.astype(np.float64))
    table = pa.table(arrays)
    return table.replace_schema_metadata({METADATA_KEY: json.dumps(metadata, sort_keys=True).encode()})


def generate(year: int, records: int, seed: int, progress: Progress = _noop) -> pa.Table:
    """A calibrated synthetic population for `year` as an Arrow table (see the module docstring)."""
    minimum = int(assumptions()["sample"]["min_records"])
    if records < minimum:
        raise InputError("records", f"at least {minimum:,} records (got {records:,})")
    cal_year = calibration_year(year)
    inputs = wbso_inputs(cal_year)
    system = tax_benefit_system()
    system_inputs = {n for n, v in system.variables.items() if not v.formulas}
    streams = np.random.SeedSequence(seed).spawn(6)
    design_rng, firm_rng, so_rng, project_rng, box_rng, _ = (np.random.default_rng(s) for s in streams)
    progress("placing records in CBS cells")
    rec = _design(records, inputs, design_rng)
    progress("firm attributes")
    _firm_attributes(rec, firm_rng, cal_year)
    base_hours = _so_attributes(rec, inputs, so_rng)
    _project_attributes(rec, project_rng)
    box_inputs = innovatiebox_inputs(cal_year)
    box_users = _innovatiebox_users(rec, box_rng, box_inputs, cal_year)
    progress(f"calibrating S&O hours to the {cal_year} WBSO benefit")
    factors = _calibrate(rec, base_hours, inputs, cal_year)
    box_factors: dict[str, float] = {}
    if set(BOX_INPUTS) <= system_inputs:
        progress(f"calibrating innovatiebox benefits to the {cal_year} tax saving")
        box_factors = _calibrate_innovatiebox(rec, box_users, box_inputs, cal_year)
    progress("writing")
    counts = firm_counts()
    metadata = {
        "synthetic": True,
        "generator_version": GENERATOR_VERSION,
        "seed": seed,
        "records": len(rec),
        "weighted_firms": round(float(rec.weight.sum()), 3),
        "calibration_year": cal_year,
        "firm_counts": f"CBS {targets()['firm_counts']['table']} {targets()['firm_counts']['period']}",
        "firm_counts_total": counts.total,
        "province_shares": f"CBS {province_data()['establishments']['table']} {cal_year} (COROP rolled up)",
        "wbso_inputs": {
            "users": inputs.users,
            "sme_share": inputs.sme_share,
            "self_employed_share": inputs.self_employed_share,
            "benefit_eur": inputs.benefit_eur,
            "sme_benefit_share": inputs.sme_benefit_share,
            "starters_share": inputs.starters_share,
        },
        "hours_scale": {k: round(v, 6) for k, v in factors.items()},
        "innovatiebox_inputs": {
            "users": box_inputs.users,
            "sme_share": box_inputs.sme_share,
            "benefit_eur": box_inputs.benefit_eur,
            "large_benefit_share": box_inputs.large_benefit_share,
        },
        "innovatiebox_share_scale": {k: round(v, 6) for k, v in box_factors.items()},
        "data_digest": data_digest(),
        "note": "every record is synthetic; see docs/population.md for targets, sources and assumptions",
    }
    return _table(rec, system, metadata)


def cache_path(year: int, records: int, seed: int) -> Path:
    """Where the population for this (calibration year, size, seed, generator, data) is cached."""
    system = tax_benefit_system()
    inputs = ",".join(sorted(n for n, v in system.variables.items() if not v.formulas))
    digest = hashlib.sha256(f"{data_digest()}|{inputs}".encode()).hexdigest()[:10]
    cal_year = calibration_year(year)
    name = f"synthetic-{cal_year}-{records}-seed{seed}-v{GENERATOR_VERSION}-{digest}.parquet"
    return population_dir() / name


def write(table: pa.Table, path: Path) -> None:
    """Write atomically (a temporary file renamed into place), so a killed run leaves no half file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    pq.write_table(table, tmp, row_group_size=100_000, compression="zstd")
    os.replace(tmp, path)


def ensure(year: int, records: int, seed: int, progress: Progress = _noop) -> Path:
    """The cached population file for these settings, generated first when it is not there yet."""
    path = cache_path(year, records, seed)
    if not path.exists():
        write(generate(year, records, seed, progress), path)
    return path
