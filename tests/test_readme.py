"""What the README shows is what peloton does: its JSON example has the real output's keys and values,
and its command table names every command the CLI has."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import typer

from peloton.cli import app
from peloton.navigator.evaluate import evaluate
from peloton.navigator.profile import read_profile_file

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")
OPTIONAL_KEYS = {"offers", "explanation", "total_value_note", "input_notes"}


def _example() -> Any:
    match = re.search(r"### JSON result.*?```json\n(.*?)```", README, re.S)
    assert match, "the README's JSON example is missing"
    return json.loads(match.group(1))


def _same(shown: Any, real: Any, where: str) -> None:
    """The README's value stands for the real one: equal, a prefix ending in '...', or for a list its
    first items; a mapping has exactly the real keys (optional ones aside)."""
    if isinstance(shown, dict):
        assert isinstance(real, dict), where
        assert set(shown) == set(real) - OPTIONAL_KEYS, (where, set(shown) ^ (set(real) - OPTIONAL_KEYS))
        for key, value in shown.items():
            _same(value, real[key], f"{where}.{key}")
    elif isinstance(shown, list):
        assert isinstance(real, list) and len(real) >= len(shown), where
        for i, value in enumerate(shown):
            _same(value, real[i], f"{where}[{i}]")
    elif isinstance(shown, str) and shown.endswith("..."):
        assert isinstance(real, str) and real.startswith(shown[:-3]), where
    else:
        assert shown == real, (where, shown, real)


def test_json_example_is_the_real_output() -> None:
    real = evaluate([read_profile_file(REPO / "examples" / "mkb_maakbedrijf_procesinnovatie.yaml")])[0]
    _same(_example(), json.loads(json.dumps(real.as_dict())), "result")


def test_command_table_names_every_command() -> None:
    root = typer.main.get_command(app)
    table = README[README.index("## Commands") : README.index("### Profiles")]
    for name in root.commands:  # type: ignore[attr-defined]
        assert f"`peloton {name}" in table, f"the README's command table lacks `peloton {name}`"
    for shown in re.findall(r"\| `peloton (\w+)", table):
        assert shown in root.commands, f"the README names a command peloton does not have: {shown}"  # type: ignore[attr-defined]


def test_source_table_is_what_the_parameters_say() -> None:
    """Per scheme, the README's count of parameter values on official and secondary-only sources."""
    from peloton.core.parameters import source_counts
    from peloton.core.schemes import SCHEME_RULES

    for rule in SCHEME_RULES:
        c = source_counts(rule.parameters)
        row = f"| `{rule.id}` | {c['official']} | {c['secondary_only']} | {c['gaps']} |"
        assert row in README, f"README source table out of date: {row}"


def test_official_references_come_first_and_are_labelled() -> None:
    from peloton.core.parameters import parameter_use
    from peloton.core.sources import is_official

    assert is_official("https://wetten.overheid.nl/BWBR0007746/") and is_official("https://www.rvo.nl/x")
    assert not is_official("https://www.pnoconsultants.com/nl/nieuws/belastingplan-2019/")
    use = parameter_use("wbso.afdrachtvermindering.plafond_schijf_1", "2020-01-01")
    assert use.official and use.references[0].startswith("https://zoek.officielebekendmakingen.nl/")
    assert "official source https://zoek.officielebekendmakingen.nl/" in use.describe()
    secondary = parameter_use("wbso.afdrachtvermindering.plafond_schijf_1", "2019-01-01")
    assert not secondary.official and "secondary source" in secondary.describe()
