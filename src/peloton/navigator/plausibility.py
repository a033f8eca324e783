"""Plausibility notes: where a profile's inputs contradict each other (hours no staff can work).

The rules compute the legal amount from what the profile says; they do not ask whether it can be
true. A profile with 0 FTE and 3,000 S&O hours gets a WBSO amount without a word, and a reader
takes it for advice. These notes say where the inputs cannot all be right. They never change an
amount: the law is applied to the inputs as given. The bounds and their reasoning live in
plausibility.yaml, not here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from peloton.navigator.profile import Profile


@dataclass(frozen=True)
class Bounds:
    """The numbers the notes compare with, read from plausibility.yaml."""

    hours_in_a_year: float


@cache
def bounds() -> Bounds:
    """plausibility.yaml, read once."""
    text = resources.files("peloton.navigator").joinpath("plausibility.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return Bounds(hours_in_a_year=float(data["hours_in_a_year"]["value"]))


def _number(profile: Profile, variable: str) -> float | None:
    """The profile's value of `variable` for its year, when given as a number."""
    value = profile.value(variable)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def plausibility_notes(profile: Profile) -> list[str]:
    """One sentence per contradiction among the profile's inputs; empty when there is none."""
    notes: list[str] = []
    hours = _number(profile, "so_uren")
    staff = _number(profile, "personeel_fte")
    if hours is not None and hours > 0 and staff is not None:
        most = staff * bounds().hours_in_a_year
        if staff == 0:
            notes.append(
                f"so_uren is {hours:,.0f} S&O hours of employees, but personeel_fte is 0: hours given "
                "with no staff (an IB-ondernemer's own hours belong in so_uren_eigen); the amounts "
                "are computed from the inputs as given"
            )
        elif hours > most:
            notes.append(
                f"so_uren is {hours:,.0f} S&O hours, more than {staff:,g} FTE can work in a year "
                f"({staff:,g} x {bounds().hours_in_a_year:,.0f} hours, every hour of a leap year, = "
                f"{most:,.0f}); the amounts are computed from the inputs as given"
            )
    own = _number(profile, "so_uren_eigen")
    total = _number(profile, "uren_onderneming")
    if own is not None and total is not None and own > total:
        notes.append(
            f"so_uren_eigen ({own:,.0f} hours) is more than uren_onderneming ({total:,.0f} hours), "
            "the hours spent on the enterprise that include them; the amounts are computed from the "
            "inputs as given"
        )
    return notes
