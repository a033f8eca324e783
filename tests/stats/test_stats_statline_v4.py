"""The v4 client, replayed from the real recorded CBS OData v4 responses in ../shared (never the internet)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import requests
from stats_replay import RECORDED_V4

from peloton.stats import statline_v4
from peloton.stats.statline import StatLineUnavailable, TableShapeError
from peloton.stats.store import Store, load_snapshot

SECTIONS = set("ABCDEFGHIJKLMNOPQ")
GROUPINGS = {"B-E", "G-N", "G-I", "M-N", "O-U", "O-Q", "R-U"}


@pytest.fixture(scope="module")
def recorded() -> Path:
    if not (RECORDED_V4 / "85880NED" / "observations-page-1.json").exists():
        pytest.skip(f"recorded CBS v4 responses not found at {RECORDED_V4}")
    return RECORDED_V4


@pytest.fixture(scope="module")
def data(recorded: Path) -> dict[str, Any]:
    return statline_v4.download(session_factory=lambda: statline_v4.RecordedSession(recorded))


def test_update_replays_the_recorded_v4_responses(fresh_store: Store, recorded: Path) -> None:
    session = statline_v4.RecordedSession(recorded)
    counts = statline_v4.update(fresh_store, session_factory=lambda: session)
    # 17 sections (A..Q) and 7 CBS groupings, 2020-2025: the value-added block of 85880NED
    assert counts == {"value_added_volume_growth": 24 * 6, "value_added_value_growth": 24 * 6}
    asked = "\n".join(session.log)
    for entity in ("85880NED/Properties", "85880NED/MeasureCodes", "85880NED/SoortMutatiesCodes"):
        assert entity in asked
    assert "84826NED/BedrijfstakkenBranchesSBI2008Codes" in asked  # CBS's v4 SBI list gives the titles
    assert "Perioden ge '2020JJ00'" in asked
    rows = {(o.sector_code, o.period): o for o in fresh_store.observations("value_added_volume_growth")}
    # the figures SOURCE.md quotes from the recording (volume y/y, year rows)
    expected = {
        ("C", "2020"): -1.8,
        ("C", "2021"): 11.3,
        ("C", "2022"): 4.9,
        ("C", "2023"): -1.7,
        ("C", "2024"): 3.5,
        ("C", "2025"): 2.8,
        ("I", "2020"): -46.1,
        ("J", "2022"): 14.3,
    }
    assert {k: rows[k].value for k in expected} == expected
    obs = rows[("C", "2020")]
    assert obs.sector_label == "C Industrie" and obs.unit == "%" and obs.table_id == "85880NED"
    assert "version 202607010955" in obs.vintage and "datasets.cbs.nl/odata/v1/CBS/85880NED" in obs.source
    notes = fresh_store.notes("value_added_volume_growth")
    assert "Voorlopig" in notes[("C", "2025")] and "Definitief" in notes[("C", "2024")]
    assert {c for c, _ in rows} == SECTIONS | GROUPINGS
    assert {p for _, p in rows} == {str(y) for y in range(2020, 2026)}  # quarters are not year rows


def test_investment_block_is_not_read_as_value_added(data: dict[str, Any]) -> None:
    industries = statline_v4.industry_measures(data["MeasureCodes"], data["SBICodes"])
    # 301000_2 / 300003 (B-F) key investment by industry later in the table: not value added
    assert "301000_1" in industries and "301000_2" not in industries
    assert "B-F" not in {code for code, _ in industries.values()}
    volume = {
        (r["Measure"], r["Perioden"]): r["Value"]
        for r in data["Observations"]
        if r["SoortMutaties"] == "A045299"
    }
    rows = statline_v4.parse(data)["value_added_volume_growth"]
    a2020 = next(r for r in rows if r["sector_code"] == "A" and r["period"] == "2020")
    assert a2020["value"] == volume[("301000_1", "2020JJ00")]


def test_value_growth_is_the_value_mutation(data: dict[str, Any]) -> None:
    value = {
        (r["Measure"], r["Perioden"]): r["Value"]
        for r in data["Observations"]
        if r["SoortMutaties"] == "A045301"
    }
    rows = statline_v4.parse(data)["value_added_value_growth"]
    c2022 = next(r for r in rows if r["sector_code"] == "C" and r["period"] == "2022")
    assert c2022["value"] == value[("307500_2", "2022JJ00")]
    assert "A045301" in c2022["note"]


def test_a_code_twice_in_the_block_is_a_shape_error(data: dict[str, Any]) -> None:
    codes = copy.deepcopy(data["MeasureCodes"])
    twin = next(m for m in codes if m["Identifier"] == "354200")  # G Handel
    codes.append({**twin, "Identifier": "354200_9", "Index": twin["Index"]})
    with pytest.raises(TableShapeError, match="SBI code G twice"):
        statline_v4.industry_measures(codes, data["SBICodes"])


def test_another_table_is_a_shape_error(data: dict[str, Any]) -> None:
    other = {**data, "Properties": {**data["Properties"], "Identifier": "84826NED"}}
    with pytest.raises(TableShapeError, match="expected table 85880NED"):
        statline_v4.parse(other)


def test_offline_keeps_the_store(fresh_store: Store) -> None:
    class Down:
        def get(self, *args: object, **kwargs: object) -> None:
            raise requests.ConnectionError("connection reset by peer")

    before = fresh_store.observations("value_added_volume_growth")
    with pytest.raises(StatLineUnavailable, match="ConnectionError"):
        statline_v4.update(fresh_store, session_factory=Down)
    assert fresh_store.observations("value_added_volume_growth") == before
    assert not any(k.startswith("updated:") for k in fresh_store.meta())


def test_missing_recorded_file_is_unavailable(fresh_store: Store, tmp_path: Path) -> None:
    with pytest.raises(StatLineUnavailable, match="HTTPError"):
        statline_v4.update(fresh_store, session_factory=lambda: statline_v4.RecordedSession(tmp_path))


def test_snapshot_carries_the_recorded_figures(data: dict[str, Any], recorded: Path) -> None:
    """The bundled rows are what the v4 client reads from ../shared today, with the capture date."""
    captured = json.loads((recorded / "85880NED" / "index.json").read_text(encoding="utf-8"))["capturedAt"]
    parsed = statline_v4.parse(data, retrieved_at=captured[:10])
    bundled = [r for r in load_snapshot()["rows"] if r["table_id"] == "85880NED"]
    key = ("measure", "sector_code", "period", "value", "vintage", "retrieved_at", "source")
    assert sorted(tuple(r[k] for k in key) for r in bundled) == sorted(
        tuple(r[k] for k in key) for rows in parsed.values() for r in rows
    )
    assert all(r["retrieved_at"] == "2026-07-17" for r in bundled)
