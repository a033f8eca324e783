"""The columns a population file may hold, and their conversion from Arrow to the engine's arrays.

A population is a table: one row per record (a firm, or a group of similar firms when its weight is
not 1), one column per input variable of the rules model plus a few record columns (weight, id, …).
The allowed columns come from the rules model itself, so a scheme added to the model adds its inputs
here without a change. Every conversion checks type, missing values and range, and fails with an
`InputError` naming the column and the row: a user's file is checked column by column before anything
runs, and nothing but `InputError` escapes from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from peloton.core import inputs as core_inputs
from peloton.errors import InputError

FLOAT, INT, BOOL, ENUM = "float", "int", "bool", "enum"

_TRUE = {"true", "1", "yes", "ja", "t", "y"}
_FALSE = {"false", "0", "no", "nee", "f", "n"}


@dataclass(frozen=True)
class ColumnSpec:
    """What one column may hold: its kind, range, whether NaN means 'unknown', its enum items."""

    name: str
    kind: str
    minimum: float | None = None
    maximum: float | None = None
    allow_nan: bool = False
    items: tuple[str, ...] = ()
    input_variable: bool = True
    description: str = ""

    def allowed(self) -> str:
        """The allowed values in words, for error messages and `docs/population.md`."""
        if self.kind == BOOL:
            return "true / false"
        if self.kind == ENUM:
            return " | ".join(self.items)
        low = "-inf" if self.minimum is None else f"{self.minimum:g}"
        high = "inf" if self.maximum is None else f"{self.maximum:g}"
        return f"{self.kind} {low} .. {high}" + (" (empty = unknown)" if self.allow_nan else "")


# The most firms one record may stand for. Not a rule of law but a sanity bound on the input: the
# Netherlands counts about 2.3 million firms (CBS 81588NED), so a record standing for more than ten
# million is a mistake (a turnover or an id in the weight column), and weights near 1e30 would turn
# every total into floating-point noise.
MAX_WEIGHT = 10_000_000.0

# Record columns that are not inputs of the rules model.
RECORD_COLUMNS: dict[str, ColumnSpec] = {
    "weight": ColumnSpec(
        "weight",
        FLOAT,
        minimum=0.0,
        maximum=MAX_WEIGHT,
        input_variable=False,
        description="firms this record stands for",
    ),
    "id": ColumnSpec(
        "id", INT, minimum=0, input_variable=False, description="record id (take-up draws are made from it)"
    ),
    "synthetic": ColumnSpec("synthetic", BOOL, input_variable=False, description="the record is synthetic"),
    "werkzame_personen": ColumnSpec(
        "werkzame_personen", INT, minimum=0, input_variable=False, description="working persons (CBS class)"
    ),
    "leeftijd": ColumnSpec("leeftijd", INT, minimum=0, input_variable=False, description="firm age in years"),
}
REQUIRED_COLUMNS = ("weight",)


def population_schema(system: Any) -> dict[str, ColumnSpec]:
    """Record columns plus one column per input variable of `system`, each with the kind, range and
    choices of the one input specification (peloton.core.inputs) that profiles are checked against
    too; an empty cell means "unknown" where the variable's default is NaN (e.g. belastbare_winst)."""
    specs: dict[str, ColumnSpec] = dict(RECORD_COLUMNS)
    kinds = {core_inputs.ENUM: ENUM, core_inputs.BOOL: BOOL, core_inputs.INT: INT, core_inputs.FLOAT: FLOAT}
    for name, spec in core_inputs.input_specs(system).items():
        if spec.kind not in kinds:
            continue
        specs[name] = ColumnSpec(
            name,
            kinds[spec.kind],
            minimum=spec.minimum,
            maximum=spec.maximum,
            allow_nan=spec.allow_nan,
            items=spec.items,
            description=spec.label,
        )
    return specs


def check_columns(names: list[str], schema: Mapping[str, ColumnSpec]) -> None:
    """Unknown, duplicate or missing required columns: one clear error before any value is read."""
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise InputError(name, "column appears twice")
        seen.add(name)
        if name not in schema:
            raise InputError(
                name,
                "unknown column: neither an input variable of the rules model nor one of "
                f"{', '.join(RECORD_COLUMNS)} (`peloton questions` lists the inputs)",
            )
    for name in REQUIRED_COLUMNS:
        if name not in seen:
            raise InputError(
                name, "missing column: every record needs a weight, the number of firms it stands for"
            )
    if not any(schema[name].input_variable for name in names):
        raise InputError(
            "population",
            f"the file has only record columns ({', '.join(names)}): a population needs at least one "
            "input column of the rules model besides them (`peloton questions` lists the inputs)",
        )


def _row(offset: int, index: int) -> str:
    return f"row {offset + index + 1}"


def _first(mask: np.ndarray) -> int:
    return int(np.argmax(mask))


def _as_array(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(values, pa.ChunkedArray):
        return values.combine_chunks() if values.num_chunks != 1 else values.chunk(0)
    return values


def _parse_numbers(spec: ColumnSpec, values: pa.Array, offset: int) -> np.ndarray:
    """Strings (CSV cells) → float64; the first cell that is not a number is named with its row."""
    try:
        parsed = pc.cast(pc.utf8_trim_whitespace(values), pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        for i, cell in enumerate(values.to_pylist()):
            if cell is None:
                continue
            try:
                float(cell)
            except (TypeError, ValueError):
                raise InputError(
                    spec.name, f"{_row(offset, i)}: {str(cell)[:40]!r} is not a number ({spec.allowed()})"
                ) from None
        raise InputError(spec.name, f"values are not numbers ({spec.allowed()})") from None
    return np.asarray(parsed.to_numpy(zero_copy_only=False), dtype=np.float64)


def _numbers(spec: ColumnSpec, values: pa.Array, offset: int) -> np.ndarray:
    kind = values.type
    if pa.types.is_dictionary(kind):
        values = values.cast(kind.value_type)
        kind = values.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        out = _parse_numbers(spec, values, offset)
    elif pa.types.is_integer(kind) or pa.types.is_floating(kind):
        out = np.asarray(values.cast(pa.float64()).to_numpy(zero_copy_only=False), dtype=np.float64)
    elif pa.types.is_boolean(kind) or pa.types.is_null(kind):
        if pa.types.is_null(kind):
            out = np.full(len(values), np.nan)
        else:
            raise InputError(spec.name, f"expected a number, the file has true/false ({spec.allowed()})")
    else:
        raise InputError(spec.name, f"expected a number, the file has {kind} ({spec.allowed()})")
    missing = np.isnan(out)
    if missing.any() and not spec.allow_nan:
        raise InputError(spec.name, f"{_row(offset, _first(missing))}: missing value ({spec.allowed()})")
    if np.isinf(out).any():
        raise InputError(spec.name, f"{_row(offset, _first(np.isinf(out)))}: infinite value")
    with np.errstate(invalid="ignore"):
        if spec.minimum is not None and (out < spec.minimum).any():
            i = _first(out < spec.minimum)
            what = "negative" if spec.minimum == 0 else "too small"
            raise InputError(spec.name, f"{_row(offset, i)}: {what} value {out[i]:g} ({spec.allowed()})")
        if spec.maximum is not None and (out > spec.maximum).any():
            i = _first(out > spec.maximum)
            if spec.name == "weight":
                raise InputError(
                    spec.name,
                    f"{_row(offset, i)}: weight {out[i]:g} is more than the maximum of "
                    f"{spec.maximum:,.0f} firms one record may stand for",
                )
            raise InputError(spec.name, f"{_row(offset, i)}: value {out[i]:g} too large ({spec.allowed()})")
    if spec.kind == INT:
        fractional = out != np.round(out)
        if fractional.any():
            i = _first(fractional)
            raise InputError(spec.name, f"{_row(offset, i)}: {out[i]:g} is not a whole number")
        if np.abs(out).max(initial=0) > 2**31 - 1 and spec.name != "id":
            raise InputError(spec.name, "value out of the 32-bit integer range")
    return out


def _integers(spec: ColumnSpec, values: pa.Array, offset: int) -> np.ndarray:
    """Integer columns read as integers (ids beyond 2**53 would lose digits through float64)."""
    out = np.asarray(values.to_numpy(zero_copy_only=False), dtype=np.int64)
    if spec.minimum is not None and (out < spec.minimum).any():
        i = _first(out < spec.minimum)
        raise InputError(spec.name, f"{_row(offset, i)}: negative value {out[i]} ({spec.allowed()})")
    if spec.maximum is not None and (out > spec.maximum).any():
        i = _first(out > spec.maximum)
        raise InputError(spec.name, f"{_row(offset, i)}: value {out[i]} too large ({spec.allowed()})")
    if spec.name == "id":
        return out
    if np.abs(out).max(initial=0) > 2**31 - 1:
        raise InputError(spec.name, "value out of the 32-bit integer range")
    return out.astype(np.int32)


def _booleans(spec: ColumnSpec, values: pa.Array, offset: int) -> np.ndarray:
    kind = values.type
    if pa.types.is_dictionary(kind):
        values = values.cast(kind.value_type)
        kind = values.type
    if values.null_count:
        mask = np.asarray(values.is_null().to_numpy(zero_copy_only=False))
        raise InputError(spec.name, f"{_row(offset, _first(mask))}: missing value (true / false)")
    if pa.types.is_boolean(kind):
        return np.asarray(values.to_numpy(zero_copy_only=False), dtype=bool)
    if pa.types.is_integer(kind) or pa.types.is_floating(kind):
        numbers = np.asarray(values.cast(pa.float64()).to_numpy(zero_copy_only=False))
        bad = (numbers != 0) & (numbers != 1)
        if bad.any():
            i = _first(bad)
            raise InputError(spec.name, f"{_row(offset, i)}: {numbers[i]:g} is not true / false (or 1 / 0)")
        return numbers == 1
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        words = pc.utf8_lower(pc.utf8_trim_whitespace(values))
        true = np.asarray(pc.is_in(words, value_set=pa.array(sorted(_TRUE))).to_numpy(zero_copy_only=False))
        false = np.asarray(pc.is_in(words, value_set=pa.array(sorted(_FALSE))).to_numpy(zero_copy_only=False))
        bad = ~(true | false)
        if bad.any():
            i = _first(bad)
            cell = values[i].as_py()
            raise InputError(spec.name, f"{_row(offset, i)}: {str(cell)[:40]!r} is not true / false")
        return true
    raise InputError(spec.name, f"expected true / false, the file has {kind}")


def _enum_codes(spec: ColumnSpec, values: pa.Array, offset: int) -> np.ndarray:
    """Item names → item indices (int16), through the column's dictionary: one lookup per distinct name."""
    kind = values.type
    if values.null_count:
        mask = np.asarray(values.is_null().to_numpy(zero_copy_only=False))
        raise InputError(spec.name, f"{_row(offset, _first(mask))}: missing value ({spec.allowed()})")
    if pa.types.is_integer(kind):
        codes = np.asarray(values.to_numpy(zero_copy_only=False))
        bad = (codes < 0) | (codes >= len(spec.items))
        if bad.any():
            i = _first(bad)
            raise InputError(
                spec.name, f"{_row(offset, i)}: index {codes[i]} out of range ({spec.allowed()})"
            )
        return codes.astype(np.int16)
    if not pa.types.is_dictionary(kind):
        if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
            raise InputError(spec.name, f"expected one of {spec.allowed()}, the file has {kind}")
        values = pc.dictionary_encode(pc.utf8_trim_whitespace(values))
    dictionary = values.dictionary
    if not (pa.types.is_string(dictionary.type) or pa.types.is_large_string(dictionary.type)):
        raise InputError(spec.name, f"expected one of {spec.allowed()}, the file has {dictionary.type}")
    lookup = {name: i for i, name in enumerate(spec.items)}
    mapping = np.full(len(dictionary), -1, dtype=np.int16)
    for j, name in enumerate(dictionary.to_pylist()):
        # the spellings a profile accepts (BV, Noord-Holland) are accepted in a file too
        choice = core_inputs.canonical_choice(spec.items, name) if isinstance(name, str) else None
        mapping[j] = lookup.get(choice, -1) if choice is not None else -1
    indices = np.asarray(values.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    codes = mapping[indices] if len(indices) else np.zeros(0, dtype=np.int16)
    bad = codes < 0
    if bad.any():
        i = _first(bad)
        cell = dictionary[int(indices[i])].as_py()
        raise InputError(
            spec.name, f"{_row(offset, i)}: unknown value {str(cell)[:40]!r}; allowed: {spec.allowed()}"
        )
    return codes


def convert_column(spec: ColumnSpec, values: pa.Array | pa.ChunkedArray, offset: int = 0) -> np.ndarray:
    """One Arrow column → the NumPy array the engine takes (float64 money, int32, bool, int16 enum codes).

    `offset` is the number of rows before this chunk, so that errors name the row in the file.
    """
    array = _as_array(values)
    try:
        if spec.kind == INT and pa.types.is_integer(array.type) and not array.null_count:
            return _integers(spec, array, offset)
        if spec.kind == ENUM:
            return _enum_codes(spec, array, offset)
        if spec.kind == BOOL:
            return _booleans(spec, array, offset)
        out = _numbers(spec, array, offset)
    except (pa.ArrowException, ValueError, TypeError, OverflowError) as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(spec.name, f"cannot read the column: {str(exc).splitlines()[0][:160]}") from None
    if spec.kind == INT:
        return out.astype(np.int64 if spec.name == "id" else np.int32)
    if spec.name == "weight":
        if (out <= 0).any():
            i = _first(out <= 0)
            raise InputError("weight", f"{_row(offset, i)}: weight {out[i]:g} must be positive")
        return out
    return out.astype(np.float64)
