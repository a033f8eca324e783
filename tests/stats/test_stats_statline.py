"""The live client, replayed: recorded-shape OData responses go through cbsodata and our parser."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
import requests
from stats_replay import RECORDED, ReplaySession

from peloton.stats import statline
from peloton.stats.store import Store

SPEC_81431 = next(s for s in statline.TABLES if s.table_id == "81431ned")


def test_update_replays_through_cbsodata_and_replaces_series(
    fresh_store: Store, replay: type[ReplaySession]
) -> None:
    counts = statline.update(fresh_store, ["81431ned"], session_factory=replay)
    assert counts == {"employee_jobs": 5 * 14, "employee_labour_volume": 5 * 14}
    # paging: cbsodata followed odata.nextLink
    assert any("$skip=40" in url or "%24skip=40" in url for url in replay.log)
    rows = {(o.sector_code, o.period): o for o in fresh_store.observations("employee_jobs")}
    # padded keys ("307500 ") were stripped and joined to titles; 2010X000 and non-Totaal rows skipped
    assert rows[("C", "2010")].value == 772 and rows[("C", "2010")].sector_label == "C Industrie"
    assert rows[("A-U", "2020")].value == 8391
    assert {p for _, p in rows} == {str(y) for y in range(2009, 2023)}
    obs = rows[("K", "2022")]
    assert (
        obs.table_id == "81431ned" and "2023-11-01" in obs.vintage and obs.confidence.startswith("confirmed")
    )
    # the whole series was replaced (one table version), not merged with the snapshot's other sectors
    assert {c for c, _ in rows} == {"A-U", "C", "F", "K", "S"}
    assert fresh_store.meta()["updated:employee_jobs"]


def test_offline_keeps_the_store(fresh_store: Store) -> None:
    class Down:
        def send(self, *args: Any, **kwargs: Any) -> None:
            raise requests.ConnectionError("connection reset by peer")

    before = fresh_store.observations("employee_jobs")
    with pytest.raises(statline.StatLineUnavailable) as err:
        statline.update(fresh_store, None, session_factory=Down)
    assert "ConnectionError" in str(err.value)
    assert fresh_store.observations("employee_jobs") == before
    assert not any(k.startswith("updated:") for k in fresh_store.meta())


def test_http_error_is_unavailable(fresh_store: Store, replay: type[ReplaySession], tmp_path: Path) -> None:
    class Missing(ReplaySession):
        def __init__(self) -> None:
            super().__init__(tmp_path)  # no files: every request is a 404

    with pytest.raises(statline.StatLineUnavailable):
        statline.update(fresh_store, ["81431ned"], session_factory=Missing)


def test_measures_resolved_by_title_when_keys_differ() -> None:
    props = [
        {"ID": 0, "Type": "TopicGroup", "Key": "", "Title": "Banen", "ParentID": None},
        {"ID": 1, "Type": "Topic", "Key": "Banen_7", "Title": "Totaal", "ParentID": 0, "Unit": "x 1 000"},
    ]
    spec = statline.TableSpec("x", (statline.MeasureSpec("employee_jobs", words=("banen",)),))
    assert statline._resolve_topics(spec, props)["employee_jobs"]["Key"] == "Banen_7"
    with pytest.raises(statline.TableShapeError):
        statline._resolve_topics(
            statline.TableSpec("x", (statline.MeasureSpec("a", words=("uren",)),)), props
        )


def _read_sections(path: Path) -> dict[str, list[dict[str, str]]]:
    """A CBS metadata CSV export: a one-cell section name, a header row, then records."""
    sections: dict[str, list[dict[str, str]]] = {}
    current: str | None = None
    header: list[str] | None = None
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh, delimiter=";"):
            if len(row) == 1 and row[0] and row[0][0].isalpha() and " " not in row[0]:
                current, header = row[0], None
                sections[current] = []
            elif current and header is None:
                header = row
            elif current and header:
                sections[current].append(
                    {k: (v if v != "" else None) for k, v in zip(header, row, strict=False)}
                )  # type: ignore[misc]
    return sections


@pytest.fixture
def recorded() -> Path:
    if not RECORDED.is_dir():
        pytest.skip(f"recorded CBS exports not found at {RECORDED}")
    return RECORDED


def test_recorded_metadata_export_parses(recorded: Path) -> None:
    sections = _read_sections(recorded / "83451NED_metadata_csv_2023_trimmed.csv")
    props: list[dict[str, Any]] = [
        {**p, "ID": int(p["ID"]), "ParentID": int(p["ParentID"]) if p["ParentID"] else None}
        for p in sections["DataProperties"]
    ]
    spec = statline.TableSpec(
        "83451NED",
        (
            statline.MeasureSpec("employee_jobs", words=("banen", "zonder seizoenscorrectie")),
            statline.MeasureSpec("employee_labour_volume", words=("arbeidsvolume", "zonder")),
        ),
    )
    topics = statline._resolve_topics(spec, props)
    assert topics["employee_jobs"]["Key"] == "BanenZonderSeizoenscorrectie_2"
    assert topics["employee_labour_volume"]["Key"] == "ArbeidsvolumeZonderSeizoenscorrectie_4"
    # the real code list pads keys too; the Totaal category is found by title
    keys = {r["Key"].strip(): r["Title"] for r in sections["KenmerkenBaan"]}
    assert keys["10000"] == "Totaal"
    statuses = {r["Status"] for r in sections["Perioden"]}
    assert {"Definitief", "NaderVoorlopig", "Voorlopig"} <= statuses
    # monthly period keys are not yearly rows
    assert all(statline._period(r["Key"], "year") is None for r in sections["Perioden"])


def test_recorded_untyped_export_matches_snapshot(recorded: Path, store: Store) -> None:
    key_to_code = {
        note.split("CBS key ")[1].split(";")[0]: code
        for (code, _), note in store.notes("employee_jobs").items()
    }
    with (recorded / "81431ned_untyped_csv_2019snapshot_trimmed.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    checked = 0
    for row in rows:
        if row["KenmerkenBaanWerknemerBedrijf"].strip() != "T009002":  # 'Totaal' in the 2019 version
            continue
        year = statline._period(row["Perioden"], "year")
        if year is None:
            assert row["Perioden"] == "2010X000"
            continue
        code = key_to_code[row["BedrijfstakkenBranchesSBI2008"].strip()]
        value = statline._number(row["Banen_1"])  # right-aligned padded string
        assert store.observations("employee_jobs", year, code)[0].value == value
        checked += 1
    assert checked >= 10


def test_recorded_typed_2022_export_matches_snapshot(recorded: Path, store: Store) -> None:
    key_to_code = {
        note.split("CBS key ")[1].split(";")[0]: code
        for (code, _), note in store.notes("employee_jobs").items()
    }
    with (recorded / "81431ned_typeddataset_2022_sections_stripped.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 29
    for row in rows:
        code = key_to_code[row["BedrijfstakkenBranchesSBI2008"]]
        assert store.observations("employee_jobs", "2022", code)[0].value == float(row["Banen_1"])
