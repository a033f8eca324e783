"""Calibration: every target met for every year the reference covers, through the simulator's own path."""

from __future__ import annotations

import pytest

from peloton.errors import InputError
from peloton.simulate.calibration import (
    REFERENCE_YEARS,
    calibration_year,
    check_variables,
    check_years,
    firm_count_rows,
    innovatiebox_inputs,
    innovatiebox_rows,
    innovatiebox_years,
    province_establishments,
    province_rows,
    targets,
    wbso_rows,
)
from peloton.simulate.evaluation import Plan
from peloton.simulate.population import PopulationFile
from peloton.simulate.results import simulate


def test_reference_years_are_those_with_rules_and_usage() -> None:
    assert REFERENCE_YEARS == (2019, 2020, 2021, 2022, 2023, 2024)
    assert calibration_year(2026) == 2024
    with pytest.raises(InputError, match="starts in 2019"):
        calibration_year(2018)


@pytest.mark.parametrize("year", REFERENCE_YEARS)
def test_every_target_met(year: int, make_population) -> None:
    source = PopulationFile(make_population(year), kind="synthetic")
    results = simulate(source, source.synthetic_info(), Plan(year, extra_variables=check_variables()))
    rows = wbso_rows(year, results)
    targets = [r for r in rows if r.kind == "target"]
    assert {r.measure for r in targets} >= {"WBSO users", "SME share of users"}
    missed = [(r.measure, r.target, r.simulated) for r in targets if not r.ok]
    assert not missed
    if year in (2019, 2020, 2021, 2022, 2024):
        assert any(r.measure == "benefit EUR" and r.ok for r in targets)
    if year in (2020, 2021):
        assert any(r.measure == "self-employed share" and r.ok for r in targets)
    counts = firm_count_rows(source.path)
    assert len(counts) == 16 + 5 and all(r.ok for r in counts)


@pytest.mark.parametrize("year", (2019, 2024))
def test_province_shares_meet_the_cbs_establishments_of_the_year(year: int, make_population) -> None:
    rows = province_rows(make_population(year), year)
    assert len(rows) == 12 and all(r.ok and r.year == str(year) for r in rows)
    assert abs(sum(r.simulated for r in rows) - 1.0) < 1e-9
    assert all(abs(r.simulated - (r.target or 0.0)) < 2e-4 for r in rows)  # within a record, not 0.1 pt


def test_provinces_roll_up_the_corop_regions_by_hand() -> None:
    """2024, from vestigingen_corop_2015_2025.csv: Noord-Holland = CR18..CR24 = 51,105 + 35,680 + 25,880
    + 40,230 + 24,555 + 287,570 + 43,985 = 509,005; Flevoland = CR40 = 61,290; the 40 regions 2,507,800."""
    counts = province_establishments(2024)
    assert counts["noord_holland"] == 509_005 and counts["flevoland"] == 61_290
    assert sum(counts.values()) == 2_507_800 and len(counts) == 12
    assert sum(province_establishments(2019).values()) == 1_933_245
    with pytest.raises(InputError, match="2014: no CBS establishment counts"):
        province_establishments(2014)


def test_a_provinces_firms_have_the_countrys_sector_mix(make_population) -> None:
    """Province is drawn independently of sector and size: Noord-Holland's share of industry (C) and of
    the WBSO users is its share of all firms, up to sampling noise."""
    import pyarrow.parquet as pq

    table = pq.read_table(make_population(2024), columns=["weight", "provincie", "sbi_sectie", "so_uren"])
    col = {n: table.column(n).to_numpy(zero_copy_only=False) for n in table.column_names}
    province, weight = col["provincie"].astype(str), col["weight"]
    nh = province == "noord_holland"
    overall = weight[nh].sum() / weight.sum()
    for group in (col["sbi_sectie"].astype(str) == "C", col["so_uren"] > 0):
        assert abs(weight[nh & group].sum() / weight[group].sum() - overall) < 0.03


def test_info_rows_are_plausible(make_population) -> None:
    """Not targets: starters' share near the published 12.3%, grondslag within 25% of settled costs."""
    source = PopulationFile(make_population(2022), kind="synthetic")
    results = simulate(source, source.synthetic_info(), Plan(2022, extra_variables=check_variables()))
    info = {r.measure: r for r in wbso_rows(2022, results) if r.kind == "info"}
    assert abs(info["starters share"].simulated - 0.1234) < 0.03
    grondslag = info["S&O-grondslag EUR (vs settled)"]
    assert grondslag.target is not None and abs(grondslag.simulated / grondslag.target - 1) < 0.25


def test_innovatiebox_years_and_inputs() -> None:
    """Every innovatiebox year of the reference that can be simulated is checked; others use inputs."""
    assert innovatiebox_years() == (2019, 2020, 2021, 2022, 2023, 2024, 2025)
    assert check_years() == (*REFERENCE_YEARS, 2025, 2026)  # 2026: the MIA/Vamil budget row (refused)
    years = targets()["innovatiebox"]["years"]
    with_target = {y: {k for k, v in e.items() if "target" in v} for y, e in years.items()}
    assert with_target == {
        2019: {"users", "sme_share", "benefit_eur"},
        2020: set(),
        2021: set(),
        2022: {"sme_share", "large_benefit_share"},
        2023: set(),
        2024: set(),
        2025: {"benefit_eur"},
    }
    for entry in years.values():
        for item in entry.values():
            assert ("target" in item and item["source"] and item["confidence"]) or "nearest" in item[
                "derivation"
            ]
    inputs = innovatiebox_inputs(2019)
    assert (round(inputs.sme), round(inputs.large)) == (2700, 500)
    assert innovatiebox_inputs(2025) == innovatiebox_inputs(2024)
    assert innovatiebox_inputs(2024).benefit_eur == 2_898_000_000


@pytest.mark.parametrize(
    ("year", "measures"),
    [
        (2019, {"innovatiebox users", "innovatiebox SME share of users", "innovatiebox tax saving EUR"}),
        (2022, {"innovatiebox SME share of users", "innovatiebox large share of saving"}),
        (2025, {"innovatiebox tax saving EUR"}),
    ],
)
def test_innovatiebox_targets_met(year: int, measures: set[str], make_population) -> None:
    """2019 users / SME split / saving, 2022 SME share and large share of saving, 2025 saving: all met."""
    source = PopulationFile(make_population(calibration_year(year)), kind="synthetic")
    results = simulate(source, source.synthetic_info(), Plan(year, extra_variables=check_variables()))
    rows = innovatiebox_rows(year, results)
    targets_ = {r.measure: r for r in rows if r.kind == "target"}
    assert set(targets_) == measures
    assert all(r.ok for r in targets_.values()), [(r.measure, r.target, r.simulated) for r in rows]
    if year == 2019:
        stats = results.stats("baseline", "innovatiebox")
        sme = stats.reached_firms * (stats.sme_share_firms or 0.0)
        assert abs(sme - 2700) < 270 and abs(stats.reached_firms - sme - 500) < 50


@pytest.mark.parametrize("year", [y for y in REFERENCE_YEARS if y not in (2019, 2022)])
def test_innovatiebox_inputs_reached(year: int, make_population) -> None:
    """Years without a figure are generated on the nearest year's figures (shown as inputs)."""
    source = PopulationFile(make_population(year), kind="synthetic")
    results = simulate(source, source.synthetic_info(), Plan(year, extra_variables=check_variables()))
    rows = innovatiebox_rows(year, results)
    assert rows and all(r.kind == "input" and r.ok is None for r in rows)
    for r in rows:
        assert r.target is not None
        if r.tolerance.endswith("pt"):
            assert abs(r.simulated - r.target) <= 0.02
        else:
            assert abs(r.simulated / r.target - 1) <= 0.10


def test_calibrated_schemes_drop_the_upper_bound_and_mia_vamil_keeps_it() -> None:
    from peloton.core.takeup import takeup_for

    for scheme in (
        "mit_haalbaarheid",
        "mit_rd_samenwerking",
        "mit_kennisvoucher",
        "eia",
        "innovatiekrediet",
        "slim",
    ):
        for year in (2020, 2025):
            takeup = takeup_for(scheme, year)
            assert takeup.method == "calibrated" and not takeup.upper_bound, (scheme, year)
            assert "targets.yaml scheme_use" in str(takeup.source)
    assert takeup_for("mia_vamil", 2025).upper_bound


def test_scheme_use_entries_say_their_kind_and_source() -> None:
    from peloton.simulate.calibration import targets

    for entry in targets()["scheme_use"]:
        assert entry["kind"] in {"realised", "ceiling", "budget"}, entry
        assert entry["statistic"] in {"cost", "investment"}, entry
        assert entry["source"] and entry["confidence"] in {"confirmed", "single-source", "uncertain"}, entry
