"""The shipped reforms' budget effects on the default synthetic population stay as stored (within a
tolerance), and the README quotes exactly these figures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.impacts.impacts import SNAPSHOT, YEARS, compute

REPO = Path(__file__).resolve().parents[2]
STORED = yaml.safe_load(SNAPSHOT.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def computed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    import os

    home = tmp_path_factory.mktemp("home")
    old = os.environ.get("PELOTON_HOME")
    os.environ["PELOTON_HOME"] = str(home)
    try:
        return {name: compute(name) for name in YEARS}
    finally:
        if old is None:
            del os.environ["PELOTON_HOME"]
        else:
            os.environ["PELOTON_HOME"] = old


@pytest.mark.parametrize("name", sorted(YEARS))
def test_reform_impact_matches_the_snapshot(name: str, computed: dict[str, Any]) -> None:
    stored, now = STORED["reforms"][name], computed[name]
    tolerance = STORED["tolerance"]["relative"]
    assert set(now["schemes"]) == set(stored["schemes"]), "the reform changes other schemes than stored"
    for scheme, figures in stored["schemes"].items():
        for key, value in figures.items():
            assert now["schemes"][scheme][key] == pytest.approx(value, rel=tolerance, abs=1.0), (scheme, key)
    assert now["winners"] == pytest.approx(stored["winners"], rel=tolerance)
    assert now["losers"] == pytest.approx(stored["losers"], rel=tolerance, abs=1.0)


def test_readme_quotes_the_snapshot() -> None:
    readme = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    bracket = STORED["reforms"]["wbso_eerste_schijf_500k"]
    wbso = bracket["schemes"]["wbso"]
    assert f"+EUR {wbso['difference_cost_eur'] / 1e6:.1f} m in 2024" in readme
    assert f"{bracket['winners']:,.0f} firms gain" in readme
    new = STORED["reforms"]["procesinnovatie_mkb"]["schemes"]["procesinnovatie_mkb"]
    assert (
        f"reaches {new['reform_reached_firms']:,.0f} of {new['reform_eligible_firms']:,.0f} eligible"
        in readme
    )
    assert (
        f"EUR {new['difference_cost_eur'] / 1e6:.1f} m (mean EUR {new['reform_mean_cost_eur']:,.0f})"
        in readme
    )
