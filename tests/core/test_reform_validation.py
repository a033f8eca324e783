"""Reform files are checked against the parameter they change: one line naming the field, never a
traceback, and what is allowed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from peloton.core.scenario import scenario_for
from peloton.errors import InputError
from peloton.model.reforms import load_reform, parse_reform

WBSO_RATE = "wbso.afdrachtvermindering.tarief_schijf_1"


def _change(parameter: str, value: Any, start: Any = "2024-01-01", **more: Any) -> dict[str, Any]:
    return {
        "name": "t",
        "parameter_changes": [{"parameter": parameter, "value": value, "start": start, **more}],
    }


@pytest.mark.parametrize(
    ("reform", "field", "says"),
    [
        (_change(WBSO_RATE, -1), "parameter_changes[0].value", "allowed 0 .. 1"),
        (_change(WBSO_RATE, 40), "parameter_changes[0].value", "allowed 0 .. 1"),
        (_change(WBSO_RATE, 1e9), "parameter_changes[0].value", "above 1"),
        (_change(WBSO_RATE, "0.4"), "parameter_changes[0].value", "expected a number"),
        (_change("slim.open", 5), "parameter_changes[0].value", "give true or false"),
        (_change("wbso.afdrachtvermindering.plafond_schijf_1", -5), "parameter_changes[0].value", "below 0"),
        (_change("wbso.aftrek.urencriterium", 1225.5), "parameter_changes[0].value", "whole"),
        (_change(WBSO_RATE, 0.4, start="2024-13-45"), "parameter_changes[0].start", "that exists"),
        (_change(WBSO_RATE, 0.4, start="1990-01-01"), "parameter_changes[0].start", "before the history"),
        (_change("wbso.afdrachtvermindering", 0.4), "parameter_changes[0].parameter", "group of parameters"),
        (_change("wbso.nosuch", 0.4), "parameter_changes[0].parameter", "has no 'nosuch'"),
        (_change("takeup.eia.micro", 1.5), "parameter_changes[0].value", "allowed 0 .. 1"),
    ],
)
def test_a_bad_change_names_the_field(reform: dict[str, Any], field: str, says: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_reform(reform)
    assert caught.value.field == field
    assert says in caught.value.problem


def _new_scheme(scheme_id: str) -> dict[str, Any]:
    return {
        "name": "t",
        "new_schemes": [
            {"id": scheme_id, "name": "x", "start": "2025-01-01", "shape": "fixed_amount", "amount": 100}
        ],
    }


@pytest.mark.parametrize("scheme_id", ["wbso", "so_uren", "takeup", "hervorming"])
def test_a_new_scheme_cannot_take_an_existing_name(scheme_id: str) -> None:
    with pytest.raises(InputError, match="already") as caught:
        parse_reform(_new_scheme(scheme_id))
    assert caught.value.field == "new_schemes[0].id"


def test_a_new_scheme_cannot_take_a_catalog_id() -> None:
    """efro is a scheme of the catalog, not of the rules model: the scenario refuses it."""
    with pytest.raises(InputError, match="already a scheme") as caught:
        scenario_for(parse_reform(_new_scheme("efro")))
    assert caught.value.field == "new_schemes[0].id"


def test_a_change_after_the_year_is_reported_beside_the_result() -> None:
    scenario = scenario_for(parse_reform(_change(WBSO_RATE, 0.4, start="2026-01-01")))
    notes = scenario.notes(2024)
    assert any("not in force on 1 January 2024" in n for n in notes)
    assert scenario.notes(2026) == []
    new = scenario_for(parse_reform(_new_scheme("nieuwe_regeling")))
    assert any("nieuwe_regeling runs from 2025-01-01" in n for n in new.notes(2024))


def test_a_valid_change_is_taken_and_changes_the_parameter() -> None:
    scenario = scenario_for(parse_reform(_change(WBSO_RATE, 0.45)))
    (change,) = scenario.changes(2024)
    assert change["baseline_value"] == 0.32 and change["reform_value"] == 0.45 and change["in_force"]


def test_takeup_is_a_parameter_a_reform_can_change() -> None:
    scenario = scenario_for(parse_reform(_change("takeup.mia_vamil.micro", 0.25)))
    takeup = scenario.takeup("mia_vamil", 2024)
    assert takeup.rates[0] == 0.25 and takeup.method == "reform" and not takeup.upper_bound
    assert scenario_for(None).takeup("mia_vamil", 2024).upper_bound  # still an assumption


def test_yaml_traps_in_a_reform_file(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text("name: a\nname: b\n", encoding="utf-8")
    with pytest.raises(InputError, match="duplicate key 'name'"):
        load_reform(path)
    path.write_text(
        "name: t\nparameter_changes:\n  - {parameter: " + WBSO_RATE + ", value: 0.4, start: 2024-13-45}\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match="that exists") as caught:
        load_reform(path)
    assert caught.value.field == "parameter_changes[0].start"
