"""Code-health checks that keep a growing rules model honest (after PolicyEngine's)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from openfisca_core.errors import ParameterNotFoundError

from peloton.catalog import load_catalog
from peloton.model import tax_benefit_system
from peloton.navigator.evaluate import build_simulation
from peloton.navigator.profile import Profile
from peloton.navigator.registry import questions

SYSTEM = tax_benefit_system()
VARIABLES = dict(SYSTEM.variables)


def _leaves(node: Any):
    children = getattr(node, "children", None)
    if children is None:
        yield node
        return
    for child in children.values():
        yield from _leaves(child)


@pytest.mark.parametrize("name", sorted(VARIABLES))
def test_variable_has_label_and_reference(name: str) -> None:
    variable = VARIABLES[name]
    assert variable.label, name
    assert variable.reference, name


@pytest.mark.parametrize("name", sorted(VARIABLES))
def test_names_match_types(name: str) -> None:
    variable = VARIABLES[name]
    if name.startswith(("is_", "heeft_", "had_", "voldoet_")):
        assert variable.value_type is bool, name
    if name.startswith("aantal_"):
        assert variable.value_type is int, name


@pytest.mark.parametrize("parameter", list(_leaves(SYSTEM.parameters)), ids=lambda p: p.name)
def test_parameter_has_label_unit_reference_and_dated_sources(parameter: Any) -> None:
    assert parameter.metadata.get("label"), parameter.name
    assert parameter.metadata.get("unit"), parameter.name
    assert parameter.metadata.get("reference"), parameter.name
    for value in parameter.values_list:
        if value.value is None:
            assert value.metadata.get("note"), f"{parameter.name} {value.instant_str}: a gap must say why"
            continue
        assert value.metadata.get("reference"), f"{parameter.name} {value.instant_str} has no source"
        assert value.metadata.get("confidence") in {"confirmed", "single-source", "uncertain"}


def test_every_input_has_navigator_texts_and_every_text_a_variable() -> None:
    inputs = {n for n, v in VARIABLES.items() if not v.formulas}
    registry = set(questions())
    assert inputs - registry == set(), "inputs without navigator texts"
    assert registry - inputs == set(), "navigator texts for unknown or computed variables"


def test_catalog_years_are_backed_by_parameters() -> None:
    wbso = next(s for s in load_catalog() if s.id == "wbso")
    for year in wbso.years:
        rates = SYSTEM.parameters(f"{year}-01-01").wbso.afdrachtvermindering
        assert rates.tarief_schijf_1 > 0
    with pytest.raises(ParameterNotFoundError):
        _ = SYSTEM.parameters(f"{max(wbso.years) + 1}-01-01").wbso.afdrachtvermindering.tarief_schijf_1
    with pytest.raises(ParameterNotFoundError):
        _ = SYSTEM.parameters(f"{min(wbso.years) - 1}-01-01").wbso.afdrachtvermindering.tarief_schijf_1


def _random_profiles(rng: np.random.Generator, n: int, year: int) -> list[Profile]:
    profiles = []
    vormen = ["bv", "nv", "eenmanszaak", "vof"]
    for i in range(n):
        y = str(year)
        inputs = {
            "rechtsvorm": {y: vormen[int(rng.integers(len(vormen)))]},
            "is_inhoudingsplichtige": {y: bool(rng.integers(2))},
            "personeel_fte": {y: float(rng.integers(0, 400))},
            "jaaromzet": {y: float(rng.integers(0, 80_000_000))},
            "balanstotaal": {y: float(rng.integers(0, 60_000_000))},
            "so_uren": {y: float(rng.integers(0, 40_000))},
            "had_so_verklaring_twee_jaar_eerder": {y: bool(rng.integers(2))},
            "so_uurloon_opgegeven": {y: float(rng.integers(20, 90))},
            "wbso_kosten_keuze": {y: ["forfait", "werkelijk"][int(rng.integers(2))]},
            "so_kosten_uitgaven_werkelijk": {y: float(rng.integers(0, 500_000))},
            "aantal_jaren_ondernemer_voorgaand": {y: int(rng.integers(0, 6))},
            "aantal_jaren_so_verklaring_voorgaand": {y: int(rng.integers(0, 6))},
            "wbso_starter_opgave": {y: ["afleiden", "starter", "geen_starter"][int(rng.integers(3))]},
            "so_uren_eigen": {y: float(rng.integers(0, 1500))},
            "uren_onderneming": {y: float(rng.integers(0, 2500))},
        }
        profiles.append(Profile(f"random_{i}", year, inputs))
    return profiles


@pytest.mark.parametrize("year", [2019, 2021, 2025])
def test_batch_equals_one_by_one(year: int) -> None:
    """A random batch computes every variable exactly as each firm alone (catches scalar `if`)."""
    profiles = _random_profiles(np.random.default_rng(year), 12, year)
    batch = build_simulation(profiles)
    computed = [n for n, v in VARIABLES.items() if v.formulas]
    for name in computed:
        together = np.asarray(batch.calculate(name, str(year)))
        for i, profile in enumerate(profiles):
            alone = np.asarray(build_simulation([profile]).calculate(name, str(year)))
            assert together[i] == alone[0], f"{name} firm {i}"


def test_engine_arrays_are_not_written_into() -> None:
    """Every computed array stays as it was after all other variables are computed."""
    profiles = _random_profiles(np.random.default_rng(7), 6, 2024)
    simulation = build_simulation(profiles)
    first: dict[str, np.ndarray] = {}
    for name in (n for n, v in VARIABLES.items() if v.formulas):
        first[name] = np.array(simulation.calculate(name, "2024"), copy=True)
    for name, snapshot in first.items():
        assert np.array_equal(np.asarray(simulation.calculate(name, "2024")), snapshot), name
