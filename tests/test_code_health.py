"""Code-health checks that keep a growing rules model honest (after PolicyEngine's)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from openfisca_core.errors import ParameterNotFoundError

from peloton.catalog import covered_years, load_catalog
from peloton.core.inputs import questions
from peloton.core.schemes import SCHEME_RULES
from peloton.model import tax_benefit_system
from peloton.navigator.evaluate import build_simulation, evaluate
from peloton.navigator.profile import Profile

SYSTEM = tax_benefit_system()
# A firm that reaches every scheme's parameters: SME with S&O hours, costs, investments, profit.
PROBE_INPUTS = {
    "personeel_fte": 20,
    "jaaromzet": 3_000_000,
    "balanstotaal": 2_000_000,
    "so_uren": 1000,
    "wbso_kosten_keuze": "werkelijk",  # the 2026 forfait is a gap; actual costs compute in 2026
    "so_kosten_uitgaven_werkelijk": 10_000,
    "had_so_verklaring_twee_jaar_eerder": True,  # the 2026 fixed hourly wage is a gap too
    "so_uurloon_opgegeven": 40,
    "belastbare_winst": 500_000,
    "innovatiebox_voordelen": 100_000,
    "innovatie_soort": "proces",
    "haalbaarheid_projectkosten": 30_000,
    "kennisvraag_factuur": 10_000,
    "rd_samenwerking_projectkosten": 400_000,
    "rd_samenwerking_kosten_eigen": 200_000,
    "aantal_mkb_deelnemers": 2,
    "ontwikkelingskosten": 500_000,
    "investering_energielijst": 100_000,
    "investering_milieulijst": 100_000,
    "milieulijst_categorie": "mia_i",
    "heeft_vamil_code": True,
    "opleidingskosten": 20_000,
}
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


LEGAL_PARAMETERS = [p for p in _leaves(SYSTEM.parameters) if not p.name.startswith("takeup.")]
TAKEUP_PARAMETERS = [p for p in _leaves(SYSTEM.parameters) if p.name.startswith("takeup.")]


@pytest.mark.parametrize("parameter", TAKEUP_PARAMETERS, ids=lambda p: p.name)
def test_takeup_parameter_says_how_each_value_was_derived(parameter: Any) -> None:
    """Take-up is behaviour, not law: each value carries its method, derivation and (unless it is an
    assumption) its source, instead of a legal reference."""
    assert parameter.metadata.get("label") and parameter.metadata.get("unit") == "/1", parameter.name
    for value in parameter.values_list:
        assert 0.0 <= value.value <= 1.0, parameter.name
        assert value.metadata.get("method") in {"sourced", "calibrated", "assumption"}, parameter.name
        assert value.metadata.get("derivation"), parameter.name
        if value.metadata["method"] != "assumption":
            assert value.metadata.get("source"), parameter.name


def test_every_scheme_has_takeup() -> None:
    assert {p.name.split(".")[1] for p in TAKEUP_PARAMETERS} == {r.id for r in SCHEME_RULES} | {"default"}


@pytest.mark.parametrize("parameter", LEGAL_PARAMETERS, ids=lambda p: p.name)
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


@pytest.mark.parametrize("rule", SCHEME_RULES, ids=lambda r: r.id)
def test_catalog_years_are_exactly_the_computed_years(rule: Any) -> None:
    """The catalog's `years` must be the years the rules compute: listed years compute for a probe
    firm that reads every parameter, and every other year from 2018 to 2027 is `not_computed`."""
    scheme = next(s for s in load_catalog() if s.id == rule.id)
    computed = set()
    for year in covered_years():
        probe = Profile("probe", year, {k: {str(year): v} for k, v in PROBE_INPUTS.items()})
        result = next(r for r in evaluate([probe])[0].schemes if r.id == rule.id)
        if result.status == "computed":
            computed.add(year)
    assert sorted(computed) == list(scheme.years)


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
            "belastbare_winst": {y: float(rng.integers(-100_000, 3_000_000))},
            "marginaal_tarief": {y: [-1.0, 0.37, 0.495][int(rng.integers(3))]},
            "provincie": {y: ["onbekend", "groningen", "overijssel", "zeeland"][int(rng.integers(4))]},
            "sbi_sectie": {y: ["onbekend", "A", "C", "I", "R"][int(rng.integers(5))]},
            "innovatie_soort": {y: ["geen", "product", "proces", "software"][int(rng.integers(4))]},
            "innovatiebox_voordelen": {y: float(rng.integers(0, 2) * rng.integers(0, 2_000_000))},
            "activum_met_so_verklaring": {y: bool(rng.integers(2))},
            "heeft_octrooi_of_gelijkwaardig": {y: bool(rng.integers(2))},
            "bruto_voordelen_immaterieel_vijf_jaar": {y: float(rng.integers(0, 60_000_000))},
            "netto_omzet_vijf_jaar": {y: float(rng.integers(0, 400_000_000))},
            "kennisvraag_factuur": {y: float(rng.integers(0, 30_000))},
            "haalbaarheid_projectkosten": {y: float(rng.integers(0, 80_000))},
            "rd_samenwerking_projectkosten": {y: float(rng.integers(0, 1_500_000))},
            "rd_samenwerking_kosten_eigen": {y: float(rng.integers(0, 800_000))},
            "aantal_mkb_deelnemers": {y: int(rng.integers(0, 5))},
            "ontwikkelingskosten": {y: float(rng.integers(0, 3_000_000))},
            "investering_energielijst": {y: float(rng.integers(0, 2) * rng.integers(0, 1_000_000))},
            "investering_milieulijst": {y: float(rng.integers(0, 2) * rng.integers(0, 1_000_000))},
            "milieulijst_categorie": {
                y: ["geen", "mia_i", "mia_ii", "mia_iii", "alleen_vamil"][int(rng.integers(5))]
            },
            "heeft_vamil_code": {y: bool(rng.integers(2))},
            "opleidingskosten": {y: float(rng.integers(0, 60_000))},
        }
        profiles.append(Profile(f"random_{i}", year, inputs))
    return profiles


@pytest.mark.parametrize("year", [2019, 2021, 2024, 2025])
def test_batch_equals_one_by_one(year: int) -> None:
    """A random batch computes every variable exactly as each firm alone (catches scalar `if`)."""
    profiles = _random_profiles(np.random.default_rng(year), 12, year)
    batch = build_simulation(profiles)
    computed = [n for n, v in VARIABLES.items() if v.formulas]
    checked = 0
    for name in computed:
        try:
            together = np.asarray(batch.calculate(name, str(year)))
        except ParameterNotFoundError:
            # a gap fails the firms that need the missing value (e.g. an SME in a year that backs
            # only the large-firm chapter); at least one of them must fail alone as well
            failing = 0
            for profile in profiles:
                try:
                    build_simulation([profile]).calculate(name, str(year))
                except ParameterNotFoundError:
                    failing += 1
            assert failing > 0, name
            continue
        checked += 1
        for i, profile in enumerate(profiles):
            alone = np.asarray(build_simulation([profile]).calculate(name, str(year)))
            assert np.array_equal(together[i : i + 1], alone, equal_nan=True), f"{name} firm {i}"
    assert checked > len(computed) / 2


def test_engine_arrays_are_not_written_into() -> None:
    """Every computed array stays as it was after all other variables are computed."""
    profiles = _random_profiles(np.random.default_rng(7), 6, 2024)
    simulation = build_simulation(profiles)
    first: dict[str, np.ndarray] = {}
    for name in (n for n, v in VARIABLES.items() if v.formulas):
        try:
            first[name] = np.array(simulation.calculate(name, "2024"), copy=True)
        except ParameterNotFoundError:  # a gap in 2024 (e.g. SLIM's SME maximum)
            continue
    for name, snapshot in first.items():
        assert np.array_equal(np.asarray(simulation.calculate(name, "2024")), snapshot, equal_nan=True), name


def _imports(package: str) -> set[str]:
    """Every peloton module the modules of `package` import (at any depth of the file)."""
    import ast

    root = Path(__file__).resolve().parents[1] / "src" / "peloton" / package
    found: set[str] = set()
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("peloton."):
                found.add(node.module)
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name.startswith("peloton."))
    return found


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("navigator", ("peloton.simulate", "peloton.stats", "peloton.reader")),
        ("simulate", ("peloton.navigator", "peloton.reader")),
        ("core", ("peloton.navigator", "peloton.simulate", "peloton.stats", "peloton.reader")),
        (
            "model",
            ("peloton.core", "peloton.navigator", "peloton.simulate", "peloton.stats", "peloton.catalog"),
        ),
    ],
)
def test_capabilities_stand_on_the_core_not_on_each_other(package: str, forbidden: tuple[str, ...]) -> None:
    """DESIGN.md: model <- core <- {navigator, simulate, ...}; no capability imports another's internals."""
    bad = sorted(m for m in _imports(package) if m.startswith(forbidden))
    assert bad == [], f"peloton.{package} imports {bad}"
