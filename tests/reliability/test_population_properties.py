"""Properties of the population reader (peloton.simulate.population.PopulationFile): a generated CSV
(comma, semicolon or tab) or Parquet file either validates or is refused with one InputError line
naming a column (or `population`), within a deadline; and a valid generated file reads back, chunk by
chunk whatever the chunk size, exactly the records, weights and values it holds."""

from __future__ import annotations

import csv
import math
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import given
from hypothesis import strategies as st
from tests.reliability.properties import bounded, read_or_refusal

from peloton.model import tax_benefit_system
from peloton.simulate.population import PopulationFile
from peloton.simulate.schema import BOOL, ENUM, INT, ColumnSpec, population_schema

SCHEMA = population_schema(tax_benefit_system())
INPUTS = sorted(name for name, spec in SCHEMA.items() if spec.input_variable)
EXTRA = ["id", "synthetic", "werkzame_personen", "leeftijd"]


def cell(spec: ColumnSpec) -> st.SearchStrategy[Any]:
    """A value the column accepts."""
    if spec.kind == BOOL:
        return st.booleans()
    if spec.kind == ENUM:
        return st.sampled_from(spec.items)
    if spec.name == "weight":
        return st.floats(1e-3, spec.maximum or 1e7)
    low = spec.minimum if spec.minimum is not None else -1e13
    high = spec.maximum if spec.maximum is not None else 1e13
    if spec.kind == INT:
        return st.integers(math.ceil(low), min(math.floor(high), 2**31 - 1))
    return st.floats(low, high)


@st.composite
def tables(draw: st.DrawFn) -> dict[str, list[Any]]:
    """A valid population: weight, at least one input column, perhaps record columns; 1-40 rows."""
    names = ["weight", *draw(st.lists(st.sampled_from(INPUTS), min_size=1, max_size=6, unique=True))]
    names += draw(st.lists(st.sampled_from(EXTRA), max_size=2, unique=True))
    rows = draw(st.integers(1, 40))
    columns = {name: draw(st.lists(cell(SCHEMA[name]), min_size=rows, max_size=rows)) for name in names}
    if "id" in columns:
        columns["id"] = list(range(rows))
    return columns


def text_of(spec: ColumnSpec, value: Any, spelling: int) -> str:
    """A CSV cell as a spreadsheet may write it (true/ja/1, an enum item in capitals)."""
    if spec.kind == BOOL:
        return [("true", "false"), ("ja", "nee"), ("1", "0"), ("Yes", "No")][spelling % 4][0 if value else 1]
    if spec.kind == ENUM:
        return str(value).upper() if spelling % 2 and value.upper() in spec.items else str(value)
    return repr(value) if isinstance(value, float) else str(value)


def write_csv(path: Path, columns: dict[str, list[Any]], delimiter: str, spelling: int) -> None:
    names = list(columns)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(names)
        for row in zip(*columns.values(), strict=True):
            writer.writerow([text_of(SCHEMA[n], v, spelling) for n, v in zip(names, row, strict=True)])


def write_parquet(path: Path, columns: dict[str, list[Any]], dictionary: bool) -> None:
    arrays = {}
    for name, values in columns.items():
        spec = SCHEMA[name]
        if spec.kind == ENUM:
            arrays[name] = pa.array(values).dictionary_encode() if dictionary else pa.array(values)
        elif spec.kind == INT:
            arrays[name] = pa.array(values, pa.int64())
        elif spec.kind == BOOL:
            arrays[name] = pa.array(values, pa.bool_())
        else:
            arrays[name] = pa.array(values, pa.float64())
    pq.write_table(pa.table(arrays), path, row_group_size=7)


def expected_array(spec: ColumnSpec, values: list[Any]) -> np.ndarray:
    if spec.kind == ENUM:
        return np.array([spec.items.index(v) for v in values])
    return np.array(values, dtype=bool if spec.kind == BOOL else np.float64)


def assert_read_back(population: PopulationFile, columns: dict[str, list[Any]], chunk_size: int) -> None:
    info = population.validate(chunk_size=chunk_size)
    rows = len(columns["weight"])
    assert info.records == rows
    assert math.isclose(info.firms, math.fsum(columns["weight"]), rel_tol=1e-9)
    chunks = list(population.chunks(chunk_size))
    assert [len(c) for c in chunks] == [min(chunk_size, rows - s) for s in range(0, rows, chunk_size)]
    read = {
        name: np.concatenate([c.inputs.get(name, c.records.get(name, np.empty(0))) for c in chunks])
        for name in columns
        if name not in ("weight", "id")
    }
    read["weight"] = np.concatenate([c.weights for c in chunks])
    for name, values in columns.items():
        if name == "id":
            assert np.concatenate([c.ids for c in chunks]).tolist() == values
            continue
        assert np.array_equal(read[name], expected_array(SCHEMA[name], values)), name


@bounded(60, seconds=5)
@given(tables(), st.sampled_from([",", ";", "\t"]), st.integers(0, 3), st.integers(1, 50))
def test_a_valid_csv_reads_back_what_it_holds(
    columns: dict[str, list[Any]], delimiter: str, spelling: int, chunk_size: int
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "population.csv"
        write_csv(path, columns, delimiter, spelling)
        assert_read_back(PopulationFile(path), columns, chunk_size)


@bounded(60, seconds=5)
@given(tables(), st.booleans(), st.integers(1, 50))
def test_a_valid_parquet_file_reads_back_what_it_holds(
    columns: dict[str, list[Any]], dictionary: bool, chunk_size: int
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "population.parquet"
        write_parquet(path, columns, dictionary)
        assert_read_back(PopulationFile(path), columns, chunk_size)


JUNK = st.one_of(
    st.sampled_from(["", "nan", "NaN", "inf", "-inf", "1e308", "1e309", "-0", str(2**63), "-1", "1,5", "ja ",
                     "bv", "\x00", "\u202e", "'", '"', "2024-01-01", "0x10", "1_000", " 7 ", "\ufeff1"]),
    st.text(max_size=12),
    st.floats().map(repr),
    st.integers(-(2**70), 2**70).map(str),
)  # fmt: skip
HEADERS = st.sampled_from([*INPUTS[:12], *EXTRA, "weight", "", " weight", "WEIGHT", "x", "weight\n"])


@st.composite
def damaged_csv(draw: st.DrawFn) -> bytes:
    """A valid CSV with cells, the header or the bytes damaged."""
    columns = draw(tables())
    names = list(columns)
    rows = [
        [text_of(SCHEMA[n], v, 0) for n, v in zip(names, row, strict=True)]
        for row in zip(*columns.values(), strict=True)
    ]
    how = draw(st.sampled_from(["cell", "header", "row", "bytes"]))
    if how == "cell":
        rows[draw(st.integers(0, len(rows) - 1))][draw(st.integers(0, len(names) - 1))] = draw(JUNK)
    elif how == "header":
        names[draw(st.integers(0, len(names) - 1))] = draw(HEADERS | st.text(max_size=10))
    elif how == "row":
        rows.insert(draw(st.integers(0, len(rows))), draw(st.lists(JUNK, max_size=len(names) + 2)))
    text = "\n".join(",".join(f'"{c}"' if "," in c else c for c in row) for row in [names, *rows]) + "\n"
    data = text.encode("utf-8", errors="surrogatepass")
    if how == "bytes":
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at + 1 :]
    return data


def reads_or_refuses(path: Path, chunk_size: int) -> None:
    read_or_refusal(lambda: PopulationFile(path).validate(chunk_size=chunk_size))


@bounded(200, seconds=5)
@given(damaged_csv() | st.binary(max_size=300), st.integers(1, 20))
def test_any_csv_validates_or_is_one_input_error_line(data: bytes, chunk_size: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "population.csv"
        path.write_bytes(data)
        reads_or_refuses(path, chunk_size)


ARROW_VALUES = st.one_of(
    st.lists(st.floats() | st.none(), min_size=1, max_size=8).map(lambda v: pa.array(v, pa.float64())),
    st.lists(st.integers(-(2**63), 2**63 - 1) | st.none(), min_size=1, max_size=8).map(
        lambda v: pa.array(v, pa.int64())
    ),
    st.lists(st.booleans() | st.none(), min_size=1, max_size=8).map(lambda v: pa.array(v, pa.bool_())),
    st.lists(JUNK | st.none(), min_size=1, max_size=8).map(lambda v: pa.array(v, pa.string())),
    st.lists(JUNK, min_size=1, max_size=8).map(lambda v: pa.array(v).dictionary_encode()),
    st.lists(st.dates(), min_size=1, max_size=8).map(pa.array),
    st.lists(st.binary(max_size=4), min_size=1, max_size=8).map(pa.array),
)


@st.composite
def damaged_parquet(draw: st.DrawFn) -> tuple[pa.Table, bool]:
    """A valid table with one column replaced by any Arrow type, or the file's bytes damaged."""
    columns = draw(tables())
    names = list(columns)
    arrays: dict[str, pa.Array] = {}
    for name in names:
        spec = SCHEMA[name]
        arrays[name] = pa.array(columns[name], pa.int64() if spec.kind == INT and name != "weight" else None)
    rows = len(columns["weight"])
    replaced = draw(st.sampled_from([*names, draw(HEADERS)]))
    junk = draw(ARROW_VALUES)
    arrays[replaced] = (
        junk.slice(0, rows) if len(junk) >= rows else pa.concat_arrays([junk] * rows).slice(0, rows)
    )
    return pa.table(arrays), draw(st.booleans())


@bounded(150, seconds=5)
@given(damaged_parquet(), st.integers(0, 10**6), st.binary(min_size=1, max_size=16), st.integers(1, 20))
def test_any_parquet_file_validates_or_is_one_input_error_line(
    damaged: tuple[pa.Table, bool], where: int, noise: bytes, chunk_size: int
) -> None:
    table, cut_bytes = damaged
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "population.parquet"
        pq.write_table(table, path, row_group_size=5)
        if cut_bytes:
            data = path.read_bytes()
            at = where % len(data)
            path.write_bytes(data[:at] + noise + data[at + len(noise) :])
        reads_or_refuses(path, chunk_size)
