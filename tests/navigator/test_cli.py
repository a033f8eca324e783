"""The `peloton` command as a user runs it: output, JSON, explanations and one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from tests.conftest import REPO, peloton_bin

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
REFORM = "examples/reforms/procesinnovatie_mkb.yaml"


def test_schemes_lists_wbso(run_cli) -> None:
    result = run_cli("schemes", check=True)
    assert "wbso" in result.stdout and "2019-2026" in result.stdout
    catalog = json.loads(run_cli("schemes", "--json", check=True).stdout)
    assert {"id", "name", "kind", "owner", "years", "links"} <= set(catalog[0])


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_check_every_example_end_to_end(run_cli, example: str) -> None:
    result = run_cli("check", f"examples/{example}", "--json", check=True)
    payload = json.loads(result.stdout)
    assert payload["schemes"] and all(s["reasons"] for s in payload["schemes"])
    text = run_cli("check", f"examples/{example}", check=True).stdout
    assert "WBSO" in text


def test_explain_prints_the_computation(run_cli) -> None:
    result = run_cli("check", "examples/mkb_maakbedrijf_procesinnovatie.yaml", "--explain", check=True)
    assert "computation:" in result.stdout
    assert "wbso.afdrachtvermindering.tarief_schijf_1" in result.stdout
    assert "valid from 2024-01-01" in result.stdout


def test_year_option_overrides_profile_year(run_cli) -> None:
    payload = json.loads(
        run_cli(
            "check", "examples/mkb_maakbedrijf_procesinnovatie.yaml", "--year", "2021", "--json", check=True
        ).stdout
    )
    assert payload["year"] == 2021
    # 2021: 40% of 228,000 (temporary corona rate, hand-derived)
    wbso = next(s for s in payload["schemes"] if s["id"] == "wbso")
    assert wbso["amount_eur"] == pytest.approx(91200.0)


def test_unbacked_year_names_the_parameter_and_strict_exits_3(run_cli) -> None:
    result = run_cli("check", "examples/micro_software_startup.yaml", "--year", "2026")
    assert result.returncode == 0
    assert "mit.haalbaarheid.subsidiepercentage" in result.stdout  # no 2026 MIT parameters in the pack
    strict = run_cli("check", "examples/micro_software_startup.yaml", "--year", "2026", "--strict")
    assert strict.returncode == 3


@pytest.mark.parametrize(
    ("content", "suffix", "needle"),
    [
        ("year: 2024\nonderneming:\n  so_urenn: 5\n", ".yaml", "so_urenn"),
        ("year: 2024\nonderneming:\n  so_uren: -5\n", ".yaml", "so_uren"),
        ("onderneming:\n  so_uren: 5\n", ".yaml", "year"),
        ("year: 2040\nonderneming:\n  so_uren: 5\n", ".yaml", "year"),
        ("year: 2024\nonderneming: [\n", ".yaml", "PROFILE"),
        ('{"year": 2024, "onderneming": {"so_uren": }', ".json", "PROFILE"),
    ],
)
def test_bad_input_gives_one_line_and_exit_2(
    run_cli, tmp_path: Path, content: str, suffix: str, needle: str
) -> None:
    path = tmp_path / f"profile{suffix}"
    path.write_text(content, encoding="utf-8")
    result = run_cli("check", str(path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and needle in lines[0], result.stderr


def test_missing_file(run_cli) -> None:
    result = run_cli("check", "does/not/exist.yaml")
    assert result.returncode == 2 and "file not found" in result.stderr and "Traceback" not in result.stderr


def test_questions_lists_inputs_from_the_dependency_graph(run_cli) -> None:
    result = run_cli("questions", "wbso", "--json", check=True)
    needs = {n["variable"]: n for n in json.loads(result.stdout)}
    assert {"so_uren", "so_uren_eigen", "uren_onderneming", "so_uurloon_opgegeven"} <= set(needs)
    assert needs["so_uren"]["schemes"] == ["wbso"]
    assert "personeel_fte" not in needs, "the WBSO does not depend on firm size"
    bad = run_cli("questions", "nonexistent")
    assert bad.returncode == 2 and "nonexistent" in bad.stderr


def run_at_80_columns(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The CLI in a terminal 80 columns wide (the run_cli fixture uses 200)."""
    env = {**os.environ, "PELOTON_HOME": str(home), "COLUMNS": "80"}
    return subprocess.run(
        [*peloton_bin(), *args], capture_output=True, text=True, env=env, cwd=REPO, timeout=300
    )


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (("schemes",), "mit_kennisvoucher"),
        (("questions",), "is_inhoudingsplichtige"),
        (
            ("check", "examples/mkb_maakbedrijf_procesinnovatie.yaml", "--reform", REFORM),
            "procesinnovatie_mkb",
        ),
    ],
)
def test_tables_are_readable_at_80_columns(tmp_path: Path, args: tuple[str, ...], shown: str) -> None:
    result = run_at_80_columns(tmp_path / "home", *args)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert not [line for line in lines if "…" in line], "a cell is cut"
    assert max(len(line) for line in lines) <= 80
    assert shown in result.stdout


def test_schemes_show_the_computed_years_as_ranges(run_cli) -> None:
    out = run_cli("schemes", check=True).stdout
    eia = next(line for line in out.splitlines() if " eia " in line)
    assert "2020, 2024-2026" in eia


def _profile(tmp_path: Path, **inputs: object) -> Path:
    path = tmp_path / "firm.yaml"
    lines = ["name: firm", "year: 2024", "onderneming:", "  rechtsvorm: bv", "  is_inhoudingsplichtige: true"]
    path.write_text("\n".join([*lines, *(f"  {k}: {v}" for k, v in inputs.items())]) + "\n", encoding="utf-8")
    return path


def test_hours_with_no_staff_get_a_plausibility_note_and_the_same_amount(run_cli, tmp_path: Path) -> None:
    from peloton.navigator.evaluate import evaluate
    from peloton.navigator.profile import read_profile_file

    path = _profile(tmp_path, personeel_fte=0, so_uren=3000)
    payload = json.loads(run_cli("check", str(path), "--json", check=True).stdout)
    notes = payload.pop("plausibility_notes")
    assert len(notes) == 1 and "personeel_fte is 0" in notes[0] and "so_uren" in notes[0]
    # the legal amount is the law applied to the inputs as given: the note changes nothing
    assert payload == json.loads(json.dumps(evaluate([read_profile_file(path)])[0].as_dict(), default=str))
    text = run_cli("check", str(path), check=True).stdout
    assert "check your inputs:" in text and "no staff" in text


@pytest.mark.parametrize(
    ("fte", "hours", "noted"),
    [(2, 17_568, False), (2, 17_569, True), (0.5, 5_000, True), (40, 3_000, False)],
)
def test_hours_beyond_what_the_staff_can_work_are_noted(
    run_cli, tmp_path: Path, fte: float, hours: int, noted: bool
) -> None:
    payload = json.loads(
        run_cli(
            "check", str(_profile(tmp_path, personeel_fte=fte, so_uren=hours)), "--json", check=True
        ).stdout
    )
    assert ("plausibility_notes" in payload) is noted
    if noted:
        assert "more than" in payload["plausibility_notes"][0] and "8,784" in payload["plausibility_notes"][0]


def test_the_examples_raise_no_plausibility_note() -> None:
    from peloton.navigator.plausibility import plausibility_notes
    from peloton.navigator.profile import read_profile_file

    for path in sorted(EXAMPLES.glob("*.yaml")):
        assert plausibility_notes(read_profile_file(path)) == [], path.name


def test_own_hours_beyond_the_hours_on_the_enterprise_are_noted(run_cli, tmp_path: Path) -> None:
    path = _profile(tmp_path, personeel_fte=1, so_uren_eigen=1200, uren_onderneming=900)
    payload = json.loads(run_cli("check", str(path), "--json", check=True).stdout)
    assert ["so_uren_eigen" in n and "uren_onderneming" in n for n in payload["plausibility_notes"]] == [True]
