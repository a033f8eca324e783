"""How good the innovation-kind labels are: precision and recall per class on hand labels.

Two label sets: the held-out set (labels/held_out.yaml, labelled before the lexicon was written and
never used to tune it) and the development set (../shared/reference/registry/labelled_sample.yaml,
which the lexicon was tuned on, so its figures are optimistic). Both index rows of the bundled
Europa-om-de-hoek source, whose stored labels are what is measured.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from peloton.errors import InputError
from peloton.registry.classify import KINDS
from peloton.registry.store import RegistryStore

LABELLED_SOURCE = "europaomdehoek_2007_2013"
TRUE_KINDS = ("product", "process", "both", "none")


@dataclass(frozen=True)
class Labelled:
    """One hand-labelled row and what the classifier made of it."""

    row: int
    fund: str
    truth: str
    predicted: str
    amount: float
    reason: str


def held_out_labels() -> list[dict[str, Any]]:
    """The bundled held-out labels."""
    text = resources.files("peloton.registry").joinpath("labels/held_out.yaml").read_text(encoding="utf-8")
    data: list[dict[str, Any]] = yaml.safe_load(text)
    return data


def load_labels(path: Path) -> list[dict[str, Any]]:
    """A label file in the shape of labelled_sample.yaml (a list of {row, label, ...})."""
    if not path.exists():
        raise InputError("labels", f"no such file: {path}")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, list) or not all(
        isinstance(e, dict) and "row" in e and "label" in e for e in data
    ):
        raise InputError("labels", f"{path.name}: expected a list of entries with 'row' and 'label'")
    return data


def join_labels(store: RegistryStore, labels: list[dict[str, Any]]) -> list[Labelled]:
    """Each label next to the stored prediction for the same row of the bundled source."""
    rows = {
        r[0]: r[1:]
        for r in store.con.execute(
            "SELECT source_row, fund, innovation_kind, coalesce(amount, 0), kind_reason FROM projects "
            "WHERE source = ?",
            [LABELLED_SOURCE],
        ).fetchall()
    }
    out = []
    for e in labels:
        if e["label"] not in TRUE_KINDS:
            raise InputError(
                "labels", f"row {e['row']}: label {e['label']!r}; allowed: {', '.join(TRUE_KINDS)}"
            )
        if e["row"] not in rows:
            raise InputError("labels", f"row {e['row']} is not in the registry's {LABELLED_SOURCE} source")
        fund, predicted, amount, reason = rows[e["row"]]
        out.append(
            Labelled(int(e["row"]), str(fund), str(e["label"]), str(predicted), float(amount), str(reason))
        )
    return out


@dataclass(frozen=True)
class ClassScore:
    """Precision and recall of one class, with the counts they come from."""

    kind: str
    true_positive: int
    predicted: int
    actual: int

    @property
    def precision(self) -> float | None:
        return self.true_positive / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.true_positive / self.actual if self.actual else None


def scores(items: list[Labelled]) -> list[ClassScore]:
    """Per-class precision and recall; an `unknown` prediction counts as a miss for recall."""
    out = []
    for kind in (*TRUE_KINDS, "unknown"):
        tp = sum(1 for i in items if i.truth == kind and i.predicted == kind)
        out.append(
            ClassScore(
                kind,
                tp,
                sum(1 for i in items if i.predicted == kind),
                sum(1 for i in items if i.truth == kind),
            )
        )
    return out


def confusion(items: list[Labelled]) -> dict[tuple[str, str], int]:
    """(truth, predicted) -> count."""
    return dict(Counter((i.truth, i.predicted) for i in items))


def accuracy(items: list[Labelled]) -> float:
    """Share of rows whose predicted kind is the hand label."""
    return sum(i.truth == i.predicted for i in items) / len(items) if items else 0.0


def format_scores(name: str, items: list[Labelled]) -> str:
    """A plain-text table of per-class precision/recall and the confusion matrix."""

    def pct(v: float | None) -> str:
        return "   -" if v is None else f"{v:4.0%}"

    lines = [f"{name}: {len(items)} rows, accuracy {accuracy(items):.0%}"]
    lines.append(f"  {'class':8} {'precision':>14} {'recall':>14}")
    for s in scores(items):
        if s.actual == 0 and s.predicted == 0:
            continue
        lines.append(
            f"  {s.kind:8} {pct(s.precision)} ({s.true_positive:>2}/{s.predicted:>2})   "
            f"{pct(s.recall)} ({s.true_positive:>2}/{s.actual:>2})"
        )
    matrix = confusion(items)
    lines.append("  confusion (rows: hand label, columns: predicted)")
    lines.append(f"    {'':8}" + "".join(f"{k:>9}" for k in KINDS))
    for t in TRUE_KINDS:
        lines.append(f"    {t:8}" + "".join(f"{matrix.get((t, k), 0):>9}" for k in KINDS))
    return "\n".join(lines)
