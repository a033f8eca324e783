"""Sweeps and budget windows on the local engine: a step is an ordinary reform run (equal to
`peloton simulate --reform` with that value, to the cent), results do not depend on chunk size or
worker count, gaps are listed and never filled in, bad input is one line naming the field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from peloton.errors import InputError
from peloton.model.reforms import load_reform
from peloton.simulate.evaluation import Plan
from peloton.simulate.population import PopulationFile
from peloton.simulate.results import simulate
from peloton.simulate.study import StudyOptions
from peloton.simulate.sweep import parse_sweep, run_sweep
from peloton.simulate.window import parse_years, run_window

REPO = Path(__file__).resolve().parents[2]
PLAFOND = "wbso.afdrachtvermindering.plafond_schijf_1"
PROCES = REPO / "examples" / "reforms" / "procesinnovatie_mkb.yaml"
RECORDS = 6_000


def _comparable(payload: dict[str, Any]) -> dict[str, Any]:
    """The figures of a study without what says how it ran (engine, workers, tasks, chunk size)."""
    return {k: v for k, v in payload.items() if k != "run"}


def test_parse_sweep_ranges_and_lists() -> None:
    assert parse_sweep(f"{PLAFOND}=350000:500000:50000").values == (350e3, 400e3, 450e3, 500e3)
    assert parse_sweep("x.rate=0.1:0.3:0.1").values == (0.1, 0.2, 0.3)  # no float drift drops 0.3
    assert parse_sweep("x.rate=0.3:0.1:-0.1").values == (0.3, 0.2, 0.1)
    assert parse_sweep("x.open=true,false").values == (True, False)
    assert parse_sweep("x=1, 5 ,9").values == (1.0, 5.0, 9.0)
    for bad, words in (
        ("no-equals-sign", "PARAMETER=START:STOP:STEP"),
        ("x=1:2", "START:STOP:STEP"),
        ("x=1:5:0", "does not lead"),
        ("x=5:1:1", "does not lead"),
        ("x=0:10000:1", "at most 1000"),
        ("x=1,abc", "not a number"),
        ("x=1,1", "twice"),
        ("x=1:nan:1", "finite"),
    ):
        with pytest.raises(InputError) as info:
            parse_sweep(bad)
        assert info.value.field == "sweep" and words in info.value.problem, (bad, info.value)


def test_bad_sweep_is_one_line_naming_the_field(run_cli) -> None:
    for sweep, words in (
        ("wbso.afdrachtvermindering.tarief_schijf_1=0.3,1.5", "1.5 is above 1"),
        ("wbso.no_such_parameter=1,2", "no_such_parameter"),
        ("procesinnovatie_mkb.colour=1,2", "sweep one of its fields percentage, maximum"),
        ("procesinnovatie_mkb.percentage=0.2,1.2", "1.2 is above 1"),
    ):
        result = run_cli("simulate", "--year", "2025", "--reform", str(PROCES), "--sweep", sweep,
                         "--records", "3000", "--no-charts")  # fmt: skip
        assert result.returncode == 2, (sweep, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: sweep: ") and words in lines[0], lines
    for args, field in (
        (["--sweep", f"{PLAFOND}=1,2"], "year"),
        (["--year", "2024", "--years", "2023-2024"], "year"),
        (["--years", "2017-2020"], "years"),
        (["--years", "2024-2023"], "years"),
        (["--year", "2024", "--sweep", f"{PLAFOND}=1,2", "--engine", "spark"], "engine"),
        (["--year", "2024", "--sweep", f"{PLAFOND}=1,2", "--scheduler", "tcp://x:1"], "scheduler"),
    ):
        result = run_cli("simulate", *args, "--records", "3000", "--no-charts")
        assert result.returncode == 2 and result.stderr.startswith(f"error: {field}: "), (args, result.stderr)
        assert "Traceback" not in result.stderr


def _single(run_cli, tmp_path: Path, population: Path, year: int, reform: dict[str, Any]) -> dict[str, Any]:
    """`peloton simulate --reform FILE --json` with the step's value written in a reform file."""
    path = tmp_path / f"step-{len(list(tmp_path.glob('step-*')))}.yaml"
    path.write_text(yaml.safe_dump(reform), encoding="utf-8")
    result = run_cli("simulate", "--year", str(year), "--population", str(population), "--reform", str(path),
                     "--json", "--no-charts", "--out", str(tmp_path / "single"), check=True)  # fmt: skip
    return dict(json.loads(result.stdout))


def _assert_step_is_the_single_run(step: dict[str, Any], single: dict[str, Any]) -> None:
    difference = {row["scheme"]: row for row in single["difference"]}
    reform = {s["id"]: s for s in single["schemes"]["reform"]}
    for row in step["schemes"]:
        d, s = difference[row["scheme"]], reform[row["scheme"]]
        assert row["cost_eur"] == d["reform_cost_eur"] and row["law_cost_eur"] == d["baseline_cost_eur"]
        assert row["difference_cost_eur"] == d["difference_cost_eur"]
        assert row["reached_firms"] == d["reform_reached_firms"]
        assert (
            row["sme_share_firms"] == s["sme_share_firms"] and row["sme_share_money"] == s["sme_share_money"]
        )
        assert row["winners"] == d["winners"] and row["losers"] == d["losers"]
    assert step["winners"] == single["winners_losers"]["total"]["winners"]
    assert step["parameter_changes"] == single["reform"]["parameter_changes"]


def test_sweep_step_equals_a_single_reform_run(make_population, run_cli, tmp_path: Path) -> None:
    population = make_population(2024, RECORDS)
    payload = run_sweep(
        2024,
        f"{PLAFOND}=350000,420000,500000",
        options=StudyOptions(population=population, chunk_size=2_500, workers=2),
        out=tmp_path / "sweep",
    )
    steps = payload["steps"]
    assert [s["value"] for s in steps] == [350_000, 420_000, 500_000]
    assert steps[0]["difference_cost_eur"] == 0 and steps[0]["marginal_cost_eur"] is None  # the 2024 law
    assert 0 < steps[1]["difference_cost_eur"] < steps[2]["difference_cost_eur"]
    assert steps[2]["marginal_cost_eur"] == round(
        steps[2]["difference_cost_eur"] - steps[1]["difference_cost_eur"], 2
    )
    assert steps[2]["marginal_cost_per_unit"] == pytest.approx(steps[2]["marginal_cost_eur"] / 80_000)
    assert steps[1]["winners"] > 0 and steps[1]["losers"] == 0 and 0 < steps[1]["sme_share_winners"] <= 1
    for i in (1, 2):
        reform = {
            "name": "single",
            "parameter_changes": [{"parameter": PLAFOND, "value": steps[i]["value"], "start": "2024-01-01"}],
        }
        _assert_step_is_the_single_run(steps[i], _single(run_cli, tmp_path, population, 2024, reform))
    files = {p.name for p in (tmp_path / "sweep").iterdir()}
    assert {"sweep.json", "sweep.csv", "sweep_schemes.csv", "cost_curve.png", "cost_curve.html"} <= files
    saved = json.loads((tmp_path / "sweep" / "sweep.json").read_text(encoding="utf-8"))
    assert saved["steps"] == json.loads(json.dumps(steps))
    assert "SYNTHETIC" in (tmp_path / "sweep" / "cost_curve.html").read_text(encoding="utf-8")


def test_sweep_of_a_new_schemes_maximum(make_population, run_cli, tmp_path: Path) -> None:
    population = make_population(2025, RECORDS)
    payload = run_sweep(
        2025,
        "procesinnovatie_mkb.maximum=20000,50000",
        reform=PROCES,
        options=StudyOptions(population=population, workers=1),
    )
    costs = [next(r for r in s["schemes"] if r["scheme"] == "procesinnovatie_mkb") for s in payload["steps"]]
    assert 0 < costs[0]["cost_eur"] < costs[1]["cost_eur"] and costs[0]["law_cost_eur"] == 0
    assert payload["base_reform"]["name"].startswith("Procesinnovatie")
    base = yaml.safe_load(PROCES.read_text(encoding="utf-8"))
    base["new_schemes"][0]["maximum"] = 20000
    _assert_step_is_the_single_run(payload["steps"][0], _single(run_cli, tmp_path, population, 2025, base))


def test_same_result_for_any_chunk_size_and_worker_count(make_population) -> None:
    population = make_population(2024, RECORDS)
    runs = [
        run_sweep(2024, f"{PLAFOND}=400000,500000", options=StudyOptions(population=population, **kw))
        for kw in ({"chunk_size": 100_000, "workers": 1}, {"chunk_size": 1_700, "workers": 2})
    ]
    assert runs[0]["run"]["tasks"] == 1 and runs[1]["run"]["tasks"] > 4
    assert _comparable(runs[0]) == _comparable(runs[1])


def test_window_lists_years_not_computed_and_never_fills_them(make_population, tmp_path: Path) -> None:
    population = make_population(2024, RECORDS)
    payload = run_window(
        "2023-2024",
        reform=REPO / "examples" / "reforms" / "wbso_eerste_schijf_500k.yaml",
        options=StudyOptions(population=population, chunk_size=2_000, workers=2),
        out=tmp_path / "window",
    )
    assert payload["years"] == [2023, 2024]
    totals = {t["scheme"]: t for t in payload["totals"]}
    rows = {(r["year"], r["scheme"]): r for r in payload["per_year"]}
    # SLIM: computed for 2023, no sourced maximum for 2024 -> listed, left out of the total
    assert rows[(2024, "slim")]["law_cost_eur"] is None and rows[(2024, "slim")]["not_computed"] == [
        "law",
        "reform",
    ]
    assert "slim.max_subsidie_mkb" in rows[(2024, "slim")]["reason"]
    assert totals["slim"]["law_years"] == [2023]
    assert totals["slim"]["law_cost_eur"] == round(rows[(2023, "slim")]["law_cost_eur"], 2)
    assert [n["year"] for n in totals["slim"]["not_computed"]] == [2024]
    assert "slim" in payload["window_total"]["incomplete"]
    # the reform starts in 2024: no effect in 2023, its cost in 2024
    assert (
        rows[(2023, "wbso")]["difference_cost_eur"] == 0 and rows[(2024, "wbso")]["difference_cost_eur"] > 0
    )
    assert totals["wbso"]["difference_cost_eur"] == rows[(2024, "wbso")]["difference_cost_eur"]
    assert any("not in force on 1 January 2023" in n for n in payload["notes"])
    # each year is an ordinary simulation of that year
    single = simulate(PopulationFile(population, kind="user"), PopulationFile(population).validate(), Plan(
        2024, load_reform(REPO / "examples" / "reforms" / "wbso_eerste_schijf_500k.yaml")))  # fmt: skip
    for scheme in ("wbso", "innovatiebox", "eia"):
        assert rows[(2024, scheme)]["law_cost_eur"] == single.stats("baseline", scheme).cost_eur
        assert rows[(2024, scheme)]["reform_cost_eur"] == single.stats("reform", scheme).cost_eur
    files = {p.name for p in (tmp_path / "window").iterdir()}
    assert {"window.json", "window.csv", "window_totals.csv", "window.png", "window.html"} <= files


def test_window_on_a_csv_population_equals_its_parquet(make_population, tmp_path: Path) -> None:
    """A CSV is converted once to Parquet for the workers: the same figures as the Parquet file."""
    parquet = make_population(2024, 3_000)
    csv_path = tmp_path / "firms.csv"
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    pacsv.write_csv(pq.read_table(parquet).replace_schema_metadata(None), csv_path)
    runs = [
        run_window([2024], options=StudyOptions(population=path, chunk_size=1_000, workers=2))
        for path in (parquet, csv_path)
    ]
    assert runs[0]["per_year"] == runs[1]["per_year"] and runs[0]["totals"] == runs[1]["totals"]


def test_parse_years() -> None:
    assert parse_years("2019-2021") == [2019, 2020, 2021]
    assert parse_years("2024,2019") == [2019, 2024]
    with pytest.raises(InputError, match="outside the years the rules cover"):
        parse_years("2018-2020")
