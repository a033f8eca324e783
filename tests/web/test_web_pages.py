"""Every page in Dutch and English at 320 px and 1280 px: axe-core finds no WCAG 2.1 A/AA violation,
no request leaves the loopback server, every chart is drawn with its table, the reader shows the
seed's 13 questions, and a screenshot of each is written to tests/artifacts/screenshots/."""

from __future__ import annotations

from typing import Any

import pytest
from tests.web.conftest import Visit

PAGES = {
    "home": "/{lang}/",
    "navigator": "/{lang}/navigator",
    "navigator-step": "/{lang}/navigator?year=2024",
    "navigator-result": "/{lang}/navigator/uitkomst?year=2024&so_uren=3000&rechtsvorm=bv&personeel_fte=65",
    "schemes": "/{lang}/regelingen",
    "scheme-wbso": "/{lang}/regelingen/wbso",
    "simulator": "/{lang}/simulator?parameter=wbso.afdrachtvermindering.plafond_schijf_1&year=2024",
    "monitor": "/{lang}/monitor",
    "reader-seed": "/{lang}/lezer?document=seed",
    "accessibility": "/{lang}/toegankelijkheid",
}
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture(scope="module")
def axe() -> Any:
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.mark.parametrize("width", [320, 1280])
@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_page_is_accessible_and_offline(
    browser: Any, web: Any, axe: Any, name: str, lang: str, width: int
) -> None:
    v = Visit(browser, web.base, width=width)
    try:
        response = v.goto(PAGES[name].format(lang=lang))
        assert response is not None and response.status == 200
        for figure in v.page.locator("figure.chart").all():
            assert figure.locator("table tbody tr").count() > 0
            v.page.wait_for_function(
                "f => f.dataset.drawn === 'true'", arg=figure.element_handle(), timeout=20_000
            )
        results = axe.run(v.page, options=WCAG)
        violations = [
            (x["id"], [n["target"] for n in x["nodes"]][:3]) for x in results.response["violations"]
        ]
        assert violations == []
        assert v.external == []
        assert v.console_errors == []
        if name == "reader-seed":
            assert v.page.locator("#questions-count").inner_text().startswith("13")
            assert v.page.locator(".reader-item").count() == 13
        v.screenshot(f"{name}-{lang}-{width}")
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
