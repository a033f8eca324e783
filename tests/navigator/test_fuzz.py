"""Fuzz: whatever a profile holds, parsing ends in a Profile or an InputError, never another error."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from peloton.errors import InputError
from peloton.model import tax_benefit_system
from peloton.navigator.evaluate import evaluate
from peloton.navigator.profile import parse_profile

NAMES = [
    *sorted(n for n, v in tax_benefit_system().variables.items() if not v.formulas),
    "onzin",
    "so_grondslag",
]
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True),
    st.text(max_size=12),
    st.sampled_from(["bv", "eenmanszaak", "forfait", "starter"]),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)
PROFILES = st.fixed_dictionaries(
    {"year": st.one_of(st.integers(2015, 2030), st.text(max_size=5), st.none())},
    optional={"onderneming": st.dictionaries(st.sampled_from(NAMES), VALUES, max_size=6)},
)


@settings(max_examples=150, deadline=None)
@given(PROFILES)
def test_profiles_parse_or_fail_with_input_error(data: dict) -> None:
    try:
        profile = parse_profile(data)
    except InputError as exc:
        assert exc.field and str(exc)
        return
    results = evaluate([profile])
    assert results[0].year == profile.year
