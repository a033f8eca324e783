"""Every scheme in one result: hand-derived amounts for the three regional examples, the ranking,
the "why not" lines, valuation of deductions and loans, chance versus entitlement."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from peloton.navigator.evaluate import evaluate
from peloton.navigator.profile import Profile, read_profile_file

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

# (status, eligible, amount, value) per scheme, worked out by hand in each example's header.
EXPECTED: dict[str, dict[str, tuple[str, bool, float | None, float | None]]] = {
    "overijssel_metaal_familiebedrijf_robots.yaml": {
        "wbso": ("computed", True, 43_776.0, 43_776.0),
        "mit_haalbaarheid": ("computed", True, 16_000.0, 16_000.0),
        "mit_rd_samenwerking": ("computed", True, 77_000.0, 77_000.0),
        "mit_kennisvoucher": ("computed", True, 5_250.0, 5_250.0),
        "eia": ("computed", True, 32_000.0, 8_256.0),
        "innovatiebox": ("computed", False, 0.0, 0.0),
        "mia_vamil": ("computed", False, 0.0, 0.0),
        "innovatiekrediet": ("computed", False, 0.0, 0.0),
        "slim": ("not_computed", False, None, None),
    },
    "groningen_voedingsmiddelen_energie.yaml": {
        "eia": ("computed", True, 260_000.0, 67_080.0),
        "mia_vamil": ("computed", True, 108_000.0, 27_864.0),
        "mit_haalbaarheid": ("computed", True, 10_500.0, 10_500.0),
        "wbso": ("computed", False, 0.0, 0.0),
        "mit_kennisvoucher": ("computed", False, 0.0, 0.0),
        "mit_rd_samenwerking": ("not_computed", False, None, None),
        "innovatiekrediet": ("computed", False, 0.0, 0.0),
        "slim": ("not_computed", False, None, None),
    },
    "zeeland_maritiem_prototype_krediet.yaml": {
        "innovatiekrediet": ("computed", True, 540_000.0, None),
        "wbso": ("computed", True, 37_320.0, 37_320.0),
        "mit_kennisvoucher": ("computed", True, 3_000.0, 3_000.0),
        "slim": ("computed", True, 16_000.0, 16_000.0),
        "eia": ("not_computed", False, None, None),
    },
}


def _result(example: str) -> dict[str, Any]:
    return evaluate([read_profile_file(EXAMPLES / example)])[0].as_dict()


def _scheme(result: dict[str, Any], scheme_id: str) -> dict[str, Any]:
    return next(s for s in result["schemes"] if s["id"] == scheme_id)


@pytest.mark.parametrize(
    ("example", "scheme_id"), [(e, s) for e, schemes in EXPECTED.items() for s in schemes]
)
def test_example_amounts(example: str, scheme_id: str) -> None:
    status, eligible, amount, value = EXPECTED[example][scheme_id]
    got = _scheme(_result(example), scheme_id)
    assert got["status"] == status
    assert got["eligible"] is eligible
    # amounts are exact to the cent (money in float64); the JSON rounds to cents
    assert got["amount_eur"] == (None if amount is None else pytest.approx(amount, abs=0.005))
    assert got["value_eur"] == (None if value is None else pytest.approx(value, abs=0.005))
    assert got["reasons"], "every scheme says why"


@pytest.mark.parametrize("example", sorted(EXPECTED))
def test_every_rule_based_scheme_is_answered(example: str) -> None:
    ids = {s["id"] for s in _result(example)["schemes"]}
    assert {"wbso", "innovatiebox", "mit_haalbaarheid", "mit_rd_samenwerking", "mit_kennisvoucher"} <= ids
    assert {"innovatiekrediet", "eia", "mia_vamil", "slim"} <= ids


def test_vamil_is_a_timing_component_not_added_to_the_deduction() -> None:
    mia = _scheme(_result("groningen_voedingsmiddelen_energie.yaml"), "mia_vamil")
    vamil = next(c for c in mia["components"] if c["variable"] == "vamil_willekeurige_afschrijving")
    assert vamil["amount_eur"] == pytest.approx(225_000.0, abs=0.05)  # 75% x 300,000
    assert vamil["value_eur"] == 0.0 and vamil["valuation"] == "timing"
    assert any("timing benefit" in r for r in mia["reasons"])


def test_ranking_eligible_by_value_then_unvalued_then_not_eligible_then_not_computed() -> None:
    schemes = _result("overijssel_metaal_familiebedrijf_robots.yaml")["schemes"]
    order = [s["id"] for s in schemes]
    valued = [s for s in schemes if s["eligible"] and s["value_eur"] is not None]
    assert order[: len(valued)] == [
        "mit_rd_samenwerking",
        "wbso",
        "mit_haalbaarheid",
        "eia",
        "mit_kennisvoucher",
    ]
    statuses = [s["status"] for s in schemes]
    assert statuses.index("not_computed") > max(
        i for i, s in enumerate(schemes) if s["eligible"] is False and s["status"] == "computed"
    )


def test_loan_is_ranked_after_valued_schemes_with_its_reason() -> None:
    schemes = _result("zeeland_maritiem_prototype_krediet.yaml")["schemes"]
    krediet = _scheme({"schemes": schemes}, "innovatiekrediet")
    assert any("it is a loan" in r for r in krediet["reasons"])
    valued = [s["id"] for s in schemes if s["eligible"] and s["value_eur"] is not None]
    assert [s["id"] for s in schemes].index("innovatiekrediet") == len(valued)


def test_chance_versus_entitlement() -> None:
    result = _result("overijssel_metaal_familiebedrijf_robots.yaml")
    assert _scheme(result, "mit_haalbaarheid")["certainty"] == "chance"
    assert any("lottery" in r for r in _scheme(result, "mit_haalbaarheid")["reasons"])
    assert _scheme(result, "mit_rd_samenwerking")["certainty"] == "chance"
    assert _scheme(result, "wbso")["certainty"] == "entitlement"
    assert "mit_haalbaarheid" in result["total_value_note"]


def test_family_business_gets_the_same_result_and_says_so() -> None:
    profile = read_profile_file(EXAMPLES / "overijssel_metaal_familiebedrijf_robots.yaml")
    not_family = Profile(profile.name, profile.year, {**profile.inputs, "is_familiebedrijf": {"2024": False}})
    family, other = (r.as_dict() for r in evaluate([profile, not_family]))
    assert (
        "Q7" in family["firm"]["family_business_note"]
        or "question 7" in family["firm"]["family_business_note"]
    )
    assert [(s["id"], s["amount_eur"]) for s in family["schemes"]] == [
        (s["id"], s["amount_eur"]) for s in other["schemes"]
    ]


def _large_firm(year: int, **extra: Any) -> Profile:
    inputs = {
        "personeel_fte": 310,
        "jaaromzet": 80_000_000,
        "balanstotaal": 60_000_000,
        "haalbaarheid_projectkosten": 40_000,
        "opleidingskosten": 20_000,
        "sbi_sectie": "C",
        **extra,
    }
    return Profile("large", year, {k: {str(year): v} for k, v in inputs.items()})


def test_why_not_names_the_sme_condition_the_firm_value_and_the_threshold() -> None:
    result = evaluate([_large_firm(2024)])[0].as_dict()
    mit = _scheme(result, "mit_haalbaarheid")
    assert mit["eligible"] is False
    why = " ".join(mit["reasons"])
    assert "not met" in why and "is_middelgrote_onderneming" in why
    assert "310 FTE" in why and "250" in why and "mkb.middelgroot.fte_kleiner_dan" in why
    assert "eur-lex.europa.eu" in " ".join(mit["references"])  # the legal reference of the SME test


def test_why_not_skips_conditions_that_did_not_fail() -> None:
    # a BV is not an IB-ondernemer; that false value must not be listed as the innovatiebox's failure
    result = evaluate([_large_firm(2024, innovatiebox_voordelen=100_000, belastbare_winst=1_000_000)])[0]
    box = _scheme(result.as_dict(), "innovatiebox")
    assert box["eligible"] is False
    assert not any("is_ib_ondernemer" in r for r in box["reasons"])
    assert any("voldoet_aan_toegangsticket_innovatiebox" in r for r in box["reasons"])


def test_closed_instrument_says_so() -> None:
    result = evaluate([_large_firm(2025, personeel_fte=20, jaaromzet=3_000_000, kennisvraag_factuur=10_000)])
    voucher = _scheme(result[0].as_dict(), "mit_kennisvoucher")
    assert voucher["eligible"] is False
    assert any("not met" in r and "mit.kennisvoucher.open" in r for r in voucher["reasons"])


def test_deduction_without_profit_has_no_value_and_says_which_input() -> None:
    profile = _large_firm(2025, investering_energielijst=100_000)
    eia = _scheme(evaluate([profile])[0].as_dict(), "eia")
    assert eia["eligible"] is True and eia["amount_eur"] == pytest.approx(40_000.0)
    assert eia["value_eur"] is None
    assert any("belastbare_winst" in r for r in eia["reasons"])
    assert "belastbare_winst" in {m["variable"] for m in eia["missing_inputs"]}


def test_ib_ondernemer_deduction_valued_at_marginal_rate_or_not_at_all() -> None:
    base = {"rechtsvorm": "eenmanszaak", "personeel_fte": 1, "jaaromzet": 200_000, "balanstotaal": 100_000}
    for rate, value in ((0.37, 40_000 * 0.37), (None, None)):
        inputs = {**base, "investering_energielijst": 100_000, **({"marginaal_tarief": rate} if rate else {})}
        profile = Profile("ib", 2025, {k: {"2025": v} for k, v in inputs.items()})
        eia = _scheme(evaluate([profile])[0].as_dict(), "eia")
        assert eia["value_eur"] == (None if value is None else pytest.approx(value, abs=0.005))
    unknown = " ".join(eia["reasons"])
    assert "marginaal_tarief" in unknown


def test_innovatiebox_for_ib_ondernemer_is_not_computed_with_reason() -> None:
    inputs = {"rechtsvorm": "eenmanszaak", "innovatiebox_voordelen": 50_000, "so_uren_eigen": 600}
    profile = Profile("ib", 2024, {k: {"2024": v} for k, v in inputs.items()})
    box = _scheme(evaluate([profile])[0].as_dict(), "innovatiebox")
    assert box["status"] == "not_computed"
    assert "is_vpb_plichtig" in box["reasons"][0]


def test_innovatiebox_saving_through_the_brackets() -> None:
    # 2025: 400,000 box profit in a 1,000,000 profit, all in the top bracket: 400,000 x (25.8% - 9%)
    profile = _large_firm(
        2025,
        personeel_fte=20,
        jaaromzet=3_000_000,
        innovatiebox_voordelen=400_000,
        belastbare_winst=1_000_000,
        activum_met_so_verklaring=True,
    )
    box = _scheme(evaluate([profile])[0].as_dict(), "innovatiebox")
    assert box["value_eur"] == pytest.approx(67_200.0, abs=1.0)
    assert box["amount_eur"] == pytest.approx(400_000 * (1 - 0.09 / 0.258), abs=1.0)


def test_combination_rule_backed_by_the_reference_is_stated_on_both_schemes() -> None:
    result = _result("groningen_voedingsmiddelen_energie.yaml")
    for scheme_id in ("eia", "mia_vamil"):
        reasons = " ".join(_scheme(result, scheme_id)["reasons"])
        assert "never both" in reasons and "subsidiebureau-nederland.nl" in reasons
    # a firm eligible for only one of them gets no such line
    single = _result("overijssel_metaal_familiebedrijf_robots.yaml")
    assert not any("never both" in r for r in _scheme(single, "eia")["reasons"])


@pytest.mark.parametrize(
    ("example", "landsdeel"),
    [
        ("overijssel_metaal_familiebedrijf_robots.yaml", "Oost"),
        ("groningen_voedingsmiddelen_energie.yaml", "Noord"),
        ("zeeland_maritiem_prototype_krediet.yaml", "Zuid"),
    ],
)
def test_regional_entries_follow_the_province(example: str, landsdeel: str) -> None:
    result = _result(example)
    efro = _scheme(result, "efro")
    assert efro["status"] == "eligibility_only" and efro["eligible"] is True
    assert efro["amount_eur"] is None and efro["certainty"] == "chance"
    assert f"landsdeel {landsdeel}" in efro["reasons"][0]
    for network in ("smart_industry", "edih", "mkb_werkplaatsen", "nl_ai_coalitie"):
        entry = _scheme(result, network)
        assert entry["status"] == "network" and entry["reasons"]
    order = [s["status"] for s in result["schemes"]]
    assert order.index("network") > max(i for i, s in enumerate(result["schemes"]) if s["eligible"])


def test_unknown_province_asks_for_it() -> None:
    efro = _scheme(evaluate([_large_firm(2024, innovatie_soort="proces")])[0].as_dict(), "efro")
    assert efro["status"] == "not_computed"
    assert [m["variable"] for m in efro["missing_inputs"]] == ["provincie"]


def test_questions_cover_every_scheme_including_the_regional_entries() -> None:
    from peloton.navigator.questions import needed_inputs

    needs = {n.variable: set(n.schemes) for n in needed_inputs()}
    assert {"efro", "regionale_vouchers", "edih"} <= needs["provincie"]
    assert "efro" in needs["innovatie_soort"]
    assert {"eia", "mia_vamil", "innovatiebox"} <= needs["belastbare_winst"]
    assert {"mit_haalbaarheid", "slim", "regionale_vouchers"} <= needs["personeel_fte"]
    assert "mit_kennisvoucher" in needs["kennisvraag_factuur"]
    assert needs["investering_energielijst"] == {"eia"}


def test_an_unknown_profit_in_a_reason_reads_unknown() -> None:
    """Found by the memory benchmark's random profiles (an HTTP 500): an innovatiebox firm that left
    belastbare_winst unknown (NaN) crashed the explanation that formats it."""
    from peloton.navigator.profile import parse_profile

    profile = parse_profile(
        {
            "year": 2023,
            "onderneming": {"activum_met_so_verklaring": True, "innovatiebox_voordelen": 1_891_194.38},
        }
    )
    (scheme,) = [s for s in evaluate([profile])[0].as_dict()["schemes"] if s["id"] == "innovatiebox"]
    assert any("(belastbare_winst) = unknown [input]" in reason for reason in scheme["reasons"])
