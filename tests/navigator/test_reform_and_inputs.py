"""The navigator under a reform, inputs for the wrong year, unbounded numbers, and which missing inputs
are listed (exactly those that can change the answer)."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peloton.core.candidates import candidate_values
from peloton.core.inputs import input_specs
from peloton.core.scenario import scenario_for
from peloton.errors import InputError
from peloton.model import tax_benefit_system
from peloton.model.reforms import load_reform
from peloton.navigator.evaluate import compare, evaluate
from peloton.navigator.profile import Profile, parse_profile

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
BRACKET = EXAMPLES / "reforms" / "wbso_eerste_schijf_500k.yaml"


def _grondslag_450k(starter: bool) -> dict[str, Any]:
    return {
        "year": 2024,
        "onderneming": {
            "so_uren": 1000,
            "had_so_verklaring_twee_jaar_eerder": True,
            "so_uurloon_opgegeven": 50,
            "wbso_kosten_keuze": "werkelijk",
            "so_kosten_uitgaven_werkelijk": 400_000,
            "aantal_jaren_ondernemer_voorgaand": 2 if starter else 5,
            "aantal_jaren_so_verklaring_voorgaand": 1 if starter else 5,
        },
    }


@pytest.mark.parametrize(("starter", "gain"), [(False, 16_000.0), (True, 24_000.0)])
def test_reform_gain_of_a_firm_is_derived_by_hand(starter: bool, gain: float) -> None:
    """Grondslag 450,000 in 2024: 0.16 x 100,000 more (a starter 0.24 x 100,000)."""
    scenario = scenario_for(load_reform(BRACKET))
    (comparison,) = compare([parse_profile(_grondslag_450k(starter))], scenario)
    wbso = next(r for r in comparison.difference() if r["id"] == "wbso")
    assert wbso["difference_amount_eur"] == gain and wbso["difference_value_eur"] == gain
    assert comparison.as_dict()["total_value_difference_eur"] == gain


def test_check_with_a_reform_from_the_cli(run_cli) -> None:
    result = run_cli(
        "check", "examples/micro_software_startup.yaml", "--reform", str(BRACKET), "--json", check=True
    )
    data = json.loads(result.stdout)
    assert set(data) >= {"law", "under_reform", "difference", "reform", "notes"}
    wbso = next(r for r in data["difference"] if r["id"] == "wbso")
    assert wbso["difference_amount_eur"] == 0  # the firm's grondslag is below 350,000
    assert data["law"]["schemes"] and data["under_reform"]["schemes"]
    text = run_cli("check", "examples/micro_software_startup.yaml", "--reform", str(BRACKET), check=True)
    assert "Law, reform and difference" in text.stdout and "Under the reform" in text.stdout


def test_explanation_under_a_reform_says_which_value_the_reform_set() -> None:
    scenario = scenario_for(load_reform(BRACKET))
    profile = parse_profile(_grondslag_450k(False))
    (result,) = evaluate([profile], explain=True, scenario=scenario)
    wbso = result.scheme("wbso")
    assert wbso is not None
    lines = "\n".join(wbso.explanation)
    assert "plafond_schijf_1) = EUR 500,000" in lines and "set by the reform" in lines


def test_an_input_given_only_for_another_year_is_an_error() -> None:
    with pytest.raises(InputError, match="given for 2023 only") as caught:
        parse_profile({"year": 2024, "onderneming": {"so_uren": {2023: 3000}}})
    assert caught.value.field == "so_uren" and "2024" in caught.value.problem
    with pytest.raises(InputError, match=r"\(--year\)"):
        parse_profile({"year": 2023, "onderneming": {"so_uren": {2023: 3000}}}, year=2024)


@pytest.mark.parametrize("value", [1e39, 1e308, 2.0**63, -1.0])
def test_numbers_outside_the_stated_range_are_refused(value: float) -> None:
    with pytest.raises(InputError, match="must be at"):
        parse_profile({"year": 2024, "onderneming": {"jaaromzet": value}})


def test_every_numeric_input_has_a_finite_stated_range() -> None:
    for spec in input_specs().values():
        if spec.kind in ("int", "float"):
            assert spec.minimum is not None and spec.maximum is not None, spec.name
            assert abs(spec.minimum) < 1e14 and abs(spec.maximum) < 1e14, spec.name


def test_enum_spellings_people_write_are_read_and_said() -> None:
    profile = parse_profile({"year": 2024, "onderneming": {"rechtsvorm": "BV", "provincie": "Noord-Holland"}})
    assert profile.value("rechtsvorm") == "bv" and profile.value("provincie") == "noord_holland"
    assert any("'Noord-Holland' read as 'noord_holland'" in n for n in profile.notes)


def _missing(profile: dict[str, Any], scheme: str) -> set[str]:
    (result,) = evaluate([parse_profile(profile)])
    found = result.scheme(scheme)
    assert found is not None
    return {m["variable"] for m in found.missing_inputs}


def test_a_bv_is_not_asked_for_a_marginal_income_tax_rate() -> None:
    missing = _missing(
        {"year": 2024, "onderneming": {"rechtsvorm": "bv", "investering_energielijst": 100_000}}, "eia"
    )
    assert missing == {"belastbare_winst"}


def test_a_large_firm_is_asked_its_sector_for_slim_not_its_partners() -> None:
    firm = {"rechtsvorm": "bv", "personeel_fte": 400, "jaaromzet": 80_000_000, "balanstotaal": 60_000_000,
            "opleidingskosten": 300_000}  # fmt: skip
    missing = _missing({"year": 2023, "onderneming": firm}, "slim")
    assert "sbi_sectie" in missing
    assert not missing & {"personeel_fte_partner_verbonden", "jaaromzet_partner_verbonden"}


PROFILES = [
    {"year": 2024, "onderneming": {"rechtsvorm": "bv", "investering_energielijst": 100_000}},
    {"year": 2023, "onderneming": {"personeel_fte": 400, "jaaromzet": 8e7, "balanstotaal": 6e7}},
    {"year": 2024, "onderneming": {"so_uren": 2000, "personeel_fte": 12, "jaaromzet": 2e6}},
    {
        "year": 2025,
        "onderneming": {"rechtsvorm": "eenmanszaak", "so_uren_eigen": 600, "uren_onderneming": 1500},
    },
]


def _answers(result: Any) -> dict[str, tuple[Any, ...]]:
    return {s.id: (s.status, s.eligible, s.amount_eur, s.value_eur, s.cost_eur) for s in result.schemes}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_an_unlisted_input_never_changes_the_result(data: st.DataObject) -> None:
    """Property: give one unanswered input that no scheme lists a value in its range; nothing moves."""
    raw = data.draw(st.sampled_from(PROFILES))
    profile = parse_profile(raw)
    (before,) = evaluate([profile])
    listed = {m["variable"] for s in before.schemes for m in s.missing_inputs}
    specs = input_specs()
    unlisted = sorted(n for n in specs if not profile.given(n) and n not in listed)
    name = data.draw(st.sampled_from(unlisted))
    spec = specs[name]
    if spec.kind in ("int", "float"):
        assert spec.minimum is not None and spec.maximum is not None
        strategy: Any = st.floats(spec.minimum, min(spec.maximum, 1e12), allow_nan=False)
        if spec.kind == "int":
            strategy = st.integers(int(spec.minimum), int(min(spec.maximum, 1e6)))
        value = data.draw(
            st.one_of(
                strategy, st.sampled_from(candidate_values(spec, tax_benefit_system(), profile.year) or [0])
            )
        )
    elif spec.kind == "bool":
        value = not spec.default
    else:
        value = data.draw(st.sampled_from(spec.items))
    changed = Profile(profile.name, profile.year, {**profile.inputs, name: {str(profile.year): value}})
    (after,) = evaluate([changed])
    rule_based = {s.id for s in before.schemes if s.status in ("computed", "not_computed")}
    a, b = _answers(before), _answers(after)
    assert {k: a[k] for k in rule_based} == {k: b[k] for k in rule_based}, (name, value)


def test_an_amount_resting_on_an_uncertain_value_says_which_and_why() -> None:
    """The 2021 forfait's hour threshold is inferred (uncertain in the pack): the WBSO says so, in the
    reasons and as a structured entry with the pack's note; a confirmed-only amount lists none."""
    from peloton.navigator.profile import read_profile_file

    (result,) = evaluate([read_profile_file(EXAMPLES / "zeeland_maritiem_prototype_krediet.yaml")])
    wbso = result.scheme("wbso")
    assert wbso is not None and wbso.eligible
    flagged = {u["parameter"]: u for u in wbso.uncertain_values}
    assert "wbso.forfait.urendrempel" in flagged
    assert flagged["wbso.forfait.urendrempel"]["confidence"] == "uncertain"
    assert flagged["wbso.forfait.urendrempel"]["note"]
    assert any("uncertain value" in r and "urendrempel" in r for r in wbso.reasons)
    (plain,) = evaluate([parse_profile(_grondslag_450k(False))])
    assert plain.scheme("wbso").uncertain_values == []  # type: ignore[union-attr]


def test_a_duplicate_key_in_a_profile_is_refused(tmp_path: Path) -> None:
    from peloton.navigator.profile import read_profile_file

    path = tmp_path / "p.yaml"
    path.write_text("year: 2024\nonderneming:\n  so_uren: 100\n  so_uren: 3000\n", encoding="utf-8")
    with pytest.raises(InputError, match="duplicate key 'so_uren'"):
        read_profile_file(path)


def test_an_alias_bomb_in_a_profile_is_refused_quickly(tmp_path: Path) -> None:
    from peloton.navigator.profile import read_profile_file

    levels = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    levels += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    path = tmp_path / "bomb.yaml"
    path.write_text("year: 2024\nname: &n x\n" + "\n".join(levels) + "\nonderneming: {}\n", encoding="utf-8")
    with pytest.raises(InputError, match="expands to more than") as caught:
        read_profile_file(path)
    assert len(str(caught.value)) < 300  # the message does not print the expansion


def test_memoised_answers_equal_fresh_ones() -> None:
    """The relevance memo keys a scheme's answer on the values of the inputs it can read: profiles
    evaluated one after another (the memo warm, each reusing what it can) list exactly what a fresh
    search lists, for the law and for a reform."""
    from peloton.navigator import relevance

    rng = random.Random(3)
    profiles = []
    for raw in PROFILES * 3:
        firm = dict(raw["onderneming"])
        firm["personeel_fte"] = rng.choice([2, 12, 60, 400])
        if rng.random() < 0.5:
            firm["so_uren"] = rng.choice([100, 2000, 30000])
        profiles.append(parse_profile({"year": raw["year"], "onderneming": firm}))
    reform = scenario_for(load_reform(EXAMPLES / "reforms" / "wbso_eerste_schijf_500k.yaml"))
    for scenario in (relevance.LAW_SCENARIO, reform):
        warm = [relevance.relevant_inputs(p, scenario) for p in profiles]
        fresh = []
        for p in profiles:
            relevance.MEMO.items.clear()
            fresh.append(relevance.relevant_inputs(p, scenario))
        assert warm == fresh
