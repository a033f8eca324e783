"""Plain-language reading of OpenFisca's computation trace: labels, values, parameters, sources.

Every explanation the navigator prints is produced here from the trace of the computation that
gave the amount, so it cannot drift from the formula.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from peloton.model import tax_benefit_system


@dataclass(frozen=True)
class ParameterUse:
    name: str
    label: str
    value: Any
    unit: str
    valid_from: str
    confidence: str
    references: tuple[str, ...]
    note: str

    def describe(self) -> str:
        refs = f"; {self.references[0]}" if self.references else ""
        conf = f"; {self.confidence}" if self.confidence else ""
        return (
            f"{self.label} ({self.name}) = {format_value(self.value, self.unit)}, "
            f"valid from {self.valid_from}{conf}{refs}"
        )


def parameter_use(name: str, instant: str, value: Any = None) -> ParameterUse:
    """Label, validity date, confidence and references of the parameter value in force at `instant`."""
    parameter = find_parameter(name)
    name = parameter.name
    metadata = dict(getattr(parameter, "metadata", {}) or {})
    in_force = None
    for at_instant in getattr(parameter, "values_list", []):
        if at_instant.instant_str <= instant:
            in_force = at_instant
            break
    value_meta: dict[str, Any] = dict(in_force.metadata) if in_force is not None else {}
    refs = value_meta.get("reference") or metadata.get("reference") or []
    if isinstance(refs, str):
        refs = [r.strip() for r in refs.split(";")]
    return ParameterUse(
        name=name,
        label=str(metadata.get("label") or getattr(parameter, "description", "") or name),
        value=value if value is not None else (in_force.value if in_force is not None else None),
        unit=str(metadata.get("unit", "")),
        valid_from=in_force.instant_str if in_force is not None else "never",
        confidence=str(value_meta.get("confidence", "")),
        references=tuple(str(r) for r in refs),
        note=str(value_meta.get("note", "")),
    )


def missing_parameter_name(exc: Any) -> str:
    """The full dotted name of the parameter a ParameterNotFoundError is about: under tracing
    OpenFisca keeps only the last part in `name`, while the message still quotes the whole path."""
    match = re.search(r"The parameter '([^']+)'", str(exc))
    return normalise_parameter_name(match.group(1) if match else str(exc.name))


def normalise_parameter_name(name: str) -> str:
    """OpenFisca names a missing child `node[child]`; the parameter tree uses dots."""
    return name.replace("[", ".").replace("]", "")


def find_parameter(name: str) -> Any:
    """The parameter for a name as OpenFisca reports it: a full dotted path, `node[child]`, or,
    from some error paths, only the last part of the name."""
    name = normalise_parameter_name(name)
    node: Any = tax_benefit_system().parameters
    try:
        for part in name.split("."):
            node = node.children[part]
        return node
    except (KeyError, AttributeError):
        pass
    matches = []
    stack = [tax_benefit_system().parameters]
    while stack:
        current = stack.pop()
        children = getattr(current, "children", None)
        if children is None:
            if current.name == name or current.name.endswith("." + name):
                matches.append(current)
            continue
        stack.extend(children.values())
    if len(matches) != 1:
        raise KeyError(f"no single parameter named {name!r}")
    return matches[0]


def format_value(value: Any, unit: str = "") -> str:
    """Euros with thousands separators, fractions as percentages, hours with 'h'."""
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, int | float | np.integer | np.floating):
        number = float(value)
        if unit == "currency-EUR":
            return f"EUR {number:,.0f}" if abs(number - round(number)) < 0.005 else f"EUR {number:,.2f}"
        if unit == "/1":
            return f"{number * 100:.4g}%"
        if unit == "hour":
            return f"{number:,.0f} h"
        if unit in ("year", "AWU"):
            return f"{number:g} {'years' if unit == 'year' else 'FTE'}"
        return f"{number:,.6g}"
    return str(value)


def scalar(array: Any, index: int) -> Any:
    """The value for one firm from an array the engine returned (never written into)."""
    if hasattr(array, "decode_to_str"):
        return str(array.decode_to_str()[index])
    item = np.asarray(array)[index]
    return item.item() if hasattr(item, "item") else item


@dataclass
class TracedVariable:
    """One computed or input variable for one firm, with the parameters its formula read."""

    name: str
    label: str
    value: Any
    unit: str
    is_input: bool
    parameters: list[ParameterUse]
    children: list[TracedVariable]

    def describe(self) -> str:
        kind = " [input]" if self.is_input else ""
        return f"{self.label} ({self.name}) = {format_value(self.value, self.unit)}{kind}"

    def walk(self) -> Iterator[TracedVariable]:
        yield self
        for child in self.children:
            yield from child.walk()

    def lines(self, depth: int = 0) -> list[str]:
        pad = "  " * depth
        out = [pad + self.describe()]
        out.extend(f"{pad}  uses {p.describe()}" for p in self.parameters)
        for child in self.children:
            out.extend(child.lines(depth + 1))
        return out


class TraceReader:
    """Turns the tracer's trees into TracedVariable trees for one firm.

    A variable computed once is traced once; later reads hit the cache and come without children,
    so the first full node of each variable is kept and reused.
    """

    def __init__(self, tracer: Any, year: int) -> None:
        self._full: dict[str, Any] = {}
        self._instant = f"{year}-01-01"
        for root in tracer.trees:
            self._index(root)

    def _index(self, node: Any) -> None:
        if node.name not in self._full or (
            (node.children or node.parameters)
            and not (self._full[node.name].children or self._full[node.name].parameters)
        ):
            self._full[node.name] = node
        for child in node.children:
            self._index(child)

    def traced(self, name: str, index: int) -> TracedVariable | None:
        if name not in self._full:
            return None
        return self._build(self._full[name], index, seen=set())

    def _build(self, node: Any, index: int, seen: set[str]) -> TracedVariable:
        variable = tax_benefit_system().variables[node.name]
        full = self._full.get(node.name, node)
        children: list[TracedVariable] = []
        params: list[ParameterUse] = []
        if node.name not in seen:
            seen = seen | {node.name}
            names_done: set[str] = set()
            for child in full.children:
                if child.name in names_done:
                    continue
                names_done.add(child.name)
                children.append(self._build(child, index, seen))
            done: set[str] = set()
            for p in full.parameters:
                if p.name in done:
                    continue
                done.add(p.name)
                raw = p.value
                value = scalar(raw, index) if isinstance(raw, np.ndarray) else raw
                params.append(parameter_use(p.name, self._instant, value))
        value = scalar(full.value, index) if full.value is not None else None
        return TracedVariable(
            name=node.name,
            label=str(variable.label or node.name),
            value=value,
            unit=str(getattr(variable, "unit", "") or ""),
            is_input=not variable.formulas,
            parameters=params,
            children=children,
        )
