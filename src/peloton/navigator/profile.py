"""Firm profiles: an OpenFisca-style situation in peloton's input names, read and checked.

A profile may be the short form

    year: 2024
    onderneming:
      so_uren: 2000            # a value for `year`
      personeel_fte: {2024: 40}   # or values by period

or a full OpenFisca situation with one firm under `ondernemingen`. Every field is checked
against the rules model before anything runs, so a mistake comes back as one line naming it.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from peloton.catalog import covered_years
from peloton.core.inputs import check_value, input_spec
from peloton.errors import InputError, shown_value
from peloton.model import tax_benefit_system
from peloton.user_text import check_text
from peloton.yaml_input import MAX_DOCUMENT_CHARS, UserYamlError, load_user_yaml

TOP_LEVEL_KEYS = {"year", "name", "description", "onderneming", "ondernemingen"}
MAX_NAME_CHARS = 200


@dataclass
class Profile:
    """One firm: its name, the year asked about and its inputs by variable and period."""

    name: str
    year: int
    inputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # e.g. which canonical value a spelling was read as

    def given(self, variable: str) -> bool:
        return variable in self.inputs

    def value(self, variable: str, default: Any = None) -> Any:
        by_period = self.inputs.get(variable)
        if not by_period:
            return default
        return by_period.get(str(self.year), default)


def read_profile_file(path: Path, year: int | None = None) -> Profile:
    """Read a YAML or JSON profile file; every failure is an InputError naming the problem."""
    if not path.exists():
        raise InputError("PROFILE", f"file not found: {path}")
    if path.is_dir():
        raise InputError("PROFILE", f"{path} is a folder; give a YAML or JSON file")
    try:
        if path.stat().st_size > MAX_DOCUMENT_CHARS * 4:
            raise InputError("PROFILE", f"{path.name} is larger than {MAX_DOCUMENT_CHARS:,} characters")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError("PROFILE", f"cannot read {path}: {type(exc).__name__}") from None
    kind = "JSON" if path.suffix.lower() == ".json" else "YAML"
    try:
        data = json.loads(text) if kind == "JSON" else load_user_yaml(text)
    except (UserYamlError, json.JSONDecodeError, RecursionError) as exc:
        first = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise InputError("PROFILE", f"{path.name} is not valid {kind}: {first}") from None
    return parse_profile(data, year=year, default_name=path.stem)


def parse_profile(data: Any, year: int | None = None, default_name: str = "firm") -> Profile:
    """Check a profile's structure and every input against the rules model and the registry."""
    if not isinstance(data, dict):
        raise InputError("profile", "must be a mapping with `year` and `onderneming`")
    unknown_top = set(map(str, data)) - TOP_LEVEL_KEYS
    if unknown_top:
        raise InputError(
            sorted(unknown_top)[0], f"unknown top-level key; allowed: {', '.join(sorted(TOP_LEVEL_KEYS))}"
        )
    firm, name = _firm_mapping(data, default_name)
    shown = _name(data.get("name"), name)
    profile_year = _year(data.get("year") if year is None else year)
    inputs: dict[str, dict[str, Any]] = {}
    notes: list[str] = []
    for variable_name, raw in firm.items():
        checked = _check_input(str(variable_name), raw, profile_year, notes)
        if str(profile_year) not in checked:
            given = ", ".join(sorted(checked))
            how = " (--year)" if year is not None else ""
            raise InputError(
                str(variable_name),
                f"given for {given} only, but the profile is evaluated for {profile_year}{how}: "
                f"give a value for {profile_year}",
            )
        inputs[str(variable_name)] = checked
    return Profile(name=shown, year=profile_year, inputs=inputs, notes=notes)


def _name(raw: Any, default: str) -> str:
    """The profile's name as shown: text of at most MAX_NAME_CHARS without characters that would
    make the output lie (see peloton.user_text); checked before anything else is read."""
    if isinstance(raw, dict | list):
        raise InputError("name", "must be text, not a list or a mapping")
    return check_text("name", str(raw or default), MAX_NAME_CHARS)


def _firm_mapping(data: dict[str, Any], default_name: str) -> tuple[dict[str, Any], str]:
    if "onderneming" in data and "ondernemingen" in data:
        raise InputError("onderneming", "give either `onderneming` or `ondernemingen`, not both")
    if "ondernemingen" in data:
        firms = data["ondernemingen"]
        if not isinstance(firms, dict) or len(firms) != 1:
            raise InputError("ondernemingen", "must hold exactly one firm (a profile is one firm)")
        ((name, firm),) = firms.items()
        if firm is None:
            firm = {}
        if not isinstance(firm, dict):
            raise InputError(f"ondernemingen.{name}", "must be a mapping of input variables")
        return firm, str(name)
    firm = data.get("onderneming")
    if firm is None:
        raise InputError("onderneming", "missing: the firm's inputs go under `onderneming`")
    if not isinstance(firm, dict):
        raise InputError("onderneming", "must be a mapping of input variables to values")
    return firm, default_name


def _year(raw: Any) -> int:
    years = covered_years()
    allowed = f"{years[0]}-{years[-1]}"
    if raw is None:
        raise InputError("year", f"missing; give the year the profile is about ({allowed})")
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise InputError("year", f"must be a whole year ({allowed}), got {shown_value(raw)}")
    try:
        value = int(str(raw).strip())
    except ValueError:
        raise InputError("year", f"must be a whole year ({allowed}), got {shown_value(raw)}") from None
    if value not in years:
        raise InputError("year", f"{value} is outside the years the rules cover ({allowed})")
    return value


def _check_input(name: str, raw: Any, year: int, notes: list[str]) -> dict[str, Any]:
    system = tax_benefit_system()
    variable = system.variables.get(name)
    if variable is None:
        close = difflib.get_close_matches(name, list(system.variables), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise InputError(name[:60], f"unknown input variable{hint} (`peloton questions` lists them)")
    spec = input_spec(name)
    if variable.formulas or spec is None:
        raise InputError(name, "is computed by the rules, not an input; give the inputs it depends on")
    by_period = raw if isinstance(raw, dict) else {str(year): raw}
    checked: dict[str, Any] = {}
    for period, value in by_period.items():
        period_str = str(period).strip()
        if not (len(period_str) == 4 and period_str.isdigit()):
            raise InputError(f"{name}.{str(period)[:20]}", "period must be a year such as 2024")
        field_name = f"{name}.{period_str}" if isinstance(raw, dict) else name
        value_checked = check_value(spec, value, field_name)
        if isinstance(value, str) and value_checked != value:
            notes.append(f"{field_name}: {value!r} read as {value_checked!r}")
        checked[period_str] = value_checked
    return checked
