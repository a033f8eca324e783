"""The bundled targets equal the reference pack (checked whenever ../shared is present)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from peloton.simulate.calibration import province_data, targets

SHARED = Path(__file__).resolve().parents[3] / "shared" / "reference"
pytestmark = pytest.mark.skipif(not SHARED.exists(), reason="../shared/reference not present")


def test_firm_counts_equal_cbs_snapshot() -> None:
    figures = yaml.safe_load((SHARED / "cbs" / "figures.yaml").read_text(encoding="utf-8"))
    snapshot = figures["firms_81588NED"]["2024Q2*"]["rows"]
    bundled = targets()["firm_counts"]
    assert bundled["total"]["values"] == snapshot["A-U_alle_economische_activiteiten"]
    by_prefix = {key.split("_")[0]: values for key, values in snapshot.items()}
    for key, row in bundled["rows"].items():
        if row.get("derived"):
            continue
        assert row["values"] == by_prefix[key], key


def test_wbso_targets_equal_usage_statistics() -> None:
    usage = {
        entry["period"]: entry
        for entry in yaml.safe_load(
            (SHARED / "schemes" / "usage_statistics.yaml").read_text(encoding="utf-8")
        )["wbso"]
        if isinstance(entry.get("period"), int)
    }
    years = targets()["wbso"]["years"]
    assert years[2020]["users"]["target"] == usage[2020]["firms_total"]
    assert years[2021]["users"]["target"] == usage[2021]["firms_total"]
    assert years[2022]["users"]["target"] == usage[2022]["firms_granted"]
    assert years[2020]["self_employed_share"]["target"] == round(
        usage[2020]["self_employed"] / usage[2020]["firms_total"], 4
    )
    assert years[2021]["self_employed_share"]["target"] == round(
        usage[2021]["self_employed"] / usage[2021]["firms_total"], 4
    )
    for year in (2019, 2020, 2021, 2022, 2023):
        assert years[year]["sme_share"]["target"] == usage[year]["share_sme"]
    assert years[2024]["sme_share"]["target"] == usage[2024]["share_sme"]
    assert (
        years[2024]["benefit_eur"]["target"]
        == (usage[2024]["budget_available_eur_m"] - usage[2024]["underspend_eur_m"]) * 1_000_000
    )
    for year in (2020, 2021, 2022):
        assert years[year]["sme_benefit_share"]["calibration_input"] == usage[year]["sme_share_of_benefit"]
    assert targets()["wbso"]["starters_share_all_years"] == round(
        usage[2022]["starters"] / usage[2022]["firms_granted"], 4
    )


def test_innovatiebox_targets_equal_usage_statistics() -> None:
    usage = {
        entry["period"]: entry
        for entry in yaml.safe_load(
            (SHARED / "schemes" / "usage_statistics.yaml").read_text(encoding="utf-8")
        )["innovatiebox"]
        if isinstance(entry.get("period"), int)
    }
    years = targets()["innovatiebox"]["years"]
    assert years[2019]["users"]["target"] == usage[2019]["users"]
    assert usage[2019]["users_sme"] + usage[2019]["users_large"] == usage[2019]["users"]
    assert years[2019]["sme_share"]["target"] == usage[2019]["users_sme"] / usage[2019]["users"]
    assert "1.9 billion" in usage[2019]["budgetary_effect_eur"]
    assert years[2019]["benefit_eur"]["target"] == 1_900_000_000
    assert years[2022]["sme_share"]["target"] == usage[2022]["share_users_sme"]
    assert years[2022]["large_benefit_share"]["target"] == usage[2022]["share_benefit_large"]
    assert years[2025]["benefit_eur"]["target"] == usage[2025]["estimated_benefit_eur_m"] * 1_000_000
    for year, entry in years.items():
        for key, item in entry.items():
            if "target" in item:
                assert item["confidence"] == usage[year]["confidence"], (year, key)


def test_establishment_counts_equal_the_cbs_corop_file() -> None:
    """data/provinces.yaml holds the pack's 81578NED counts, every COROP region and year, unchanged."""
    import csv

    data = province_data()
    years = data["establishments"]["years"]
    regions = data["corop"]["regions"]
    with (SHARED / "cbs" / "vestigingen_corop_2015_2025.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(regions) * len(years) == 440
    for row in rows:
        at = years.index(int(row["target_year"]))
        assert regions[row["zone_id"]]["establishments"][at] == float(row["stock"]), row


def test_the_pack_still_has_no_scheme_use_by_sector() -> None:
    """Every scheme's sector breakdown is labelled an assumption because the pack has no use by sector;
    when it gains some (a key naming a sector or SBI section), this fails: calibrate to it instead."""
    usage = yaml.safe_load((SHARED / "schemes" / "usage_statistics.yaml").read_text(encoding="utf-8"))

    def keys(node: object) -> set[str]:
        if isinstance(node, dict):
            return {str(k) for k in node} | {k for v in node.values() for k in keys(v)}
        if isinstance(node, list):
            return {k for v in node for k in keys(v)}
        return set()

    found = {k for k in keys(usage) if any(word in k.lower() for word in ("sector", "sbi", "industr"))}
    assert not found, f"the pack now has use by sector ({found}): calibrate to it"
    assert targets()["breakdown_basis"]["sbi_section"]["basis"] == "assumption"
