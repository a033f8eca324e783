"""The YAML rule tests, run by pytest and by OpenFisca's own `openfisca test` runner."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from openfisca_core.tools.test_runner import run_tests

from peloton.model import exact_tests, tax_benefit_system

# the runner compares in float64 once peloton.model has installed its comparison (exact_tests)
exact_tests.install()

RULES = Path(__file__).parent / "rules"
REFORMS = Path(__file__).parent / "reforms"  # reform tests: `reforms:` names a shipped reform


def test_rules_pass_in_process() -> None:
    assert run_tests(tax_benefit_system(), [str(RULES)], {}) == 0


def test_reform_tests_pass_in_process() -> None:
    assert run_tests(tax_benefit_system(), [str(REFORMS)], {}) == 0


def test_rules_pass_with_openfisca_test_command() -> None:
    openfisca = Path(sys.executable).with_name("openfisca")
    result = subprocess.run(
        [str(openfisca), "test", "--country-package", "peloton.model", str(RULES), str(REFORMS)],
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


def test_the_runner_compares_in_float64(tmp_path: Path) -> None:
    """OpenFisca's runner compares in float32, where 260,465.1163 and 260,465.125 are equal; peloton's
    comparison in float64 must tell them apart at a tenth of a cent."""
    case = tmp_path / "float32_would_pass.yaml"
    case.write_text(
        "- name: a float32 comparison cannot see this\n  period: 2025\n  absolute_error_margin: 0.001\n"
        "  input:\n    activum_met_so_verklaring: true\n    belastbare_winst: 1000000\n"
        "    innovatiebox_voordelen: 400000\n  output:\n    innovatiebox_verlaging: 260465.125\n",
        encoding="utf-8",
    )
    assert run_tests(tax_benefit_system(), [str(case)], {}) != 0
