"""Fixtures of the registry tests: the bundled registry (in memory) and the real files in ../shared."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from peloton.registry.store import RegistryStore

REGISTRY_REF = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "registry"
CLEAN = REGISTRY_REF / "europaomdehoek_2007_2013.csv"
RAW = REGISTRY_REF / "europaomdehoek_2007_2013_raw_2016.csv"
RIJK = REGISTRY_REF / "rijksbegroting_subsidieontvangers_2015.csv"


def need(path: Path) -> Path:
    """The reference file, or skip when ../shared is not beside the checkout."""
    if not path.exists():
        pytest.skip(f"{path} not present (../shared/reference/registry)")
    return path


def clean_rows() -> list[dict[str, str]]:
    """The clean Europa-om-de-hoek file as the labelled sample indexes it."""
    with need(CLEAN).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="session")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RegistryStore]:
    """The registry a fresh machine gets: the bundled snapshot, loaded in memory (nothing written)."""
    missing = tmp_path_factory.mktemp("home") / "registry.duckdb"
    old = os.environ.get("PELOTON_REGISTRY")
    os.environ["PELOTON_REGISTRY"] = str(missing)
    try:
        store = RegistryStore.open(read_only=True)
    finally:
        if old is None:
            del os.environ["PELOTON_REGISTRY"]
        else:
            os.environ["PELOTON_REGISTRY"] = old
    assert not missing.exists()
    yield store
    store.close()
