"""A validated ReformSpec -> an OpenFisca reform of the rules model.

Parameter changes go through `Reform.modify_parameters` on a copy of the law's parameters; a new
scheme becomes one OpenFisca variable (`Reform.add_variable`) whose formula is one of a few shapes
and whose parameters, take-up included, live in the reform's own node `hervorming.<scheme id>`. No
rule of an existing scheme is written here: the reformed system computes everything as the law does.
The navigator (`peloton check --reform`), the simulator and `openfisca test` (tests/reforms/) all
build their reform here.
"""

from __future__ import annotations

from functools import lru_cache
from types import MethodType
from typing import Any

import numpy as np
from openfisca_core import periods
from openfisca_core.parameters import ParameterNode
from openfisca_core.periods import YEAR
from openfisca_core.reforms import Reform
from openfisca_core.taxbenefitsystems import TaxBenefitSystem

from peloton.model.entities import Onderneming
from peloton.model.paths import walk
from peloton.model.reforms.spec import REFORM_NODE, SIZE_CLASSES, Condition, NewScheme, ReformSpec
from peloton.model.system import tax_benefit_system
from peloton.model.variable import Variable

TAKEUP_NODE = "takeup"


def _dated(
    start: str, stop: str | None, value: float, metadata: dict[str, Any] | None = None
) -> dict[str, Any]:
    entry: dict[str, Any] = {"value": value}
    if metadata:
        entry["metadata"] = metadata
    values: dict[str, Any] = {start: entry}
    if stop is not None:
        after = (periods.instant(stop).offset(1, "day")).date.isoformat()
        values[after] = {"value": None}
    return {"values": values}


def _takeup_node(scheme: NewScheme, default: Any) -> dict[str, Any]:
    """The new scheme's take-up: its own rates, or the law's default for a scheme without data."""
    node: dict[str, Any] = {"description": f"Take-up of {scheme.name} (reform)"}
    for i, size_class in enumerate(SIZE_CLASSES):
        if scheme.takeup is not None:
            rate = scheme.takeup.rates[i]
            meta: dict[str, Any] = {"method": scheme.takeup.method, "derivation": scheme.takeup.derivation}
            if scheme.takeup.source:
                meta["source"] = scheme.takeup.source
        else:
            parameter = default.children[size_class]
            in_force = next(v for v in parameter.values_list if v.instant_str <= scheme.start)
            rate = float(in_force.value)
            meta = {
                k: v for k, v in (in_force.metadata or {}).items() if k in ("method", "derivation", "source")
            }
        node[size_class] = {
            "description": f"Take-up of {scheme.name}: {size_class}",
            "metadata": {"unit": "/1"},
            **_dated(scheme.start, scheme.stop, rate, meta),
        }
    return node


def _scheme_parameters(scheme: NewScheme, default_takeup: Any) -> dict[str, Any]:
    node: dict[str, Any] = {"description": f"{scheme.name} (reform)"}
    units = {
        "percentage": "/1",
        "maximum": "currency-EUR",
        "minimum_costs": "currency-EUR",
        "amount": "currency-EUR",
    }
    for key, unit in units.items():
        value = getattr(scheme, key)
        if value is not None:
            node[key] = {
                "description": f"{scheme.name}: {key}",
                "metadata": {"unit": unit, "label": f"{scheme.name}: {key.replace('_', ' ')} (reform)"},
                **_dated(scheme.start, scheme.stop, value),
            }
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
    node[TAKEUP_NODE] = _takeup_node(scheme, default_takeup)
    return node


def _modifier(spec: ReformSpec) -> Any:
    def modify(parameters: ParameterNode) -> ParameterNode:
        for change in spec.parameter_changes:
            node = walk(parameters, change.parameter)
            stop = periods.instant(change.stop) if change.stop else None
            node.update(start=periods.instant(change.start), stop=stop, value=change.value)
        if spec.new_schemes:
            default_takeup = walk(parameters, f"{TAKEUP_NODE}.default")
            data: dict[str, Any] = {"description": f"Parameters of the new schemes of reform {spec.name!r}"}
            data.update({s.id: _scheme_parameters(s, default_takeup) for s in spec.new_schemes})
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


def reform_class(spec: ReformSpec) -> type[Reform]:
    """The reform as an OpenFisca Reform class (what `openfisca test` and `apply_reform` take)."""

    class YamlReform(Reform):
        name = spec.name

        def apply(self) -> None:
            self.modify_parameters(modifier_function=_modifier(spec))
            for scheme in spec.new_schemes:
                self.add_variable(_scheme_variable(scheme))

    YamlReform.__doc__ = f"Reform {spec.name!r}" + (f": {spec.description}" if spec.description else "")
    return YamlReform


# Reformed systems kept per process (each holds its own parameter tree and variables). Bounded: each
# distinct reform a client posts (POST /check with a `reform`) builds one, and an unbounded cache kept
# them all (a leak tests/reliability/test_memory.py found); a user's edits reuse the recent ones.
REFORM_SYSTEMS_KEPT = 32


PARAMETER_INSTANTS_KEPT = 32  # the parameters at an instant, per reformed system (a few per year)


def _own_parameter_cache(system: Any) -> Any:
    """Give a reformed system its own memo of the parameters at an instant. OpenFisca-core memoises
    `get_parameters_at_instant` in one lru_cache on the class, keyed by (system, instant): it kept up
    to 128 systems alive, each with its parameter trees, whatever peloton's own cache let go (found
    by benchmarks/reliability.py's memory check). On the instance, the memo goes with the system."""
    compute = TaxBenefitSystem.get_parameters_at_instant.__wrapped__
    system.get_parameters_at_instant = lru_cache(maxsize=PARAMETER_INSTANTS_KEPT)(MethodType(compute, system))
    return system


@lru_cache(maxsize=REFORM_SYSTEMS_KEPT)
def _reform_system(key: str, spec: ReformSpec) -> Any:
    del key  # the cache key: equal reforms share one system
    return _own_parameter_cache(reform_class(spec)(tax_benefit_system()))


def reform_system(spec: ReformSpec) -> Any:
    """The reformed tax-benefit system (built once per process for equal reforms)."""
    return _reform_system(spec.key(), spec)
