"""A stated figure against the store: confirmed, differs, or only the seed says so.

Why here: the monitor's report and the reader both check figures from answer documents against the
store, and a figure whose only source is the seed itself must never count as confirmed. One rule,
used by both, so the two cannot drift.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

SEED_PREFIX = "seed:"

StoreOutcome = Literal["confirmed", "differs", "seed only", "not in store"]


def is_seed_source(source: str) -> bool:
    """True for a store value whose only source is the seed document (its source starts "seed:")."""
    return str(source).startswith(SEED_PREFIX)


class ObservationLike(Protocol):
    """The fields of a store observation that a check reads."""

    @property
    def source(self) -> str: ...
    @property
    def table_id(self) -> str: ...
    @property
    def period(self) -> str: ...
    @property
    def value(self) -> float: ...
    @property
    def unit(self) -> str: ...


class StatsSource(Protocol):
    """Anything that answers the monitor store's `observations` query."""

    def observations(
        self, measure: str, period: str | None = None, sector_code: str | None = None
    ) -> Sequence[ObservationLike]: ...


@dataclass(frozen=True)
class StoreCheck:
    """What the store says about one stated figure.

    `outcome` is "confirmed" or "differs" when an independent source holds the figure, "seed only"
    when only the seed reports it (which cannot confirm the seed), "not in store" when nothing does.
    `observation` is the independent row compared (the agreeing one if any), None otherwise.
    """

    outcome: StoreOutcome
    observation: ObservationLike | None
    observations: tuple[ObservationLike, ...]


def check_in_store(
    store: StatsSource,
    measure: str,
    period: str,
    sector_code: str | None,
    agrees: Callable[[float], bool],
) -> StoreCheck:
    """Compare one stated figure with the store's independent values of `measure` in `period`."""
    observations = tuple(store.observations(measure, period=period, sector_code=sector_code))
    independent = [o for o in observations if not is_seed_source(o.source)]
    if not independent:
        return StoreCheck("seed only" if observations else "not in store", None, observations)
    chosen = next((o for o in independent if agrees(float(o.value))), None)
    outcome: StoreOutcome = "confirmed" if chosen is not None else "differs"
    return StoreCheck(outcome, chosen or independent[0], observations)
