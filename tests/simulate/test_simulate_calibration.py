"""Calibration: every target met for every year the reference covers, through the simulator's own path."""

from __future__ import annotations

import pytest

from peloton.errors import InputError
from peloton.simulate.calibration import (
    REFERENCE_YEARS,
    calibration_year,
    check_variables,
    firm_count_rows,
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


def test_info_rows_are_plausible(make_population) -> None:
    """Not targets: starters' share near the published 12.3%, grondslag within 25% of settled costs."""
    source = PopulationFile(make_population(2022), kind="synthetic")
    results = simulate(source, source.synthetic_info(), Plan(2022, extra_variables=check_variables()))
    info = {r.measure: r for r in wbso_rows(2022, results) if r.kind == "info"}
    assert abs(info["starters share"].simulated - 0.1234) < 0.03
    grondslag = info["S&O-grondslag EUR (vs settled)"]
    assert grondslag.target is not None and abs(grondslag.simulated / grondslag.target - 1) < 0.25
