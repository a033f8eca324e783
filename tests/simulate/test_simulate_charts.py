"""Charts: PNG files and one offline HTML page, each footed with the population."""

from __future__ import annotations

from pathlib import Path

from peloton.model.reforms import load_reform
from peloton.simulate.charts import write_charts
from peloton.simulate.evaluation import Plan
from peloton.simulate.population import PopulationFile
from peloton.simulate.results import export, simulate

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"  # git-ignored
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


def test_chart_page_has_a_headline_tables_csv_links_and_section_names(
    population_2024: PopulationFile, tmp_path: Path
) -> None:
    results = simulate(population_2024, population_2024.synthetic_info(), Plan(2025, load_reform(BRACKET)))
    export(results, tmp_path)
    write_charts(results, tmp_path)
    page = (tmp_path / "charts.html").read_text(encoding="utf-8")
    assert "<html lang='en'>" in page
    headline = page.split("<p class='headline'>")[1].split("</p>")[0]
    diff = next(r for r in results.difference() if r["scheme"] == "wbso")
    assert f"+EUR {diff['difference_cost_eur'] / 1e6:,.1f} m (paid+tax forgone)" in headline
    assert "SME share of the firms reached" in headline and "firms gain" in headline
    # every chart section has its table and the CSV behind it
    sections = page.split("<section>")[1:]
    assert len(sections) == 6
    for section in sections:
        assert "<table>" in section and "href='" in section and ".csv'" in section
    assert "href='breakdown.csv'" in page and "href='winners_losers.csv'" in page
    # SBI sections by name, from the model's enum labels
    assert "C Industrie" in page and "J Informatie en communicatie" in page


def test_chart_page_renders_in_chromium(population_2024: PopulationFile, tmp_path: Path, chromium) -> None:
    results = simulate(population_2024, population_2024.synthetic_info(), Plan(2025, load_reform(BRACKET)))
    write_charts(results, tmp_path)
    with chromium(tmp_path / "charts.html") as seen:
        seen.page.set_viewport_size({"width": 1280, "height": 900})
        seen.page.wait_for_selector(".js-plotly-plot .main-svg", timeout=20000)
        charts = seen.page.locator(".js-plotly-plot").count()
        assert charts >= 3
        assert seen.page.locator(".js-plotly-plot .main-svg").count() >= charts
        assert "SYNTHETIC population" in seen.page.inner_text("body")
        assert seen.page.locator("table").count() == 6
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        seen.page.screenshot(path=str(ARTIFACTS / "simulate_charts_1280.png"), full_page=True)
    assert not seen.errors
    assert seen.offline()


def test_headline_without_a_reform_gives_each_schemes_cost_and_reach(population_2024: PopulationFile) -> None:
    from peloton.simulate.charts import headline

    results = simulate(population_2024, population_2024.synthetic_info(), Plan(2025))
    text = headline(results)
    wbso = results.stats("baseline", "wbso")
    assert text.startswith("Under current rules in 2025")
    cost = f"EUR {wbso.cost_eur / 1e6:,.1f} m ({wbso.cost_kind})"
    assert f"WBSO: {cost} for {wbso.reached_firms:,.0f} firms" in text


def test_a_scheme_not_computed_has_no_bar_and_says_why(population_2024: PopulationFile) -> None:
    """In 2026 the MIT feasibility rules have no sourced parameters: no empty bar that reads as EUR 0,
    a label that says so, and the reason (the parameter) in the notes every output carries."""
    import math

    from peloton.simulate.charts import _bar_values

    results = simulate(population_2024, population_2024.synthetic_info(), Plan(2026))
    labels, values = _bar_values(results, "cost_eur", 1e6)
    index = labels.index("mit_haalbaarheid (not computed)")
    assert math.isnan(values["baseline"][index])
    assert any(
        n.startswith("mit_haalbaarheid: not computed for 2026") and "parameter" in n for n in results.notes
    )
    wbso = labels.index("wbso")
    assert values["baseline"][wbso] > 0  # computed schemes keep their bars


def test_a_result_resting_on_uncertain_values_says_so(
    population_2024: PopulationFile, tmp_path: Path
) -> None:
    """2026: the WBSO forfait is inferred unchanged (uncertain): the scheme's JSON, its CSV row and the
    notes every output carries name the values; a year with only confirmed WBSO values names none."""
    import csv

    results = simulate(population_2024, population_2024.synthetic_info(), Plan(2026))
    wbso = results.stats("baseline", "wbso")
    assert "wbso.forfait.urendrempel" in {u["parameter"] for u in wbso.uncertain_values}
    assert any(n.startswith("wbso: rests on uncertain values:") for n in results.notes)
    export(results, tmp_path)
    rows = {r["scheme"]: r for r in csv.DictReader((tmp_path / "schemes.csv").open(encoding="utf-8"))}
    assert "wbso.forfait.urendrempel" in rows["wbso"]["uncertain_values"]
    earlier = simulate(population_2024, population_2024.synthetic_info(), Plan(2024))
    assert earlier.stats("baseline", "wbso").uncertain_values == []


def test_every_output_labels_the_sector_and_province_breakdowns_an_assumption(
    population_2024: PopulationFile, tmp_path: Path
) -> None:
    """No scheme has use by sector in the reference: its breakdown by SBI section (and where its users
    sit by province) is labelled an assumption in results.json, breakdown.csv, the notes and the charts."""
    import csv
    import json

    results = simulate(population_2024, population_2024.synthetic_info(), Plan(2024))
    export(results, tmp_path)
    write_charts(results, tmp_path)
    payload = json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))
    for scheme in payload["schemes"]["baseline"]:
        assert scheme["breakdown_basis"]["sbi_section"]["basis"] == "assumption", scheme["id"]
        assert "no use of any scheme by sector" in scheme["breakdown_basis"]["sbi_section"]["note"]
        assert scheme["breakdown_basis"]["province"]["basis"] == "assumption"
    with (tmp_path / "breakdown.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        expected = "assumption" if row["dimension"] in ("sbi_section", "province") else ""
        assert row["basis"] == expected, row
    assert any("breakdown by SBI section" in n and "assumption" in n for n in results.notes)
    page = (tmp_path / "charts.html").read_text(encoding="utf-8")
    sector = next(s for s in page.split("<section>") if s.startswith("<h2>Cost by SBI section"))
    assert "<strong>Assumption:</strong> where a scheme&#x27;s users sit by SBI section" in sector
    assert "innovatiebox: cost (EUR million) (assumption)" in sector and "wbso (assumption)" in sector
    size = next(s for s in page.split("<section>") if s.startswith("<h2>Cost by size class"))
    assert "(assumption)" not in size and "Assumption:" not in size


def test_a_users_file_breakdowns_rest_on_the_file(tmp_path: Path) -> None:
    from peloton.simulate.results import basis_label

    from . import tiny

    source = PopulationFile(tiny.write(tmp_path / "firms.csv"))
    results = simulate(source, source.validate(10), Plan(2025))
    wbso = results.stats("baseline", "wbso")
    assert basis_label(wbso, "sbi_section") == "population file" and basis_label(wbso, "size_class") == ""
    assert not any("assumption" in n and "breakdown" in n for n in results.notes)
