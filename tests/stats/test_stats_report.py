"""The monitor report: figures with sources, honest verdicts, offline charts that really render."""

from __future__ import annotations

import csv
import re
from html import escape
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
        "value_added.csv",
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
    assert html.count('class="plotly-graph-div"') == len(CHARTS)


def test_csvs_carry_sources(report: Path) -> None:
    with (report.parent / "sector_change.csv").open(encoding="utf-8") as fh:
        rows = {r["sector_code"]: r for r in csv.DictReader(fh)}
    assert float(rows["F"]["change"]) == -41 and rows["F"]["scope"].startswith("employee jobs only")
    with (report.parent / "jobs_by_sector.csv").open(encoding="utf-8") as fh:
        assert all(r["source"] and r["vintage"] for r in csv.DictReader(fh))
    with (report.parent / "claims.csv").open(encoding="utf-8") as fh:
        claims = list(csv.DictReader(fh))
    assert all("seed:" in c["sources"] for c in claims)


CHARTS = (
    "chart-q3-change",
    "chart-q3-index",
    "chart-q45-productivity",
    "chart-q45-growth-accounts",
    "chart-q45-value-added",
    "chart-q7-use",
    "chart-q7-kinds",
    "chart-q7-mit",
    "chart-q7-innovatiebox",
)
ARTIFACTS = Path(__file__).parents[1] / "artifacts"


def test_every_chart_has_its_table_and_csv(report: Path) -> None:
    html = report.read_text(encoding="utf-8")
    body = html[html.index("<body>") :]
    starts = sorted(body.index(f'id="{c}"') for c in CHARTS)
    for i, at in enumerate(starts):
        following = body[at : starts[i + 1] if i + 1 < len(starts) else len(body)]
        assert "<table" in following, body[at : at + 60]
        table_at = following.index("<table")
        csv_link = re.search(r'href="([a-z_]+\.csv)"', following[: table_at + 400])
        assert csv_link and (report.parent / csv_link[1]).exists(), body[at : at + 60]


def test_lang_is_set(report: Path) -> None:
    html = report.read_text(encoding="utf-8")
    assert html.startswith('<!DOCTYPE html>\n<html lang="en">')
    assert html.count('<blockquote lang="nl">') == 3  # the questions are quoted in Dutch


def test_each_claim_appears_once(report: Path, store_path: Path) -> None:
    from peloton.stats.claims import check_claims

    html = report.read_text(encoding="utf-8")
    with Store.open(store_path, read_only=True) as st:
        claims = check_claims(st)
    for c in claims:
        assert html.count(f"<td>{escape(c.claim)}</td>") == 1, c.claim


def test_sources_are_links_without_commit_hashes(report: Path) -> None:
    html = report.read_text(encoding="utf-8")
    body = html[html.index("<body>") :]
    with (report.parent / "sources.csv").open(encoding="utf-8") as fh:
        sources = [r["source"] for r in csv.DictReader(fh)]
    urls = {u for s in sources for u in links_in(s)}
    assert len(urls) > 20
    for url in urls:
        assert f'href="{escape(url)}"' in body, url
    assert not re.search(r"\b[0-9a-f]{40}\b", body)  # hashes shortened to 7 digits
    assert "3f24a9e" in body  # ... but kept, so the copy can still be traced


def links_in(text: str) -> list[str]:
    from peloton.stats.report import _URL

    return [m.group(0) for m in _URL.finditer(text)]


def test_q7_shows_every_scheme_the_store_holds(report: Path) -> None:
    html = report.read_text(encoding="utf-8")
    q7 = html[html.index('<section id="q7">') : html.index('<section id="summary">')]
    for scheme_id, figure in (("mit", "1,595"), ("innovatiebox", "3,200")):
        assert f'id="q7-{scheme_id}"' in q7 and figure in q7
    with (report.parent / "scheme_use.csv").open(encoding="utf-8") as fh:
        assert {r["scheme"] for r in csv.DictReader(fh)} == {"wbso", "mit", "innovatiebox"}


def test_value_added_next_to_productivity(report: Path) -> None:
    html = report.read_text(encoding="utf-8")
    q45 = html[html.index('<section id="q4-5">') : html.index('<section id="q7">')]
    assert 'id="value-added"' in q45 and "85880NED" in q45 and "202607010955" in q45
    assert "J Informatie en communicatie (+5.0% a year)" in q45 and "2025: provisional" in q45
    with (report.parent / "value_added.csv").open(encoding="utf-8") as fh:
        rows = {(r["sector_code"], r["period"]): r for r in csv.DictReader(fh)}
    assert float(rows[("C", "2020")]["value"]) == -1.8 and "Voorlopig" in rows[("C", "2025")]["note"]


def test_charts_render_in_chromium(report: Path, chromium) -> None:
    with chromium(report) as seen:
        page = seen.page
        page.set_viewport_size({"width": 1280, "height": 900})
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=20000)
        assert page.locator(".js-plotly-plot").count() == len(CHARTS)
        assert page.locator(".js-plotly-plot .main-svg").count() >= len(CHARTS)
        assert page.locator("#chart-q3-change .bars path").count() >= 19  # one bar per section
        # WBSO use: years in order on a numeric axis; the right axis reads whole percentages
        use = page.evaluate(
            "() => { const g = document.getElementById('chart-q7-use');"
            " return {type: g._fullLayout.xaxis.type, x: g.data.map(t => Array.from(t.x)),"
            " y2: Array.from(g.querySelectorAll('.y2tick text')).map(t => t.textContent)}; }"
        )
        assert use["type"] == "linear"
        assert all(x == sorted(x) for x in use["x"]) and use["y2"]
        assert all(re.fullmatch(r"\d+%", t) for t in use["y2"]), use["y2"]
        # growth accounts: 2000 -> 2005 is five times as wide as 2011 -> 2012
        gap = page.evaluate(
            "() => { const a = document.getElementById('chart-q45-growth-accounts')._fullLayout.xaxis;"
            " return [a.d2p(2005) - a.d2p(2000), a.d2p(2012) - a.d2p(2011)]; }"
        )
        assert gap[0] == pytest.approx(5 * gap[1], abs=0.5)  # pixels are rounded
        # no value label of the sector chart overlaps the sector names
        boxes = page.evaluate(
            "() => { const g = document.getElementById('chart-q3-change');"
            " const r = s => Array.from(g.querySelectorAll(s)).map(e => e.getBoundingClientRect());"
            " return {names: Math.max(...r('.ytick text').map(b => b.right)),"
            " values: Math.min(...r('text.bartext').map(b => b.left)), n: r('text.bartext').length}; }"
        )
        assert boxes["n"] >= 19 and boxes["values"] > boxes["names"], boxes
        # value labels of one chart never cover each other (MIT: bars and the firms' markers)
        for chart in ("chart-q7-mit", "chart-q3-change", "chart-q45-value-added"):
            overlaps = page.evaluate(
                "id => { const g = document.getElementById(id);"
                " const t = Array.from(g.querySelectorAll('text.bartext, .textpoint text'))"
                ".map(e => e.getBoundingClientRect()).filter(b => b.width > 0); let n = 0;"
                " for (let i = 0; i < t.length; i++) for (let j = i + 1; j < t.length; j++)"
                " if (t[i].left < t[j].right && t[j].left < t[i].right && t[i].top < t[j].bottom"
                " && t[j].top < t[i].bottom) n++; return [t.length, n]; }",
                chart,
            )
            assert overlaps[0] >= 3 and overlaps[1] == 0, (chart, overlaps)
        # the sources tables are readable: no column squeezed to a few letters
        widths = page.evaluate(
            "() => Array.from(document.querySelectorAll('table.sourcelist th'))"
            ".map(th => th.getBoundingClientRect().width)"
        )
        assert widths and min(widths) > 200, widths
        ARTIFACTS.mkdir(exist_ok=True)
        shot = ARTIFACTS / "monitor_report.png"
        page.screenshot(path=str(shot), full_page=True)
    assert not seen.errors
    assert seen.offline()  # nothing from the network
    assert shot.stat().st_size > 100_000


def test_q7_has_the_efro_product_process_estimate(report: Path) -> None:
    """The minister's "not recorded" gets the registry's estimate, labelled as one, with its method,
    interval and the CSV behind it (the bundled Europa-om-de-hoek projects)."""
    html = report.read_text(encoding="utf-8")
    q7 = html[html.index('<section id="q7">') :]
    q7 = q7[: q7.index("</section>")]
    assert "q7-efro-kinds" in q7 and "<strong>estimate</strong>" in q7 and "confusion-matrix" in q7
    rows = list(csv.DictReader((report.parent / "efro_kinds.csv").open(encoding="utf-8")))
    kinds = {r["kind"]: r for r in rows}
    assert {"product", "process", "none"} <= set(kinds)
    process = kinds["process"]
    assert float(process["eur_low"]) <= float(process["eur_estimate"]) <= float(process["eur_high"])
    assert round(sum(float(r["eur_naive"]) for r in rows)) == 806_666_827  # the EFRO EU subsidy of the file
