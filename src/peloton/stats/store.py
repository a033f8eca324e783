"""The stats store: one DuckDB file holding every series the monitor shows, each row with its source.

Why DuckDB: embedded (one file, no server), fast analytic SQL over millions of rows, and real
transactions so a failed update never leaves a half-written store. On first use the bundled snapshot
(built from the reference pack) is loaded so that the monitor works offline on a fresh machine.
"""

from __future__ import annotations

import contextlib
import functools
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from peloton.core.duckdb_file import DuckDBFile, data_file, now_iso
from peloton.errors import InputError

COLUMNS = (
    "source",
    "table_id",
    "measure",
    "sector_code",
    "sector_label",
    "period",
    "value",
    "unit",
    "retrieved_at",
    "vintage",
    "confidence",
    "scope",
    "note",
    "origin",
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS observations (
    source VARCHAR NOT NULL,
    table_id VARCHAR NOT NULL,
    measure VARCHAR NOT NULL,
    sector_code VARCHAR NOT NULL,
    sector_label VARCHAR NOT NULL,
    period VARCHAR NOT NULL,
    value DOUBLE NOT NULL,
    unit VARCHAR NOT NULL,
    retrieved_at VARCHAR NOT NULL,
    vintage VARCHAR NOT NULL,
    confidence VARCHAR NOT NULL,
    scope VARCHAR NOT NULL,
    note VARCHAR NOT NULL,
    origin VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS store_meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
"""


def default_store_path() -> Path:
    """Where the store lives: $PELOTON_STORE, else $PELOTON_HOME/stats.duckdb, else the XDG data dir."""
    return data_file("PELOTON_STORE", "stats.duckdb")


@dataclass(frozen=True)
class Observation:
    """One value of one series, with everything needed to say where it came from."""

    source: str
    table_id: str
    measure: str
    sector_code: str
    sector_label: str
    period: str
    value: float
    unit: str
    retrieved_at: str
    vintage: str
    confidence: str
    scope: str


_OBS_FIELDS = tuple(f.name for f in fields(Observation))


def load_snapshot() -> dict[str, Any]:
    """The bundled snapshot (rows + build metadata) shipped inside the package."""
    text = resources.files("peloton.stats").joinpath("snapshot/observations.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@functools.cache
def bundled_snapshot_version() -> str:
    """The version of the snapshot shipped with this peloton (read once per process)."""
    return str(load_snapshot()["snapshot_version"])


class Store(DuckDBFile):
    """A connection to the stats store; use ``Store.open()`` (also a context manager)."""

    META_TABLE = "store_meta"

    # -- opening -------------------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path | None = None, read_only: bool = False) -> Store:
        """Open (and on first run create and fill from the snapshot) the store at ``path``.

        A read-only open of the default store when it does not exist yet gives an in-memory store
        filled from the snapshot, so readers work on a fresh machine without writing anything; a
        path the caller names must exist.
        Corrupt or locked files raise InputError naming the file: one readable line in the CLI.
        """
        target = Path(path) if path is not None else default_store_path()
        if read_only and not target.exists() and path is not None:
            # a file the user named must exist (a typo must not pass silently as the snapshot);
            # only the default location falls back to the bundled snapshot on a fresh machine
            raise InputError("store", f"no stats store file at {target}")
        if read_only and not target.exists():
            store = cls(duckdb.connect(":memory:"), None, read_only=True)
            store._initialise()
            return store
        if not read_only:
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise InputError("store", f"cannot create {target.parent}: {exc.strerror}") from exc
        try:
            con = duckdb.connect(str(target), read_only=read_only)
        except duckdb.Error as exc:
            raise InputError("store", _explain_open_error(target, exc)) from exc
        store = cls(con, target, read_only)
        try:
            if read_only:
                store._check_schema()
            else:
                store._initialise()
        except duckdb.Error as exc:
            con.close()
            raise InputError(
                "store", f"{target} is not a usable peloton stats store ({_first_line(exc)})"
            ) from exc
        if read_only and store.meta().get("snapshot_version") != bundled_snapshot_version():
            # a store made by an older peloton: bring in the new bundled figures once (live series
            # are kept), then read; if the file cannot be written now, read it as it is
            con.close()
            with contextlib.suppress(InputError):
                cls.open(target).close()
            return cls(duckdb.connect(str(target), read_only=True), target, True)
        return store

    def _check_schema(self) -> None:
        cols = [r[0] for r in self.con.execute("DESCRIBE observations").fetchall()]
        missing = set(COLUMNS) - set(cols)
        if missing:
            raise duckdb.CatalogException(f"missing columns {sorted(missing)}")

    def _initialise(self) -> None:
        """Create the tables and load the snapshot, all in one transaction."""
        version = self.meta().get("snapshot_version")
        if version:
            self._check_schema()
            if version != bundled_snapshot_version() and not self.read_only:
                self._upgrade_snapshot(version)
            return
        with self.transaction():
            self.con.execute(_SCHEMA)
            self._check_schema()
            snapshot = load_snapshot()
            self._insert(snapshot["rows"], origin="snapshot")
            self._set_meta(
                {
                    "snapshot_version": snapshot["snapshot_version"],
                    "snapshot_latest_data": snapshot["latest_data"],
                    "snapshot_loaded_at": now_iso(),
                }
            )

    def _upgrade_snapshot(self, old_version: str) -> None:
        """Replace the rows of an older bundled snapshot by the current one; live series stay.

        Why: a store created by an earlier peloton would otherwise never show figures added to the
        snapshot later (e.g. 85880NED value added). A series is either all live or all snapshot
        (``replace_many`` replaces whole series), so series updated live are left untouched.
        """
        snapshot = load_snapshot()
        live = [
            r[0]
            for r in self.con.execute(
                "SELECT DISTINCT measure FROM observations WHERE origin <> 'snapshot'"
            ).fetchall()
        ]
        with self.transaction():
            self.con.execute(
                "DELETE FROM observations"
                " WHERE origin = 'snapshot' AND NOT list_contains($live::VARCHAR[], measure)",
                {"live": live},
            )
            self._insert([r for r in snapshot["rows"] if r["measure"] not in live], origin="snapshot")
            self._set_meta(
                {
                    "snapshot_version": snapshot["snapshot_version"],
                    "snapshot_latest_data": snapshot["latest_data"],
                    "snapshot_loaded_at": now_iso(),
                    "snapshot_upgraded_from": old_version,
                }
            )

    # -- writing -------------------------------------------------------------------------------

    def _insert(self, rows: Iterable[Mapping[str, Any]], origin: str) -> int:
        records = [{c: (row.get(c, "") if c != "origin" else origin) for c in COLUMNS} for row in rows]
        if not records:
            return 0
        for rec in records:
            rec["value"] = float(rec["value"])
            for c in COLUMNS:
                if c != "value" and rec[c] is None:
                    rec[c] = ""
        incoming = pa.Table.from_pylist(records)
        self.con.register("incoming_rows", incoming)
        try:
            self.con.execute(f"INSERT INTO observations SELECT {', '.join(COLUMNS)} FROM incoming_rows")
        finally:
            self.con.unregister("incoming_rows")
        return len(records)

    def replace_series(self, measure: str, rows: Sequence[Mapping[str, Any]], origin: str = "live") -> int:
        """Replace every row of ``measure`` by ``rows`` in one transaction."""
        return self.replace_many({measure: rows}, origin=origin)

    def replace_many(self, series: Mapping[str, Sequence[Mapping[str, Any]]], origin: str = "live") -> int:
        """Replace whole series (never merge), all in one transaction.

        Whole series are replaced so one measure never mixes table versions; one transaction so a
        failure leaves the store exactly as it was.
        """
        if self.read_only:
            raise InputError("store", "opened read-only; cannot update")
        n = 0
        with self.transaction():
            for measure, rows in series.items():
                self.con.execute("DELETE FROM observations WHERE measure = ?", [measure])
                n += self._insert(rows, origin=origin)
                self._set_meta({f"updated:{measure}": now_iso()})
        return n

    # -- reading -------------------------------------------------------------------------------
    def meta(self) -> dict[str, str]:
        """Store metadata (snapshot version, load and update times); empty for a new file."""
        try:
            rows = self.con.execute("SELECT key, value FROM store_meta").fetchall()
        except duckdb.CatalogException:
            return {}
        return {str(k): str(v) for k, v in rows}

    def observations(
        self, measure: str, period: str | None = None, sector_code: str | None = None
    ) -> list[Observation]:
        """Rows of one measure, optionally for one period and/or sector, ordered by sector and period."""
        sql = f"SELECT {', '.join(_OBS_FIELDS)} FROM observations WHERE measure = ?"
        params: list[object] = [measure]
        if period is not None:
            sql += " AND period = ?"
            params.append(str(period))
        if sector_code is not None:
            sql += " AND sector_code = ?"
            params.append(sector_code)
        sql += " ORDER BY sector_code, period"
        return [Observation(*row) for row in self.con.execute(sql, params).fetchall()]

    def notes(self, measure: str) -> dict[tuple[str, str], str]:
        """Row notes (provisional flags, caveats) by (sector_code, period)."""
        rows = self.con.execute(
            "SELECT sector_code, period, note FROM observations WHERE measure = ? AND note <> ''", [measure]
        ).fetchall()
        return {(s, p): n for s, p, n in rows}

    def measures(self) -> list[str]:
        """Measure ids present in the store."""
        return [
            r[0] for r in self.con.execute("SELECT DISTINCT measure FROM observations ORDER BY 1").fetchall()
        ]

    def periods(self, measure: str) -> list[str]:
        """Periods of one measure, sorted."""
        sql = "SELECT DISTINCT period FROM observations WHERE measure = ? ORDER BY 1"
        return [r[0] for r in self.con.execute(sql, [measure]).fetchall()]

    def sectors(self, measure: str) -> dict[str, str]:
        """Sector code -> CBS label of one measure."""
        sql = "SELECT sector_code, any_value(sector_label) FROM observations WHERE measure = ? GROUP BY 1"
        return dict(self.con.execute(sql, [measure]).fetchall())


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _explain_open_error(path: Path, exc: duckdb.Error) -> str:
    text = str(exc)
    if "lock" in text.lower():
        return f"{path} is locked by another process; close it (or set PELOTON_STORE to another file)"
    if isinstance(exc, duckdb.IOException) and not path.exists():
        return f"cannot open {path}: {_first_line(exc)}"
    return (
        f"{path} is corrupt or not a DuckDB file ({_first_line(exc)}); "
        "move it away to rebuild from the snapshot"
    )
