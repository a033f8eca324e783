"""The input specification: every input variable of the rules model with its type, unit, allowed
range, choices and the question a form asks, and the one check of a value against it.

The navigator's profiles, the simulator's population files, the API and the web form all validate
through here, so a value is accepted or refused the same way everywhere. Types, units and choices
come from the model's variables; question texts, hints and ranges from questions.yaml (OpenFisca
rejects unknown attributes on a Variable), joined by variable name.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import yaml
from openfisca_core.indexed_enums import EnumArray

from peloton.errors import InputError, shown_value
from peloton.model import tax_benefit_system

FLOAT, INT, BOOL, ENUM, TEXT = "float", "int", "bool", "enum", "text"
INT32_MAX = 2**31 - 1  # OpenFisca holds whole numbers as int32


@dataclass(frozen=True)
class Question:
    """What a form asks for one input variable, and which values it accepts."""

    variable: str
    category: str
    question: str
    hint: str
    minimum: float | None
    maximum: float | None
    unit: str


@cache
def questions() -> dict[str, Question]:
    """questions.yaml, keyed by variable name."""
    text = resources.files("peloton.core").joinpath("questions.yaml").read_text(encoding="utf-8")
    raw: dict[str, dict[str, object]] = yaml.safe_load(text)
    out: dict[str, Question] = {}
    for name, entry in raw.items():
        minimum = entry.get("min")
        maximum = entry.get("max")
        out[name] = Question(
            variable=name,
            category=str(entry.get("category", "")),
            question=str(entry.get("question", "")),
            hint=str(entry.get("hint", "") or ""),
            minimum=float(minimum) if isinstance(minimum, int | float) else None,
            maximum=float(maximum) if isinstance(maximum, int | float) else None,
            unit=str(entry.get("unit", "") or ""),
        )
    return out


@dataclass(frozen=True)
class InputSpec:
    """One input variable as every reader of user input sees it."""

    name: str
    kind: str
    label: str
    unit: str  # the model's unit (currency-EUR, hour, AWU, /1, ...)
    display_unit: str  # as shown to the user (questions.yaml)
    minimum: float | None
    maximum: float | None
    items: tuple[str, ...]
    default: Any
    question: str
    hint: str
    category: str
    allow_nan: bool  # an empty value means "unknown" (the variable's default is NaN)

    def allowed(self) -> str:
        """The allowed values in words, for messages, `peloton questions` and the API."""
        if self.kind == BOOL:
            return "true / false"
        if self.kind == ENUM:
            return " | ".join(self.items)
        if self.kind == TEXT:
            return "text"
        low = "-inf" if self.minimum is None else f"{self.minimum:g}"
        high = "inf" if self.maximum is None else f"{self.maximum:g}"
        return f"{low} .. {high}"

    def as_dict(self) -> dict[str, Any]:
        default = self.default
        if isinstance(default, float) and math.isnan(default):
            default = None
        return {
            "variable": self.name,
            "kind": self.kind,
            "label": self.label,
            "unit": self.display_unit or self.unit,
            "minimum": self.minimum,
            "maximum": self.maximum,
            "choices": list(self.items),
            "default": default if not hasattr(default, "name") else default.name,
            "question": self.question,
            "hint": self.hint,
            "category": self.category,
        }


def _kind(variable: Any) -> str:
    if getattr(variable, "possible_values", None) is not None:
        return ENUM
    if variable.value_type is bool:
        return BOOL
    if variable.value_type is int:
        return INT
    if variable.value_type is float:
        return FLOAT
    return TEXT


def _spec(name: str, variable: Any) -> InputSpec:
    kind = _kind(variable)
    q = questions().get(name)
    default = variable.default_value
    allow_nan = isinstance(default, float) and math.isnan(default)
    minimum = q.minimum if q else None
    maximum = q.maximum if q else None
    if kind == INT:
        minimum = 0.0 if minimum is None else minimum
        maximum = float(INT32_MAX) if maximum is None else min(maximum, float(INT32_MAX))
    enum = getattr(variable, "possible_values", None)
    return InputSpec(
        name=name,
        kind=kind,
        label=str(variable.label or name),
        unit=str(getattr(variable, "unit", "") or ""),
        display_unit=q.unit if q else "",
        minimum=minimum if kind in (INT, FLOAT) else None,
        maximum=maximum if kind in (INT, FLOAT) else None,
        items=tuple(item.name for item in enum) if enum is not None else (),
        default=default,
        question=q.question if q else str(variable.label or name),
        hint=q.hint if q else "",
        category=q.category if q else "",
        allow_nan=allow_nan,
    )


@cache
def _baseline_specs() -> dict[str, InputSpec]:
    system = tax_benefit_system()
    return {n: _spec(n, v) for n, v in sorted(system.variables.items()) if not v.formulas}


def input_specs(system: Any = None) -> dict[str, InputSpec]:
    """Every input variable (a variable without formulas) of `system` (default: the law)."""
    if system is None or system is tax_benefit_system():
        return _baseline_specs()
    return {n: _spec(n, v) for n, v in sorted(system.variables.items()) if not v.formulas}


def input_spec(name: str) -> InputSpec | None:
    return _baseline_specs().get(name)


def _fold(text: str) -> str:
    """A spelling key: no accents, lower case, dashes and spaces as underscores."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "_".join(plain.lower().replace("-", " ").replace("_", " ").split())


def canonical_choice(items: tuple[str, ...], value: str) -> str | None:
    """The enum item a user's spelling means (`BV` -> bv, `Noord-Holland` -> noord_holland), or None."""
    if value in items:
        return value
    key = _fold(value)
    matches = [item for item in items if _fold(item) == key]
    return matches[0] if len(matches) == 1 else None


def check_value(spec: InputSpec, value: Any, field_name: str) -> Any:
    """One value for one input, checked: the canonical value, or an InputError naming the field and
    the allowed range. Enum spellings people write are accepted and mapped to the canonical item."""
    if spec.kind == BOOL:
        if not isinstance(value, bool):
            raise InputError(field_name, f"must be true or false, got {shown_value(value)}")
        return value
    if spec.kind == ENUM:
        choice = canonical_choice(spec.items, value) if isinstance(value, str) else None
        if choice is None:
            raise InputError(field_name, f"must be one of {', '.join(spec.items)}; got {shown_value(value)}")
        return choice
    if spec.kind in (INT, FLOAT):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InputError(field_name, f"must be a number ({spec.allowed()}), got {shown_value(value)}")
        try:
            number = float(value)
        except OverflowError:  # a whole number beyond float range
            number = math.inf
        if not math.isfinite(number):
            raise InputError(
                field_name, f"must be a finite number ({spec.allowed()}), got {shown_value(value)}"
            )
        if spec.kind == INT and not number.is_integer():
            raise InputError(field_name, f"must be a whole number, got {shown_value(value)}")
        unit = f" {spec.display_unit}" if spec.display_unit else ""
        if spec.minimum is not None and number < spec.minimum:
            raise InputError(field_name, f"must be at least {spec.minimum:g}{unit}, got {shown_value(value)}")
        if spec.maximum is not None and number > spec.maximum:
            raise InputError(field_name, f"must be at most {spec.maximum:g}{unit}, got {shown_value(value)}")
        return int(number) if spec.kind == INT else number
    if not isinstance(value, str):
        raise InputError(field_name, f"must be text, got {shown_value(value)}")
    return value


def encode_enum(name: str, enum: Any, values: np.ndarray) -> EnumArray:
    """Item names (or indices) -> EnumArray, one vector comparison per item instead of per firm."""
    if values.dtype.kind in "iu":
        codes = values.astype(np.int16)
        if codes.size and (codes.min() < 0 or codes.max() >= len(enum)):
            raise InputError(name, f"enum index out of range 0..{len(enum) - 1}")
        return EnumArray(codes, enum)
    values = values.astype(str)
    codes = np.full(values.shape, -1, dtype=np.int16)
    for item in enum:
        codes[values == item.name] = item.index
    if (codes < 0).any():
        bad = values[codes < 0][0]
        allowed = ", ".join(item.name for item in enum)
        raise InputError(name, f"unknown value {bad[:40]!r}; allowed: {allowed}")
    return EnumArray(codes, enum)
