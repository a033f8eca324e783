"""What every DuckDB file of peloton shares (the stats store, the registry): a connection that is its
own context manager, all-or-nothing transactions, and a key-value metadata table.

Both stores write whole series or whole sources in one transaction, so an interrupted write leaves
the file as it was; they share this one implementation of it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Self

import duckdb


def data_file(variable: str, name: str) -> Path:
    """Where a peloton data file lives: $VARIABLE, else $PELOTON_HOME/NAME, else the XDG data dir."""
    if os.environ.get(variable):
        return Path(os.environ[variable])
    if os.environ.get("PELOTON_HOME"):
        return Path(os.environ["PELOTON_HOME"]) / name
    return Path.home() / ".local" / "share" / "peloton" / name


def now_iso() -> str:
    """The current time in UTC to the second, as stores record it."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class Transaction:
    """BEGIN/COMMIT around a block; ROLLBACK if the block raises."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def __enter__(self) -> None:
        self.con.execute("BEGIN TRANSACTION")

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.con.execute("COMMIT" if exc_type is None else "ROLLBACK")


class DuckDBFile:
    """An open DuckDB file (or an in-memory database when `path` is None)."""

    META_TABLE = "meta"  # each store names its own key-value table

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path | None, read_only: bool) -> None:
        self.con = con
        self.path = path
        self.read_only = read_only

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection (releases the file lock)."""
        self.con.close()

    def transaction(self) -> Transaction:
        """All-or-nothing block: rolled back on any exception, so the file is never half-written."""
        return Transaction(self.con)

    def _set_meta(self, values: Mapping[str, str]) -> None:
        for key, value in values.items():
            self.con.execute(f"DELETE FROM {self.META_TABLE} WHERE key = ?", [key])
            self.con.execute(f"INSERT INTO {self.META_TABLE} VALUES (?, ?)", [key, value])
