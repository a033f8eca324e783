"""Round-3 values that no YAML rule test can reach, and the refused years `peloton schemes --json` names.

MIT R&D-samenwerking 2025: the pack gives the rate, the project range and (inferred) the per-participant
maxima, but the per-participant minimum and the small/large split stay GAPs, so the firm's subsidy is
refused; its values are checked here against the pack by hand (mit.yaml rd_samenwerkingsproject 2025).
"""

from __future__ import annotations

import pytest

from peloton.catalog import get_scheme
from peloton.core.catalog_entry import catalog_entry
from peloton.core.parameters import gap_values, parameter_use
from peloton.navigator.evaluate import evaluate
from peloton.navigator.profile import Profile


@pytest.mark.parametrize(
    ("name", "value", "confidence"),
    [
        ("mit.rd_samenwerking.subsidiepercentage", 0.35, "uncertain"),
        ("mit.rd_samenwerking.min_subsidie_project", 50_000, "uncertain"),
        ("mit.rd_samenwerking.max_subsidie_project", 350_000, "uncertain"),
        ("mit.rd_samenwerking.max_subsidie_deelnemer_klein_project", 100_000, "uncertain"),
        ("mit.rd_samenwerking.max_subsidie_deelnemer_groot_project", 175_000, "uncertain"),
        ("mit.rd_samenwerking.min_subsidie_deelnemer", None, "gap"),
        ("mit.rd_samenwerking.grens_klein_project", None, "gap"),
        ("innovatiekrediet.rente.percentage", None, "gap"),
    ],
)
def test_mit_rd_2025_values_are_the_packs(name: str, value: float | None, confidence: str) -> None:
    use = parameter_use(name, "2025-01-01")
    assert use.value == value
    assert use.confidence == confidence


def test_mit_rd_2025_is_refused_naming_a_gap() -> None:
    inputs = {
        "personeel_fte": 20,
        "jaaromzet": 3_000_000,
        "balanstotaal": 2_000_000,
        "rd_samenwerking_projectkosten": 400_000,
        "rd_samenwerking_kosten_eigen": 200_000,
        "aantal_mkb_deelnemers": 2,
    }
    profile = Profile("rd", 2025, {k: {"2025": v} for k, v in inputs.items()})
    result = next(r for r in evaluate([profile])[0].schemes if r.id == "mit_rd_samenwerking")
    assert result.status == "not_computed"
    gaps = {g["parameter"] for g in gap_values(["mit.rd_samenwerking"], 2025)}
    assert gaps == {"mit.rd_samenwerking.min_subsidie_deelnemer", "mit.rd_samenwerking.grens_klein_project"}
    assert any(g in " ".join(result.reasons) for g in gaps), result.reasons


@pytest.mark.parametrize(
    ("scheme", "refused"),
    [
        ("innovatiekrediet", {}),
        ("mit_rd_samenwerking", {"2025", "2026"}),
        ("eia", {"2019", "2021", "2022", "2023"}),
        ("mia_vamil", {"2026"}),
        ("slim", {"2024", "2025", "2026"}),
    ],
)
def test_every_refused_year_names_its_gap(scheme: str, refused: set[str]) -> None:
    entry = catalog_entry(get_scheme(scheme))
    assert set(entry["refused_years"]) == set(refused)
    for year, gaps in entry["refused_years"].items():
        assert gaps, f"{scheme} {year} is refused without a gap"
        assert all(g["note"].startswith("GAP") or "GAP" in g["note"] for g in gaps), gaps
