"""Properties of the reform reader (peloton.model.reforms.spec): any mapping and any YAML file either
reads as a ReformSpec or is refused with one InputError line naming a field, within a deadline; and a
valid reform generated from the rules model's own parameters reads back the changes and the new
schemes it gives, from data and from a YAML file."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from hypothesis import given
from hypothesis import strategies as st
from openfisca_core.parameters import Parameter
from tests.reliability.properties import SCALARS, bounded, read_or_refusal, shown_text, trees

from peloton.core.inputs import FLOAT, input_specs
from peloton.model.reforms.spec import (
    MAX_AMOUNT,
    SIZE_CLASSES,
    ParameterChange,
    ReformSpec,
    load_reform,
    parse_reform,
)
from peloton.model.system import tax_benefit_system

LEAVES = sorted(
    (p for p in tax_benefit_system().parameters.get_descendants() if isinstance(p, Parameter)),
    key=lambda p: p.name,
)
COSTS = sorted(s.name for s in input_specs().values() if s.kind == FLOAT and s.display_unit == "EUR")
LAST = date(2030, 12, 31)


def _first(parameter: Parameter) -> date:
    return date.fromisoformat(min(v.instant_str for v in parameter.values_list))


def value_for(parameter: Parameter) -> st.SearchStrategy[Any]:
    """A value the parameter's kind allows (the reader's rule: unit, else the type of its values)."""
    unit = str((parameter.metadata or {}).get("unit", ""))
    known = [v.value for v in parameter.values_list if v.value is not None]
    if unit == "bool" or (known and all(isinstance(v, bool) for v in known)):
        return st.booleans()
    if unit == "/1":
        return st.floats(0, 1)
    if unit in ("hour", "year", "enterprise"):
        return st.integers(0, 10**9)
    if unit in ("currency-EUR", "AWU"):
        return st.floats(0, MAX_AMOUNT) | st.integers(0, 10**12)
    return st.floats(-MAX_AMOUNT, MAX_AMOUNT)


@st.composite
def changes(draw: st.DrawFn) -> dict[str, Any]:
    parameter = draw(st.sampled_from(LEAVES))
    start = draw(st.dates(_first(parameter), LAST))
    item: dict[str, Any] = {"parameter": parameter.name, "value": draw(value_for(parameter))}
    item["start"] = start.isoformat() if draw(st.booleans()) else start  # YAML may give a date
    if draw(st.booleans()):
        item["stop"] = draw(st.dates(start, LAST)).isoformat()
    return item


SCHEME_IDS = st.from_regex(r"[a-z][a-z0-9_]{2,20}", fullmatch=True).filter(
    lambda s: s not in tax_benefit_system().variables and s not in tax_benefit_system().parameters.children
)


@st.composite
def schemes(draw: st.DrawFn) -> dict[str, Any]:
    shape = draw(st.sampled_from(["percentage_of_costs", "fixed_amount"]))
    start = draw(st.dates(date(2015, 1, 1), LAST))
    scheme: dict[str, Any] = {
        "id": draw(SCHEME_IDS),
        "name": draw(shown_text(200)),
        "start": start.isoformat(),
        "shape": shape,
    }
    if shape == "percentage_of_costs":
        scheme["costs"] = draw(st.lists(st.sampled_from(COSTS), min_size=1, max_size=3, unique=True))
        scheme["percentage"] = draw(st.floats(0, 1))
    else:
        scheme["amount"] = draw(st.floats(0, 1e9))
    if draw(st.booleans()):
        scheme["maximum"] = draw(st.floats(0, 1e9))
    if draw(st.booleans()):
        scheme["target"] = {"sme_only": draw(st.booleans())}
    if draw(st.booleans()):
        rates = draw(st.floats(0, 1) | st.fixed_dictionaries({k: st.floats(0, 1) for k in SIZE_CLASSES}))
        scheme["takeup"] = {"rates": rates, "method": "assumption", "derivation": "a test's assumption"}
    return scheme


@st.composite
def valid_reforms(draw: st.DrawFn) -> dict[str, Any]:
    data: dict[str, Any] = {"name": draw(shown_text(200))}
    data["parameter_changes"] = draw(st.lists(changes(), max_size=4))
    data["new_schemes"] = draw(
        st.lists(
            schemes(), min_size=0 if data["parameter_changes"] else 1, max_size=2, unique_by=lambda s: s["id"]
        )
    )
    return data


def assert_read_back(spec: ReformSpec, data: dict[str, Any]) -> None:
    assert spec.name == data["name"]
    expected = [
        ParameterChange(c["parameter"], c["value"], str(c["start"]), c.get("stop"))
        for c in data["parameter_changes"]
    ]
    assert list(spec.parameter_changes) == expected
    assert [s.id for s in spec.new_schemes] == [s["id"] for s in data["new_schemes"]]
    for read, given_scheme in zip(spec.new_schemes, data["new_schemes"], strict=True):
        assert (read.name, read.shape, read.start) == (
            given_scheme["name"],
            given_scheme["shape"],
            given_scheme["start"],
        )
        for key in ("percentage", "amount", "maximum"):
            if key in given_scheme:
                assert getattr(read, key) == given_scheme[key], key
        if "costs" in given_scheme:
            assert list(read.costs) == given_scheme["costs"]
        if "takeup" in given_scheme:
            rates = given_scheme["takeup"]["rates"]
            assert read.takeup is not None
            assert list(read.takeup.rates) == (
                [rates] * len(SIZE_CLASSES) if isinstance(rates, float) else [rates[k] for k in SIZE_CLASSES]
            )


@bounded(200, seconds=2)
@given(valid_reforms())
def test_a_valid_reform_reads_back_what_it_gives(data: dict[str, Any]) -> None:
    assert_read_back(parse_reform(data), data)


@bounded(80, seconds=3)
@given(valid_reforms())
def test_a_valid_reform_file_reads_back_what_it_gives(data: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "reform.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        spec = load_reform(path)
    as_text = {
        **data,
        "parameter_changes": [{**c, "start": str(c["start"])} for c in data["parameter_changes"]],
    }
    assert_read_back(spec, as_text)


REFORM_SCALARS = st.dates().map(str) | st.sampled_from(
    [p.name for p in LEAVES[:10]] + ["2024-02-30", "percentage_of_costs", "micro", ""]
)
KEYS = st.sampled_from(
    ["name", "description", "parameter_changes", "new_schemes", "parameter", "value", "start", "stop",
     "id", "shape", "costs", "percentage", "amount", "brackets", "threshold", "rate", "target", "takeup",
     "rates", "method", "derivation", "conditions", "variable", "equals", "in", "min", "max", "sme_only",
     "sectors", "maximum", "minimum_costs"]
) | st.text(max_size=12)  # fmt: skip
TREES = trees(SCALARS | REFORM_SCALARS, KEYS)


@st.composite
def mutated_reforms(draw: st.DrawFn) -> Any:
    """A valid reform with one value somewhere in it replaced by anything."""
    data = draw(valid_reforms())
    containers: list[dict[str, Any]] = [data, *data["parameter_changes"], *data["new_schemes"]]
    containers += [s[k] for s in data["new_schemes"] for k in ("target", "takeup") if k in s]
    target = draw(st.sampled_from(containers))
    key = draw(st.sampled_from(sorted(target)) | KEYS)
    target[key] = draw(TREES)
    return data


@bounded(300, seconds=2)
@given(mutated_reforms() | TREES | st.dictionaries(KEYS, TREES, max_size=6))
def test_any_data_reads_or_is_one_input_error_line(data: Any) -> None:
    read_or_refusal(parse_reform, data)


@bounded(150, seconds=3)
@given(mutated_reforms().map(lambda d: yaml.safe_dump(d, allow_unicode=True)) | st.text(max_size=200))
def test_any_reform_file_reads_or_is_one_input_error_line(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "reform.yaml"
        path.write_bytes(text.encode("utf-8", errors="surrogatepass"))
        read_or_refusal(load_reform, path)
