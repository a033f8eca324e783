"""Reforms as YAML files, run as OpenFisca reforms of the rules model.

A reform file changes dated legal parameters (`parameter_changes`) and/or adds schemes (`new_schemes`).
Parameter changes go through `Reform.modify_parameters` on a copy of the baseline's parameters; a new
scheme becomes one OpenFisca variable (`Reform.add_variable`) whose formula is one of a few shapes and
whose parameters live in the reform's own parameter node `hervorming.<scheme id>`. No rule of an
existing scheme is written here: the reformed system computes everything, as the baseline does, and
the simulator treats a new scheme like any scheme of SCHEME_RULES.

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
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from openfisca_core import periods
from openfisca_core.parameters import Parameter, ParameterNode
from openfisca_core.periods import YEAR
from openfisca_core.reforms import Reform

from peloton.errors import InputError
from peloton.model import tax_benefit_system
from peloton.model.entities import Onderneming
from peloton.model.variable import Variable
from peloton.navigator.schemes import CASH, Component, SchemeRule
from peloton.simulate.takeup import METHODS, Takeup, parse_rates

REFORM_NODE = "hervorming"
SHAPES = ("percentage_of_costs", "fixed_amount", "bracketed_percentage")
# Shorthand target keys → the firm variable each one tests.
TARGET_SHORTHANDS = {
    "sme_only": "is_mkb",
    "size_classes": "mkb_grootteklasse",
    "innovation_kinds": "innovatie_soort",
    "sectors": "sbi_sectie",
    "provinces": "provincie",
    "legal_forms": "rechtsvorm",
}
_ID = re.compile(r"^[a-z][a-z0-9_]{1,60}$")


@dataclass(frozen=True)
class ParameterChange:
    parameter: str
    value: float
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
    takeup: Takeup | None = None
    reference: str = ""
    description: str = ""

    def rule(self) -> SchemeRule:
        """The scheme as the simulator sees every scheme: one cash component, its own variable."""
        return SchemeRule(id=self.id, components=(Component(self.id, self.kind, CASH),))

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

    def rules(self) -> tuple[SchemeRule, ...]:
        return tuple(s.rule() for s in self.new_schemes)


# ----------------------------------------------------------------------------------- parsing


def _date(field_name: str, raw: Any) -> str:
    if isinstance(raw, date):
        return raw.isoformat()
    try:
        return date.fromisoformat(str(raw)).isoformat()
    except ValueError:
        raise InputError(field_name, f"expected a date YYYY-MM-DD, got {raw!r}") from None


def _number(field_name: str, raw: Any, minimum: float | None = None, maximum: float | None = None) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not np.isfinite(raw):
        raise InputError(field_name, f"expected a number, got {raw!r}")
    value = float(raw)
    if minimum is not None and value < minimum:
        raise InputError(field_name, f"{value:g} is below {minimum:g}")
    if maximum is not None and value > maximum:
        raise InputError(field_name, f"{value:g} is above {maximum:g}")
    return value


def _walk_parameter(path: str, field_name: str) -> Parameter:
    node: Any = tax_benefit_system().parameters
    for part in path.split("."):
        children = getattr(node, "children", None)
        if children is None or part not in children:
            where = getattr(node, "name", "") or "the root"
            choices = ", ".join(sorted(children)) if children else "none"
            raise InputError(field_name, f"no parameter {path!r}: {where} has no {part!r} (has: {choices})")
        node = children[part]
    if not isinstance(node, Parameter):
        raise InputError(field_name, f"{path!r} is a group of parameters, not one parameter")
    return node


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
                f"{where}.{sorted(unknown)[0]}", "unknown key; allowed: parameter, value, start, stop"
            )
        for key in ("parameter", "value", "start"):
            if key not in item:
                raise InputError(f"{where}.{key}", "missing")
        path = str(item["parameter"])
        _walk_parameter(path, f"{where}.parameter")
        start = _date(f"{where}.start", item["start"])
        stop = _date(f"{where}.stop", item["stop"]) if item.get("stop") is not None else None
        if stop is not None and stop < start:
            raise InputError(f"{where}.stop", f"{stop} is before start {start}")
        out.append(ParameterChange(path, _number(f"{where}.value", item["value"]), start, stop))
    return tuple(out)


def _variable(name: str, field_name: str) -> Any:
    variable = tax_benefit_system().variables.get(name)
    if variable is None:
        raise InputError(field_name, f"{name!r} is not a variable of the rules model")
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
                    f"{field_name}.in", f"unknown value {value!r} of {name}; allowed: {', '.join(allowed)}"
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


def _takeup(field_name: str, scheme_id: str, start: str, raw: Any) -> Takeup | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping) or "rates" not in raw:
        raise InputError(field_name, "expected {rates: …, method: …, derivation: …}")
    method = str(raw.get("method", "assumption"))
    if method not in METHODS:
        raise InputError(f"{field_name}.method", f"one of {', '.join(METHODS)}")
    derivation = " ".join(str(raw.get("derivation", "")).split())
    if not derivation:
        raise InputError(f"{field_name}.derivation", "say how the rates were derived")
    return Takeup(
        scheme=scheme_id,
        rates=parse_rates(f"{field_name}.rates", raw["rates"]),
        method=method,
        derivation=derivation,
        source=raw.get("source"),
        valid_from=start,
    )


_SCHEME_KEYS = {
    "id", "name", "kind", "start", "stop", "shape", "costs", "percentage", "maximum", "minimum_costs",
    "amount", "brackets", "target", "takeup", "reference", "description",
}  # fmt: skip


def _new_scheme(i: int, raw: Any) -> NewScheme:
    where = f"new_schemes[{i}]"
    if not isinstance(raw, Mapping):
        raise InputError(where, "expected a mapping")
    unknown = set(raw) - _SCHEME_KEYS
    if unknown:
        raise InputError(
            f"{where}.{sorted(unknown)[0]}", f"unknown key; allowed: {', '.join(sorted(_SCHEME_KEYS))}"
        )
    for key in ("id", "name", "start", "shape"):
        if key not in raw:
            raise InputError(f"{where}.{key}", "missing")
    scheme_id = str(raw["id"])
    if not _ID.match(scheme_id):
        raise InputError(
            f"{where}.id", "lower-case letters, digits and _ (a variable name), e.g. procesinnovatie_mkb"
        )
    if scheme_id in tax_benefit_system().variables or scheme_id == REFORM_NODE:
        raise InputError(f"{where}.id", f"{scheme_id!r} is already a variable of the rules model")
    shape = str(raw["shape"])
    if shape not in SHAPES:
        raise InputError(f"{where}.shape", f"unknown shape {shape!r}; allowed: {', '.join(SHAPES)}")
    start = _date(f"{where}.start", raw["start"])
    stop = _date(f"{where}.stop", raw["stop"]) if raw.get("stop") is not None else None
    if stop is not None and stop < start:
        raise InputError(f"{where}.stop", f"{stop} is before start {start}")
    values: dict[str, Any] = {}
    if shape == "percentage_of_costs":
        for key in ("percentage",):
            if key not in raw:
                raise InputError(f"{where}.{key}", f"missing (needed by shape {shape})")
        values["costs"] = _costs(f"{where}.costs", raw.get("costs"))
        values["percentage"] = _number(f"{where}.percentage", raw["percentage"], 0, 1)
    elif shape == "fixed_amount":
        if "amount" not in raw:
            raise InputError(f"{where}.amount", f"missing (needed by shape {shape})")
        values["amount"] = _number(f"{where}.amount", raw["amount"], 0)
    else:
        values["costs"] = _costs(f"{where}.costs", raw.get("costs"))
        brackets = raw.get("brackets")
        if not isinstance(brackets, list) or not brackets:
            raise InputError(f"{where}.brackets", "expected a list of {threshold, rate}")
        parsed: list[tuple[float, float]] = []
        for j, bracket in enumerate(brackets):
            if not isinstance(bracket, Mapping) or {"threshold", "rate"} - set(bracket):
                raise InputError(f"{where}.brackets[{j}]", "expected {threshold: EUR, rate: fraction}")
            threshold = _number(f"{where}.brackets[{j}].threshold", bracket["threshold"], 0)
            rate = _number(f"{where}.brackets[{j}].rate", bracket["rate"], 0, 1)
            if parsed and threshold <= parsed[-1][0]:
                raise InputError(f"{where}.brackets[{j}].threshold", "thresholds must increase")
            parsed.append((threshold, rate))
        if parsed[0][0] != 0:
            raise InputError(f"{where}.brackets[0].threshold", "the first bracket starts at 0")
        values["brackets"] = tuple(parsed)
    if raw.get("maximum") is not None:
        values["maximum"] = _number(f"{where}.maximum", raw["maximum"], 0)
    if raw.get("minimum_costs") is not None:
        if shape == "fixed_amount" and "costs" not in raw:
            raise InputError(f"{where}.minimum_costs", "needs `costs` to compare with")
        if "costs" not in values:
            values["costs"] = _costs(f"{where}.costs", raw.get("costs"))
        values["minimum_costs"] = _number(f"{where}.minimum_costs", raw["minimum_costs"], 0)
    return NewScheme(
        id=scheme_id,
        name=str(raw["name"]),
        kind=str(raw.get("kind", "subsidie")),
        start=start,
        stop=stop,
        shape=shape,
        target=_target(f"{where}.target", raw.get("target")),
        takeup=_takeup(f"{where}.takeup", scheme_id, start, raw.get("takeup")),
        reference=str(raw.get("reference", "") or ""),
        description=" ".join(str(raw.get("description", "") or "").split()),
        **values,
    )


def parse_reform(data: Any, source: str = "") -> ReformSpec:
    """A reform mapping (the YAML file's content) → a validated ReformSpec; InputError names the field."""
    if not isinstance(data, Mapping):
        raise InputError("reform", "expected a mapping with name, parameter_changes and/or new_schemes")
    unknown = set(data) - {"name", "description", "parameter_changes", "new_schemes"}
    if unknown:
        raise InputError(
            sorted(unknown)[0], "unknown key; allowed: name, description, parameter_changes, new_schemes"
        )
    if not data.get("name"):
        raise InputError("name", "missing: give the reform a name")
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
        name=str(data["name"]),
        description=" ".join(str(data.get("description", "") or "").split()),
        source=source,
        parameter_changes=changes,
        new_schemes=schemes,
    )


def load_reform(path: Path) -> ReformSpec:
    """Read and validate a reform YAML file."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError("reform", f"cannot read {path}: {exc.__class__.__name__}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InputError("reform", f"{path} is not valid YAML: {str(exc).splitlines()[0]}") from None
    return parse_reform(data, source=str(path))


# ----------------------------------------------------------------------------------- the OpenFisca reform


def _dated(start: str, stop: str | None, value: float) -> dict[str, Any]:
    values: dict[str, Any] = {start: {"value": value}}
    if stop is not None:
        after = (periods.instant(stop).offset(1, "day")).date.isoformat()
        values[after] = {"value": None}
    return {"values": values}


def _scheme_parameters(scheme: NewScheme) -> dict[str, Any]:
    node: dict[str, Any] = {"description": f"{scheme.name} (reform)"}
    for key in ("percentage", "maximum", "minimum_costs", "amount"):
        value = getattr(scheme, key)
        if value is not None:
            node[key] = {"description": f"{scheme.name}: {key}", **_dated(scheme.start, scheme.stop, value)}
    if scheme.brackets:
        node["schaal"] = {
            "description": f"{scheme.name}: bracketed rates",
            "brackets": [
                {
                    "threshold": _dated(scheme.start, scheme.stop, threshold),
                    "rate": _dated(scheme.start, scheme.stop, rate),
                }
                for threshold, rate in scheme.brackets
            ],
        }
    return node


def _modifier(spec: ReformSpec) -> Any:
    def modify(parameters: ParameterNode) -> ParameterNode:
        for change in spec.parameter_changes:
            node: Any = parameters
            for part in change.parameter.split("."):
                node = node.children[part]
            stop = periods.instant(change.stop) if change.stop else None
            node.update(start=periods.instant(change.start), stop=stop, value=change.value)
        if spec.new_schemes:
            data: dict[str, Any] = {"description": f"Parameters of the new schemes of reform {spec.name!r}"}
            data.update({s.id: _scheme_parameters(s) for s in spec.new_schemes})
            parameters.add_child(REFORM_NODE, ParameterNode(REFORM_NODE, data=data))
        return parameters

    return modify


def _target_mask(onderneming: Any, period: Any, target: tuple[Condition, ...]) -> Any:
    mask = None
    for condition in target:
        values = onderneming(condition.variable, period)
        if condition.equals is not None:
            test = values if condition.equals else ~values
        elif condition.among:
            enum = values.possible_values
            codes = np.asarray(values)
            test = np.isin(codes, [enum[name].index for name in condition.among])
        else:
            test = np.ones(len(values), dtype=bool)
            if condition.minimum is not None:
                test = test & (values >= condition.minimum)
            if condition.maximum is not None:
                test = test & (values <= condition.maximum)
        mask = test if mask is None else mask & test
    return mask


def _scheme_variable(scheme: NewScheme) -> type[Variable]:
    """The new scheme's amount as an OpenFisca variable: dated formula, parameters from the reform node."""

    def formula(onderneming: Any, period: Any, parameters: Any) -> Any:
        p = getattr(parameters(period).hervorming, scheme.id)
        count = onderneming.count
        costs = np.zeros(count, dtype=np.float64)
        for name in scheme.costs:
            costs = costs + onderneming(name, period)
        if scheme.shape == "fixed_amount":
            amount = np.full(count, p.amount, dtype=np.float64)
        elif scheme.shape == "percentage_of_costs":
            amount = costs * p.percentage
        else:
            amount = p.schaal.calc(costs)
        if scheme.maximum is not None:
            amount = np.minimum(amount, p.maximum)
        if scheme.minimum_costs is not None:
            amount = np.where(costs >= p.minimum_costs, amount, 0)
        mask = _target_mask(onderneming, period, scheme.target)
        return amount if mask is None else np.where(mask, amount, 0)

    formula.__doc__ = f"Reform scheme {scheme.name}: {scheme.formula_text()}."
    attributes: dict[str, Any] = {
        "value_type": float,
        "entity": Onderneming,
        "definition_period": YEAR,
        "label": f"{scheme.name} (reform scheme)",
        "unit": "currency-EUR",
        "reference": scheme.reference or "reform file",
        "documentation": scheme.formula_text(),
        f"formula_{scheme.start.replace('-', '_')}": formula,
    }
    if scheme.stop is not None:
        attributes["end"] = scheme.stop
    return type(scheme.id, (Variable,), attributes)


@cache
def _reform_system(key: str, spec: ReformSpec) -> Any:
    del key  # the cache key: equal reforms share one system

    class YamlReform(Reform):
        name = spec.name

        def apply(self) -> None:
            self.modify_parameters(modifier_function=_modifier(spec))
            for scheme in spec.new_schemes:
                self.add_variable(_scheme_variable(scheme))

    return YamlReform(tax_benefit_system())


def reform_system(spec: ReformSpec) -> Any:
    """The reformed tax-benefit system (built once per process for equal reforms)."""
    return _reform_system(spec.key(), spec)


def parameter_value(system: Any, path: str, year: int) -> Any:
    """A parameter's value on 1 January of `year` (None where the parameter has no value)."""
    node: Any = system.parameters
    for part in path.split("."):
        node = node.children[part]
    try:
        return node(f"{year}-01-01")
    except Exception:
        return None


def describe_changes(spec: ReformSpec, year: int) -> list[dict[str, Any]]:
    """Each parameter change with its baseline and reform value in `year`, for every output."""
    reformed = reform_system(spec)
    out: list[dict[str, Any]] = []
    for change in spec.parameter_changes:
        out.append(
            {
                "parameter": change.parameter,
                "start": change.start,
                "stop": change.stop,
                "baseline_value": parameter_value(tax_benefit_system(), change.parameter, year),
                "reform_value": parameter_value(reformed, change.parameter, year),
                # OpenFisca reads a year's parameters on 1 January of that year.
                "in_force": change.start <= f"{year}-01-01"
                and (change.stop is None or change.stop >= f"{year}-01-01"),
            }
        )
    return out
