"""Take-up read from the rules model's parameters (`takeup.<scheme>`, or a reform's new scheme's
`hervorming.<id>.takeup`): the share of eligible firms that apply, by EU size class, with its method.

Take-up is behaviour, not law, but it is kept as dated parameters with a source and method per value,
so a reform can change it, a result can cite it, and the law and a reform read it the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from peloton.core.parameters import ParameterPathError, parameter_node
from peloton.model import tax_benefit_system
from peloton.model.enums import MkbGrootteklasse

SIZE_CLASSES: tuple[str, ...] = tuple(item.name for item in MkbGrootteklasse)
TAKEUP_NODE = "takeup"
DEFAULT = "default"  # the node for a scheme without take-up data of its own
REFORM_NODE = "hervorming"


@dataclass(frozen=True)
class Takeup:
    """Take-up rates of one scheme for one year, with how they were derived."""

    scheme: str
    rates: tuple[float, ...]  # by MkbGrootteklasse index: micro, klein, middelgroot, groot
    method: str
    derivation: str
    source: str | None
    valid_from: str
    parameter: str  # the parameter node the rates were read from
    is_default: bool = False

    @property
    def upper_bound(self) -> bool:
        """Every eligible firm taken to apply by assumption: cost and reach are upper bounds."""
        return self.method == "assumption" and all(rate >= 1.0 for rate in self.rates)

    def by_class(self) -> dict[str, float]:
        return dict(zip(SIZE_CLASSES, self.rates, strict=True))

    def as_dict(self) -> dict[str, Any]:
        return {
            "scheme": self.scheme,
            "rates": self.by_class(),
            "method": self.method,
            "source": self.source,
            "derivation": self.derivation,
            "valid_from": self.valid_from,
            "parameter": self.parameter,
            "default": self.is_default,
            "upper_bound": self.upper_bound,
        }


def _node(system: Any, scheme: str) -> tuple[Any, str, bool]:
    for path, is_default in (
        (f"{TAKEUP_NODE}.{scheme}", False),
        (f"{REFORM_NODE}.{scheme}.{TAKEUP_NODE}", False),
        (f"{TAKEUP_NODE}.{DEFAULT}", True),
    ):
        try:
            return parameter_node(path, system), path, is_default
        except ParameterPathError:
            continue
    raise ParameterPathError(f"{TAKEUP_NODE}.{DEFAULT}", "the rules model has no default take-up")


def takeup_for(scheme: str, year: int, system: Any = None) -> Takeup:
    """The scheme's take-up in `year` under `system` (default: the law), from its parameters."""
    system = system if system is not None else tax_benefit_system()
    node, path, is_default = _node(system, scheme)
    instant = f"{year}-01-01"
    rates = []
    meta: dict[str, Any] = {}
    valid_from = ""
    for size_class in SIZE_CLASSES:
        parameter = node.children[size_class]
        # the value in force on 1 January; for a scheme not running yet (or any more), the nearest
        # value it has: the scheme gives no amount that year, and the result still shows its rates
        dated = [v for v in parameter.values_list if v.value is not None]
        in_force = next((v for v in dated if v.instant_str <= instant), dated[-1] if dated else None)
        if in_force is None:
            raise ParameterPathError(path, f"{path}.{size_class} has no take-up value")
        rates.append(float(in_force.value))
        if not meta:
            meta = dict(in_force.metadata or {})
            valid_from = in_force.instant_str
    method = str(meta.get("method", "reform"))
    if system is not tax_benefit_system() and not path.startswith(REFORM_NODE):
        law = takeup_for(scheme, year)
        if law.rates != tuple(rates):  # a reform changed the rates: they are the reform's, not sourced
            method = "reform"
    return Takeup(
        scheme=scheme,
        rates=tuple(rates),
        method=method,
        derivation=" ".join(str(meta.get("derivation", "")).split()),
        source=meta.get("source"),
        valid_from=valid_from,
        parameter=path,
        is_default=is_default,
    )
