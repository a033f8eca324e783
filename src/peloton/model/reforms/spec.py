"""A declarative reform (the YAML a policy maker writes) read and validated against the rules model.

    name: WBSO eerste schijf EUR 500.000
    parameter_changes:
      - {parameter: wbso.afdrachtvermindering.plafond_schijf_1, value: 500000, start: 2025-01-01}
    new_schemes:
      - id: procesinnovatie_mkb
        name: Procesinnovatie-regeling voor het brede mkb
        start: 2025-01-01
        shape: percentage_of_costs        # or fixed_amount, bracketed_percentage
        costs: [ontwikkelingskosten]
        percentage: 0.25
        maximum: 50000
        target: {sme_only: true, innovation_kinds: [proces],
                 conditions: [{variable: heeft_so_verklaring, equals: false}]}
        takeup: {rates: {micro: 0.3, klein: 0.5, middelgroot: 0.7, groot: 0}, method: assumption,
                 derivation: "..."}

Every field is checked before anything runs, against the parameter it changes: its kind (a rate is a
fraction 0..1, an amount is not negative, a yes/no parameter takes true or false), its history (a
change cannot start before the parameter's first value) and the calendar. A mistake is one
`InputError` naming the field and what is allowed. Take-up (`takeup.<scheme>.<size class>`) is a
parameter like any other, so a reform may change it.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from openfisca_core.parameters import Parameter
from openfisca_core.periods import YEAR

from peloton.errors import InputError
from peloton.model.entities import Onderneming
from peloton.model.enums import MkbGrootteklasse
from peloton.model.paths import ParameterPathError, walk
from peloton.model.system import tax_benefit_system
from peloton.user_text import check_text
from peloton.yaml_input import UserYamlError, load_user_yaml

REFORM_NODE = "hervorming"
SHAPES = ("percentage_of_costs", "fixed_amount", "bracketed_percentage")
TAKEUP_METHODS = ("sourced", "calibrated", "assumption")
SIZE_CLASSES: tuple[str, ...] = tuple(item.name for item in MkbGrootteklasse)
# Shorthand target keys -> the firm variable each one tests.
TARGET_SHORTHANDS = {
    "sme_only": "is_mkb",
    "size_classes": "mkb_grootteklasse",
    "innovation_kinds": "innovatie_soort",
    "sectors": "sbi_sectie",
    "provinces": "provincie",
    "legal_forms": "rechtsvorm",
}
# Units whose values are never negative, and those that count whole things.
_NON_NEGATIVE_UNITS = {"currency-EUR", "AWU", "hour", "year", "enterprise"}
_WHOLE_UNITS = {"hour", "year", "enterprise"}
MAX_AMOUNT = 1e13  # the bound on any amount a reform sets, as on every amount a user gives
_ID = re.compile(r"^[a-z][a-z0-9_]{1,60}$")
_RESERVED_IDS = {REFORM_NODE, "takeup", "default"}


@dataclass(frozen=True)
class ParameterChange:
    parameter: str
    value: float | bool
    start: str
    stop: str | None = None


@dataclass(frozen=True)
class Condition:
    """One test on a firm variable: `equals` (bool), `in` (enum item names), or `min`/`max` (numbers)."""

    variable: str
    equals: bool | None = None
    among: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None

    def describe(self) -> str:
        if self.equals is not None:
            return f"{self.variable} is {str(self.equals).lower()}"
        if self.among:
            return f"{self.variable} in {', '.join(self.among)}"
        parts = []
        if self.minimum is not None:
            parts.append(f"{self.variable} >= {self.minimum:g}")
        if self.maximum is not None:
            parts.append(f"{self.variable} <= {self.maximum:g}")
        return " and ".join(parts)


@dataclass(frozen=True)
class TakeupSpec:
    """A new scheme's own take-up: a rate per size class, how it was derived, its source."""

    rates: tuple[float, ...]
    method: str
    derivation: str
    source: str | None = None


@dataclass(frozen=True)
class NewScheme:
    id: str
    name: str
    kind: str
    start: str
    shape: str
    stop: str | None = None
    costs: tuple[str, ...] = ()
    percentage: float | None = None
    maximum: float | None = None
    minimum_costs: float | None = None
    amount: float | None = None
    brackets: tuple[tuple[float, float], ...] = ()  # (threshold, rate)
    target: tuple[Condition, ...] = ()
    takeup: TakeupSpec | None = None
    reference: str = ""
    description: str = ""

    def formula_text(self) -> str:
        if self.shape == "fixed_amount":
            amount = f"EUR {self.amount:,.0f}"
        elif self.shape == "percentage_of_costs":
            amount = f"{self.percentage:.0%} of {' + '.join(self.costs)}"
            if self.maximum is not None:
                amount += f", at most EUR {self.maximum:,.0f}"
        else:
            steps = "; ".join(f"{rate:.0%} from EUR {threshold:,.0f}" for threshold, rate in self.brackets)
            amount = f"bracketed on {' + '.join(self.costs)}: {steps}"
            if self.maximum is not None:
                amount += f", at most EUR {self.maximum:,.0f}"
        if self.minimum_costs is not None:
            amount += f" (costs at least EUR {self.minimum_costs:,.0f})"
        target = "; ".join(c.describe() for c in self.target) or "every firm"
        return f"{amount}; for: {target}; from {self.start}" + (f" to {self.stop}" if self.stop else "")

    def in_force(self, year: int) -> bool:
        """Whether the scheme runs on 1 January of `year` (when OpenFisca reads a year's rules)."""
        return self.start <= f"{year}-01-01" and (self.stop is None or self.stop >= f"{year}-01-01")


@dataclass(frozen=True)
class ReformSpec:
    name: str
    description: str = ""
    source: str = ""
    parameter_changes: tuple[ParameterChange, ...] = ()
    new_schemes: tuple[NewScheme, ...] = field(default_factory=tuple)

    def key(self) -> str:
        """A canonical text of the reform: equal reforms share one reformed system per process."""
        data = asdict(self)
        data.pop("source", None)
        return json.dumps(data, sort_keys=True, default=str)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "file": self.source,
            "parameter_changes": [asdict(c) for c in self.parameter_changes],
            "new_schemes": [
                {"id": s.id, "name": s.name, "kind": s.kind, "formula": s.formula_text()}
                for s in self.new_schemes
            ],
        }


# ----------------------------------------------------------------------------------- fields


def _date(field_name: str, raw: Any) -> str:
    if isinstance(raw, date):
        return raw.isoformat()
    text = str(raw).strip()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ValueError(text)
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise InputError(
            field_name, f"expected a date YYYY-MM-DD that exists, got {str(raw)[:40]!r}"
        ) from None


def _number(field_name: str, raw: Any, minimum: float | None = None, maximum: float | None = None) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(float(raw)):
        raise InputError(field_name, f"expected a number, got {str(raw)[:40]!r}")
    value = float(raw)
    if minimum is not None and value < minimum:
        raise InputError(field_name, f"{value:g} is below {minimum:g} (allowed {_range(minimum, maximum)})")
    if maximum is not None and value > maximum:
        raise InputError(field_name, f"{value:g} is above {maximum:g} (allowed {_range(minimum, maximum)})")
    return value


def _range(minimum: float | None, maximum: float | None) -> str:
    low = "-inf" if minimum is None else f"{minimum:g}"
    high = "inf" if maximum is None else f"{maximum:g}"
    return f"{low} .. {high}"


def _leaf(path: str, field_name: str) -> Parameter:
    try:
        node = walk(tax_benefit_system().parameters, path)
    except ParameterPathError as exc:
        raise InputError(field_name, exc.detail) from None
    if not isinstance(node, Parameter):
        raise InputError(field_name, f"{path!r} is a group of parameters, not one parameter")
    return node


def _change_value(parameter: Parameter, raw: Any, field_name: str) -> float | bool:
    """A new value checked against the parameter's kind: its unit and the type of its values."""
    unit = str((parameter.metadata or {}).get("unit", ""))
    known = [v.value for v in parameter.values_list if v.value is not None]
    if unit == "bool" or (known and all(isinstance(v, bool) for v in known)):
        if not isinstance(raw, bool):
            raise InputError(
                field_name, f"{parameter.name} is yes/no: give true or false, got {str(raw)[:40]!r}"
            )
        return raw
    if unit == "/1":
        return _number(field_name, raw, 0.0, 1.0)
    if unit in _NON_NEGATIVE_UNITS:
        value = _number(field_name, raw, 0.0, MAX_AMOUNT)
        if unit in _WHOLE_UNITS and not value.is_integer():
            raise InputError(field_name, f"{parameter.name} counts whole {unit}s, got {value:g}")
        return value
    return _number(field_name, raw, -MAX_AMOUNT, MAX_AMOUNT)


def _parameter_changes(raw: Any) -> tuple[ParameterChange, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise InputError("parameter_changes", "expected a list of {parameter, value, start}")
    out = []
    for i, item in enumerate(raw):
        where = f"parameter_changes[{i}]"
        if not isinstance(item, Mapping):
            raise InputError(where, "expected a mapping with parameter, value, start")
        unknown = set(item) - {"parameter", "value", "start", "stop", "note"}
        if unknown:
            raise InputError(
                f"{where}.{sorted(map(str, unknown))[0]}",
                "unknown key; allowed: parameter, value, start, stop",
            )
        for key in ("parameter", "value", "start"):
            if key not in item:
                raise InputError(f"{where}.{key}", "missing")
        path = str(item["parameter"])
        parameter = _leaf(path, f"{where}.parameter")
        start = _date(f"{where}.start", item["start"])
        first = min((v.instant_str for v in parameter.values_list), default=None)
        if first is not None and start < first:
            raise InputError(
                f"{where}.start", f"{start} is before the history of {path}, which starts on {first}"
            )
        stop = _date(f"{where}.stop", item["stop"]) if item.get("stop") is not None else None
        if stop is not None and stop < start:
            raise InputError(f"{where}.stop", f"{stop} is before start {start}")
        value = _change_value(parameter, item["value"], f"{where}.value")
        out.append(ParameterChange(path, value, start, stop))
    return tuple(out)


def _variable(name: str, field_name: str) -> Any:
    variable = tax_benefit_system().variables.get(name)
    if variable is None:
        raise InputError(field_name, f"{name[:60]!r} is not a variable of the rules model")
    if variable.entity.key != Onderneming.key or variable.definition_period != YEAR:
        raise InputError(field_name, f"{name!r} is not a yearly variable of the firm")
    return variable


def _condition(field_name: str, name: str, test: Mapping[str, Any]) -> Condition:
    variable = _variable(name, f"{field_name}.variable")
    enum = getattr(variable, "possible_values", None)
    if "equals" in test:
        if variable.value_type is not bool or not isinstance(test["equals"], bool):
            raise InputError(
                f"{field_name}.equals", f"`equals` takes true/false and a yes/no variable; {name} is not"
            )
        return Condition(name, equals=bool(test["equals"]))
    if "in" in test:
        values = test["in"]
        if enum is None or not isinstance(values, list) or not values:
            raise InputError(
                f"{field_name}.in", f"`in` takes a list of {name}'s values; {name} is not a choice"
            )
        allowed = [item.name for item in enum]
        for value in values:
            if str(value) not in allowed:
                raise InputError(
                    f"{field_name}.in",
                    f"unknown value {str(value)[:40]!r} of {name}; allowed: {', '.join(allowed)}",
                )
        return Condition(name, among=tuple(str(v) for v in values))
    if "min" in test or "max" in test:
        if variable.value_type not in (int, float):
            raise InputError(field_name, f"`min`/`max` take a numeric variable; {name} is not")
        low = _number(f"{field_name}.min", test["min"]) if test.get("min") is not None else None
        high = _number(f"{field_name}.max", test["max"]) if test.get("max") is not None else None
        return Condition(name, minimum=low, maximum=high)
    raise InputError(field_name, "a condition needs `equals`, `in`, or `min`/`max`")


def _target(field_name: str, raw: Any) -> tuple[Condition, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, Mapping):
        raise InputError(
            field_name, "expected a mapping (sme_only, innovation_kinds, sectors, …, conditions)"
        )
    out: list[Condition] = []
    for key, value in raw.items():
        where = f"{field_name}.{key}"
        if key == "conditions":
            if not isinstance(value, list):
                raise InputError(where, "expected a list of {variable, equals|in|min|max}")
            for i, test in enumerate(value):
                if not isinstance(test, Mapping) or "variable" not in test:
                    raise InputError(f"{where}[{i}]", "expected {variable: NAME, equals|in|min|max: …}")
                out.append(_condition(f"{where}[{i}]", str(test["variable"]), test))
        elif key == "sme_only":
            if not isinstance(value, bool):
                raise InputError(where, "expected true or false")
            if value:
                out.append(Condition("is_mkb", equals=True))
        elif key in TARGET_SHORTHANDS:
            values = value if isinstance(value, list) else [value]
            out.append(_condition(where, TARGET_SHORTHANDS[key], {"in": [str(v) for v in values]}))
        else:
            allowed = ", ".join([*TARGET_SHORTHANDS, "conditions"])
            raise InputError(where, f"unknown target key; allowed: {allowed}")
    return tuple(out)


def _costs(field_name: str, raw: Any) -> tuple[str, ...]:
    names = raw if isinstance(raw, list) else [raw]
    if not names or raw is None:
        raise InputError(field_name, "name the cost variable(s) the percentage applies to")
    for name in names:
        variable = _variable(str(name), field_name)
        if variable.value_type is not float:
            raise InputError(field_name, f"{name!r} is not an amount")
    return tuple(str(n) for n in names)


def parse_rates(field_name: str, raw: Any) -> tuple[float, ...]:
    """A rate per size class (`{micro: .., klein: .., middelgroot: .., groot: ..}`) or one for all."""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        values = {name: float(raw) for name in SIZE_CLASSES}
    elif isinstance(raw, Mapping):
        unknown = [k for k in raw if k not in SIZE_CLASSES]
        if unknown:
            raise InputError(
                field_name, f"unknown size class {str(unknown[0])[:40]!r}; allowed: {', '.join(SIZE_CLASSES)}"
            )
        missing = [k for k in SIZE_CLASSES if k not in raw]
        if missing:
            raise InputError(field_name, f"no rate for size class {missing[0]!r}")
        values = {}
        for name in SIZE_CLASSES:
            value = raw[name]
            if not isinstance(value, int | float) or isinstance(value, bool):
                raise InputError(
                    f"{field_name}.{name}", f"expected a number between 0 and 1, got {str(value)[:40]!r}"
                )
            values[name] = float(value)
    else:
        raise InputError(field_name, "expected a rate between 0 and 1, or one per size class")
    for name, value in values.items():
        if not 0.0 <= value <= 1.0:
            raise InputError(f"{field_name}.{name}", f"rate {value:g} outside 0..1")
    return tuple(values[name] for name in SIZE_CLASSES)


def _takeup(field_name: str, raw: Any) -> TakeupSpec | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping) or "rates" not in raw:
        raise InputError(field_name, "expected {rates: …, method: …, derivation: …}")
    method = str(raw.get("method", "assumption"))
    if method not in TAKEUP_METHODS:
        raise InputError(f"{field_name}.method", f"one of {', '.join(TAKEUP_METHODS)}")
    derivation = " ".join(str(raw.get("derivation", "")).split())
    if not derivation:
        raise InputError(f"{field_name}.derivation", "say how the rates were derived")
    source = raw.get("source")
    return TakeupSpec(
        rates=parse_rates(f"{field_name}.rates", raw["rates"]),
        method=method,
        derivation=derivation,
        source=None if source is None else str(source),
    )


_SCHEME_KEYS = {
    "id", "name", "kind", "start", "stop", "shape", "costs", "percentage", "maximum", "minimum_costs",
    "amount", "brackets", "target", "takeup", "reference", "description",
}  # fmt: skip


def _scheme_id(where: str, raw: Any) -> str:
    scheme_id = str(raw)
    if not _ID.match(scheme_id):
        raise InputError(
            f"{where}.id", "lower-case letters, digits and _ (a variable name), e.g. procesinnovatie_mkb"
        )
    system = tax_benefit_system()
    if scheme_id in system.variables:
        raise InputError(f"{where}.id", f"{scheme_id!r} is already a variable of the rules model")
    if scheme_id in system.parameters.children or scheme_id in _RESERVED_IDS:
        raise InputError(f"{where}.id", f"{scheme_id!r} is already a scheme or node of the rules model")
    return scheme_id


def _new_scheme(i: int, raw: Any) -> NewScheme:
    where = f"new_schemes[{i}]"
    if not isinstance(raw, Mapping):
        raise InputError(where, "expected a mapping")
    unknown = set(map(str, raw)) - _SCHEME_KEYS
    if unknown:
        raise InputError(
            f"{where}.{sorted(unknown)[0][:40]}", f"unknown key; allowed: {', '.join(sorted(_SCHEME_KEYS))}"
        )
    for key in ("id", "name", "start", "shape"):
        if key not in raw:
            raise InputError(f"{where}.{key}", "missing")
    scheme_id = _scheme_id(where, raw["id"])
    shape = str(raw["shape"])
    if shape not in SHAPES:
        raise InputError(f"{where}.shape", f"unknown shape {shape[:40]!r}; allowed: {', '.join(SHAPES)}")
    start = _date(f"{where}.start", raw["start"])
    stop = _date(f"{where}.stop", raw["stop"]) if raw.get("stop") is not None else None
    if stop is not None and stop < start:
        raise InputError(f"{where}.stop", f"{stop} is before start {start}")
    values: dict[str, Any] = {}
    if shape == "percentage_of_costs":
        if "percentage" not in raw:
            raise InputError(f"{where}.percentage", f"missing (needed by shape {shape})")
        values["costs"] = _costs(f"{where}.costs", raw.get("costs"))
        values["percentage"] = _number(f"{where}.percentage", raw["percentage"], 0, 1)
    elif shape == "fixed_amount":
        if "amount" not in raw:
            raise InputError(f"{where}.amount", f"missing (needed by shape {shape})")
        values["amount"] = _number(f"{where}.amount", raw["amount"], 0, MAX_AMOUNT)
    else:
        values["costs"] = _costs(f"{where}.costs", raw.get("costs"))
        brackets = raw.get("brackets")
        if not isinstance(brackets, list) or not brackets:
            raise InputError(f"{where}.brackets", "expected a list of {threshold, rate}")
        parsed: list[tuple[float, float]] = []
        for j, bracket in enumerate(brackets):
            if not isinstance(bracket, Mapping) or {"threshold", "rate"} - set(bracket):
                raise InputError(f"{where}.brackets[{j}]", "expected {threshold: EUR, rate: fraction}")
            threshold = _number(f"{where}.brackets[{j}].threshold", bracket["threshold"], 0, MAX_AMOUNT)
            rate = _number(f"{where}.brackets[{j}].rate", bracket["rate"], 0, 1)
            if parsed and threshold <= parsed[-1][0]:
                raise InputError(f"{where}.brackets[{j}].threshold", "thresholds must increase")
            parsed.append((threshold, rate))
        if parsed[0][0] != 0:
            raise InputError(f"{where}.brackets[0].threshold", "the first bracket starts at 0")
        values["brackets"] = tuple(parsed)
    if raw.get("maximum") is not None:
        values["maximum"] = _number(f"{where}.maximum", raw["maximum"], 0, MAX_AMOUNT)
    if raw.get("minimum_costs") is not None:
        if shape == "fixed_amount" and "costs" not in raw:
            raise InputError(f"{where}.minimum_costs", "needs `costs` to compare with")
        if "costs" not in values:
            values["costs"] = _costs(f"{where}.costs", raw.get("costs"))
        values["minimum_costs"] = _number(f"{where}.minimum_costs", raw["minimum_costs"], 0, MAX_AMOUNT)
    return NewScheme(
        id=scheme_id,
        name=_text(f"{where}.name", raw["name"], 200),
        kind=_text(f"{where}.kind", raw.get("kind", "subsidie"), 60),
        start=start,
        stop=stop,
        shape=shape,
        target=_target(f"{where}.target", raw.get("target")),
        takeup=_takeup(f"{where}.takeup", raw.get("takeup")),
        reference=_text(f"{where}.reference", raw.get("reference", ""), 500),
        description=" ".join(_text(f"{where}.description", raw.get("description", ""), 2000, True).split()),
        **values,
    )


def _text(field_name: str, raw: Any, max_chars: int, multiline: bool = False) -> str:
    """A text field of a reform, shown back in its results: refused (naming the field) when it is a
    list or mapping, too long, or holds characters that would make the shown text lie."""
    if isinstance(raw, Mapping | list):
        raise InputError(field_name, "must be text, not a list or a mapping")
    return check_text(field_name, "" if raw is None else str(raw), max_chars, multiline)


def parse_reform(data: Any, source: str = "") -> ReformSpec:
    """A reform mapping (the YAML file's content) -> a validated ReformSpec; InputError names the field."""
    if not isinstance(data, Mapping):
        raise InputError("reform", "expected a mapping with name, parameter_changes and/or new_schemes")
    unknown = set(map(str, data)) - {"name", "description", "parameter_changes", "new_schemes"}
    if unknown:
        raise InputError(
            sorted(unknown)[0][:40], "unknown key; allowed: name, description, parameter_changes, new_schemes"
        )
    if not data.get("name"):
        raise InputError("name", "missing: give the reform a name")
    name = _text("name", data["name"], 200)  # the texts first: they are shown back in any message
    description = " ".join(_text("description", data.get("description", ""), 2000, True).split())
    changes = _parameter_changes(data.get("parameter_changes"))
    raw_schemes = data.get("new_schemes") or []
    if not isinstance(raw_schemes, list):
        raise InputError("new_schemes", "expected a list")
    schemes = tuple(_new_scheme(i, raw) for i, raw in enumerate(raw_schemes))
    ids = [s.id for s in schemes]
    if len(set(ids)) != len(ids):
        raise InputError("new_schemes", "two new schemes share an id")
    if not changes and not schemes:
        raise InputError("reform", "nothing to do: give parameter_changes and/or new_schemes")
    return ReformSpec(
        name=name,
        description=description,
        source=source,
        parameter_changes=changes,
        new_schemes=schemes,
    )


def read_reform_data(path: Path) -> Any:
    """A reform file's content (not yet validated): the mapping `parse_reform` takes, which a sweep
    varies step by step before each step is validated like any reform."""
    path = Path(path)
    if not path.is_file():
        raise InputError("reform", f"cannot read {path}: file not found")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError("reform", f"cannot read {path}: {exc.__class__.__name__}") from None
    try:
        return load_user_yaml(text)
    except UserYamlError as exc:
        raise InputError("reform", f"{path.name} is not valid YAML: {exc}") from None


def load_reform(path: Path) -> ReformSpec:
    """Read and validate a reform YAML file."""
    return parse_reform(read_reform_data(path), source=str(path))
