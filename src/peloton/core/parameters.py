"""The one parameter accessor: a dotted path -> the parameter, its dated values, unit, label,
references and confidence, in the law as it stands or under a reform.

Every capability reads parameters through here (explanations, reform validation, the simulator's
reform table, the API's parameter history), so a path is walked one way and a value's sources are
read one way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from peloton.core.sources import is_official, official_first
from peloton.core.units import format_value
from peloton.model import tax_benefit_system
from peloton.model.paths import ParameterPathError, normalise_parameter_name, walk

__all__ = [
    "ParameterPathError",
    "ParameterUse",
    "find_parameter",
    "gap_values",
    "missing_parameter_name",
    "normalise_parameter_name",
    "parameter_history",
    "parameter_node",
    "parameter_use",
    "parameter_value",
    "source_counts",
    "uncertain_values",
]


@dataclass(frozen=True)
class ParameterUse:
    """One parameter's value in force at an instant, with what the explanation says about it."""

    name: str
    label: str
    value: Any
    unit: str
    valid_from: str
    confidence: str
    references: tuple[str, ...]
    note: str
    set_by_reform: bool = False

    @property
    def official(self) -> bool:
        """The value rests on an official source (its first reference, official ones being first)."""
        return bool(self.references) and is_official(self.references[0])

    def describe(self) -> str:
        kind = "official source" if self.official else "secondary source"
        refs = f"; {kind} {self.references[0]}" if self.references else ""
        conf = f"; {self.confidence}" if self.confidence else ""
        source = "; set by the reform" if self.set_by_reform else ""
        return (
            f"{self.label} ({self.name}) = {format_value(self.value, self.unit)}, "
            f"valid from {self.valid_from}{conf}{source}{refs}"
        )


def parameter_node(path: str, system: Any = None) -> Any:
    """The node or parameter at a dotted path; ParameterPathError says where the walk stopped."""
    return walk((system or tax_benefit_system()).parameters, path)


def nodes_below(roots: Iterable[Any]) -> Iterator[Any]:
    """Every parameter (a node without children) under the given parameter nodes, depth first: the
    one walk behind source counts, values in force, uncertain values and candidate thresholds."""
    stack = list(roots)
    while stack:
        node = stack.pop()
        children = getattr(node, "children", None)
        if children is not None:
            stack.extend(children.values())
        else:
            yield node


def is_leaf(node: Any) -> bool:
    """True for one parameter (dated values), False for a group of parameters."""
    return getattr(node, "children", None) is None and hasattr(node, "values_list")


def find_parameter(name: str, system: Any = None) -> Any:
    """The parameter for a name as OpenFisca reports it: a full dotted path, `node[child]`, or,
    from some error paths, only the last part of the name."""
    name = normalise_parameter_name(name)
    try:
        return parameter_node(name, system)
    except ParameterPathError:
        pass
    matches = []
    stack = [(system or tax_benefit_system()).parameters]
    while stack:
        current = stack.pop()
        children = getattr(current, "children", None)
        if children is None:
            if current.name == name or current.name.endswith("." + name):
                matches.append(current)
            continue
        stack.extend(children.values())
    if len(matches) != 1:
        raise ParameterPathError(name, f"no single parameter named {name!r}")
    return matches[0]


def _in_force(parameter: Any, instant: str) -> Any:
    for at_instant in getattr(parameter, "values_list", []):
        if at_instant.instant_str <= instant:
            return at_instant
    return None


def _references(raw: Any) -> tuple[str, ...]:
    refs = raw or []
    if isinstance(refs, str):
        refs = [r.strip() for r in refs.split(";")]
    return tuple(str(r) for r in refs)


def parameter_use(name: str, instant: str, value: Any = None, system: Any = None) -> ParameterUse:
    """Label, validity date, confidence and references of the value in force at `instant`.

    Under a reform (`system` a reformed system), a value the reform changed carries no legal
    reference and says so; labels and units come from the law's parameter.
    """
    parameter = find_parameter(name, system)
    try:
        baseline = find_parameter(name) if system is not None else parameter
    except ParameterPathError:  # a reform's own parameter (a new scheme's rate): none in the law
        baseline = None
    metadata = dict(getattr(baseline if baseline is not None else parameter, "metadata", {}) or {})
    in_force = _in_force(parameter, instant)
    law_in_force = _in_force(baseline, instant) if baseline is not None else None
    set_by_reform = system is not None and (
        baseline is None
        or (in_force is None) != (law_in_force is None)
        or (in_force is not None and law_in_force is not None and in_force.value != law_in_force.value)
    )
    value_meta: dict[str, Any] = dict(in_force.metadata) if in_force is not None else {}
    refs = (
        ()
        if set_by_reform
        else official_first(_references(value_meta.get("reference") or metadata.get("reference")))
    )
    return ParameterUse(
        name=parameter.name,
        label=str(metadata.get("label") or getattr(parameter, "description", "") or parameter.name),
        value=value if value is not None else (in_force.value if in_force is not None else None),
        unit=str(metadata.get("unit", "")),
        valid_from=in_force.instant_str if in_force is not None else "never",
        confidence="" if set_by_reform else str(value_meta.get("confidence", "")),
        references=refs,
        note=str(value_meta.get("note", "")),
        set_by_reform=set_by_reform,
    )


def parameter_value(system: Any, path: str, year: int) -> Any:
    """A parameter's value on 1 January of `year` (None where the parameter has no value then)."""
    try:
        node = parameter_node(path, system)
        return node(f"{year}-01-01")
    except Exception:
        return None


def parameter_history(path: str, system: Any = None) -> list[dict[str, Any]]:
    """Every dated value of one parameter, oldest first, each with its own references and confidence
    (what OpenFisca's web API drops)."""
    node = parameter_node(path, system)
    if not is_leaf(node):
        raise ParameterPathError(path, f"{path!r} is a group of parameters, not one parameter")
    metadata = dict(getattr(node, "metadata", {}) or {})
    out = []
    for at_instant in reversed(node.values_list):
        meta = dict(at_instant.metadata or {})
        out.append(
            {
                "from": at_instant.instant_str,
                "value": at_instant.value,
                "confidence": str(meta.get("confidence", "")),
                "references": list(_references(meta.get("reference") or metadata.get("reference"))),
                "note": str(meta.get("note", "")),
            }
        )
    return out


def missing_parameter_name(exc: Any) -> str:
    """The full dotted name of the parameter a ParameterNotFoundError is about: under tracing
    OpenFisca keeps only the last part in `name`, while the message still quotes the whole path."""
    match = re.search(r"The parameter '([^']+)'", str(exc))
    return normalise_parameter_name(match.group(1) if match else str(exc.name))


def source_counts(nodes: Iterable[str], system: Any = None) -> dict[str, int]:
    """How many dated values of the parameters under `nodes` rest on an official source, how many on
    secondary sources only, and how many are gaps (what `peloton schemes --json` reports per scheme)."""
    counts = {"official": 0, "secondary_only": 0, "gaps": 0}
    for node in nodes_below(parameter_node(n, system) for n in nodes):
        node_refs = _references((getattr(node, "metadata", {}) or {}).get("reference"))
        for at_instant in getattr(node, "values_list", []):
            if at_instant.value is None:
                counts["gaps"] += 1
                continue
            refs = _references((at_instant.metadata or {}).get("reference")) or node_refs
            counts["official" if any(is_official(r) for r in refs) else "secondary_only"] += 1
    return counts


def _in_force_under(nodes: Iterable[str], year: int, system: Any) -> Iterator[tuple[Any, Any]]:
    """Each parameter under `nodes` with the dated value in force on 1 January of `year` (None when
    the parameter has no value yet): the one walk behind uncertain_values and gap_values."""
    instant = f"{year}-01-01"
    for node in nodes_below(parameter_node(n, system) for n in nodes):
        yield node, _in_force(node, instant)


def uncertain_values(nodes: Iterable[str], year: int, system: Any = None) -> list[dict[str, Any]]:
    """The values in force on 1 January of `year`, under `nodes`, that the pack marks uncertain
    (disputed or inferred): what a population result for that year says it rests on."""
    out = []
    for node, in_force in _in_force_under(nodes, year, system):
        if in_force is None or in_force.value is None:
            continue
        meta = dict(in_force.metadata or {})
        if meta.get("confidence") == "uncertain":
            out.append(
                {
                    "parameter": node.name,
                    "value": in_force.value,
                    "valid_from": in_force.instant_str,
                    "note": str(meta.get("note", "")),
                }
            )
    return sorted(out, key=lambda u: u["parameter"])


def gap_values(nodes: Iterable[str], year: int, system: Any = None) -> list[dict[str, str]]:
    """The parameters under `nodes` whose value on 1 January of `year` is a GAP (null), each with the
    note saying why: what a refused year names. A parameter not yet in force (one that starts with the
    dated formula reading it) is no gap."""
    out = []
    for node, in_force in _in_force_under(nodes, year, system):
        if in_force is None or in_force.value is not None:
            continue
        note = str((in_force.metadata or {}).get("note", ""))
        out.append({"parameter": node.name, "note": " ".join(note.split())})
    return sorted(out, key=lambda g: g["parameter"])
