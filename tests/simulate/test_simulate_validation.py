"""A user's population file: checked column by column; only InputError ever escapes."""

from __future__ import annotations

import contextlib
import csv
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peloton.errors import InputError
from peloton.simulate.population import PopulationFile

GOOD = [
    {"weight": "10", "rechtsvorm": "bv", "personeel_fte": "12", "so_uren": "1500", "sbi_sectie": "C"},
    {"weight": "2.5", "rechtsvorm": "eenmanszaak", "personeel_fte": "1", "so_uren": "0", "sbi_sectie": "J"},
    {"weight": "1", "rechtsvorm": "bv", "personeel_fte": "300", "so_uren": "90000", "sbi_sectie": "C"},
]


def write_csv(path: Path, rows: list[dict[str, str]], header: list[str] | None = None) -> Path:
    header = header or list(rows[0])
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(h, "") for h in header])
    return path


def validate(path: Path) -> None:
    PopulationFile(path).validate(chunk_size=2)


def test_a_good_file_validates_and_counts_firms(tmp_path: Path) -> None:
    info = PopulationFile(write_csv(tmp_path / "firms.csv", GOOD)).validate(chunk_size=2)
    assert info.records == 3 and info.firms == pytest.approx(13.5)
    assert info.kind == "user" and not info.all_synthetic
    assert "firms.csv" in info.label() and "13.5 firms" in info.label()


@pytest.mark.parametrize(
    ("rows", "header", "field", "message"),
    [
        ([{**GOOD[0], "kleur": "rood"}], None, "kleur", "unknown column"),
        ([{k: v for k, v in GOOD[0].items() if k != "weight"}], None, "weight", "missing column"),
        ([{**GOOD[0], "so_uren": "veel"}], None, "so_uren", "row 1: 'veel' is not a number"),
        ([GOOD[0], {**GOOD[1], "so_uren": "-5"}], None, "so_uren", "row 2: negative value -5"),
        ([GOOD[0], GOOD[1], {**GOOD[2], "weight": ""}], None, "weight", "row 3: missing value"),
        ([{**GOOD[0], "weight": "0"}], None, "weight", "must be positive"),
        ([{**GOOD[0], "rechtsvorm": "ltd"}], None, "rechtsvorm", "unknown value 'ltd'; allowed: bv | nv"),
        ([{**GOOD[0], "is_familiebedrijf": "misschien"}], None, "is_familiebedrijf", "is not true / false"),
        (
            [{**GOOD[0], "aantal_jaren_ondernemer_voorgaand": "2.5"}],
            None,
            "aantal_jaren_ondernemer_voorgaand",
            "whole",
        ),
        ([{**GOOD[0], "marginaal_tarief": "1.5"}], None, "marginaal_tarief", "too large"),
        ([GOOD[0]], ["weight", "weight"], "weight", "twice"),
    ],
)
def test_bad_files_name_the_column_and_row(
    tmp_path: Path, rows: list[dict[str, str]], header: list[str] | None, field: str, message: str
) -> None:
    with pytest.raises(InputError) as caught:
        validate(write_csv(tmp_path / "bad.csv", rows, header))
    assert caught.value.field == field
    assert message in caught.value.problem


def test_unknown_profit_may_be_empty(tmp_path: Path) -> None:
    info = PopulationFile(write_csv(tmp_path / "p.csv", [{**GOOD[0], "belastbare_winst": ""}])).validate()
    assert info.records == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "empty file"),
        ("header.csv", b"weight,so_uren\n", "no records"),
        ("binary.csv", b"\xff\xfe\x00weight\n", "not UTF-8"),
        ("ragged.csv", b"weight,so_uren\n1,2,3\n", "CSV"),
        ("x.xlsx", b"PK", "expected a .csv or .parquet"),
        ("broken.parquet", b"PAR1 not really", "not a readable Parquet file"),
    ],
)
def test_unreadable_files(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        validate(path)


def test_parquet_types_are_checked(tmp_path: Path) -> None:
    path = tmp_path / "firms.parquet"
    pq.write_table(pa.table({"weight": [1.0, 2.0], "so_uren": ["10", "x"]}), path)
    with pytest.raises(InputError, match="row 2: 'x' is not a number"):
        validate(path)
    pq.write_table(pa.table({"weight": [1.0], "so_uren": [True]}), path)
    with pytest.raises(InputError, match="expected a number"):
        validate(path)
    pq.write_table(pa.table({"weight": [1.0, 1.0], "is_familiebedrijf": [0, 3]}), path)
    with pytest.raises(InputError, match="row 2: 3 is not true / false"):
        validate(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        PopulationFile(tmp_path / "nope.csv")


COLUMNS = [
    "weight",
    "so_uren",
    "rechtsvorm",
    "is_familiebedrijf",
    "sbi_sectie",
    "aantal_mkb_deelnemers",
    "x",
    "",
]
CELLS = st.one_of(
    st.sampled_from(
        ["", "0", "1", "-1", "1e9", "nan", "inf", "bv", "C", "true", "ja", "2.5", '"', ",", "\n"]
    ),
    st.text(max_size=6),
    st.floats(allow_nan=True).map(str),
    st.integers(-(2**40), 2**40).map(str),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    header=st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=5),
    rows=st.lists(st.lists(CELLS, min_size=0, max_size=6), max_size=5),
)
def test_fuzz_csv_only_input_error_escapes(tmp_path: Path, header: list[str], rows: list[list[str]]) -> None:
    path = tmp_path / "fuzz.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    with contextlib.suppress(InputError):
        PopulationFile(path).validate(chunk_size=2)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(max_size=200), suffix=st.sampled_from([".csv", ".parquet"]))
def test_fuzz_bytes_only_input_error_escapes(tmp_path: Path, content: bytes, suffix: str) -> None:
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(content)
    with contextlib.suppress(InputError):
        PopulationFile(path).validate(chunk_size=3)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    weights=st.lists(st.one_of(st.floats(allow_nan=True), st.none()), min_size=1, max_size=4),
    hours=st.lists(
        st.one_of(st.floats(allow_nan=True, width=32), st.none(), st.text(max_size=3)), min_size=1, max_size=4
    ),
)
def test_fuzz_parquet_values_only_input_error_escapes(
    tmp_path: Path, weights: list[float | None], hours: list[object]
) -> None:
    n = min(len(weights), len(hours))
    path = tmp_path / "fuzz.parquet"
    kinds = {type(h) for h in hours[:n] if h is not None}
    column = (
        pa.array([None if h is None else str(h) for h in hours[:n]]) if str in kinds else pa.array(hours[:n])
    )
    pq.write_table(pa.table({"weight": pa.array(weights[:n], pa.float64()), "so_uren": column}), path)
    with contextlib.suppress(InputError):
        PopulationFile(path).validate(chunk_size=2)


def test_a_weight_beyond_the_stated_maximum_is_refused_with_its_row(tmp_path: Path) -> None:
    rows = [GOOD[0], {**GOOD[1], "weight": "1e30"}]
    with pytest.raises(InputError) as caught:
        validate(write_csv(tmp_path / "big.csv", rows))
    assert caught.value.field == "weight"
    assert "row 2" in caught.value.problem and "10,000,000 firms" in caught.value.problem


def test_a_file_of_record_columns_only_says_it_needs_an_input_column(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        PopulationFile(write_csv(tmp_path / "w.csv", [{"weight": "1", "id": "3"}]))
    assert caught.value.field == "population"
    assert "at least one input column" in caught.value.problem


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_separated_files_are_read(tmp_path: Path, delimiter: str) -> None:
    path = tmp_path / "firms.csv"
    lines = [delimiter.join(GOOD[0])] + [delimiter.join(row[k] for k in GOOD[0]) for row in GOOD]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    info = PopulationFile(path).validate(chunk_size=2)
    assert info.records == 3 and info.firms == pytest.approx(13.5)


def test_an_unknown_delimiter_says_what_was_expected(tmp_path: Path) -> None:
    path = tmp_path / "pipe.csv"
    path.write_text("weight|so_uren\n1|2\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        PopulationFile(path)
    assert "separated by commas, semicolons or tabs" in caught.value.problem


def test_a_sample_too_small_to_calibrate_is_one_line_naming_records(run_cli) -> None:  # type: ignore[no-untyped-def]
    """1,000 records with seed 1 cannot carry the published WBSO total: refused, not a traceback."""
    result = run_cli("simulate", "--year", "2024", "--records", "1000", "--seed", "1", "--no-charts")
    assert result.returncode == 2, result.stderr
    assert "records: 1,000 records (seed 1) are too few to meet the calibration targets" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
