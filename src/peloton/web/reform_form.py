"""The simulator form as a reform: a pasted YAML reform, or one parameter change, and optionally a new
scheme of one of the three shapes the reform schema supports (fields `ns_…`: name, shape, the cost
base, percentage, maximum, amount or two brackets, target, take-up, start), plus a sweep of the
chosen parameter. What a person types is read here (Dutch or English numbers, percentages as
percentages); whether a value is allowed is decided by the reform schema (`parse_reform`, behind the
API's validation), whose errors come back as JSON pointers and are mapped to the field they name."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from openfisca_core.periods import YEAR

from peloton.api.problems import Problem
from peloton.core.inputs import BOOL, ENUM, input_specs
from peloton.model import tax_benefit_system
from peloton.model.reforms.spec import SHAPES, SIZE_CLASSES
from peloton.web import i18n
from peloton.web.answers import FieldError, human_number, label_of
from peloton.yaml_input import UserYamlError, load_user_yaml

NEW = "ns_"  # the new scheme's fields
PERCENT_FIELDS = ("percentage", "rate_1", "rate_2", *(f"takeup_{c}" for c in SIZE_CLASSES))
EURO_FIELDS = ("maximum", "amount", "threshold_2")
SWEEP_FIELDS = ("sweep_start", "sweep_stop", "sweep_step")
# A pointer into the request's reform -> the form field that holds it (new scheme fields by suffix).
_SCHEME_POINTER = re.compile(r"^/reform/new_schemes/0/(?P<rest>.*)$")
_POINTER_FIELDS = {
    "id": "ns_id",
    "name": "ns_name",
    "shape": "ns_shape",
    "start": "ns_start",
    "costs": "ns_costs",
    "percentage": "ns_percentage",
    "maximum": "ns_maximum",
    "amount": "ns_amount",
    "brackets/0/rate": "ns_rate_1",
    "brackets/0/threshold": "ns_rate_1",
    "brackets/1/threshold": "ns_threshold_2",
    "brackets/1/rate": "ns_rate_2",
    "takeup/derivation": "ns_takeup_derivation",
    "takeup/method": "ns_takeup_derivation",
}


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


def cost_bases(lang: str) -> list[Choice]:
    """The amounts a firm states that a new scheme's percentage can apply to (the navigator's inputs in
    euros, with their question as label)."""
    return [Choice(s.name, label_of(s, lang)) for s in input_specs().values() if s.display_unit == "EUR"]


def innovation_kinds() -> tuple[str, ...]:
    spec = input_specs()["innovatie_soort"]
    return tuple(i for i in spec.items if spec.kind == ENUM and i != "geen")


def yes_no_variables() -> list[Choice]:
    """Every yearly yes/no variable of the firm, which a new scheme's target may test."""
    system = tax_benefit_system()
    questions = {s.name: s for s in input_specs().values() if s.kind == BOOL}
    out = [
        Choice(name, variable.label or name)
        for name, variable in system.variables.items()
        if variable.value_type is bool and variable.entity.key == "onderneming"
        and variable.definition_period == YEAR
    ]  # fmt: skip
    return sorted(out, key=lambda c: (c.value not in questions, c.value))


def field_label(lang: str, field: str) -> str:
    key = field.removeprefix(NEW)
    if key.startswith("takeup_") and key != "takeup_derivation":
        return f"{i18n.text(lang, 'ns_takeup')} {key.removeprefix('takeup_')}"
    return i18n.text(lang, f"ns_{key}" if field.startswith(NEW) else f"sim_{key}")


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    slug = slug if slug[:1].isalpha() else f"regeling_{slug}"
    return f"nieuw_{slug}"[:60].rstrip("_")


def _number(values: dict[str, str], field: str, lang: str, errors: list[FieldError]) -> float | None:
    raw = values.get(field, "").strip()
    if not raw:
        return None
    number = human_number(raw.removesuffix("%"), lang)
    label = field_label(lang, field)
    if number is None:
        errors.append(FieldError(field, field, i18n.text(lang, "error_not_number", label=label)))
        return None
    if field.removeprefix(NEW) in PERCENT_FIELDS:
        if not 0 <= number <= 100:
            errors.append(FieldError(field, field, i18n.text(lang, "error_percent", label=label)))
            return None
        return round(number / 100, 10)
    return number


def _required(field: str, lang: str, errors: list[FieldError]) -> None:
    label = field_label(lang, field)
    errors.append(FieldError(field, field, i18n.text(lang, "error_required", label=label)))


def new_scheme(values: dict[str, str], lang: str) -> tuple[dict[str, Any] | None, list[FieldError]]:
    """The new scheme the `ns_` fields describe (the reform schema's mapping), or None when its name is
    empty; the fields a shape needs are required, numbers are read as the person types them."""
    name = values.get(f"{NEW}name", "").strip()
    if not name:
        return None, []
    errors: list[FieldError] = []
    shape = values.get(f"{NEW}shape", "")
    if shape not in SHAPES:
        _required(f"{NEW}shape", lang, errors)
        return None, errors
    scheme: dict[str, Any] = {
        "id": values.get(f"{NEW}id", "").strip() or _slug(name),
        "name": name[:200],
        "kind": "subsidie",
        "shape": shape,
        "start": values.get(f"{NEW}start", "").strip() or f"{values.get('year', '')}-01-01",
    }
    numbers = {f: _number(values, f"{NEW}{f}", lang, errors) for f in (*PERCENT_FIELDS, *EURO_FIELDS)}
    needed = {
        "percentage_of_costs": ("percentage",),
        "fixed_amount": ("amount",),
        "bracketed_percentage": ("rate_1", "threshold_2", "rate_2"),
    }[shape]
    for f in needed:
        if numbers[f] is None and not any(e.field_id == f"{NEW}{f}" for e in errors):
            _required(f"{NEW}{f}", lang, errors)
    if shape != "fixed_amount":
        scheme["costs"] = [values.get(f"{NEW}costs", "")]
    if shape == "percentage_of_costs":
        scheme["percentage"] = numbers["percentage"]
    elif shape == "fixed_amount":
        scheme["amount"] = numbers["amount"]
    else:
        scheme["brackets"] = [
            {"threshold": 0, "rate": numbers["rate_1"]},
            {"threshold": numbers["threshold_2"], "rate": numbers["rate_2"]},
        ]
    if numbers["maximum"] is not None and shape != "fixed_amount":
        scheme["maximum"] = numbers["maximum"]
    target: dict[str, Any] = {}
    if values.get(f"{NEW}sme_only") == "true":
        target["sme_only"] = True
    kinds = [k for k in innovation_kinds() if values.get(f"{NEW}kind_{k}") == "true"]
    if kinds:
        target["innovation_kinds"] = kinds
    condition = values.get(f"{NEW}condition", "")
    if condition:
        target["conditions"] = [
            {"variable": condition, "equals": values.get(f"{NEW}condition_value") == "true"}
        ]
    if target:
        scheme["target"] = target
    rates = {c: numbers[f"takeup_{c}"] for c in SIZE_CLASSES}
    if any(r is not None for r in rates.values()):
        for c, rate in rates.items():
            if rate is None and not any(e.field_id == f"{NEW}takeup_{c}" for e in errors):
                _required(f"{NEW}takeup_{c}", lang, errors)
        derivation = values.get(f"{NEW}takeup_derivation", "").strip()
        if not derivation:
            _required(f"{NEW}takeup_derivation", lang, errors)
        scheme["takeup"] = {"rates": rates, "method": "assumption", "derivation": derivation[:2000]}
    return (None if errors else scheme), errors


def reform_of(
    values: dict[str, str], lang: str, sweep: bool
) -> tuple[dict[str, Any] | None, list[FieldError]]:
    """The reform the form describes: a pasted YAML reform; else one parameter change from 1 January
    (not for a sweep, which varies that parameter itself) and/or a new scheme."""
    text = values.get("reform_yaml", "").strip()
    if text:
        try:
            data = load_user_yaml(text)
        except UserYamlError as exc:
            first = str(exc).splitlines()[0][:200]
            return None, [FieldError("reform_yaml", "reform_yaml", f"{i18n.text(lang, 'sim_yaml')}: {first}")]
        return (data if isinstance(data, dict) else {"name": data}), []
    errors: list[FieldError] = []
    changes: list[dict[str, Any]] = []
    parameter = values.get("parameter", "")
    raw = values.get("value", "").strip()
    if not sweep and (parameter or raw):
        label = i18n.text(lang, "sim_new_value")
        number = human_number(raw, lang) if raw else None
        value: Any = number if number is not None else {"true": True, "false": False}.get(raw.lower())
        if not raw:
            errors.append(FieldError("value", "value", i18n.text(lang, "error_required", label=label)))
        elif value is None:
            errors.append(FieldError("value", "value", i18n.text(lang, "error_not_number", label=label)))
        else:
            changes.append({"parameter": parameter, "value": value, "start": f"{values.get('year')}-01-01"})
    scheme, scheme_errors = new_scheme(values, lang)
    errors += scheme_errors
    if errors or (not changes and scheme is None):
        return None, errors
    shown = [f"{c['parameter']} = {raw}" for c in changes] + ([scheme["name"]] if scheme else [])
    reform: dict[str, Any] = {"name": (values.get("name", "").strip() or "; ".join(shown))[:200]}
    if changes:
        reform["parameter_changes"] = changes
    if scheme:
        reform["new_schemes"] = [scheme]
    return reform, []


def sweep_of(values: dict[str, str], lang: str) -> tuple[str | None, list[FieldError]]:
    """`PATH=START:STOP:STEP` from the chosen parameter and the three sweep fields (or the `sweep`
    field a recompute form carries as it was)."""
    if values.get("sweep"):
        return values["sweep"], []
    errors: list[FieldError] = []
    parameter = values.get("parameter", "")
    if not parameter:
        label = i18n.text(lang, "sim_parameter")
        return None, [FieldError("parameter", "parameter", i18n.text(lang, "error_required", label=label))]
    numbers = []
    for field in SWEEP_FIELDS:
        raw = values.get(field, "").strip()
        number = human_number(raw, lang) if raw else None
        label = field_label(lang, field)
        if not raw:
            errors.append(FieldError(field, field, i18n.text(lang, "error_required", label=label)))
        elif number is None:
            errors.append(FieldError(field, field, i18n.text(lang, "error_not_number", label=label)))
        numbers.append(number)
    if errors:
        return None, errors
    return f"{parameter}={':'.join(repr(n) for n in numbers)}", []


def problem_errors(problem: Problem, lang: str, from_yaml: bool) -> list[FieldError]:
    """The API's problem (a JSON pointer per error) as field errors of the form (a pasted reform's
    errors all point at the YAML field, the reform's own words naming the key)."""
    out = []
    for item in problem.errors or [{"pointer": "", "detail": problem.detail}]:
        pointer = str(item.get("pointer", ""))
        detail = item.get("detail", problem.detail)
        scheme = _SCHEME_POINTER.match(pointer)
        if pointer == "/year":
            field = "year"
        elif pointer == "/records":
            field = "records"
        elif pointer == "/sweep":
            field = "sweep_start"
            detail = problem.detail
        elif from_yaml and pointer.startswith("/reform"):
            field = "reform_yaml"
        elif scheme:
            rest = scheme.group("rest")
            field = _POINTER_FIELDS.get(rest, "")
            if not field and rest.startswith("takeup/rates/"):
                field = f"{NEW}takeup_{rest.rsplit('/', 1)[1]}"
            if not field and rest.startswith("target"):
                field = f"{NEW}condition" if "conditions" in rest else f"{NEW}sme_only"
            field = field or f"{NEW}name"
            out.append(FieldError(field, field, f"{field_label(lang, field)}: {detail}"))
            continue
        elif "parameter_changes" in pointer:
            field = "parameter" if pointer.endswith("/parameter") else "value"
        else:
            field = "reform_yaml"
        out.append(FieldError(field, field, f"{pointer.strip('/') or 'reform'}: {detail}"))
    return out
