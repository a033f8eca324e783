"""Reform-impact snapshots: what each shipped reform costs on the default synthetic population.

`python -m tests.impacts.impacts` recomputes them and rewrites impacts.yaml (run it when a rule or the
population changes on purpose, and say why in the commit); tests/impacts/test_reform_impacts.py checks
the stored figures within a tolerance, so a change that moves a reform's budget is seen, and checks
that the README quotes them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from peloton.model.reforms.examples import example_spec
from peloton.simulate import synthetic
from peloton.simulate.defaults import DEFAULT_RECORDS, DEFAULT_SEED
from peloton.simulate.evaluation import REFORM, Plan
from peloton.simulate.population import PopulationFile
from peloton.simulate.results import simulate

SNAPSHOT = Path(__file__).with_name("impacts.yaml")
# the year each shipped reform is read in (the year its file says to run it for)
YEARS = {"wbso_eerste_schijf_500k": 2024, "procesinnovatie_mkb": 2025}


def compute(name: str, records: int = DEFAULT_RECORDS, seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """The reform's cost, reach and winners on the synthetic population, per scheme it changes."""
    year = YEARS[name]
    spec = example_spec(name)
    path = synthetic.ensure(year, records, seed)
    source = PopulationFile(path, kind="synthetic")
    results = simulate(source, source.synthetic_info(), Plan(year=year, reform=spec))
    changed = {}
    for row in results.difference():
        if row["not_computed"] or not (row["difference_cost_eur"] or row["difference_reached_firms"]):
            continue
        reform = results.stats(REFORM, row["scheme"])
        changed[row["scheme"]] = {
            "difference_cost_eur": round(row["difference_cost_eur"], 2),
            "difference_reached_firms": round(row["difference_reached_firms"], 3),
            "reform_reached_firms": round(reform.reached_firms, 3),
            "reform_eligible_firms": round(reform.eligible_firms, 3),
            "reform_mean_cost_eur": None if reform.mean_eur is None else round(reform.mean_eur, 2),
        }
    total = results.winners_losers["total"]
    return {
        "year": year,
        "records": records,
        "seed": seed,
        "schemes": changed,
        "winners": round(total["winners"], 3),
        "losers": round(total["losers"], 3),
    }


def main() -> None:
    data = {
        "tolerance": {
            "relative": 0.02,
            "why": "a rule or population change within 2% is not a change of meaning",
        },
        "reforms": {name: compute(name) for name in YEARS},
    }
    SNAPSHOT.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    print(f"written {SNAPSHOT}")


if __name__ == "__main__":
    main()
