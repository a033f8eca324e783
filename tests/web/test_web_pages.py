"""Every page in Dutch and English at 320 px and 1280 px: axe-core finds no WCAG 2.1 A/AA violation,
no request leaves the loopback server, every chart is drawn with its table, the reader shows the
seed's 13 questions, and a screenshot of each is written to tests/artifacts/screenshots/. Each page
is loaded once per language and checked at both widths (the viewport resized in between), which
halves the page loads without checking less. Also: a scheme page's worked examples are its rule
tests, and the monitor's yearly series agrees with its start-to-end table."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from tests.conftest import REPO
from tests.web.conftest import Visit

FIRM = "year=2025&rechtsvorm=bv&personeel_fte=20&jaaromzet=3000000&balanstotaal=2000000"
PAGES = {
    "home": "/{lang}/",
    "navigator": "/{lang}/navigator",
    "navigator-step": "/{lang}/navigator?year=2024",
    "navigator-result": "/{lang}/navigator/uitkomst?year=2024&so_uren=3000&rechtsvorm=bv&personeel_fte=65",
    "navigator-reform": "/{lang}/navigator/uitkomst?" + FIRM + "&innovatie_soort=proces&hervorming={reform}",
    "schemes": "/{lang}/regelingen",
    "scheme-wbso": "/{lang}/regelingen/wbso",
    "simulator": "/{lang}/simulator?parameter=wbso.afdrachtvermindering.plafond_schijf_1&year=2024",
    "simulator-new-scheme": "/{lang}/simulator?year=2025&ns_name=Proces&ns_shape=percentage_of_costs",
    "simulator-reform": "/{lang}/simulator/{reform}",
    "simulator-sweep": "/{lang}/simulator/{sweep}",
    "monitor": "/{lang}/monitor",
    "reader-seed": "/{lang}/lezer?document=seed",
    "accessibility": "/{lang}/toegankelijkheid",
}
WIDTHS = (1280, 320)
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture(scope="module")
def axe() -> Any:
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def _charts_drawn(v: Visit) -> None:
    for figure in v.page.locator("figure.chart").all():
        assert figure.locator("table tbody tr").count() > 0
        v.page.wait_for_function(
            "f => f.dataset.drawn === 'true'", arg=figure.element_handle(), timeout=20_000
        )


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_page_is_accessible_and_offline(
    browser: Any, web: Any, axe: Any, request: Any, name: str, lang: str
) -> None:
    jobs = {
        key: request.getfixturevalue(f"{key}_job")
        for key in ("reform", "sweep")
        if f"{{{key}}}" in PAGES[name]
    }
    v = Visit(browser, web.base, width=WIDTHS[0])
    try:
        response = v.goto(PAGES[name].format(lang=lang, **jobs))
        assert response is not None and response.status == 200
        _charts_drawn(v)
        for width in WIDTHS:
            if width != WIDTHS[0]:
                v.page.set_viewport_size({"width": width, "height": 900})
                v.page.evaluate(
                    "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
                )
            results = axe.run(v.page, options=WCAG)
            violations = [
                (x["id"], [n["target"] for n in x["nodes"]][:3]) for x in results.response["violations"]
            ]
            assert violations == [], width
            v.screenshot(f"{name}-{lang}-{width}")
        assert v.external == []
        assert v.console_errors == []
        if name == "reader-seed":
            assert v.page.locator("#questions-count").inner_text().startswith("13")
            assert v.page.locator(".reader-item").count() == 13
    finally:
        v.close()


def test_root_redirects_to_dutch_and_pages_carry_a_strict_csp(visit: Visit) -> None:
    response = visit.goto("/")
    assert visit.page.url.endswith("/nl/")
    assert response is not None
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-eval" not in csp
    assert visit.page.locator("script:not([src])").count() == 0  # no inline script anywhere


def test_a_chart_csv_is_its_table(visit: Visit, web: Any) -> None:
    import httpx

    text = httpx.get(f"{web.base}/nl/monitor?csv=productivity", timeout=60).text
    visit.goto("/nl/monitor")
    rows = visit.page.locator("#fig-productivity tbody tr").count()
    assert len(text.strip().splitlines()) == rows + 1


def test_monitor_series_by_year_for_the_chosen_sectors(visit: Visit, web: Any) -> None:
    import httpx

    query = "from=2012&to=2020&sector=C&sector=F"
    visit.goto(f"/nl/monitor?{query}")
    series = visit.page.locator("#fig-sector_series")
    visit.page.wait_for_selector("#fig-sector_series[data-drawn=true]", timeout=20_000)
    assert series.locator("thead th").count() == 3  # year, C, F
    rows = series.locator("tbody tr")
    assert [rows.nth(i).locator("th").inner_text() for i in range(rows.count())] == [
        str(y) for y in range(2012, 2021)
    ]
    change = visit.page.locator("#fig-sectors tbody tr")
    for i in range(change.count()):  # the series' first and last years are the change table's columns
        label = change.nth(i).locator("th").inner_text()
        column = [h.inner_text() for h in series.locator("thead th").all()].index(label)
        first = rows.first.locator("td").nth(column - 1).get_attribute("data-value")
        last = rows.last.locator("td").nth(column - 1).get_attribute("data-value")
        assert (first, last) == tuple(
            change.nth(i).locator("td").nth(j).get_attribute("data-value") for j in (0, 1)
        )
    csv = httpx.get(f"{web.base}/nl/monitor?{query}&csv=sector_series", timeout=60).text.strip().splitlines()
    assert len(csv) == 10 and csv[1].startswith("2012,")


def test_scheme_page_shows_its_rule_tests_as_worked_examples(visit: Visit) -> None:
    cases = yaml.safe_load((REPO / "tests" / "rules" / "eia.yaml").read_text(encoding="utf-8"))
    names = {c["name"]: c for c in cases}
    visit.goto("/nl/regelingen/eia")
    first = visit.page.locator("#example-1")
    caption = first.locator("caption span").inner_text()
    assert caption in names  # the newest EIA test, by its name
    case = names[caption]
    assert {"eia_aftrek", "eia_belastingbesparing"} & set(case["output"])
    inputs = first.locator("tr.input th").all_inner_texts()
    outputs = first.locator("tr.output th").all_inner_texts()
    assert inputs == list(case["input"]) and outputs == list(case["output"])
    if "eia_aftrek" in case["output"]:
        from peloton.web.formatting import euro

        cell = first.locator("tr.output", has_text="eia_aftrek").locator("td").nth(1).inner_text()
        assert cell == euro(case["output"]["eia_aftrek"], "nl")
    assert visit.page.locator("table.example").count() == 6
