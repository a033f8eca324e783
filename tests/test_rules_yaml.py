"""The YAML rule tests, run by pytest and by OpenFisca's own `openfisca test` runner."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from openfisca_core.tools.test_runner import run_tests

from peloton.model import tax_benefit_system

RULES = Path(__file__).parent / "rules"


def test_rules_pass_in_process() -> None:
    assert run_tests(tax_benefit_system(), [str(RULES)], {}) == 0


def test_rules_pass_with_openfisca_test_command() -> None:
    openfisca = Path(sys.executable).with_name("openfisca")
    result = subprocess.run(
        [str(openfisca), "test", "--country-package", "peloton.model", str(RULES)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert " passed" in result.stdout


def test_every_year_has_rule_tests() -> None:
    for year in range(2019, 2027):
        assert (RULES / f"wbso_{year}.yaml").exists(), year


def test_a_wrong_expectation_fails(tmp_path: Path) -> None:
    """Guards that the runner really compares: a deliberately wrong value must fail."""
    case = tmp_path / "wrong.yaml"
    case.write_text(
        "- name: wrong on purpose\n  period: 2024\n  input:\n    so_uren: 1000\n"
        "  output:\n    wbso_afdrachtvermindering: 1\n",
        encoding="utf-8",
    )
    assert run_tests(tax_benefit_system(), [str(case)], {}) != 0
