"""Properties of the profile reader (peloton.navigator.profile): any mapping, any YAML or JSON text
either reads as a Profile or is refused with one InputError line naming a field, within a deadline;
and a valid profile generated from the input specification reads back exactly the values it gave,
whether it comes as data, as YAML or as JSON."""

from __future__ import annotations

import json
import math
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given
from hypothesis import strategies as st
from tests.reliability.properties import SCALARS, bounded, read_or_refusal, shown_text, trees

from peloton.catalog import covered_years
from peloton.core.inputs import BOOL, ENUM, FLOAT, INT, InputSpec, input_specs
from peloton.navigator.profile import MAX_NAME_CHARS, Profile, parse_profile, read_profile_file

SPECS = input_specs()
YEARS = covered_years()
NAMES = sorted(SPECS)


def value_of(spec: InputSpec) -> st.SearchStrategy[Any]:
    """A value the specification accepts, as a user would write it (enum items as the model names them)."""
    if spec.kind == BOOL:
        return st.booleans()
    if spec.kind == ENUM:
        return st.sampled_from(spec.items)
    low = spec.minimum if spec.minimum is not None else -1e13
    high = spec.maximum if spec.maximum is not None else 1e13
    if spec.kind == INT:
        return st.integers(math.ceil(low), math.floor(high))
    assert spec.kind == FLOAT
    return st.floats(low, high, allow_nan=False, allow_infinity=False) | st.integers(int(low), int(high))


@st.composite
def valid_profiles(draw: st.DrawFn) -> dict[str, Any]:
    year = draw(st.sampled_from(YEARS))
    chosen = draw(st.lists(st.sampled_from(NAMES), unique=True, max_size=8))
    firm: dict[str, Any] = {}
    for name in chosen:
        value = draw(value_of(SPECS[name]))
        firm[name] = {year: value} if draw(st.booleans()) else value  # short form or by period
    data: dict[str, Any] = {"year": year, "onderneming": firm}
    name = draw(st.none() | shown_text(MAX_NAME_CHARS))
    if name is not None:
        data["name"] = name
    return data


def assert_read_back(profile: Profile, data: dict[str, Any]) -> None:
    year = str(data["year"])
    assert profile.year == data["year"]
    assert set(profile.inputs) == set(data["onderneming"])
    for name, given_value in data["onderneming"].items():
        raw = given_value[data["year"]] if isinstance(given_value, dict) else given_value
        read = profile.inputs[name][year]
        expected = float(raw) if SPECS[name].kind == FLOAT else raw  # an amount is a float, 2000 or 2000.0
        assert read == expected and type(read) is type(expected), (name, raw, read)
    if "name" in data:
        assert profile.name == data["name"]


@bounded(200, seconds=2)
@given(valid_profiles())
def test_a_valid_profile_reads_back_the_values_it_gives(data: dict[str, Any]) -> None:
    assert_read_back(parse_profile(data), data)


@bounded(100, seconds=3)
@given(valid_profiles(), st.sampled_from(["yaml", "json"]))
def test_a_valid_profile_file_reads_back_the_values_it_gives(data: dict[str, Any], kind: str) -> None:
    if kind == "json":  # JSON keys are text: the period 2024 becomes "2024"
        text = json.dumps(data, ensure_ascii=False)
    else:
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"profile.{kind}"
        path.write_text(text, encoding="utf-8")
        assert_read_back(read_profile_file(path), data)


# Anything a decoded JSON or YAML document can hold, with keys from the model's names half the time.
SPELLINGS = st.sampled_from(["bv", "BV", "Noord-Holland", "forfait", "2024", "1e308", "-0", "NaN", ""])
KEYS = st.sampled_from([*NAMES[:20], "year", "name", "onderneming", "ondernemingen"]) | st.text(max_size=20)
TREES = trees(SCALARS | SPELLINGS, KEYS | st.integers())


@st.composite
def mutated_profiles(draw: st.DrawFn) -> Any:
    """A valid profile with one part replaced by anything: the values next to a good one."""
    data = draw(valid_profiles())
    where = draw(st.sampled_from(["year", "name", "onderneming", "value", "key", "top"]))
    junk = draw(TREES)
    if where == "value" and data["onderneming"]:
        data["onderneming"][draw(st.sampled_from(sorted(data["onderneming"])))] = junk
    elif where == "key":
        data["onderneming"][draw(KEYS)] = junk
    elif where == "top":
        data[draw(KEYS)] = junk
    else:
        data[where] = junk
    return data


@bounded(300, seconds=2)
@given(mutated_profiles() | TREES | st.dictionaries(KEYS, TREES, max_size=6))
def test_any_data_reads_or_is_one_input_error_line(data: Any) -> None:
    read_or_refusal(parse_profile, data)


YAML_PIECES = st.sampled_from(
    ["year: 2024\n", "onderneming:\n", "  so_uren: 2000\n", "  rechtsvorm: bv\n", "name: &a [*a]\n",
     "a: &x [1, 2]\nb: [*x, *x]\n", "year: 2024-13-45\n", "year: 2024\nyear: 2025\n", "  ? [a]\n  : 1\n",
     "onderneming: {personeel_fte: {2024: .inf}}\n", "!!python/object:os.system x\n", "\t", "---\n",
     "...\n", "%YAML 1.1\n", "onderneming: !!binary aGVsbG8=\n", "'\n", "\"\\ud800\"\n", "\x00", "\ufeff"]
)  # fmt: skip


@bounded(300, seconds=3)
@given(
    st.lists(YAML_PIECES | st.text(max_size=20), max_size=12).map("".join), st.sampled_from(["yaml", "json"])
)
def test_any_profile_text_reads_or_is_one_input_error_line(text: str, kind: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"profile.{kind}"
        path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
        read_or_refusal(read_profile_file, path)
