"""Charts: PNG files and one offline HTML page, each footed with the population."""

from __future__ import annotations

from pathlib import Path

from peloton.model.reforms import load_reform
from peloton.simulate.charts import write_charts
from peloton.simulate.evaluation import Plan
from peloton.simulate.population import PopulationFile
from peloton.simulate.results import export, simulate

BRACKET = Path(__file__).resolve().parents[2] / "examples" / "reforms" / "wbso_eerste_schijf_500k.yaml"


def test_charts_and_exports_written(population_2024: PopulationFile, tmp_path: Path) -> None:
    results = simulate(population_2024, population_2024.synthetic_info(), Plan(2025, load_reform(BRACKET)))
    files = export(results, tmp_path) + write_charts(results, tmp_path)
    names = {p.name for p in files}
    assert {"results.json", "schemes.csv", "breakdown.csv", "difference.csv", "winners_losers.csv"} <= names
    assert {"cost_by_scheme.png", "reached_by_scheme.png", "winners_losers.png", "charts.html"} <= names
    for path in files:
        assert path.stat().st_size > 0
        if path.suffix == ".png":
            assert path.read_bytes()[:4] == b"\x89PNG"
    html = (tmp_path / "charts.html").read_text(encoding="utf-8")
    assert "SYNTHETIC population" in html and "2,316,555 firms" in html and "Plotly" in html
    assert "<script src=" not in html  # plotly.js inline: works offline


def test_chart_page_renders_in_chromium(population_2024: PopulationFile, tmp_path: Path, chromium) -> None:
    results = simulate(population_2024, population_2024.synthetic_info(), Plan(2025, load_reform(BRACKET)))
    write_charts(results, tmp_path)
    with chromium(tmp_path / "charts.html") as seen:
        seen.page.wait_for_selector(".js-plotly-plot .main-svg", timeout=20000)
        charts = seen.page.locator(".js-plotly-plot").count()
        assert charts >= 3
        assert seen.page.locator(".js-plotly-plot .main-svg").count() >= charts
        assert "SYNTHETIC population" in seen.page.inner_text("body")
    assert not seen.errors
    assert seen.offline()
