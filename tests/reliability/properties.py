"""What every property test of a reader holds to: hypothesis settings bounded by RELIABILITY_SCALE
(examples) and by a deadline per example (time, measured by hypothesis, never asserted by hand), and
the one check of a refusal: an InputError whose message is one short line naming a field."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import timedelta
from typing import Any, TypeVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from tests.reliability.conftest import SCALE

from peloton.errors import InputError
from peloton.user_text import BIDI_CONTROLS

T = TypeVar("T")
MAX_MESSAGE_CHARS = 600  # an error line a terminal or a form shows whole


def bounded(examples: int, seconds: float) -> settings:
    """`examples` cases (times RELIABILITY_SCALE). `seconds` is the bound a case should stay within;
    it is enforced as hypothesis's deadline only when RELIABILITY_DEADLINES=1 (benchmarks and manual
    runs): a wall-clock limit in the CI suite would fail on a busy machine, not on slow code."""
    enforce = os.environ.get("RELIABILITY_DEADLINES") == "1"
    return settings(
        max_examples=max(5, int(examples * SCALE)),
        deadline=timedelta(seconds=seconds) if enforce else None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
        database=None,
    )


def assert_one_line(exc: InputError) -> None:
    """A refusal the user can act on: a field is named, and the message is one bounded line."""
    assert exc.field.strip(), f"no field named: {exc!r}"
    text = str(exc)
    assert not any(c in text for c in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"), repr(text[:200])
    assert len(text) <= MAX_MESSAGE_CHARS, f"{len(text)} characters: {text[:120]!r}..."


def shown_text(max_size: int) -> st.SearchStrategy[str]:
    """Text a name may hold: any character but controls, lone surrogates and bidi controls."""
    chars = st.characters(exclude_categories=["Cc", "Cs"], exclude_characters=sorted(BIDI_CONTROLS))
    return st.text(chars, min_size=1, max_size=max_size)


def read_or_refusal(read: Callable[..., T], *args: Any) -> T | None:
    """What `read(*args)` returns, or None when it refuses the input the one way allowed."""
    try:
        return read(*args)
    except InputError as exc:
        assert_one_line(exc)
        return None


# Every scalar JSON or YAML gives: null, booleans, integers beyond 64 bits, floats with NaN and
# infinities, any text.
SCALARS = st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | st.text(max_size=30)


def trees(scalars: st.SearchStrategy[Any], keys: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Anything a decoded JSON or YAML document can hold: `scalars` in lists and mappings by `keys`."""
    return st.recursive(
        scalars,
        lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=5),
        max_leaves=30,
    )
