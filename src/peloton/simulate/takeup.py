"""Take-up: which eligible firms apply, by scheme and EU size class (data/takeup.yaml).

Take-up describes behaviour, not law, so it lives with the simulator and not among the rules' legal
parameters. A firm applies to a scheme when a uniform draw made from its record id and the scheme id
falls below its size class's rate. The draw depends on nothing else, so it is the same in baseline and
reform, in every chunk and on every machine: "reached" stays comparable between scenarios, and a
chunked run equals an unchunked one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import yaml

from peloton.errors import InputError
from peloton.model.enums import MkbGrootteklasse

SIZE_CLASSES: tuple[str, ...] = tuple(item.name for item in MkbGrootteklasse)
METHODS = ("sourced", "calibrated", "assumption")


@dataclass(frozen=True)
class Takeup:
    """Take-up rates of one scheme for one year, with how they were derived."""

    scheme: str
    rates: tuple[float, ...]  # by MkbGrootteklasse index: micro, klein, middelgroot, groot
    method: str
    derivation: str
    source: str | None
    valid_from: str
    is_default: bool = False

    def by_class(self) -> dict[str, float]:
        return dict(zip(SIZE_CLASSES, self.rates, strict=True))

    def as_dict(self) -> dict[str, Any]:
        return {
            "scheme": self.scheme,
            "rates": self.by_class(),
            "method": self.method,
            "source": self.source,
            "derivation": self.derivation,
            "valid_from": self.valid_from,
            "default": self.is_default,
        }


def parse_rates(field: str, raw: Any) -> tuple[float, ...]:
    """A rate per size class (`{micro: .., klein: .., middelgroot: .., groot: ..}`) or one for all."""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        values = {name: float(raw) for name in SIZE_CLASSES}
    elif isinstance(raw, Mapping):
        unknown = [k for k in raw if k not in SIZE_CLASSES]
        if unknown:
            raise InputError(field, f"unknown size class {unknown[0]!r}; allowed: {', '.join(SIZE_CLASSES)}")
        missing = [k for k in SIZE_CLASSES if k not in raw]
        if missing:
            raise InputError(field, f"no rate for size class {missing[0]!r}")
        values = {}
        for name in SIZE_CLASSES:
            value = raw[name]
            if not isinstance(value, int | float) or isinstance(value, bool):
                raise InputError(f"{field}.{name}", f"expected a number between 0 and 1, got {value!r}")
            values[name] = float(value)
    else:
        raise InputError(field, "expected a rate between 0 and 1, or one per size class")
    for name, value in values.items():
        if not 0.0 <= value <= 1.0:
            raise InputError(f"{field}.{name}", f"rate {value:g} outside 0..1")
    return tuple(values[name] for name in SIZE_CLASSES)


def _entries(scheme: str, raw: Any, is_default: bool) -> list[Takeup]:
    out = []
    for entry in raw:
        method = str(entry["method"])
        if method not in METHODS:
            raise ValueError(f"takeup.yaml: {scheme}: method {method!r} not one of {METHODS}")
        out.append(
            Takeup(
                scheme=scheme,
                rates=parse_rates(f"takeup.{scheme}.rates", entry["rates"]),
                method=method,
                derivation=" ".join(str(entry["derivation"]).split()),
                source=entry.get("source"),
                valid_from=str(entry["from"]),
                is_default=is_default,
            )
        )
    return sorted(out, key=lambda t: t.valid_from)


@cache
def _table() -> tuple[dict[str, list[Takeup]], list[Takeup]]:
    text = resources.files("peloton.simulate").joinpath("data/takeup.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    schemes = {sid: _entries(sid, entries, False) for sid, entries in raw["schemes"].items()}
    return schemes, _entries("default", raw["default"], True)


def _at(entries: list[Takeup], year: int) -> Takeup | None:
    chosen = None
    for entry in entries:
        if date.fromisoformat(entry.valid_from) <= date(year, 12, 31):
            chosen = entry
    return chosen


def takeup_for(scheme: str, year: int, own: Takeup | None = None) -> Takeup:
    """The scheme's rates for `year`: its own (a reform's new scheme), its file entry, else the default."""
    if own is not None:
        return own
    schemes, default = _table()
    entry = _at(schemes.get(scheme, []), year)
    if entry is not None:
        return entry
    fallback = _at(default, year) or default[0]
    return Takeup(
        scheme=scheme,
        rates=fallback.rates,
        method=fallback.method,
        derivation=fallback.derivation,
        source=fallback.source,
        valid_from=fallback.valid_from,
        is_default=True,
    )


def _scheme_key(scheme: str) -> np.uint64:
    return np.uint64(int.from_bytes(hashlib.sha256(scheme.encode()).digest()[:8], "little"))


def _splitmix64(x: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser: a well-mixed 64-bit hash of each value, vectorised (uint64 wraps)."""
    x = x + np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def draws(ids: np.ndarray, scheme: str) -> np.ndarray:
    """A uniform number in [0, 1) per record, a function of its id and the scheme id only."""
    x = _splitmix64(np.asarray(ids).astype(np.uint64) ^ _scheme_key(scheme))
    return (_splitmix64(x) >> np.uint64(11)).astype(np.float64) * 2.0**-53


def applies(ids: np.ndarray, size_class: np.ndarray, takeup: Takeup, scheme: str) -> np.ndarray:
    """True where the firm applies: its draw is below the rate of its size class."""
    rates = np.asarray(takeup.rates, dtype=np.float64)
    if (rates >= 1.0).all():
        return np.ones(len(ids), dtype=bool)
    return draws(ids, scheme) < rates[np.asarray(size_class, dtype=np.int64)]
