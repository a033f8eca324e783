"""Which eligible firms apply: a uniform draw per firm and scheme against its size class's take-up rate.

The rates are parameters of the rules model (`takeup.<scheme>`, read by peloton.core.takeup). A firm
applies to a scheme when a uniform draw made from its record id and the scheme id falls below its size
class's rate. The draw depends on nothing else, so it is the same in baseline and reform, in every
chunk and on every machine: "reached" stays comparable between scenarios, and a chunked run equals an
unchunked one.
"""

from __future__ import annotations

import hashlib

import numpy as np

from peloton.core.takeup import Takeup


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
