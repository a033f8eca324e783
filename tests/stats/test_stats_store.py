"""The store: where it lives, what the snapshot holds, and that bad files fail in one readable line."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from peloton.errors import InputError
from peloton.stats.measures import MEASURES
from peloton.stats.store import Observation, Store, default_store_path, load_snapshot


def test_default_store_path_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PELOTON_HOME", raising=False)
    assert default_store_path() == Path.home() / ".local/share/peloton/stats.duckdb"
    monkeypatch.setenv("PELOTON_HOME", str(tmp_path))
    assert default_store_path() == tmp_path / "stats.duckdb"
    monkeypatch.setenv("PELOTON_STORE", str(tmp_path / "x.duckdb"))
    assert default_store_path() == tmp_path / "x.duckdb"


@pytest.mark.parametrize(
    ("measure", "period", "value", "unit"),
    [
        ("wbso_firms_total", "2020", 20340, "ondernemingen"),
        ("wbso_firms_with_staff", "2020", 19010, "ondernemingen"),
        ("wbso_self_employed", "2020", 1330, "ondernemingen"),
        ("wbso_share_sme", "2020", 97.0, "%"),
        ("wbso_projects_granted", "2020", 135370, "projecten"),
        ("labour_productivity_commercial", "2020", -1.8, "%"),
        ("wbso_firms_total", "2021", 20339, "ondernemingen"),
        ("labour_productivity_commercial", "2009", -2.4, "%"),
    ],
)
def test_snapshot_holds_the_required_figures(
    store: Store, measure: str, period: str, value: float, unit: str
) -> None:
    rows = store.observations(measure, period=period, sector_code="")
    assert len(rows) == 1
    obs = rows[0]
    assert isinstance(obs, Observation)
    assert obs.value == value and obs.unit == unit
    assert obs.source and not obs.source.startswith("seed:")


def test_productivity_scope_is_commercial_sector(store: Store) -> None:
    obs = store.observations("labour_productivity_commercial", "2020")[0]
    assert "commercial sector" in obs.scope and "value added per hour" in obs.scope
    assert obs.source == "https://www.cbs.nl/nl-nl/nieuws/2021/27/arbeidsproductiviteit-lager-in-2020"


def test_seed_only_figures_are_marked(store: Store) -> None:
    for measure in ("wbso_share_projects_process", "wbso_share_projects_software"):
        obs = store.observations(measure, "2020")[0]
        assert obs.source.startswith("seed:"), measure
    assert store.observations("wbso_share_projects_process", "2020")[0].value == 11.0
    # other years of the software share come from other sources
    assert not store.observations("wbso_share_projects_software", "2017")[0].source.startswith("seed:")


def test_every_row_has_source_vintage_confidence_scope_and_a_known_measure() -> None:
    rows = load_snapshot()["rows"]
    assert len(rows) > 900
    for row in rows:
        assert row["measure"] in MEASURES
        for field in ("source", "vintage", "confidence", "scope", "retrieved_at", "unit"):
            assert row[field], (field, row)


def test_employee_jobs_series_scope_and_table(store: Store) -> None:
    obs = store.observations("employee_jobs", "2010", "F")[0]
    assert (obs.value, obs.table_id) == (377, "81431ned")
    assert "no self-employed" in obs.scope
    assert obs.sector_label == "F Bouwnijverheid"
    assert len(store.observations("employee_jobs", sector_code="A-U")) == 14  # 2009..2022, not 2010X000


def test_read_only_open_of_missing_default_uses_snapshot_in_memory(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "none" / "stats.duckdb"
    monkeypatch.setenv("PELOTON_STORE", str(target))
    with Store.open(None, read_only=True) as st:
        assert st.observations("wbso_firms_total", "2020")[0].value == 20340
    assert not target.exists()


def test_read_only_open_of_a_named_missing_file_is_an_error(tmp_path: Path) -> None:
    """The monitor and the reader agree: a file the user names must exist."""
    with pytest.raises(InputError, match="no stats store file"):
        Store.open(tmp_path / "typo.duckdb", read_only=True)


def test_first_open_creates_file_and_reopen_keeps_it(tmp_path: Path) -> None:
    target = tmp_path / "a" / "stats.duckdb"
    with Store.open(target) as st:
        loaded = st.meta()["snapshot_loaded_at"]
    with Store.open(target) as st:
        assert st.meta()["snapshot_loaded_at"] == loaded
        assert len(st.observations("employee_jobs", "2020")) == 29


@pytest.mark.parametrize("content", [b"", b"not a database" * 500, b"\x00" * 8192])
def test_corrupt_file_is_one_clear_error(tmp_path: Path, content: bytes) -> None:
    target = tmp_path / "bad.duckdb"
    target.write_bytes(content)
    with pytest.raises(InputError) as err:
        Store.open(target)
    assert err.value.field == "store"
    assert "corrupt" in err.value.problem or "not a usable" in err.value.problem
    assert "\n" not in str(err.value)
    assert target.read_bytes() == content  # never touched


def test_locked_file_is_one_clear_error(tmp_path: Path) -> None:
    target = tmp_path / "locked.duckdb"
    Store.open(target).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb,time; c=duckdb.connect({str(target)!r}); print('ok', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ok"
        with pytest.raises(InputError) as err:
            Store.open(target)
        assert "locked" in err.value.problem
    finally:
        holder.kill()
        holder.wait()
    time.sleep(0.05)
    with Store.open(target, read_only=True) as st:
        assert st.observations("wbso_share_sme", "2020")


def test_failed_replace_rolls_back(fresh_store: Store) -> None:
    before = fresh_store.observations("employee_jobs")
    bad = [{"measure": "employee_jobs", "period": "2020", "value": "not a number"}]
    with pytest.raises(ValueError):
        fresh_store.replace_many({"employee_jobs": [], "wbso_firms_total": bad})
    assert fresh_store.observations("employee_jobs") == before
    assert fresh_store.observations("wbso_firms_total", "2020")[0].value == 20340


def test_read_only_store_refuses_writes(store: Store) -> None:
    with pytest.raises(InputError):
        store.replace_series("employee_jobs", [])


def _age(path: Path, live_measure: str) -> None:
    """Make the store at ``path`` look like one built by an older peloton, with one live series."""
    with Store.open(path) as st:
        st.con.execute("UPDATE store_meta SET value = 'old-pack' WHERE key = 'snapshot_version'")
        st.con.execute("DELETE FROM observations WHERE table_id = '85880NED'")
        st.con.execute(
            "UPDATE observations SET origin = 'live', value = -1 WHERE measure = ?", [live_measure]
        )


@pytest.mark.parametrize("read_only", [True, False])
def test_an_older_store_gets_the_new_snapshot_and_keeps_live_series(tmp_path: Path, read_only: bool) -> None:
    path = tmp_path / "old.duckdb"
    Store.open(path).close()
    _age(path, "employee_jobs")
    with Store.open(path, read_only=read_only) as st:
        meta = st.meta()
        assert meta["snapshot_version"] == load_snapshot()["snapshot_version"]
        assert meta["snapshot_upgraded_from"] == "old-pack"
        assert st.observations("value_added_volume_growth", "2020", "C")[0].value == -1.8
        assert {o.value for o in st.observations("employee_jobs")} == {-1}  # the live series is untouched
        n = st.con.execute("SELECT count(*) FROM observations").fetchone()
    assert n is not None and n[0] == len(load_snapshot()["rows"])


def test_an_older_store_that_cannot_be_written_is_read_as_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import duckdb

    path = tmp_path / "old.duckdb"
    Store.open(path).close()
    _age(path, "employee_jobs")

    def read_only_disk(self: Store, old_version: str) -> None:
        raise duckdb.IOException("IO Error: read-only file system")

    monkeypatch.setattr(Store, "_upgrade_snapshot", read_only_disk)
    with Store.open(path, read_only=True) as reader:
        assert reader.meta()["snapshot_version"] == "old-pack"
        assert not reader.observations("value_added_volume_growth")
        assert {o.value for o in reader.observations("employee_jobs")} == {-1}
