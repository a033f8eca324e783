"""Reforms: OpenFisca reforms of the rules model, changing what they say and nothing else."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from peloton.core.columns import simulation_from_columns
from peloton.errors import InputError
from peloton.model import tax_benefit_system
from peloton.model.reforms import load_reform, parse_reform, reform_system
from peloton.simulate.evaluation import BASELINE, REFORM, Plan
from peloton.simulate.population import PopulationFile
from peloton.simulate.results import simulate

from . import tiny

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "reforms"
BRACKET = EXAMPLES / "wbso_eerste_schijf_500k.yaml"
PROCES = EXAMPLES / "procesinnovatie_mkb.yaml"


def _leaves(system: Any) -> dict[str, list[tuple[str, Any]]]:
    out = {}
    for node in system.parameters.get_descendants():
        if hasattr(node, "values_list"):
            out[node.name] = [(v.instant_str, v.value) for v in node.values_list]
    return out


def test_bracket_reform_changes_the_ceiling_only() -> None:
    spec = load_reform(BRACKET)
    baseline, reformed = _leaves(tax_benefit_system()), _leaves(reform_system(spec))
    changed = {name for name in baseline if baseline[name] != reformed.get(name)}
    assert changed == {"wbso.afdrachtvermindering.plafond_schijf_1"}
    assert set(reformed) == set(baseline)
    ceiling = reform_system(spec).parameters.wbso.afdrachtvermindering.plafond_schijf_1
    assert ceiling("2023-01-01") == 350_000 and ceiling("2024-01-01") == 500_000
    assert ceiling("2025-01-01") == ceiling("2030-01-01") == 500_000
    # the baseline is untouched by building the reform
    baseline_ceiling = tax_benefit_system().parameters.wbso.afdrachtvermindering.plafond_schijf_1
    assert baseline_ceiling("2024-01-01") == 350_000 and baseline_ceiling("2025-01-01") == 380_000
    assert set(reform_system(spec).variables) == set(tax_benefit_system().variables)


def test_new_scheme_reform_adds_its_variable_and_own_parameters_only() -> None:
    spec = load_reform(PROCES)
    reformed = reform_system(spec)
    baseline, after = _leaves(tax_benefit_system()), _leaves(reformed)
    assert {k: v for k, v in after.items() if not k.startswith("hervorming.")} == baseline
    assert set(reformed.variables) - set(tax_benefit_system().variables) == {"procesinnovatie_mkb"}
    node = reformed.parameters.hervorming.procesinnovatie_mkb
    assert node.percentage("2025-01-01") == 0.25 and node.maximum("2025-01-01") == 50_000


def _tiny_results(tmp_path: Path, reform: dict[str, Any], year: int = 2025) -> Any:
    source = PopulationFile(tiny.write(tmp_path / "tiny.csv"))
    info = source.validate()
    return simulate(source, info, Plan(year, parse_reform(reform)), chunk_size=4)


def _proces(**changes: Any) -> dict[str, Any]:
    data = yaml.safe_load(PROCES.read_text(encoding="utf-8"))
    data["new_schemes"][0]["takeup"]["rates"] = 1.0
    data["new_schemes"][0].update(changes)
    return data


def test_new_scheme_budget_by_hand(tmp_path: Path) -> None:
    """10 x 20,000 + 5 x 50,000 (cap) + 4 x 250 = 451,000; 19 firms; median 20,000."""
    results = _tiny_results(tmp_path, _proces())
    s = results.stats(REFORM, "procesinnovatie_mkb")
    assert s.cost_eur == 451_000
    assert s.cost_eur == 451_000
    assert s.reached_firms == 19
    assert s.eligible_firms == 19
    assert s.median_eur == 20_000
    assert s.mean_eur == pytest.approx(451_000 / 19)
    assert s.sme_share_firms == 1.0
    assert not results.stats(BASELINE, "procesinnovatie_mkb").exists
    assert results.winners_losers["by_scheme"]["procesinnovatie_mkb"]["winners"] == 19
    assert results.winners_losers["total"]["losers"] == 0
    # the firm with S&O hours has the WBSO in both scenarios, unchanged
    assert results.stats(BASELINE, "wbso").reached_firms == 3
    assert results.stats(REFORM, "wbso").cost_eur == results.stats(BASELINE, "wbso").cost_eur


def test_new_scheme_not_in_force_before_its_start(tmp_path: Path) -> None:
    results = _tiny_results(tmp_path, _proces(), year=2024)
    assert results.stats(REFORM, "procesinnovatie_mkb").cost_eur == 0
    assert any("not in force in 2024" in n for n in results.notes)


def test_fixed_amount_and_bracketed_shapes_by_hand(tmp_path: Path) -> None:
    fixed = _proces(shape="fixed_amount", amount=5_000, target={"sme_only": True, "sectors": ["C"]})
    for key in ("costs", "percentage", "maximum"):
        fixed["new_schemes"][0].pop(key)
    s = _tiny_results(tmp_path, fixed).stats(REFORM, "procesinnovatie_mkb")
    assert s.cost_eur == (10 + 3) * 5_000  # the SMEs in section C: firms 101 and 103
    bracketed = _proces(
        shape="bracketed_percentage",
        brackets=[{"threshold": 0, "rate": 0.5}, {"threshold": 10_000, "rate": 0.2}],
        maximum=30_000,
    )
    bracketed["new_schemes"][0].pop("percentage")
    s = _tiny_results(tmp_path, bracketed).stats(REFORM, "procesinnovatie_mkb")
    # 80,000 -> 5,000 + 14,000 = 19,000; 300,000 -> 5,000 + 58,000 = 63,000, capped 30,000; 1,000 -> 500
    assert s.cost_eur == pytest.approx(10 * 19_000 + 5 * 30_000 + 4 * 500)


def test_takeup_below_one_follows_the_draws(tmp_path: Path) -> None:
    from peloton.simulate.takeup import draws

    data = _proces()
    data["new_schemes"][0]["takeup"]["rates"] = 0.5
    s = _tiny_results(tmp_path, data).stats(REFORM, "procesinnovatie_mkb")
    u = dict(zip([101, 102, 106], draws(np.array([101, 102, 106]), "procesinnovatie_mkb"), strict=True))
    expected = sum(w for fid, w in ((101, 10), (102, 5), (106, 4)) if u[fid] < 0.5)
    assert s.reached_firms == expected and s.eligible_firms == 19
    assert s.takeup["rates"]["micro"] == 0.5 and s.takeup["method"] == "assumption"


@pytest.mark.parametrize("year", [2024, 2025])
def test_bracket_reform_cost_by_hand(population_2024: PopulationFile, year: int) -> None:
    """Extra = (rate 1 - rate 2) x (min(grondslag, 500,000) - ceiling)+ per firm, summed with weights."""
    results = simulate(population_2024, population_2024.synthetic_info(), Plan(year, load_reform(BRACKET)))
    difference = results.stats(REFORM, "wbso").cost_eur - results.stats(BASELINE, "wbso").cost_eur
    columns: dict[str, np.ndarray] = {}
    weights = np.zeros(0)
    for chunk in population_2024.chunks(50_000):
        columns, weights = chunk.inputs, chunk.weights
    simulation = simulation_from_columns(columns, year)
    grondslag = np.asarray(simulation.calculate("so_grondslag", str(year)), dtype=np.float64)
    starter = np.asarray(simulation.calculate("is_wbso_starter", str(year)))
    p = tax_benefit_system().parameters(f"{year}-01-01").wbso.afdrachtvermindering
    rate_1 = np.where(starter, p.tarief_schijf_1_starter, p.tarief_schijf_1)
    extra = (rate_1 - p.tarief_schijf_2) * np.clip(
        np.minimum(grondslag, 500_000) - p.plafond_schijf_1, 0, None
    )
    by_hand = float((weights * extra).sum())
    assert by_hand > 10_000_000
    assert difference == pytest.approx(by_hand, rel=1e-5)
    winners = results.winners_losers["total"]
    assert winners["losers"] == 0
    assert winners["winners"] == pytest.approx(float(weights[grondslag > p.plafond_schijf_1].sum()), rel=1e-6)


def _change(**item: Any) -> dict[str, Any]:
    return {"name": "x", "parameter_changes": [{"value": 1, "start": "2025-01-01", **item}]}


def _scheme(**item: Any) -> dict[str, Any]:
    base = {"id": "nieuw", "name": "n", "start": "2025-01-01", "shape": "fixed_amount", "amount": 1}
    return {"name": "x", "new_schemes": [{**base, **item}]}


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"parameter_changes": []}, "name", "missing"),
        ({"name": "x"}, "reform", "nothing to do"),
        (_change(parameter="wbso.nope"), "parameter_changes[0].parameter", "has no 'nope'"),
        (_change(parameter="wbso.afdrachtvermindering"), "parameter_changes[0].parameter", "group of"),
        (_change(parameter="wbso.vast_uurloon", value="veel"), "parameter_changes[0].value", "a number"),
        (_change(parameter="wbso.vast_uurloon", start="1 jan"), "parameter_changes[0].start", "YYYY-MM-DD"),
        (_scheme(id="so_uren"), "new_schemes[0].id", "already a variable"),
        (_scheme(shape="magic"), "new_schemes[0].shape", "unknown shape"),
        (
            _scheme(shape="percentage_of_costs", percentage=0.2, costs=["rechtsvorm"]),
            "new_schemes[0].costs",
            "not an amount",
        ),
        (_scheme(target={"sectors": ["Z"]}), "new_schemes[0].target.sectors.in", "unknown value 'Z'"),
        (
            _scheme(takeup={"rates": 2, "derivation": "d"}),
            "new_schemes[0].takeup.rates.micro",
            "outside 0..1",
        ),
    ],
)
def test_bad_reforms_name_the_field(data: dict[str, Any], field: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_reform(data)
    assert caught.value.field == field
    assert message in caught.value.problem


def test_reform_file_errors(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text("name: [unclosed", encoding="utf-8")
    with pytest.raises(InputError, match="not valid YAML"):
        load_reform(path)
    with pytest.raises(InputError, match="cannot read"):
        load_reform(tmp_path / "missing.yaml")
