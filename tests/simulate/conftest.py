"""Fixtures of the simulator tests: small synthetic populations generated once per session, a private home."""

from __future__ import annotations

from pathlib import Path

import pytest

from peloton.simulate import synthetic
from peloton.simulate.population import PopulationFile

RECORDS = 20_000  # small enough for CI, large enough that every CBS cell and WBSO stratum has records
SEED = 2024


@pytest.fixture(autouse=True)
def _private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test writes to the user's home: the population cache goes to a temporary directory."""
    monkeypatch.setenv("PELOTON_HOME", str(tmp_path / "home"))


@pytest.fixture(scope="session")
def population_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("populations")


@pytest.fixture(scope="session")
def make_population(population_dir: Path):
    """Generate (once per session and arguments) a synthetic population file and return its path."""
    made: dict[tuple[int, int, int], Path] = {}

    def make(year: int = 2024, records: int = RECORDS, seed: int = SEED) -> Path:
        key = (year, records, seed)
        if key not in made:
            path = population_dir / f"synthetic-{year}-{records}-{seed}.parquet"
            synthetic.write(synthetic.generate(year, records, seed), path)
            made[key] = path
        return made[key]

    return make


@pytest.fixture(scope="session")
def population_2024(make_population) -> PopulationFile:
    return PopulationFile(make_population(2024), kind="synthetic")
