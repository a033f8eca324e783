"""The registry store: one DuckDB file with every imported project, its provenance and its kind.

Why a file of its own ($PELOTON_REGISTRY, else $PELOTON_HOME/registry.duckdb, else the XDG data
dir) rather than a table in the stats store: the stats store checks and fills its own schema on
open and its owner replaces whole series at will; a second writer in the same file would hold its
lock during a long import and tie two schemas' migrations together. Both files sit side by side
under the same PELOTON_HOME, so one setting moves both.

An import replaces every row of one source in one transaction: a failure half-way leaves the store
as it was, and a source never mixes two versions of its file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from peloton.core.duckdb_file import DuckDBFile, data_file, now_iso
from peloton.errors import InputError
from peloton.registry.classify import CLASSIFIER_VERSION as _LEXICON_VERSION
from peloton.registry.classify import classify
from peloton.registry.csv_input import RowProblem
from peloton.registry.records import COLUMNS, FIELDS, table_ddl
from peloton.registry.scheme_links import LINKS_VERSION, catalog_scheme

# what the stored derived columns (kind, reason, catalog link) were made with; a store made with
# another version is relabelled on open
CLASSIFIER_VERSION = f"{_LEXICON_VERSION}+links-{LINKS_VERSION}"

_SCHEMA = f"""
{table_ddl("projects")};
CREATE TABLE IF NOT EXISTS import_problems (
    source VARCHAR NOT NULL, source_file VARCHAR NOT NULL, line INTEGER NOT NULL, problem VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS sources (
    source VARCHAR PRIMARY KEY, format VARCHAR NOT NULL, source_file VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL, table_version VARCHAR NOT NULL, retrieved_at VARCHAR NOT NULL,
    imported_at VARCHAR NOT NULL, rows INTEGER NOT NULL, problems INTEGER NOT NULL, notes VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS registry_meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
"""


def default_registry_path() -> Path:
    """$PELOTON_REGISTRY, else $PELOTON_HOME/registry.duckdb, else ~/.local/share/peloton/registry.duckdb."""
    return data_file("PELOTON_REGISTRY", "registry.duckdb")


def snapshot_meta() -> dict[str, Any]:
    """Build metadata of the bundled snapshot: sources, table versions, the encoding repair."""
    text = resources.files("peloton.registry").joinpath("snapshot/meta.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def snapshot_records() -> list[dict[str, Any]]:
    """The bundled projects (both real files), as records without classification (read once)."""
    with resources.as_file(resources.files("peloton.registry").joinpath("snapshot/projects.parquet")) as p:
        table = pq.read_table(p)
    records: list[dict[str, Any]] = table.to_pylist()
    return records


def _arrow_schema() -> pa.Schema:
    types = {"text": pa.string(), "amount": pa.float64(), "percentage": pa.float64(), "date": pa.date32()}
    fields = []
    for col in COLUMNS:
        if col in ("source_row", "source_line"):
            fields.append(pa.field(col, pa.int32()))
        elif col in FIELDS:
            kind = FIELDS[col]
            fields.append(pa.field(col, pa.int32() if kind == "year" else types[kind]))
        else:
            fields.append(pa.field(col, pa.string()))
    return pa.schema(fields)


class RegistryStore(DuckDBFile):
    """A connection to the registry; `RegistryStore.open()` (also a context manager)."""

    META_TABLE = "registry_meta"

    @classmethod
    def open(cls, path: Path | None = None, read_only: bool = False, bundled: bool = True) -> RegistryStore:
        """Open the registry, creating it from the bundled snapshot on first use.

        A read-only open of the default location before it exists gives an in-memory copy of the
        snapshot (nothing is written); a path the user names must exist for reading. With
        `bundled=False` a new registry starts empty (for a user's own data only).
        """
        target = Path(path) if path is not None else default_registry_path()
        if read_only and not target.exists():
            if path is not None:
                raise InputError("--store", f"no registry file at {target}")
            store = cls(duckdb.connect(":memory:"), None, read_only=False)
            store._initialise()
            store.read_only = True
            return store
        if not read_only:
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise InputError("--store", f"cannot create {target.parent}: {exc.strerror}") from exc
        try:
            con = duckdb.connect(str(target), read_only=read_only)
        except duckdb.Error as exc:
            first = str(exc).splitlines()[0]
            raise InputError("--store", f"cannot open {target}: {first}") from exc
        store = cls(con, target, read_only)
        try:
            if not read_only:
                store._initialise(bundled)
            store.con.execute("SELECT count(*) FROM projects").fetchone()
            stale = store.meta().get("classifier_version") != CLASSIFIER_VERSION
        except duckdb.Error as exc:
            con.close()
            first = str(exc).splitlines()[0]
            raise InputError("--store", f"{target} is not a peloton registry ({first})") from exc
        if stale and read_only:
            # labels made by another lexicon version: relabel once, then open for reading again
            con.close()
            cls.open(target).close()
            return cls.open(target, read_only=True)
        if stale:
            store.reclassify()
        return store

    def reclassify(self) -> int:
        """Label every stored project again with the current lexicon, in one transaction.

        Why: the labels are stored at import so search and summary need not classify 27k rows each
        time; a store made under another lexicon version would otherwise show stale labels.
        """
        rows = self.con.execute(
            "SELECT source, source_row, title, summary, title_en, beneficiary, fund, scheme, ministry "
            "FROM projects"
        ).fetchall()
        labels = []
        for source, row, title, summary, title_en, beneficiary, fund, scheme, ministry in rows:
            kind = classify(title, summary, title_en, beneficiary)
            labels.append(
                {
                    "source": source,
                    "source_row": row,
                    "kind": kind.kind,
                    "reason": kind.reason,
                    "scheme_id": catalog_scheme(fund, scheme, ministry),
                }
            )
        with self.transaction():
            table = pa.Table.from_pylist(
                labels,
                schema=pa.schema(
                    [
                        ("source", pa.string()),
                        ("source_row", pa.int32()),
                        ("kind", pa.string()),
                        ("reason", pa.string()),
                        ("scheme_id", pa.string()),
                    ]
                ),
            )
            self.con.register("new_labels", table)
            try:
                self.con.execute(
                    "UPDATE projects SET innovation_kind = n.kind, kind_reason = n.reason, "
                    "scheme_id = n.scheme_id FROM new_labels n "
                    "WHERE projects.source = n.source AND projects.source_row = n.source_row"
                )
            finally:
                self.con.unregister("new_labels")
            self._set_meta({"classifier_version": CLASSIFIER_VERSION})
        return len(labels)

    def _initialise(self, bundled: bool = True) -> None:
        """Create the tables and load the bundled snapshot, in one transaction, once."""
        self.con.execute(_SCHEMA)
        self.con.execute("ALTER TABLE projects ADD COLUMN IF NOT EXISTS scheme_id VARCHAR")
        if self.meta().get("snapshot_version"):
            return
        if not bundled:
            self._set_meta(
                {
                    "snapshot_version": "none (created without the bundled data)",
                    "snapshot_loaded_at": now_iso(),
                }
            )
            self._set_meta({"classifier_version": CLASSIFIER_VERSION})
            return
        meta = snapshot_meta()
        records = snapshot_records()
        with self.transaction():
            by_source: dict[str, list[dict[str, Any]]] = {}
            for rec in records:
                by_source.setdefault(rec["source"], []).append(rec)
            for info in meta["sources"]:
                self._replace(
                    info["source"],
                    by_source.get(info["source"], []),
                    [RowProblem(p["line"], p["problem"]) for p in info.get("problems", [])],
                    fmt=info["format"],
                    source_file=info["source_file"],
                    sha256=info["sha256"],
                    table_version=info["table_version"],
                    retrieved_at=info["retrieved_at"],
                    notes=info.get("notes", ""),
                )
            self._set_meta({"snapshot_version": meta["snapshot_version"], "snapshot_loaded_at": now_iso()})

    # -- writing ---------------------------------------------------------------------------------
    def replace_source(
        self,
        source: str,
        records: Sequence[Mapping[str, Any]],
        problems: Sequence[RowProblem],
        *,
        fmt: str,
        source_file: str,
        sha256: str,
        table_version: str,
        retrieved_at: str,
        notes: str = "",
    ) -> int:
        """Replace every row of `source` by `records` (classified here), in one transaction."""
        if self.read_only:
            raise InputError("--store", "opened read-only; cannot import")
        with self.transaction():
            return self._replace(
                source,
                records,
                problems,
                fmt=fmt,
                source_file=source_file,
                sha256=sha256,
                table_version=table_version,
                retrieved_at=retrieved_at,
                notes=notes,
            )

    def _replace(
        self,
        source: str,
        records: Sequence[Mapping[str, Any]],
        problems: Sequence[RowProblem],
        *,
        fmt: str,
        source_file: str,
        sha256: str,
        table_version: str,
        retrieved_at: str,
        notes: str,
    ) -> int:
        imported_at = now_iso()
        rows = []
        for rec in records:
            row = {c: rec.get(c) for c in COLUMNS}
            kind = classify(rec.get("title"), rec.get("summary"), rec.get("title_en"), rec.get("beneficiary"))
            row.update(
                source=source,
                source_file=source_file,
                table_version=table_version,
                retrieved_at=retrieved_at,
                imported_at=imported_at,
                innovation_kind=kind.kind,
                kind_reason=kind.reason,
                scheme_id=catalog_scheme(rec.get("fund"), rec.get("scheme"), rec.get("ministry")),
            )
            rows.append(row)
        self.con.execute("DELETE FROM projects WHERE source = ?", [source])
        self.con.execute("DELETE FROM import_problems WHERE source = ?", [source])
        self.con.execute("DELETE FROM sources WHERE source = ?", [source])
        if rows:
            incoming = pa.Table.from_pylist(rows, schema=_arrow_schema())
            self.con.register("incoming_projects", incoming)
            try:
                cols = ", ".join(COLUMNS)
                self.con.execute(f"INSERT INTO projects ({cols}) SELECT {cols} FROM incoming_projects")
            finally:
                self.con.unregister("incoming_projects")
        for p in problems:
            self.con.execute(
                "INSERT INTO import_problems VALUES (?, ?, ?, ?)", [source, source_file, p.line, p.problem]
            )
        self.con.execute(
            "INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                source,
                fmt,
                source_file,
                sha256,
                table_version,
                retrieved_at,
                imported_at,
                len(rows),
                len(problems),
                notes,
            ],
        )
        generation = int(self.meta().get("generation", "0")) + 1
        self._set_meta({"generation": str(generation), "classifier_version": CLASSIFIER_VERSION})
        return len(rows)

    # -- reading ---------------------------------------------------------------------------------
    def meta(self) -> dict[str, str]:
        """Registry metadata: snapshot version, generation (bumped by every import)."""
        try:
            rows = self.con.execute("SELECT key, value FROM registry_meta").fetchall()
        except duckdb.CatalogException:
            return {}
        return {str(k): str(v) for k, v in rows}

    def sources(self) -> list[dict[str, Any]]:
        """One row per imported source: file, table version, retrieval date, rows, problems."""
        cur = self.con.execute("SELECT * FROM sources ORDER BY source")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    def problems(self, source: str | None = None) -> list[dict[str, Any]]:
        """Rows that could not be read, with their line."""
        sql = "SELECT source, source_file, line, problem FROM import_problems"
        params: list[Any] = []
        if source:
            sql += " WHERE source = ?"
            params.append(source)
        cur = self.con.execute(sql + " ORDER BY source, line", params)
        return [
            dict(zip(("source", "source_file", "line", "problem"), r, strict=True)) for r in cur.fetchall()
        ]

    def records(self, where: str = "", params: Iterable[Any] = ()) -> list[dict[str, Any]]:
        """Projects as dicts, in source and row order; `where` is a SQL condition with ? params."""
        sql = f"SELECT {', '.join(COLUMNS)} FROM projects"
        if where:
            sql += f" WHERE {where}"
        cur = self.con.execute(sql + " ORDER BY source, source_row", list(params))
        return [dict(zip(COLUMNS, r, strict=True)) for r in cur.fetchall()]
