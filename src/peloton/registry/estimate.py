"""Money and projects by innovation kind: the naive count and an estimate corrected for the
classifier's measured error, with an interval.

Method (stated with every result): the held-out hand labels are a random sample of each fund's
projects, so among the sampled projects the classifier put in kind k, the share whose hand label
is j estimates P(true j | predicted k) for that fund. The corrected amount of kind j is the sum
over predicted kinds k of (amount predicted k) x P(j | k), the shares weighted by the sampled
projects' amounts so that large projects count as they do in the money; projects, likewise
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
from peloton.registry.measure import Labelled, held_out_labels, join_labels
from peloton.registry.store import RegistryStore

KIND_ORDER = ("product", "process", "both", "none", "unknown")
TRUE_ORDER = ("product", "process", "both", "none")
DRAWS = 2000
SEED = 17
LEVEL = 0.90
METHOD = (
    "confusion-matrix correction: P(hand label | predicted kind) from the held-out hand labels of the "
    "same fund (a random sample), applied to the predicted totals; amounts weighted by the labelled "
    f"projects' amounts; {LEVEL:.0%} interval from {DRAWS:,} bootstrap resamples of the labels"
)


@dataclass
class KindFigure:
    """One kind's naive and corrected totals."""

    kind: str
    projects_naive: int
    amount_naive: float
    projects_estimate: float | None = None
    projects_interval: tuple[float, float] | None = None
    amount_estimate: float | None = None
    amount_interval: tuple[float, float] | None = None


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
                    "projects_interval": list(f.projects_interval) if f.projects_interval else None,
                    "amount_estimate_eur": f.amount_estimate,
                    "amount_interval_eur": list(f.amount_interval) if f.amount_interval else None,
                }
                for f in self.figures
            ],
            "notes": self.notes,
        }


def _calibration(labels: list[Labelled], by_amount: bool) -> dict[str, dict[str, float]]:
    """P(true | predicted) per predicted kind, from labelled rows (amount-weighted if asked)."""
    totals: dict[str, float] = defaultdict(float)
    joint: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for item in labels:
        w = max(item.amount, 0.0) if by_amount else 1.0
        totals[item.predicted] += w
        joint[item.predicted][item.truth] += w
    return {k: {t: joint[k][t] / totals[k] for t in TRUE_ORDER} for k in totals if totals[k] > 0}


def _correct(
    predicted_totals: dict[str, float], calibration: dict[str, dict[str, float]]
) -> dict[str, float]:
    """Totals by hand-label kind; a predicted kind without calibration stays as predicted."""
    out: dict[str, float] = defaultdict(float)
    for k, total in predicted_totals.items():
        if k in calibration:
            for t, share in calibration[k].items():
                out[t] += total * share
        else:
            out[k] += total
    return out


def kind_estimate(store: RegistryStore, fund: str | None = None, source: str | None = None) -> KindEstimate:
    """Projects and money by innovation kind, naive and corrected for measured error."""
    where = []
    params: list[Any] = []
    if fund:
        where.append("upper(fund) = upper(?)")
        params.append(fund)
    if source:
        where.append("source = ?")
        params.append(source)
    sql = "SELECT coalesce(fund, ''), innovation_kind, count(*), coalesce(sum(amount), 0) FROM projects"
    if where:
        sql += " WHERE " + " AND ".join(where)
    rows = store.con.execute(sql + " GROUP BY 1, 2", params).fetchall()
    if not rows:
        raise InputError("--fund" if fund else "--source", f"no projects for {fund or source}")
    labels = join_labels(store, held_out_labels())
    by_fund_labels: dict[str, list[Labelled]] = defaultdict(list)
    for item in labels:
        by_fund_labels[item.fund.upper()].append(item)
    naive_n: dict[str, float] = defaultdict(float)
    naive_m: dict[str, float] = defaultdict(float)
    per_fund: dict[str, tuple[dict[str, float], dict[str, float]]] = {}
    for f, kind, n, amount in rows:
        naive_n[kind] += n
        naive_m[kind] += amount
        counts, money = per_fund.setdefault(f.upper(), ({}, {}))
        counts[kind] = counts.get(kind, 0) + n
        money[kind] = money.get(kind, 0) + amount
    notes: list[str] = []
    used = 0
    point_n: dict[str, float] = defaultdict(float)
    point_m: dict[str, float] = defaultdict(float)
    rng = np.random.default_rng(SEED)
    draws_n = np.zeros((DRAWS, len(KIND_ORDER)))
    draws_m = np.zeros((DRAWS, len(KIND_ORDER)))
    for f, (counts, money) in sorted(per_fund.items()):
        sample = by_fund_labels.get(f, [])
        if not sample:
            notes.append(
                f"{f or 'no fund'}: no held-out labels; "
                f"its {sum(counts.values()):,.0f} projects stay as predicted"
            )
            for k in counts:
                point_n[k] += counts[k]
                point_m[k] += money[k]
                draws_n[:, KIND_ORDER.index(k)] += counts[k]
                draws_m[:, KIND_ORDER.index(k)] += money[k]
            continue
        used += len(sample)
        cal_n, cal_m = _calibration(sample, False), _calibration(sample, True)
        missing = sorted(k for k in counts if k not in cal_n)
        if missing:
            notes.append(
                f"{f}: no labelled project was predicted {', '.join(missing)}; those stay as predicted"
            )
        for k, v in _correct(counts, cal_n).items():
            point_n[k] += v
        for k, v in _correct(money, cal_m).items():
            point_m[k] += v
        for d in range(DRAWS):
            resample = [sample[i] for i in rng.integers(0, len(sample), len(sample))]
            full_n, full_m = _calibration(resample, False), _calibration(resample, True)
            # a predicted kind that a resample happens to miss keeps the full sample's shares
            cn = {k: full_n.get(k, cal_n.get(k, {})) for k in counts}
            cm = {k: full_m.get(k, cal_m.get(k, {})) for k in money}
            for k, v in _correct(counts, {k: c for k, c in cn.items() if c}).items():
                draws_n[d, KIND_ORDER.index(k)] += v
            for k, v in _correct(money, {k: c for k, c in cm.items() if c}).items():
                draws_m[d, KIND_ORDER.index(k)] += v
    lo, hi = (1 - LEVEL) / 2 * 100, (1 + LEVEL) / 2 * 100
    figures = []
    for i, kind in enumerate(KIND_ORDER):
        if not naive_n.get(kind) and not point_n.get(kind):
            continue
        figures.append(
            KindFigure(
                kind,
                int(naive_n.get(kind, 0)),
                float(naive_m.get(kind, 0.0)),
                round(point_n.get(kind, 0.0), 1),
                (
                    round(float(np.percentile(draws_n[:, i], lo)), 1),
                    round(float(np.percentile(draws_n[:, i], hi)), 1),
                ),
                round(point_m.get(kind, 0.0), 0),
                (
                    round(float(np.percentile(draws_m[:, i], lo)), 0),
                    round(float(np.percentile(draws_m[:, i], hi)), 0),
                ),
            )
        )
    selection = " ".join(
        x for x in (f"fund {fund}" if fund else "", f"source {source}" if source else "") if x
    )
    return KindEstimate(
        selection or "all projects",
        int(sum(naive_n.values())),
        float(sum(naive_m.values())),
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
    is given. Returns the JSON-ready shape of `KindEstimate.as_dict()`.
    """
    if store is not None:
        return kind_estimate(store, fund="EFRO").as_dict()
    with RegistryStore.open(read_only=True) as opened:
        return kind_estimate(opened, fund="EFRO").as_dict()
