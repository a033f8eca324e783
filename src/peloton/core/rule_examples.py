"""Worked examples of a scheme: the YAML rule tests (`tests/rules/*.yaml`, OpenFisca's test format:
name, period, input, output, description) whose outputs name a variable of the scheme's amount (the
components of its SchemeRule, and the tax saving a deduction is valued by).

The tests are read where they live, in the repository, and nothing is copied into the package: their
expected values are derived by hand from the sources and checked by the test suite on every run, so
an example shown is one that passes, and a copy could drift from it. An installed package without the
repository has no examples (`rule_tests_folder()` is None), and the pages that show them say nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from peloton.core.schemes import SCHEME_RULES

RULE_TESTS = Path(__file__).resolve().parents[3] / "tests" / "rules"


@dataclass(frozen=True)
class RuleExample:
    name: str
    period: str
    description: str
    inputs: tuple[tuple[str, Any], ...]
    outputs: tuple[tuple[str, Any], ...]
    file: str


def rule_tests_folder() -> Path | None:
    """The repository's rule tests, or None when the package runs without its repository."""
    return RULE_TESTS if RULE_TESTS.is_dir() else None


def scheme_variables(scheme_id: str) -> set[str]:
    """The variables that make up a scheme's amount and worth (its components'), for choosing tests."""
    rule = next((r for r in SCHEME_RULES if r.id == scheme_id), None)
    if rule is None:
        return set()
    return {name for c in rule.components for name in (c.variable, c.value) if name}


@cache
def _all_examples(folder: Path) -> tuple[RuleExample, ...]:
    out = []
    for path in sorted(folder.glob("*.yaml")):
        cases = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        for case in cases if isinstance(cases, list) else [cases]:
            if not isinstance(case, dict) or not isinstance(case.get("output"), dict):
                continue
            out.append(
                RuleExample(
                    name=str(case.get("name", "")),
                    period=str(case.get("period", "")),
                    description=" ".join(str(case.get("description", "")).split()),
                    inputs=tuple((case.get("input") or {}).items()),
                    outputs=tuple(case["output"].items()),
                    file=f"tests/rules/{path.name}",
                )
            )
    return tuple(out)


def scheme_examples(scheme_id: str, folder: Path | None = None) -> list[RuleExample]:
    """The rule tests whose outputs name one of the scheme's amount variables, newest year first (the
    order within a year is the file's). Empty without the repository's tests."""
    folder = folder or rule_tests_folder()
    if folder is None:
        return []
    wanted = scheme_variables(scheme_id)
    found = [e for e in _all_examples(folder) if wanted & {name for name, _ in e.outputs}]
    return sorted(found, key=lambda e: e.period, reverse=True)
