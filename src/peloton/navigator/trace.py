"""Plain-language reading of OpenFisca's computation trace: labels, values, parameters, sources.

Every explanation the navigator prints is produced here from the trace of the computation that
gave the amount, so it cannot drift from the formula.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from peloton.core.parameters import ParameterUse, parameter_use
from peloton.core.units import format_value
from peloton.model import tax_benefit_system

__all__ = ["TraceReader", "TracedVariable", "format_value", "scalar"]


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

    def __init__(self, tracer: Any, year: int, system: Any = None) -> None:
        self._system = system if system is not None else tax_benefit_system()
        self._under_reform = system is not None and system is not tax_benefit_system()
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
        variable = self._system.variables[node.name]
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
                params.append(
                    parameter_use(p.name, self._instant, value, self._system if self._under_reform else None)
                )
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
