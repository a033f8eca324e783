"""Check the figures of an answer against the monitor's stats store.

Why a data table (claim_measures.yaml) and a Protocol: which series a sentence speaks about is
domain knowledge that grows with every new document, so it lives in data next to this module and
not in code branches; and the store is another engineer's module, so the checker depends only on
the one method it needs. Figures whose only source is the seed itself ("seed:...") never confirm
anything: the seed is the document being checked.

That rule lives in one place, `peloton.stats.verify.check_in_store`: the reader uses it for every
figure it matches, and the monitor (peloton.stats.claims) for the seed figures it reports, each in
its own words.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from peloton.errors import InputError
from peloton.reader.claims import local_context
from peloton.reader.model import Claim
from peloton.stats.verify import StatsSource, check_in_store


@dataclass(frozen=True)
class MeasureRule:
    """One row of claim_measures.yaml: when a figure speaks about `measure`."""

    measure: str
    units: tuple[str, ...]
    all: tuple[str, ...] = ()
    any: tuple[str, ...] = ()
    none: tuple[str, ...] = ()
    sector_code: str | None = None


@cache
def load_rules() -> tuple[MeasureRule, ...]:
    """The claim→measure table shipped with the reader."""
    text = resources.files("peloton.reader").joinpath("claim_measures.yaml").read_text(encoding="utf-8")
    rows = yaml.safe_load(text)["rules"]
    return tuple(
        MeasureRule(
            measure=row["measure"],
            units=tuple(str(u) for u in row["units"]),
            all=tuple(row.get("all", ())),
            any=tuple(row.get("any", ())),
            none=tuple(row.get("none", ())),
            sector_code=row.get("sector_code"),
        )
        for row in rows
    )


@cache
def _keyword(word: str) -> re.Pattern[str]:
    end = r"(?![a-zà-ÿ])" if len(word) <= 4 else ""
    return re.compile(rf"(?<![\wÀ-ÿ]){re.escape(word)}{end}", re.IGNORECASE)


def _has(text: str, word: str) -> bool:
    return bool(_keyword(word).search(text))


def _unit_matches(claim: Claim, units: tuple[str, ...]) -> bool:
    unit = claim.unit.lower()
    if claim.kind == "percentage":
        return unit in units
    if claim.kind not in ("count", "amount"):
        return False
    return any(unit == u or unit.endswith(u) or unit.endswith("-" + u) for u in units)


def match_measure(
    claim: Claim, neighbours: list[str], rules: tuple[MeasureRule, ...] | None = None
) -> MeasureRule | None:
    """The rule that says which series this figure is about, or None (no rule, or a tie)."""
    table = rules if rules is not None else load_rules()
    before, after = local_context(claim.text, claim.raw, neighbours)
    scored: list[tuple[int, MeasureRule]] = []
    for rule in table:
        if not _unit_matches(claim, rule.units):
            continue
        in_sentence = sum(_has(claim.text, w) for w in rule.all)
        in_context = sum(_has(claim.context, w) for w in rule.all if not _has(claim.text, w))
        if in_sentence + in_context < len(rule.all):
            continue
        # words after a figure say what it counts ("97 procent tot het mkb"); words before count less
        hits_any = 2 * sum(_has(after, w) for w in rule.any) + sum(_has(before, w) for w in rule.any)
        if rule.any and not hits_any:
            continue
        if any(_has(before, w) or _has(after, w) for w in rule.none):
            continue
        scored.append((2 * in_sentence + in_context + hits_any, rule))
    if not scored:
        return None
    scored.sort(key=lambda pair: -pair[0])
    if len(scored) > 1 and scored[0][0] == scored[1][0]:
        return None
    return scored[0][1]


def _tolerance(claim: Claim) -> float:
    """Half a unit of the last digit written: "1,8" may be 1.75..1.85, "20.340" 20339.5..20340.5."""
    number = re.search(r"\d[\d.,]*", claim.raw)
    digits = number.group(0) if number else ""
    decimals = len(digits.split(",")[1]) if "," in digits else 0
    return 0.5 * 10**-decimals + 1e-9


def _agrees(claim: Claim, value: float) -> bool:
    stated = float(claim.value)
    if claim.qualifier == "more than":
        return value > stated
    if claim.qualifier == "less than":
        return value < stated
    if claim.qualifier in ("about", "almost", "up to"):
        return math.isclose(value, stated, rel_tol=0.05) or abs(value - stated) <= _tolerance(claim)
    return abs(value - stated) <= _tolerance(claim)


def check_claim(claim: Claim, neighbours: list[str], store: StatsSource) -> None:
    """Set claim.check/source/store_value/note from the store (in place)."""
    rule = match_measure(claim, neighbours)
    if rule is None:
        claim.note = "no matching series"
        return
    claim.measure = rule.measure
    if claim.period is None:
        claim.note = f"matches {rule.measure}, but the sentence names no year"
        return
    result = check_in_store(
        store, rule.measure, claim.period, rule.sector_code, lambda value: _agrees(claim, value)
    )
    if result.observation is None:
        claim.note = (
            f"{rule.measure} {claim.period}: only the seed itself reports this figure"
            if result.outcome == "seed only"
            else f"{rule.measure} {claim.period}: not in the stats store"
        )
        return
    claim.check = "confirmed" if result.outcome == "confirmed" else "differs"
    obs = result.observation
    claim.source = f"{obs.source} ({obs.table_id})" if getattr(obs, "table_id", "") else str(obs.source)
    claim.store_value = float(obs.value)
    confidence = getattr(obs, "confidence", "")
    claim.note = f"{rule.measure} {claim.period}: {obs.value:g} {obs.unit}".rstrip() + (
        f" ({confidence})" if confidence else ""
    )


def check_claims(claims: list[Claim], store: StatsSource | None) -> None:
    """Check every claim of one item; without a store every claim stays "not checkable"."""
    by_sentence: dict[str, list[str]] = {}
    for claim in claims:
        by_sentence.setdefault(claim.text, []).append(claim.raw)
    for claim in claims:
        if claim.kind in ("year", "period"):
            continue
        if store is None:
            rule = match_measure(claim, by_sentence[claim.text])
            claim.measure = rule.measure if rule else None
            claim.note = (
                f"matches {rule.measure}; stats store not available" if rule else "no matching series"
            )
            continue
        check_claim(claim, by_sentence[claim.text], store)


@contextlib.contextmanager
def open_default_store(path: Path | None) -> Iterator[tuple[StatsSource | None, str | None, str | None]]:
    """Yield (store, description, warning) for the monitor's stats store.

    Without `path` the monitor's default store is used (on a fresh machine the monitor serves its
    bundled snapshot); if that cannot be opened the figures are "not checkable" with a warning.
    A store the user named with `--store PATH` must exist and open: otherwise an InputError,
    because they asked for it.
    """
    try:
        from peloton.stats import store as store_module
    except ImportError:
        if path is not None:
            raise InputError(
                "store", "the stats store module (peloton.stats.store) is not installed"
            ) from None
        yield None, None, "stats store module not available; figures are not checkable"
        return
    try:
        opened = store_module.Store.open(Path(path) if path is not None else None, read_only=True)
    except Exception as exc:  # a broken or locked default store must not stop reading the document
        if path is not None:
            if isinstance(exc, InputError):
                raise
            raise InputError("store", f"cannot open the stats store at {path}: {exc}") from None
        yield None, None, f"cannot open the stats store ({exc}); figures are not checkable"
        return
    with opened as store:
        if store.path is not None:
            description = str(store.path)
        else:
            version = store.meta().get("snapshot_version", "unknown version")
            description = f"bundled snapshot of the stats store ({version})"
        yield store, description, None
