"""The monitor report: figures with sources, honest verdicts, offline charts that really render."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from peloton.stats.report import build_report
from peloton.stats.store import Store


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory, store_path: Path) -> Path:
    out = tmp_path_factory.mktemp("report")
    with Store.open(store_path, read_only=True) as st:
        return build_report(st, out)


def test_report_files(report: Path) -> None:
    names = {p.name for p in report.parent.iterdir()}
    assert {
        "report.html",
        "sector_change.csv",
        "jobs_by_sector.csv",
        "productivity.csv",
        "scheme_use.csv",
        "claims.csv",
        "sources.csv",
    } <= names


def test_report_reproduces_the_seed_figures_with_scope(report: Path) -> None:
    html = report.read_text(encoding="utf-8")
    for text in (
        "20,340 users",
        "97% SME",
        "135,370 projects",
        "-1.8% in 2020",
        "commercial sector",
        "employee jobs only",
        "81431ned",
        "https://www.cbs.nl/nl-nl/nieuws/2021/27/arbeidsproductiviteit-lager-in-2020",
    ):
        assert text in html, text
    for section in ('id="q3"', 'id="q4-5"', 'id="q7"'):
        assert section in html
    assert "contradicted" in html and "cannot confirm" in html
    assert "Only the seed gives this figure" in html


def test_report_is_self_contained(report: Path) -> None:
    html = report.read_text(encoding="utf-8")
    assert "<script src=" not in html and "<link " not in html  # plotly.js inline; no external files
    assert html.count("plotly.js v") >= 1  # the bundle's banner, inline
    assert html.count('class="plotly-graph-div"') == 6


def test_csvs_carry_sources(report: Path) -> None:
    with (report.parent / "sector_change.csv").open(encoding="utf-8") as fh:
        rows = {r["sector_code"]: r for r in csv.DictReader(fh)}
    assert float(rows["F"]["change"]) == -41 and rows["F"]["scope"].startswith("employee jobs only")
    with (report.parent / "jobs_by_sector.csv").open(encoding="utf-8") as fh:
        assert all(r["source"] and r["vintage"] for r in csv.DictReader(fh))
    with (report.parent / "claims.csv").open(encoding="utf-8") as fh:
        claims = list(csv.DictReader(fh))
    assert all("seed:" in c["sources"] for c in claims)


def test_charts_render_in_chromium(report: Path, tmp_path: Path, chromium) -> None:
    with chromium(report) as seen:
        page = seen.page
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=20000)
        assert page.locator(".js-plotly-plot").count() == 6
        assert page.locator(".js-plotly-plot .main-svg").count() >= 6
        assert page.locator("#chart-q3-change .bars path").count() >= 19  # one bar per section
        page.screenshot(path=str(tmp_path / "report.png"), full_page=False)
    assert not seen.errors
    assert seen.offline()  # nothing from the network
    assert (tmp_path / "report.png").stat().st_size > 10_000
