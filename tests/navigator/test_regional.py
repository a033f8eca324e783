"""The regional layer: EFRO per landsdeel, vouchers per province and year, the support network, and
that every source and every figure in regional.yaml comes from the reference facts."""

from __future__ import annotations

import copy
import re
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from peloton.errors import InputError
from peloton.navigator.regional import (
    RESULT_ORDER,
    RegionalDataError,
    RegionalResult,
    load_regional,
    parse_regional,
    regional_results,
)

REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "schemes"
PROVINCES = (
    "groningen",
    "fryslan",
    "drenthe",
    "overijssel",
    "flevoland",
    "gelderland",
    "utrecht",
    "noord_holland",
    "zuid_holland",
    "zeeland",
    "noord_brabant",
    "limburg",
)


def _raw() -> dict[str, Any]:
    text = resources.files("peloton.catalog").joinpath("regional.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _reference_text() -> str:
    if not REFERENCE.is_dir():
        pytest.skip(f"reference facts not found at {REFERENCE}")
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(REFERENCE.glob("*.yaml")))


def _by_id(
    provincie: str, year: int, is_mkb: bool = True, soort: str = "product"
) -> dict[str, RegionalResult]:
    return {r.id: r for r in regional_results(provincie, year, is_mkb, soort)}


def _text(result: RegionalResult) -> str:
    return " ".join(result.reasons)


def _offer_names(result: RegionalResult) -> list[str]:
    return [o["name"] for o in result.offers]


def test_one_result_per_catalog_id_in_order() -> None:
    assert [r.id for r in regional_results("utrecht", 2024, True, "software")] == list(RESULT_ORDER)


# ------------------------------------------------------------------------- EFRO


@pytest.mark.parametrize(
    ("provincie", "programme", "outside"),
    [
        ("groningen", "EFRO Noord-Nederland 2021-2027", "overijssel"),
        ("overijssel", "EFRO Oost 2021-2027", "limburg"),
        ("zeeland", "OPZuid 2021-2027", "flevoland"),
        ("flevoland", "Kansen voor West III", "drenthe"),
    ],
)
def test_efro_programme_per_landsdeel(provincie: str, programme: str, outside: str) -> None:
    inside = _by_id(provincie, 2024)["efro"]
    assert inside.eligible is True
    assert inside.status == "eligibility_only"
    assert programme in _text(inside)
    assert "amount not computed" in _text(inside)
    assert programme not in _text(_by_id(outside, 2024)["efro"])


def test_efro_reason_for_overijssel_names_landsdeel_authority_priority_and_gap() -> None:
    efro = _by_id("overijssel", 2024, soort="proces")["efro"]
    first = efro.reasons[0]
    assert first.startswith("Overijssel is in landsdeel Oost: programme EFRO Oost 2021-2027")
    assert "Managementautoriteit EFRO Oost-Nederland" in first
    assert "(proces) fits priority 1" in first
    assert "no co-financing rate is fixed by the programme" in first
    assert _offer_names(efro) == ["Innovation projects (TRL 4-8)"]
    assert "https://www.efro-oost.eu/over-efro-oost/programma-efro-oost" in efro.references


def test_efro_needs_an_innovation_project() -> None:
    efro = _by_id("limburg", 2024, soort="geen")["efro"]
    assert efro.eligible is False
    assert "not eligible: EFRO programmes fund innovation projects; innovatie_soort = geen" in efro.reasons


def test_efro_2014_2020_programme_before_2021() -> None:
    efro = _by_id("zuid_holland", 2019)["efro"]
    assert "Kansen voor West II" in efro.reasons[0]
    assert "openings for 2019 are not in the reference" in _text(efro)
    assert efro.offers == []
    assert "caps the subsidy" in efro.reasons[0], "West II states a programme rate"
    oost_2015 = _by_id("gelderland", 2015)["efro"]
    assert "OP Oost 2014-2020" in oost_2015.reasons[0]
    assert _offer_names(oost_2015) == ["SME innovation voucher scheme (first opening of OP Oost)"]


def test_efro_year_outside_every_programme() -> None:
    efro = _by_id("drenthe", 2030)["efro"]
    assert efro.eligible is None
    assert "no EFRO programme in the reference covers 2030" in _text(efro)


def test_efro_opening_restricted_to_its_province() -> None:
    utrecht = _by_id("utrecht", 2023)["efro"]
    holland = _by_id("noord_holland", 2023)["efro"]
    assert "Utrecht region openings" in _offer_names(utrecht)
    assert "Utrecht region openings" not in _offer_names(holland)


def test_efro_non_sme_is_told_about_sme_participation() -> None:
    efro = _by_id("gelderland", 2024, is_mkb=False)["efro"]
    assert efro.eligible is True
    assert any("not an SME" in r for r in efro.reasons)


# ------------------------------------------------------------------------- vouchers


def test_voucher_years_filter() -> None:
    name = "Voucherregeling MKB Fryslân 2021-2023 (via SNN)"
    assert name in _offer_names(_by_id("fryslan", 2022)["regionale_vouchers"])
    assert name not in _offer_names(_by_id("fryslan", 2024)["regionale_vouchers"])
    between = _by_id("fryslan", 2020)["regionale_vouchers"]
    assert between.offers == []
    assert f"{name} [2021-2023]" in _text(between), "a year without vouchers names those of other years"


def test_voucher_shows_amount_as_the_reference_states_it() -> None:
    offer = next(o for o in _by_id("fryslan", 2022)["regionale_vouchers"].offers if "2021-2023" in o["name"])
    assert offer["amount"] == "max EUR 2,500 or EUR 5,000 (by activity)"
    assert offer["percentage"] == "50%"
    assert offer["sme_condition"] == "SME"
    assert offer["confidence"] == "confirmed"


def test_voucher_sme_condition() -> None:
    large = _by_id("fryslan", 2022, is_mkb=False)["regionale_vouchers"]
    assert large.eligible is False
    assert large.offers == []
    assert (
        "not eligible for Voucherregeling MKB Fryslân 2021-2023 (via SNN): SME only, the firm is not an SME"
        in large.reasons
    )
    # a scheme that also admits non-SMEs stays open to a large firm
    zeeland = _by_id("zeeland", 2023, is_mkb=False)["regionale_vouchers"]
    assert zeeland.eligible is True
    assert _offer_names(zeeland) == ["Subsidieregeling Zeeland in Stroomversnelling (round 2023-2024)"]


def test_landsdeel_wide_voucher_applies_to_each_province() -> None:
    for provincie in ("groningen", "fryslan", "drenthe"):
        vouchers = _by_id(provincie, 2025)["regionale_vouchers"]
        assert any("Mkb-haalbaarheidsvoucher" in n for n in _offer_names(vouchers)), provincie
    assert not any("Mkb-haalbaarheidsvoucher" in n for n in _offer_names(_by_id("limburg", 2025)["efro"]))


def test_no_voucher_for_the_year_names_the_other_years() -> None:
    vouchers = _by_id("overijssel", 2024)["regionale_vouchers"]
    assert vouchers.eligible is None
    assert vouchers.offers == []
    text = _text(vouchers)
    assert "no voucher scheme for Overijssel covering 2024" in text
    assert "Overijssel MKB innovation / feasibility scheme [2020]" in text


def test_undated_voucher_is_never_matched_to_a_year() -> None:
    name = "MKB-voucher Overijssel (innovation, digitalisation, schooling)"
    for year in range(2010, 2031):
        assert name not in _offer_names(_by_id("overijssel", year)["regionale_vouchers"])
    assert f"{name} [period unknown" in _text(_by_id("overijssel", 2024)["regionale_vouchers"])


def test_fuzzy_period_is_read_and_shown_with_the_reference_wording() -> None:
    offer = _by_id("overijssel", 2018)["regionale_vouchers"].offers[0]
    assert offer["name"] == "Innovatievouchers Overijssel"
    assert offer["period"] == "2018 (reference: 2018 (item republished Aug 2021))"
    assert "republication" in offer["period_reading"]
    assert offer["confidence"] == "uncertain"
    assert "Innovatievouchers Overijssel" not in _offer_names(
        _by_id("overijssel", 2021)["regionale_vouchers"]
    )


# ------------------------------------------------------------------------- network


def test_network_entries_have_no_eligibility() -> None:
    for result in regional_results("gelderland", 2024, True, "proces")[2:]:
        assert result.status == "network"
        assert result.eligible is None


def test_smart_industry_per_province() -> None:
    fryslan = _offer_names(_by_id("fryslan", 2020)["smart_industry"])
    assert "Smart Industry Hub Noord(-Nederland)" in fryslan
    assert "Innovatiecluster Drachten (ICD)" in fryslan
    assert "Technologies Added" not in fryslan, "Emmen is in Drenthe"
    assert "Technologies Added" in _offer_names(_by_id("drenthe", 2020)["smart_industry"])
    zuid_holland = _offer_names(_by_id("zuid_holland", 2020)["smart_industry"])
    assert {"SMITZH (Smart Manufacturing Industriële Toepassing in Zuid-Holland)", "RoboHouse"} <= set(
        zuid_holland
    )
    noord_holland = _by_id("noord_holland", 2020)["smart_industry"]
    assert noord_holland.offers == []
    assert (
        "no Smart Industry hub or fieldlab is named for Noord-Holland in the reference"
        in noord_holland.reasons
    )
    assert any("fifth Smart Industry hub" in r for r in noord_holland.reasons)


def test_hubs_end_in_2022() -> None:
    later = _by_id("gelderland", 2024)["smart_industry"]
    assert "BOOST Smart Industry" not in _offer_names(later)
    assert "BOOST Smart Industry [2018-2022" in _text(later)


def test_edihs_from_2023() -> None:
    assert _by_id("overijssel", 2022)["edih"].offers == []
    assert _offer_names(_by_id("overijssel", 2023)["edih"]) == ["EDIH BOOST Robotics EastNL"]
    assert "EDIH Noordwest Nederland" in _offer_names(_by_id("utrecht", 2024)["edih"])
    assert "EDIH Noord Nederland (EDIH NN)" in _offer_names(_by_id("groningen", 2024)["edih"])
    every = [n for p in PROVINCES for n in _offer_names(_by_id(p, 2024)["edih"])]
    assert "Dutch Societal Innovation Hub (DSIH)" not in every, "the public-sector EDIH is not for firms"


def test_mkb_werkplaatsen_only_fryslan_named() -> None:
    assert _offer_names(_by_id("fryslan", 2022)["mkb_werkplaatsen"]) == ["Digitale Werkplaats Fryslân"]
    utrecht = _by_id("utrecht", 2022)["mkb_werkplaatsen"]
    assert utrecht.offers == []
    assert "no mkb-werkplaats is named for Utrecht in the reference" in utrecht.reasons
    assert any(r.startswith("GAP: The full list") for r in utrecht.reasons)


def test_ai_coalition_is_national_and_dated() -> None:
    for provincie in PROVINCES:
        assert _offer_names(_by_id(provincie, 2021)["nl_ai_coalitie"]) == ["Nederlandse AI Coalitie (NL AIC)"]
    assert _offer_names(_by_id("limburg", 2025)["nl_ai_coalitie"]) == [
        "AI Coalitie 4 NL (AIC4NL; NL AIC and AiNed merged)"
    ]
    assert _by_id("limburg", 2018)["nl_ai_coalitie"].offers == []


# ------------------------------------------------------------------------- inputs


def test_unknown_province_names_the_missing_input() -> None:
    results = regional_results("onbekend", 2024, True, "product")
    assert [r.id for r in results] == list(RESULT_ORDER)
    for result in results[:-1]:
        assert result.status == "not_computed"
        assert result.eligible is None
        assert result.missing_inputs == ["provincie"]
        assert "missing input provincie" in _text(result)
    assert results[-1].status == "network", "the AI coalition is national"
    assert results[-1].offers


def test_unknown_province_still_rules_out_efro_without_innovation() -> None:
    efro = regional_results("onbekend", 2024, True, "geen")[0]
    assert efro.eligible is False
    assert efro.missing_inputs == ["provincie"]


@pytest.mark.parametrize(
    ("provincie", "soort", "field"),
    [
        ("friesland", "product", "provincie"),
        ("Overijssel", "product", "provincie"),
        ("utrecht", "x", "innovatie_soort"),
    ],
)
def test_bad_input_names_the_field(provincie: str, soort: str, field: str) -> None:
    with pytest.raises(InputError) as error:
        regional_results(provincie, 2024, True, soort)
    assert error.value.field == field
    assert "allowed" in str(error.value)


# ------------------------------------------------------------------------- the data


def test_no_offer_without_source() -> None:
    for provincie in PROVINCES:
        for year in range(2014, 2031):
            for is_mkb in (True, False):
                for result in regional_results(provincie, year, is_mkb, "onderzoek"):
                    assert result.references, (provincie, year, result.id)
                    for offer in result.offers:
                        assert offer["source"], (provincie, year, offer["name"])
                        assert offer["confidence"] in {"confirmed", "single-source", "uncertain"}
                        assert offer["period"], offer["name"]


def test_every_province_has_a_landsdeel_and_a_voucher_list() -> None:
    data = load_regional()
    assert set(data.province_names) == set(PROVINCES)
    assert set(data.vouchers) == set(PROVINCES)
    assert set(data.province_landsdeel.values()) == {"noord", "oost", "zuid", "west"}


def _sources(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [s for s in node.get("source", []) if isinstance(s, str)]
        return found + [s for k, v in node.items() if k != "source" for s in _sources(v)]
    if isinstance(node, list):
        return [s for v in node for s in _sources(v)]
    return []


def test_every_source_occurs_in_the_reference() -> None:
    reference = _reference_text()
    sources = _sources(_raw())
    assert len(sources) > 100
    missing = sorted({s for s in sources if s not in reference})
    assert missing == [], "sources not in ../shared/reference/schemes"


# A figure: 1,234,567 or 1234 or 0.35, optionally followed by m / bn / %; not part of a word (RIS3, Q4).
FIGURE = re.compile(r"(?<![\w.,/])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(m\b|bn\b|%)?")


def _figures(text: str) -> tuple[set[float], set[float]]:
    """Plain values (with m/bn expanded) and fractions (a percentage /100, or a decimal below 1)."""
    plain: set[float] = set()
    fractions: set[float] = set()
    for whole, decimals, suffix in FIGURE.findall(text):
        value = float(whole.replace(",", "") + decimals)
        if suffix == "%":
            fractions.add(round(value / 100, 6))
            continue
        value *= {"m": 1e6, "bn": 1e9}.get(suffix, 1)
        plain.add(round(value, 6))
        if value < 1:
            fractions.add(round(value, 6))
    return plain, fractions


def _strings(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [s for k, v in node.items() if k != "source" for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return [node] if isinstance(node, str) else []


def test_no_figure_absent_from_the_reference() -> None:
    """Every amount, percentage, date and count in regional.yaml appears in the reference facts."""
    ref_plain, ref_fractions = _figures(_reference_text())
    unsupported = []
    for text in _strings(_raw()):
        plain, fractions = _figures(text)
        unsupported += [(n, text) for n in plain - ref_plain]
        unsupported += [(f"{f:.0%}", text) for f in fractions - ref_fractions if f not in plain]
    assert unsupported == []


def test_figure_check_catches_an_invented_amount() -> None:
    ref_plain, _ = _figures(_reference_text())
    plain, _ = _figures("max EUR 12,345 per firm")
    assert plain - ref_plain == {12345.0}


def test_structure_errors_name_the_entry() -> None:
    raw = _raw()
    broken = copy.deepcopy(raw)
    del broken["vouchers"]["by_province"]["drenthe"][0]["source"]
    with pytest.raises(
        RegionalDataError, match=r"vouchers\.by_province\.drenthe\[0\].*MKB Advies Voucher.*source"
    ):
        parse_regional(broken)
    broken = copy.deepcopy(raw)
    broken["network"]["edih"]["entries"][0]["provinces"] = ["friesland"]
    with pytest.raises(RegionalDataError, match=r"network\.edih\.entries\[0\].*friesland"):
        parse_regional(broken)
    broken = copy.deepcopy(raw)
    broken["efro"]["programmes"][0]["years"] = {"first": 2027, "last": 2021}
    with pytest.raises(RegionalDataError, match=r"efro\.programmes\[0\].*after last"):
        parse_regional(broken)
    broken = copy.deepcopy(raw)
    broken["vouchers"]["by_province"]["fryslan"][1]["sme_olny"] = True
    with pytest.raises(RegionalDataError, match=r"fryslan\[1\].*unknown keys \['sme_olny'\]"):
        parse_regional(broken)
    broken = copy.deepcopy(raw)
    broken["vouchers"]["by_province"]["zeeland"][0]["confidence"] = "likely"
    with pytest.raises(RegionalDataError, match=r"zeeland\[0\].*confidence"):
        parse_regional(broken)
