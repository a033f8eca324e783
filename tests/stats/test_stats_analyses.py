"""Analyses: sector change, productivity averages, shift-share, scheme use, and the seed checks."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peloton.errors import InputError
from peloton.stats import analyses
from peloton.stats.claims import CANNOT, CONFIRMED, CONTRADICTED, NARROWER, check_claims
from peloton.stats.store import Store


def test_sector_change_2010_2020_matches_the_reference(store: Store) -> None:
    rows = {r.sector_code: r for r in analyses.sector_change(store, 2010, 2020)}
    # reference employment_by_sector.yaml derived_changes (plain subtraction of CBS values)
    assert rows["F"].change == -41 and round(rows["F"].pct_change or 0, 1) == -10.9
    assert rows["K"].change == 1
    assert rows["S"].change == -20 and rows["C"].change == -6 and rows["L"].change == -5
    assert rows["N"].change == 155
    assert set(rows) == set("ABCDEFGHIJKLMNOPQRS")


def test_ranked_by_absolute_change(store: Store) -> None:
    changes = [r.change for r in analyses.sector_change(store, 2010, 2020)]
    assert changes == sorted(changes, reverse=True)


def test_groupings_and_total(store: Store) -> None:
    rows = {r.sector_code: r.change for r in analyses.sector_change(store, 2010, 2020, level="groupings")}
    assert rows == {
        "A": 6,
        "B-F": -41,
        "G-I": 202,
        "J": 64,
        "K": 1,
        "L": -5,
        "M-N": 180,
        "O-Q": 143,
        "R-U": -20,
    }
    total = analyses.sector_change(store, 2010, 2020, sectors=["A-U"])[0]
    assert (total.start_value, total.end_value) == (7860, 8391)


def test_dip_and_recovery_pattern(store: Store) -> None:
    rows = {r.sector_code: r for r in analyses.sector_change(store, 2010, 2020)}
    f = rows["F"]
    assert f.dipped and f.trough_period == "2015" and f.trough_value == 298 and f.recovered
    assert not f.recovered_fully
    assert rows["Q"].recovered_fully  # fell to 2016, above 2010 by 2020
    assert not rows["J"].dipped


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"start": 2020, "end": 2010}, "window"),
        ({"start": 2015, "end": 2015}, "window"),
        ({"start": 2005, "end": 2020}, "from"),
        ({"start": 2010, "end": 2030}, "to"),
        ({"start": 2010, "end": 2020, "sectors": ["Z"]}, "sector"),
        ({"start": 2010, "end": 2020, "measure": "nope"}, "measure"),
        ({"start": 2010, "end": 2020, "level": "divisions"}, "level"),
    ],
)
def test_bad_input_names_the_field(store: Store, kwargs: dict, field: str) -> None:
    with pytest.raises(InputError) as err:
        analyses.sector_change(store, **kwargs)
    assert err.value.field == field


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.integers(1900, 2100), end=st.integers(1900, 2100), sector=st.text(max_size=4))
def test_fuzz_windows_and_sectors(store: Store, start: int, end: int, sector: str) -> None:
    try:
        rows = analyses.sector_change(store, start, end, sectors=[sector] if sector else None)
    except InputError as err:
        assert err.field in {"window", "from", "to", "sector"}
        return
    assert 2009 <= start < end <= 2022
    for r in rows:
        assert math.isclose(r.change, r.end_value - r.start_value)


def test_average_growth(store: Store) -> None:
    avg = analyses.average_growth(store, 2019, 2020)
    assert math.isclose(avg.average, (math.sqrt(1.0 * (1 - 0.018)) - 1) * 100)
    with pytest.raises(InputError):
        analyses.average_growth(store, 1974, 2013)  # yearly data start in 2009
    assert analyses.parse_windows("2009-2013, 2014-2020") == [(2009, 2013), (2014, 2020)]
    with pytest.raises(InputError):
        analyses.parse_windows("2009/2013")


positive = st.floats(1, 1e4, allow_nan=False)


@given(
    st.dictionaries(st.sampled_from("ABCDEFG"), st.tuples(positive, positive, positive, positive), min_size=1)
)
def test_shift_share_components_add_up(data: dict[str, tuple[float, float, float, float]]) -> None:
    va = {k: (v[0], v[1]) for k, v in data.items()}
    hours = {k: (v[2], v[3]) for k, v in data.items()}
    result = analyses.shift_share_decomposition(va, hours)
    p0 = sum(v[0] for v in va.values()) / sum(h[0] for h in hours.values())
    p1 = sum(v[1] for v in va.values()) / sum(h[1] for h in hours.values())
    assert math.isclose(result.total, (p1 / p0 - 1) * 100, rel_tol=1e-9, abs_tol=1e-9)
    assert math.isclose(
        result.within + result.shift + result.interaction, result.total, rel_tol=1e-9, abs_tol=1e-9
    )


def test_shift_share_pure_reallocation() -> None:
    # productivity constant inside each sector; hours move to the more productive sector
    result = analyses.shift_share_decomposition(
        {"A": (100, 100), "B": (200, 400)}, {"A": (10, 10), "B": (10, 20)}
    )
    assert math.isclose(result.within, 0) and result.shift > 0


def test_shift_share_needs_sector_value_added(store: Store) -> None:
    assert analyses.shift_share(store, 2015, 2020) is None


def test_scheme_use_computes_shares_from_counts(store: Store) -> None:
    years = {y.period: y for y in analyses.scheme_use(store, "wbso")}
    y2020 = years["2020"]
    assert y2020.values["wbso_firms_total"].value == 20340
    assert math.isclose(y2020.computed["self_employed_share"], 1330 / 20340 * 100)
    assert math.isclose(years["2022"].computed["research_share_of_projects"], 4032 / (87359 + 4032) * 100)
    with pytest.raises(InputError):
        analyses.scheme_use(store, "nope")


def test_seed_claims_verdicts(store: Store) -> None:
    checks = check_claims(store)
    verdicts = {c.claim: c.verdict for c in checks}
    q3 = next(c for c in checks if "every sector except financial services" in c.claim)
    assert q3.verdict == CONTRADICTED
    for name in ("F Bouwnijverheid", "S Overige dienstverlening", "C Industrie", "L Verhuur"):
        assert name in q3.data
    assert any(s.startswith("seed:") for s in q3.sources) and any("81431ned" in s for s in q3.sources)
    assert verdicts["Labour productivity fell 1.8% in 2020 compared with 2019."] == NARROWER
    assert verdicts["20,340 firms used the WBSO in 2020."] == CONFIRMED
    assert verdicts["97% of them are SMEs."] == CONFIRMED
    assert verdicts["135,370 WBSO projects were granted in 2020."] == CONFIRMED
    assert verdicts["11% of the 2020 projects aimed at developing production processes."] == CANNOT
    assert verdicts["16% of the 2020 projects aimed at developing software."] == CANNOT
