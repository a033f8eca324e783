"""core.dependencies: the inputs a scheme can read, from the rules' source. The set must never miss
an input that matters: for every scheme and many firms, setting every input outside the set to any
of its candidate values leaves the scheme's result exactly as it was."""

from __future__ import annotations

import numpy as np
import pytest
from tests.conftest import REPO
from tests.test_code_health import PROBE_INPUTS

from peloton.catalog import get_scheme
from peloton.core.candidates import candidate_values
from peloton.core.columns import simulation_from_columns
from peloton.core.dependencies import scheme_inputs
from peloton.core.inputs import input_specs
from peloton.core.scenario import scenario_for
from peloton.core.schemes import SCHEME_RULES, scheme_arrays, scheme_totals
from peloton.model import tax_benefit_system
from peloton.model.reforms import load_reform

SYSTEM = tax_benefit_system()


def test_the_wbso_reads_its_hours_and_not_training_costs() -> None:
    wbso = next(r for r in SCHEME_RULES if r.id == "wbso")
    reads = scheme_inputs(wbso, SYSTEM)
    assert reads is not None and {"so_uren", "rechtsvorm", "belastbare_winst"} <= reads
    assert "opleidingskosten" not in reads and "sbi_sectie" not in reads


def test_a_reform_scheme_built_at_run_time_may_read_anything() -> None:
    spec = load_reform(REPO / "examples" / "reforms" / "procesinnovatie_mkb.yaml")
    scenario = scenario_for(spec)
    new = [r for r in scenario.rules() if r.id not in {s.id for s in SCHEME_RULES}]
    assert new and all(scheme_inputs(r, scenario.system()) is None for r in new)


def _totals(rule, columns, year):  # type: ignore[no-untyped-def]
    simulation = simulation_from_columns(columns, year, system=SYSTEM)
    return scheme_totals(scheme_arrays(simulation, rule, str(year)), rule)


@pytest.mark.parametrize("rule", [r for r in SCHEME_RULES if get_scheme(r.id).years], ids=lambda r: r.id)
def test_inputs_outside_the_set_change_nothing(rule) -> None:  # type: ignore[no-untyped-def]
    year = get_scheme(rule.id).years[-1]  # the latest year the rules compute the scheme
    reads = scheme_inputs(rule, SYSTEM)
    assert reads is not None
    specs = input_specs(SYSTEM)
    outside = {n: s for n, s in specs.items() if n not in reads}
    rng = np.random.default_rng(7)
    firms = 64
    base = {name: [value] * firms for name, value in PROBE_INPUTS.items()}
    for name in reads & set(specs):  # vary what the scheme does read, so many branches are taken
        values = [PROBE_INPUTS.get(name, specs[name].default), *candidate_values(specs[name], SYSTEM, year)]
        base[name] = [values[i] for i in rng.integers(0, len(values), firms)]
    varied = dict(base)
    for name, spec in outside.items():
        values = candidate_values(spec, SYSTEM, year)
        if values:
            varied[name] = [values[i] for i in rng.integers(0, len(values), firms)]

    def column(values: list) -> np.ndarray:  # type: ignore[type-arg]
        names = [getattr(v, "name", v) for v in values]
        return np.array(names, dtype=object if isinstance(names[0], str) else None)

    before = _totals(rule, {k: column(v) for k, v in base.items()}, year)
    after = _totals(rule, {k: column(v) for k, v in varied.items()}, year)
    for field in ("amount", "value", "cost", "eligible", "modelled"):
        np.testing.assert_array_equal(getattr(before, field), getattr(after, field), err_msg=field)
