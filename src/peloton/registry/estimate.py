"""Money and projects by innovation kind: the naive count and an estimate corrected for the
classifier's measured error, with an interval.

Method (stated with every result): the held-out hand labels are a random sample of each fund's
projects, so among the sampled projects the classifier put in kind k, the share whose hand label
is j estimates P(true j | predicted k) for that fund. The corrected amount of kind j is the sum
over predicted kinds k of (amount predicted k) x P(j | k), with the shares weighted by the sampled
projects' amounts so that large projects count as they do in the money; projects likewise,
unweighted. The 90% interval comes from resampling the held-out labels with replacement (2,000
draws, fixed seed). A fund without held-out labels, or a predicted kind no labelled project fell
into, is left as predicted and said so.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from peloton.errors import InputError
from peloton.registry.measure import LABELLED_SOURCE, Labelled, held_out_labels, join_labels
from peloton.registry.store import RegistryStore

KIND_ORDER = ("product", "process", "both", "none", "unknown")
DRAWS = 2000
SEED = 17
LEVEL = 0.90
METHOD = (
    "confusion-matrix correction: P(hand label | predicted kind) from the held-out hand labels of the "
    "same fund (a random sample), applied to the predicted totals; amounts weighted by the labelled "
    f"projects' amounts; {LEVEL:.0%} interval from {DRAWS:,} bootstrap resamples of the labels"
)
_K = len(KIND_ORDER)


@dataclass
class KindFigure:
    """One kind's naive and corrected totals."""

    kind: str
    projects_naive: int
    amount_naive: float
    projects_estimate: float
    projects_interval: tuple[float, float]
    amount_estimate: float
    amount_interval: tuple[float, float]


@dataclass
class KindEstimate:
    """Projects and money by innovation kind for a selection (e.g. fund EFRO), naive and corrected."""

    selection: str
    projects: int
    amount: float
    figures: list[KindFigure]
    method: str
    labelled: int
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "selection": self.selection,
            "label": "estimate",
            "method": self.method,
            "held_out_labels_used": self.labelled,
            "projects": self.projects,
            "amount_eur": self.amount,
            "by_kind": [
                {
                    "kind": f.kind,
                    "projects_naive": f.projects_naive,
                    "amount_naive_eur": f.amount_naive,
                    "projects_estimate": f.projects_estimate,
                    "projects_interval": list(f.projects_interval),
                    "amount_estimate_eur": f.amount_estimate,
                    "amount_interval_eur": list(f.amount_interval),
                }
                for f in self.figures
            ],
            "notes": self.notes,
        }


@dataclass(frozen=True)
class Calibration:
    """P(true | predicted) as K x K matrices: the point estimate and one per bootstrap draw.

    Row k is the predicted kind, column j the hand label; a predicted kind without labelled
    projects keeps its own kind (an identity row), which `uncalibrated` lists.
    """

    point: np.ndarray  # (K, K)
    draws: np.ndarray  # (DRAWS, K, K)
    uncalibrated: tuple[str, ...]


def _shares(joint: np.ndarray, fallback: np.ndarray) -> np.ndarray:
    """Row-normalise joint weights (..., K, K); rows without weight take the fallback's row."""
    totals = joint.sum(axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where(totals > 0, joint / np.where(totals > 0, totals, 1), 0.0)
    return np.where(totals > 0, shares, fallback)


def calibrate(sample: list[Labelled], by_amount: bool) -> Calibration:
    """The calibration of one fund's held-out sample (vectorised bootstrap)."""
    predicted = np.array([KIND_ORDER.index(i.predicted) for i in sample])
    truth = np.array([KIND_ORDER.index(i.truth) for i in sample])
    weight = np.array([max(i.amount, 0.0) if by_amount else 1.0 for i in sample])
    codes = predicted * _K + truth
    joint = np.bincount(codes, weights=weight, minlength=_K * _K).reshape(_K, _K)
    identity = np.eye(_K)
    point = _shares(joint, identity)
    rng = np.random.default_rng(SEED)
    picks = rng.integers(0, len(sample), size=(DRAWS, len(sample)))
    offsets = (np.arange(DRAWS) * _K * _K)[:, None]
    draws_joint = np.bincount(
        (codes[picks] + offsets).ravel(), weights=weight[picks].ravel(), minlength=DRAWS * _K * _K
    ).reshape(DRAWS, _K, _K)
    # a predicted kind that a resample happens to miss keeps the full sample's shares
    draws = _shares(draws_joint, np.broadcast_to(point, (DRAWS, _K, _K)))
    uncalibrated = tuple(KIND_ORDER[k] for k in range(_K) if joint[k].sum() == 0)
    return Calibration(point, draws, uncalibrated)


def _fund_samples(store: RegistryStore) -> dict[str, list[Labelled]]:
    samples: dict[str, list[Labelled]] = defaultdict(list)
    for item in join_labels(store, held_out_labels()):
        samples[item.fund.upper()].append(item)
    return samples


def kind_estimate(
    store: RegistryStore,
    fund: str | None = None,
    source: str | None = None,
    year: int | None = None,
    no_year: bool = False,
) -> KindEstimate:
    """Projects and money by innovation kind, naive and corrected for measured error.

    `year` selects one year; `no_year` the projects without a year (so a split by year adds up).
    """
    where: list[str] = ["year IS NULL"] if no_year else []
    params: list[Any] = []
    for clause, value in (("upper(fund) = upper(?)", fund), ("source = ?", source), ("year = ?", year)):
        if value is not None:
            where.append(clause)
            params.append(value)
    sql = (
        "SELECT upper(coalesce(fund, '')), innovation_kind, count(*), coalesce(sum(amount), 0) FROM projects"
    )
    if where:
        sql += " WHERE " + " AND ".join(where)
    rows = store.con.execute(sql + " GROUP BY 1, 2", params).fetchall()
    if not rows:
        what = " ".join(str(v) for v in (fund, source, year) if v is not None)
        raise InputError("--fund" if fund else "--source" if source else "--year", f"no projects for {what}")
    counts: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(_K))
    money: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(_K))
    for f, kind, n, amount in rows:
        counts[f][KIND_ORDER.index(kind)] += n
        money[f][KIND_ORDER.index(kind)] += amount
    samples = _fund_samples(store)
    notes: list[str] = []
    used = 0
    point_n, point_m = np.zeros(_K), np.zeros(_K)
    draws_n, draws_m = np.zeros((DRAWS, _K)), np.zeros((DRAWS, _K))
    for f in sorted(counts):
        sample = samples.get(f, [])
        if not sample:
            notes.append(
                f"{f or 'no fund'}: no held-out labels; its {counts[f].sum():,.0f} projects stay as predicted"
            )
            point_n += counts[f]
            point_m += money[f]
            draws_n += counts[f]
            draws_m += money[f]
            continue
        used += len(sample)
        cal_n, cal_m = calibrate(sample, by_amount=False), calibrate(sample, by_amount=True)
        missing = [k for k in cal_n.uncalibrated if counts[f][KIND_ORDER.index(k)] > 0]
        if missing:
            notes.append(
                f"{f}: no labelled project was predicted {', '.join(missing)}; those stay as predicted"
            )
        point_n += counts[f] @ cal_n.point
        point_m += money[f] @ cal_m.point
        draws_n += np.einsum("k,dkj->dj", counts[f], cal_n.draws)
        draws_m += np.einsum("k,dkj->dj", money[f], cal_m.draws)
    naive_n = sum(counts.values(), np.zeros(_K))
    naive_m = sum(money.values(), np.zeros(_K))
    lo, hi = (1 - LEVEL) / 2 * 100, (1 + LEVEL) / 2 * 100
    figures = []
    for i, kind in enumerate(KIND_ORDER):
        if naive_n[i] == 0 and point_n[i] < 0.05:
            continue
        figures.append(
            KindFigure(
                kind,
                int(naive_n[i]),
                float(naive_m[i]),
                round(float(point_n[i]), 1),
                (
                    round(float(np.percentile(draws_n[:, i], lo)), 1),
                    round(float(np.percentile(draws_n[:, i], hi)), 1),
                ),
                round(float(point_m[i]), 0),
                (
                    round(float(np.percentile(draws_m[:, i], lo)), 0),
                    round(float(np.percentile(draws_m[:, i], hi)), 0),
                ),
            )
        )
    parts = [
        f"fund {fund}" if fund else "",
        f"source {source}" if source else "",
        f"year {year}" if year else "",
        "no year" if no_year else "",
    ]
    return KindEstimate(
        " ".join(p for p in parts if p) or "all projects",
        int(naive_n.sum()),
        float(naive_m.sum()),
        figures,
        METHOD,
        used,
        notes,
    )


def efro_kind_estimate(store: RegistryStore | None = None) -> dict[str, Any]:
    """EFRO money and projects by innovation kind, naive and corrected: for the monitor's Q7 section.

    The minister could not say how EFRO money splits between product and process innovation; this
    is peloton's answer from the project descriptions, labelled as an estimate with its method.
    Opens the default registry read-only (the bundled snapshot on a fresh machine) unless a store
    is given. Only the bundled Europa-om-de-hoek source counts (the one the held-out labels sample),
    so a user's second import of the same or another EFRO file does not double the money. Returns
    the JSON-ready shape of `KindEstimate.as_dict()`.
    """
    if store is not None:
        return kind_estimate(store, fund="EFRO", source=LABELLED_SOURCE).as_dict()
    with RegistryStore.open(read_only=True) as opened:
        return kind_estimate(opened, fund="EFRO", source=LABELLED_SOURCE).as_dict()
