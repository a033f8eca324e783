"""Navigator: hand-derived amounts for the example profiles, the JSON contract, reasons, gaps."""

from __future__ import annotations

from pathlib import Path

import pytest

from peloton.errors import InputError
from peloton.navigator.evaluate import evaluate
from peloton.navigator.profile import parse_profile, read_profile_file

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

# Expected WBSO amounts, worked out by hand in each example's header comment.
EXPECTED = {
    "micro_software_startup.yaml": (True, 43920.0, 43920.0, "micro"),
    "mkb_maakbedrijf_procesinnovatie.yaml": (True, 72960.0, 72960.0, "klein"),
    "groot_bedrijf_boven_schijf.yaml": (True, 624128.0, 624128.0, "groot"),
    "ib_ondernemer_500_uur.yaml": (True, 15551.0, 5753.87, "micro"),
    "ib_ondernemer_499_uur.yaml": (False, 0.0, 0.0, "micro"),
}


def _wbso(result: dict) -> dict:
    return next(s for s in result["schemes"] if s["id"] == "wbso")


@pytest.mark.parametrize("example", sorted(EXPECTED))
def test_example_profiles(example: str) -> None:
    eligible, amount, value, size = EXPECTED[example]
    result = evaluate([read_profile_file(EXAMPLES / example)])[0].as_dict()
    wbso = _wbso(result)
    assert wbso["eligible"] is eligible
    assert wbso["amount_eur"] == pytest.approx(amount, abs=0.01)
    assert wbso["value_eur"] == pytest.approx(value, abs=0.01)
    assert result["firm"]["mkb_grootteklasse"] == size
    assert wbso["missing_inputs"] == [], "examples state every input the WBSO reads"


def test_json_contract_shape() -> None:
    result = evaluate([read_profile_file(EXAMPLES / "micro_software_startup.yaml")])[0].as_dict()
    assert set(result) >= {"year", "firm", "schemes", "total_value_eur"}
    assert result["year"] == 2024
    assert set(result["firm"]) >= {"mkb_grootteklasse", "is_mkb"}
    wbso = _wbso(result)
    assert set(wbso) >= {"id", "name", "kind", "eligible", "amount_eur", "value_eur", "reasons", "references"}
    assert wbso["kind"] == "afdrachtvermindering"
    assert all(r.startswith("https://") for r in wbso["references"])
    assert result["total_value_eur"] == pytest.approx(43920.0)


def test_reason_for_499_hours_names_value_and_threshold() -> None:
    result = evaluate([read_profile_file(EXAMPLES / "ib_ondernemer_499_uur.yaml")])[0].as_dict()
    reasons = " ".join(_wbso(result)["reasons"])
    assert "not met" in reasons
    assert "499 h" in reasons and "500 h" in reasons
    assert "wbso.aftrek.minimum_so_uren" in reasons


def test_deduction_without_marginal_rate_has_null_value_and_says_why() -> None:
    profile = parse_profile(
        {
            "year": 2024,
            "onderneming": {
                "rechtsvorm": "eenmanszaak",
                "is_inhoudingsplichtige": False,
                "so_uren_eigen": 600,
                "uren_onderneming": 1500,
            },
        }
    )
    result = evaluate([profile])[0].as_dict()
    wbso = _wbso(result)
    assert wbso["eligible"] and wbso["kind"] == "aftrek"
    assert wbso["value_eur"] is None
    assert any("marginaal_tarief" in r for r in wbso["reasons"])
    assert "total_value_note" in result


def test_missing_inputs_are_named_not_silently_zero() -> None:
    result = evaluate([parse_profile({"year": 2024, "onderneming": {"so_uren": 2000}})])[0].as_dict()
    missing = {m["variable"] for m in _wbso(result)["missing_inputs"]}
    assert {"aantal_jaren_ondernemer_voorgaand", "had_so_verklaring_twee_jaar_eerder"} <= missing
    assert "so_uren" not in missing
    assert "so_uren_eigen" not in missing, "a BV is not asked for IB-ondernemer hours"


def test_family_business_gets_same_result_and_a_note() -> None:
    base = {"so_uren": 2000, "personeel_fte": 30, "jaaromzet": 5e6}
    plain = evaluate([parse_profile({"year": 2023, "onderneming": base})])[0].as_dict()
    family = evaluate([parse_profile({"year": 2023, "onderneming": {**base, "is_familiebedrijf": True}})])[
        0
    ].as_dict()
    assert _wbso(plain)["amount_eur"] == _wbso(family)["amount_eur"]
    assert "seed" in family["firm"]["family_business_note"]


NOT_A_STARTER = {"aantal_jaren_ondernemer_voorgaand": 5, "aantal_jaren_so_verklaring_voorgaand": 5}


@pytest.mark.parametrize(
    ("inputs", "amount", "uncertain"),
    [
        # fixed wage 29 x 2,000 + forfait 10 x 1,800 + 4 x 200 = 76,800; 0.36 x 76,800 = 27,648
        ({"so_uren": 2000, **NOT_A_STARTER}, 27_648.0, "wbso.forfait.urendrempel"),
        # own wage 40 x 2,000 + forfait 18,800 = 98,800; 0.36 x 98,800 = 35,568
        ({"so_uren": 2000, "had_so_verklaring_twee_jaar_eerder": True, "so_uurloon_opgegeven": 40,
          **NOT_A_STARTER}, 35_568.0,
         "wbso.forfait.urendrempel"),
        # the 2026 S&O-aftrek, confirmed (round 3): 15,979, nothing uncertain
        ({"rechtsvorm": "eenmanszaak", "is_inhoudingsplichtige": False, "so_uren_eigen": 600,
          "uren_onderneming": 1500, **NOT_A_STARTER}, 15_979.0, None),
    ],
)  # fmt: skip
def test_2026_is_computed_from_the_round_3_pack(inputs: dict, amount: float, uncertain: str | None) -> None:
    """The 2026 forfait (inferred unchanged, uncertain), fixed wage (single-source) and S&O-aftrek
    (confirmed) were gaps before round 3; now 2026 computes and says what the amount rests on."""
    result = evaluate([parse_profile({"year": 2026, "onderneming": inputs})])[0].as_dict()
    wbso = _wbso(result)
    assert wbso["status"] == "computed" and wbso["amount_eur"] == amount
    flagged = {u["parameter"] for u in wbso["uncertain_values"]}
    assert (uncertain in flagged) if uncertain else not flagged


def test_2026_with_own_wage_and_actual_costs_is_computed() -> None:
    profile = parse_profile(
        {
            "year": 2026,
            "onderneming": {
                "so_uren": 1000,
                "had_so_verklaring_twee_jaar_eerder": True,
                "so_uurloon_opgegeven": 50,
                "wbso_kosten_keuze": "werkelijk",
                "so_kosten_uitgaven_werkelijk": 50000,
                "aantal_jaren_ondernemer_voorgaand": 5,
                "aantal_jaren_so_verklaring_voorgaand": 5,
            },
        }
    )
    wbso = _wbso(evaluate([profile])[0].as_dict())
    assert wbso["status"] == "computed"
    assert wbso["amount_eur"] == pytest.approx(0.36 * 100000)  # 2026 rate 36% (hand-derived)


def test_explanation_comes_from_the_trace() -> None:
    result = evaluate([read_profile_file(EXAMPLES / "micro_software_startup.yaml")], explain=True)[0]
    lines = "\n".join(result.as_dict(explain=True)["schemes"][0]["explanation"])
    for needle in (
        "so_grondslag",
        "EUR 109,800",
        "wbso.afdrachtvermindering.tarief_schijf_1_starter",
        "valid from 2024-01-01",
        "wbso.forfait.urendrempel",
        "[input]",
    ):
        assert needle in lines


def test_uncertain_parameters_are_flagged() -> None:
    profile = parse_profile(
        {
            "year": 2021,
            "onderneming": {
                "so_uren": 1000,
                "aantal_jaren_ondernemer_voorgaand": 5,
                "aantal_jaren_so_verklaring_voorgaand": 5,
            },
        }
    )
    reasons = " ".join(_wbso(evaluate([profile])[0].as_dict())["reasons"])
    assert "rests on a uncertain value" in reasons or "rests on a single-source value" in reasons


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"year": 2024, "onderneming": {"so_uren_typo": 5}}, "so_uren_typo"),
        ({"year": 2024, "onderneming": {"so_uren": -1}}, "so_uren"),
        ({"onderneming": {"so_uren": 1}}, "year"),
        ({"year": 2031, "onderneming": {"so_uren": 1}}, "year"),
        ({"year": 2018, "onderneming": {"so_uren": 1}}, "year"),
        ({"year": 2024, "onderneming": {"so_grondslag": 1}}, "so_grondslag"),
        ({"year": 2024, "onderneming": {"rechtsvorm": "gmbh"}}, "rechtsvorm"),
        ({"year": 2024, "onderneming": {"is_familiebedrijf": "yes"}}, "is_familiebedrijf"),
        (
            {"year": 2024, "onderneming": {"aantal_jaren_so_verklaring_voorgaand": 6}},
            "aantal_jaren_so_verklaring_voorgaand",
        ),
        ({"year": 2024, "onderneming": {"so_uren": {"2024x": 1}}}, "so_uren.2024x"),
        ({"year": 2024, "firm": {}}, "firm"),
        ([1, 2], "profile"),
    ],
)
def test_bad_profiles_name_the_field(data: object, field: str) -> None:
    with pytest.raises(InputError) as info:
        parse_profile(data)
    assert info.value.field == field
