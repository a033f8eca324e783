"""Fuzz: whatever the text, the reader raises nothing but InputError and drops no line."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peloton.errors import InputError
from peloton.reader import read_document

from .reader_support import SEED, assert_no_line_lost

_SEED_LINES = (
    SEED.read_text(encoding="utf-8").split("\n") if SEED.exists() else ["1", "Vraag?", "Antwoord", "Ja."]
)
_FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_line = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        ["", "1", "2", "Vraag 3", "Antwoord", "Antwoord 2 en 3", "1 CBS, 2021", "https://x.nl", "\f"]
    ),
    st.sampled_from(_SEED_LINES),
)


def _read(text: str) -> None:
    try:
        doc = read_document(text, check=False)
    except InputError:
        return
    assert_no_line_lost(doc)


@_FUZZ
@given(st.text(max_size=400))
def test_random_text(text: str) -> None:
    _read(text if "\n" in text else text + "\n")


@_FUZZ
@given(st.permutations(_SEED_LINES))
def test_shuffled_seed_lines(lines: list[str]) -> None:
    _read("\n".join(lines))


@_FUZZ
@given(st.lists(_line, max_size=40))
def test_mixed_structure_lines(lines: list[str]) -> None:
    _read("\n".join(lines) + "\n")
