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
