"""Population files: the synthetic one (generated on first use, cached as Parquet) or a user's own.

A population is read in chunks of at most `chunk_size` records (Parquet row batches, or CSV blocks
re-cut to that size), so memory stays bounded whatever the file's size. Every chunk is converted
column by column through `schema.convert_column`, which checks types, missing values and ranges and
names the column and row of the first problem. A user's file gets one full validation pass before
anything is simulated.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from peloton.errors import InputError
from peloton.model import tax_benefit_system
from peloton.simulate.schema import ColumnSpec, check_columns, convert_column, population_schema

METADATA_KEY = b"peloton"
DEFAULT_CHUNK_SIZE = 500_000
DEFAULT_RECORDS = 200_000
DEFAULT_SEED = 2024
# Delimiters a CSV header is tried with: a Dutch spreadsheet saves `;`, a database export often tabs.
DELIMITERS = (",", ";", "\t")


def population_dir() -> Path:
    """Where synthetic populations are cached: $PELOTON_HOME/populations, else the XDG data dir."""
    if os.environ.get("PELOTON_HOME"):
        return Path(os.environ["PELOTON_HOME"]) / "populations"
    return Path.home() / ".local" / "share" / "peloton" / "populations"


@dataclass
class Chunk:
    """Up to `chunk_size` records as NumPy arrays: ids, weights, the rules' inputs, other record columns."""

    offset: int
    ids: np.ndarray
    weights: np.ndarray
    inputs: dict[str, np.ndarray]
    records: dict[str, np.ndarray] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.weights)


@dataclass(frozen=True)
class PopulationInfo:
    """What a result ran on; printed on every output."""

    path: str
    kind: str  # "synthetic" or "user"
    records: int
    firms: float  # weighted count: the number of firms the records stand for
    all_synthetic: bool
    metadata: Mapping[str, Any]

    def label(self) -> str:
        if self.kind == "synthetic":
            m = self.metadata
            return (
                f"SYNTHETIC population (peloton generator v{m.get('generator_version')}, "
                f"seed {m.get('seed')}, calibrated to {m.get('calibration_year')}): "
                f"{self.records:,} records standing for {self.firms:,.0f} firms"
            )
        synthetic = " (records marked synthetic)" if self.all_synthetic else ""
        return (
            f"user population {Path(self.path).name}{synthetic}: {self.records:,} records "
            f"standing for {self.firms:,.1f} firms"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "path": self.path,
            "records": self.records,
            "weighted_firms": round(self.firms, 3),
            "synthetic": self.kind == "synthetic" or self.all_synthetic,
            "label": self.label(),
            "metadata": dict(self.metadata),
        }


def detect_delimiter(header: str) -> str:
    """The delimiter that splits the header into the most columns (a comma when none splits it).

    A header of known column names holds no delimiter characters itself, so the one that splits it
    most is the file's; without this a `;`-separated file reads as one unknown column.
    """
    counts: dict[str, int] = {}
    for d in DELIMITERS:
        try:
            counts[d] = len(next(csv.reader(io.StringIO(header), delimiter=d), []))
        except csv.Error:  # a stray carriage return or NUL in the header: not this delimiter's doing
            counts[d] = 0
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > 1 else ","


CSV_BLOCK_BYTES = 1 << 22  # the CSV is read in blocks of 4 MiB: no line may be longer


def _arrow_error(exc: BaseException) -> str:
    text = str(exc)
    if "straddles two block boundaries" in text:  # Arrow's words for a line longer than a block
        return f"a line is longer than {CSV_BLOCK_BYTES:,} bytes; a population's rows are short lines"
    return text.splitlines()[0][:200] if text else exc.__class__.__name__


class PopulationFile:
    """A population on disk (CSV or Parquet), read chunk by chunk."""

    def __init__(self, path: Path, kind: str = "user", system: Any = None) -> None:
        self.path = Path(path)
        self.kind = kind
        self.schema: dict[str, ColumnSpec] = population_schema(system or tax_benefit_system())
        suffix = self.path.suffix.lower()
        if suffix in (".parquet", ".pq"):
            self.format = "parquet"
        elif suffix == ".csv":
            self.format = "csv"
        else:
            raise InputError("population", f"{self.path.name}: expected a .csv or .parquet file")
        if not self.path.is_file():
            raise InputError("population", f"{self.path}: no such file")
        self.delimiter = ","
        self.columns = self._column_names()
        check_columns(self.columns, self.schema)
        self.metadata: dict[str, Any] = self._metadata()

    # -- structure ------------------------------------------------------------------------------

    def _column_names(self) -> list[str]:
        if self.format == "parquet":
            try:
                return list(pq.ParquetFile(self.path).schema_arrow.names)
            except (pa.ArrowException, OSError, ValueError) as exc:
                raise InputError(
                    "population", f"{self.path.name} is not a readable Parquet file: {_arrow_error(exc)}"
                ) from None
        with self.path.open("rb") as handle:
            head = handle.readline(1_000_000)
        try:
            text = head.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError("population", f"{self.path.name}: the header is not UTF-8 text") from None
        if not text.strip():
            raise InputError("population", f"{self.path.name}: empty file (expected a header row)")
        self.delimiter = detect_delimiter(text)
        try:
            names = next(csv.reader(io.StringIO(text), delimiter=self.delimiter))
        except (csv.Error, StopIteration) as exc:
            raise InputError("population", f"{self.path.name}: unreadable CSV header: {exc}") from None
        names = [n.strip() for n in names]
        if any(not n for n in names):
            raise InputError("population", f"{self.path.name}: a column in the header has no name")
        if len(names) == 1 and names[0] not in self.schema:
            raise InputError(
                "population",
                f"{self.path.name}: the header {names[0][:60]!r} is one unknown column; expected column "
                "names separated by commas, semicolons or tabs",
            )
        return names

    def _metadata(self) -> dict[str, Any]:
        if self.format != "parquet":
            return {}
        try:
            raw = (pq.ParquetFile(self.path).schema_arrow.metadata or {}).get(METADATA_KEY)
            return dict(json.loads(raw)) if raw else {}
        except (ValueError, TypeError, pa.ArrowException, OSError):
            return {}

    # -- reading ------------------------------------------------------------------------------

    def _batches(self, chunk_size: int) -> Iterator[pa.RecordBatch]:
        if self.format == "parquet":
            try:
                yield from pq.ParquetFile(self.path).iter_batches(batch_size=chunk_size)
            except (pa.ArrowException, OSError, ValueError) as exc:
                raise InputError(
                    "population", f"{self.path.name}: cannot read: {_arrow_error(exc)}"
                ) from None
            return
        try:
            reader = pacsv.open_csv(
                self.path,
                read_options=pacsv.ReadOptions(
                    column_names=self.columns, skip_rows=1, block_size=CSV_BLOCK_BYTES, encoding="utf8"
                ),
                parse_options=pacsv.ParseOptions(newlines_in_values=False, delimiter=self.delimiter),
                convert_options=pacsv.ConvertOptions(
                    column_types={name: pa.string() for name in self.columns},
                    strings_can_be_null=True,
                    quoted_strings_can_be_null=True,
                    null_values=[""],
                ),
            )
            yield from reader
        except (pa.ArrowException, OSError, ValueError) as exc:
            raise InputError("population", f"{self.path.name}: CSV: {_arrow_error(exc)}") from None

    def tables(self, chunk_size: int) -> Iterator[pa.Table]:
        """The file as tables of exactly `chunk_size` rows (the last one shorter)."""
        if chunk_size < 1:
            raise InputError("chunk-size", "must be at least 1")
        pending: list[pa.RecordBatch] = []
        rows = 0
        for batch in self._batches(chunk_size):
            if not batch.num_rows:
                continue
            pending.append(batch)
            rows += batch.num_rows
            while rows >= chunk_size:
                table = pa.Table.from_batches(pending)
                yield table.slice(0, chunk_size)
                rest = table.slice(chunk_size)
                pending = rest.to_batches() if rest.num_rows else []
                rows = rest.num_rows
        if rows:
            yield pa.Table.from_batches(pending)

    def chunks(self, chunk_size: int = DEFAULT_CHUNK_SIZE) -> Iterator[Chunk]:
        """Converted and checked chunks; record ids default to the row number when the file has none."""
        offset = 0
        for table in self.tables(chunk_size):
            yield self._chunk(table, offset)
            offset += table.num_rows

    def _chunk(self, table: pa.Table, offset: int) -> Chunk:
        converted = {
            name: convert_column(self.schema[name], table.column(name), offset) for name in table.column_names
        }
        n = table.num_rows
        ids = converted.pop("id", None)
        if ids is None:
            ids = np.arange(offset, offset + n, dtype=np.int64)
        weights = converted.pop("weight")
        inputs = {k: v for k, v in converted.items() if self.schema[k].input_variable}
        records = {k: v for k, v in converted.items() if not self.schema[k].input_variable}
        return Chunk(offset=offset, ids=ids, weights=weights, inputs=inputs, records=records)

    def partitions(self, chunk_size: int = DEFAULT_CHUNK_SIZE) -> list[tuple[int, int]]:
        """(first row, rows) of each partition of a Parquet file: what an engine's task reads."""
        if chunk_size < 1:
            raise InputError("chunk-size", "must be at least 1")
        if self.format != "parquet":
            raise ValueError("partitions: a CSV file is read in sequence; convert it (to_parquet) first")
        rows = self.count_rows()
        return [(start, min(chunk_size, rows - start)) for start in range(0, rows, chunk_size)]

    def read_rows(self, offset: int, length: int) -> Chunk:
        """Rows offset .. offset+length-1 of a Parquet file as one chunk, reading only the row groups
        that hold them: a worker of an engine reads its own partition, nothing else."""
        if self.format != "parquet":
            raise ValueError("read_rows: only a Parquet file is read at an offset")
        try:
            file = pq.ParquetFile(self.path)
            groups, first, start = [], None, 0
            for i in range(file.metadata.num_row_groups):
                rows = file.metadata.row_group(i).num_rows
                if start + rows > offset and start < offset + length:
                    groups.append(i)
                    first = start if first is None else first
                start += rows
            table = file.read_row_groups(groups) if groups else file.schema_arrow.empty_table()
        except (pa.ArrowException, OSError, ValueError) as exc:
            raise InputError("population", f"{self.path.name}: cannot read: {_arrow_error(exc)}") from None
        table = table.slice(offset - (first or 0), length)
        return self._chunk(table, offset)

    def to_parquet(self, target: Path, chunk_size: int = DEFAULT_CHUNK_SIZE) -> Path:
        """The file's columns as read (before conversion) written as Parquet, chunk by chunk: a CSV
        becomes a file an engine's workers can read at any offset, converted by the same code."""
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        writer: pq.ParquetWriter | None = None
        try:
            for table in self.tables(chunk_size):
                if writer is None:
                    writer = pq.ParquetWriter(tmp, table.schema, compression="zstd")
                writer.write_table(table, row_group_size=min(chunk_size, 100_000))
        finally:
            if writer is not None:
                writer.close()
        if writer is None:
            raise InputError("population", f"{self.path.name}: no records")
        os.replace(tmp, target)
        return target

    def validate(
        self, chunk_size: int = DEFAULT_CHUNK_SIZE, on_chunk: Callable[[int], None] | None = None
    ) -> PopulationInfo:
        """One pass over the whole file: every column of every row checked; counts records and firms."""
        records = 0
        firms = 0.0
        all_synthetic = True
        for chunk in self.chunks(chunk_size):
            records += len(chunk)
            firms += float(chunk.weights.sum(dtype=np.float64))
            flag = chunk.records.get("synthetic")
            all_synthetic = all_synthetic and flag is not None and bool(flag.all())
            if on_chunk is not None:
                on_chunk(len(chunk))
        if records == 0:
            raise InputError("population", f"{self.path.name}: no records")
        claimed = self.count_rows()
        if self.format == "parquet" and claimed != records:
            raise InputError(
                "population",
                f"{self.path.name}: the Parquet metadata claims {claimed:,} rows but the file holds "
                f"{records:,}; the file is damaged or forged",
            )
        return self.info(records, firms, all_synthetic)

    def info(self, records: int, firms: float, all_synthetic: bool) -> PopulationInfo:
        return PopulationInfo(
            path=str(self.path),
            kind=self.kind,
            records=records,
            firms=firms,
            all_synthetic=all_synthetic,
            metadata=self.metadata,
        )

    def count_rows(self) -> int:
        """Rows in the file without reading it (Parquet) or by streaming it (CSV), for progress bars."""
        if self.format == "parquet":
            try:
                return int(pq.ParquetFile(self.path).metadata.num_rows)
            except (pa.ArrowException, OSError):
                return 0
        return 0

    def synthetic_info(self) -> PopulationInfo:
        """The cached synthetic file's info from its metadata (written by the generator)."""
        m = self.metadata
        return self.info(int(m["records"]), float(m["weighted_firms"]), True)
