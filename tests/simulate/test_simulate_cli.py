"""`peloton simulate` and `peloton population` as a user runs them (real CLI in a subprocess)."""

from __future__ import annotations

import csv
import json
import os
import subprocess
from pathlib import Path

from tests.conftest import REPO, peloton_bin

from . import tiny

RECORDS = "20000"


def test_population_check_meets_every_target(run_cli) -> None:
    result = run_cli("population", "--check", "--year", "2020", "--records", RECORDS, check=True)
    out = result.stdout
    assert "SYNTHETIC" in out and "WBSO users" in out and "20,340" in out
    assert "firms, 500+ working persons" in out
    assert "37 of 37 targets met" in out  # 25 + 12 provinces
    assert "Sectors of the users: no target, assumption" in " ".join(out.split())
    payload = json.loads(
        run_cli("population", "--check", "--year", "2020", "--records", RECORDS, "--json", check=True).stdout
    )
    assert payload["all_targets_met"] and all(r["ok"] is not False for r in payload["wbso"])
    provinces = payload["provinces"]
    assert len(provinces) == 12 and all(r["ok"] and r["year"] == "2020" for r in provinces)
    assert payload["sectors_of_users"]["basis"] == "assumption"


def test_population_describe_and_export(run_cli, tmp_path: Path) -> None:
    target = tmp_path / "population.csv"
    out = run_cli("population", "--records", "3000", "--export", str(target), check=True).stdout
    assert "SYNTHETIC" in out and "3,000 records standing for 2,316,555 firms" in out
    # the generator's inputs as a table, not Python dicts
    assert "{" not in out and "'" not in out
    assert "WBSO input" in out and "starters share" in out and "%" in out
    with target.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 3000 and rows[0]["synthetic"] == "true" and rows[0]["sbi_sectie"]
    # the export is a valid user population
    again = run_cli("simulate", "--year", "2024", "--population", str(target), "--no-charts", "--out",
                    str(tmp_path / "o"), check=True)  # fmt: skip
    assert "records marked synthetic" in again.stdout


def test_simulate_reform_end_to_end(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_cli("simulate", "--year", "2025", "--reform", "examples/reforms/procesinnovatie_mkb.yaml",
                     "--records", RECORDS, "--out", str(out), check=True)  # fmt: skip
    text = result.stdout
    assert "SYNTHETIC population" in text and "procesinnovatie_mkb" in text
    assert "Reform minus baseline" in text and "winners" in text and "Take-up" in text
    assert "users' sector: assumption for every scheme" in " ".join(text.split())
    payload = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert payload["population"]["synthetic"] and payload["population"]["weighted_firms"] == 2_316_555
    new = next(s for s in payload["schemes"]["reform"] if s["id"] == "procesinnovatie_mkb")
    assert new["cost_eur"] > 0 and new["sme_share_firms"] == 1.0
    diff = {row["scheme"]: row for row in payload["difference"]}
    assert diff["wbso"]["difference_cost_eur"] == 0
    assert diff["procesinnovatie_mkb"]["difference_cost_eur"] == new["cost_eur"]
    with (out / "schemes.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["scenario"] for r in rows} == {"baseline", "reform"}
    assert all(r["population_kind"] == "synthetic" and "SYNTHETIC" in r["population"] for r in rows)
    for name in ("breakdown.csv", "difference.csv", "winners_losers.csv", "cost_by_scheme.png",
                 "cost_by_size_class.png", "cost_by_sbi_section.png", "cost_by_province.png",
                 "winners_losers.png", "charts.html"):  # fmt: skip
        assert (out / name).stat().st_size > 0, name
    assert (out / "cost_by_scheme.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    html = (out / "charts.html").read_text(encoding="utf-8")
    assert "SYNTHETIC population" in html and "cdn" not in html.lower().split("<body>")[1][:2000]


def test_simulate_user_population_json(run_cli, tmp_path: Path) -> None:
    path = tiny.write(tmp_path / "firms.csv")
    result = run_cli("simulate", "--year", "2025", "--population", str(path), "--chunk-size", "2", "--json",
                     "--no-charts", "--out", str(tmp_path / "o"), check=True)  # fmt: skip
    payload = json.loads(result.stdout)
    assert payload["population"]["kind"] == "user" and payload["population"]["records"] == 6
    assert payload["population"]["weighted_firms"] == 31
    wbso = payload["schemes"]["baseline"][0]
    assert wbso["id"] == "wbso" and wbso["reached_firms"] == 3


def test_bad_inputs_are_one_line_and_exit_2(run_cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("weight,so_uren\n1,10\n2,-4\n", encoding="utf-8")
    result = run_cli("simulate", "--year", "2025", "--population", str(bad))
    assert result.returncode == 2
    assert result.stderr.strip() == "error: so_uren: row 2: negative value -4 (float 0 .. 1e+08)"
    result = run_cli("simulate", "--year", "2018", "--records", "3000")
    assert result.returncode == 2 and result.stderr.startswith("error: year: 2018")
    reform = tmp_path / "r.yaml"
    reform.write_text("name: x\nparameter_changes: [{parameter: wbso.nope, value: 1, start: 2025-01-01}]\n")
    result = run_cli("simulate", "--year", "2025", "--reform", str(reform))
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "parameter_changes[0].parameter" in result.stderr
    result = run_cli("simulate", "--year", "2025", "--population", str(bad), "--chunk-size", "0")
    assert result.returncode == 2 and "chunk-size" in result.stderr


def test_readme_calibration_count_is_what_population_check_prints(run_cli) -> None:
    """The README quotes the default population's calibration count; it must be the real one."""
    import re

    out = run_cli("population", "--check", check=True).stdout
    match = re.search(r"(\d+) of (\d+) targets met", out)
    assert match, out[-500:]
    readme = " ".join((Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8").split())
    assert f"({match.group(1)} of {match.group(2)} met)" in readme


def test_a_year_outside_the_rules_is_refused_before_any_population(run_cli, tmp_path: Path) -> None:
    for command in (("simulate", "--records", "3000"), ("population", "--records", "3000")):
        result = run_cli(*command, "--year", "2099")
        assert result.returncode == 2
        assert result.stderr.strip() == "error: year: 2099 is outside the years the rules cover (2019-2026)"
    assert not (tmp_path / "home" / "populations").exists() or not any(
        (tmp_path / "home" / "populations").iterdir()
    )


def run_at_80_columns(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The CLI in a terminal 80 columns wide (the run_cli fixture uses 200)."""
    env = {**os.environ, "PELOTON_HOME": str(home), "COLUMNS": "80"}
    return subprocess.run(
        [*peloton_bin(), *args], capture_output=True, text=True, env=env, cwd=REPO, timeout=300
    )


def assert_readable_at_80(text: str) -> None:
    lines = text.splitlines()
    assert lines, "no output"
    assert not [line for line in lines if "…" in line], "a cell is cut"
    assert max(len(line) for line in lines) <= 80


def test_simulate_and_population_tables_are_readable_at_80_columns(tmp_path: Path) -> None:
    result = run_at_80_columns(tmp_path / "home", "simulate", "--year", "2025", "--records", "3000",
                               "--reform", "examples/reforms/procesinnovatie_mkb.yaml", "--no-charts",
                               "--out", str(tmp_path / "o"))  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert_readable_at_80(result.stdout)
    assert "19,000" in result.stdout and "mit_rd_samenwerking" in result.stdout
    result = run_at_80_columns(
        tmp_path / "home", "population", "--check", "--year", "2024", "--records", "3000"
    )
    assert_readable_at_80(result.stdout)
    assert "WBSO users" in result.stdout
