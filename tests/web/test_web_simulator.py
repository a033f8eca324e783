"""The simulator through the browser: the WBSO's first-bracket ceiling raised to EUR 500,000 for 2024
shows the cost difference `peloton simulate` gives for examples/reforms/wbso_eerste_schijf_500k.yaml
(on the same small synthetic population), every chart has its table, and the share link (the job's
content hash) reopens the same result without JavaScript."""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any

from tests.conftest import EXAMPLES, REPO, peloton_bin
from tests.web.conftest import Visit

RECORDS = 20_000  # a small population keeps the test fast; the CLI runs on the same one
RECORD_ARGS = ("--records", str(RECORDS), "--json", "--no-charts")
PARAMETER = "wbso.afdrachtvermindering.plafond_schijf_1"


def cli_difference(home: Any) -> float:
    reform = EXAMPLES / "reforms" / "wbso_eerste_schijf_500k.yaml"
    out = subprocess.run(
        [*peloton_bin(), "simulate", "--reform", str(reform), "--year", "2024", *RECORD_ARGS],
        cwd=REPO,
        env={**os.environ, "PELOTON_HOME": str(home)},
        capture_output=True,
        text=True,
        check=True,
    )
    rows = json.loads(out.stdout)["difference"]
    return float(next(r["difference_cost_eur"] for r in rows if r["scheme"] == "wbso"))


def test_wbso_ceiling_reform_shows_the_clis_difference_and_reopens(
    visit: Visit, browser: Any, web: Any
) -> None:
    v = visit
    v.goto("/nl/simulator")
    v.page.select_option("#parameter", PARAMETER)
    v.page.get_by_role("button", name="Toon huidige waarde").click()
    assert v.page.locator("#fig-history table").is_visible()  # current value and history beside the field
    v.page.select_option("#year", "2024")
    v.page.fill("#value", "500.000")
    v.page.fill("#records", str(RECORDS))
    v.page.get_by_role("button", name="Doorrekenen").click()
    v.page.wait_for_selector("#total-difference", timeout=180_000)
    v.page.wait_for_selector("#fig-cost[data-drawn=true]", timeout=30_000)
    expected = cli_difference(web.home)
    wbso = v.page.locator("#fig-cost tbody tr", has_text="WBSO").first
    shown = float(wbso.locator("td").nth(2).get_attribute("data-value") or "nan")
    assert abs(shown - expected) < 0.01, (shown, expected)
    assert "SYNTHETISCH" in v.page.locator("#synthetic").inner_text()
    assert v.page.locator("#takeup tbody tr").count() > 0
    for figure in v.page.locator("figure.chart").all():
        assert figure.locator("table tbody tr").count() > 0
        assert figure.get_attribute("data-drawn") == "true"
    # no scheme's use by sector is in the reference: the sector (and province) breakdown says so
    sector = v.page.locator("#fig-by_sbi_section")
    assert "(aanname)" in sector.locator("figcaption").inner_text()
    assert "Aanname: waar de gebruikers" in sector.locator("p.note").inner_text()
    assert "(aanname)" in v.page.locator("#fig-by_province figcaption").inner_text()
    assert v.page.locator("#fig-by_size_class p.note").count() == 0
    v.screenshot("simulator-result-nl")
    share = v.page.locator("#share-link").get_attribute("href")
    assert share is not None and share.startswith("/nl/simulator/")
    assert v.external == [] and v.console_errors == []

    again = Visit(browser, web.base, javascript=False)
    try:
        again.goto(share)
        row = again.page.locator("#fig-cost tbody tr", has_text="WBSO").first
        assert float(row.locator("td").nth(2).get_attribute("data-value") or "nan") == shown
        assert again.page.locator("#rules-changed").count() == 0
    finally:
        again.close()


def test_bad_value_shows_the_error_summary(visit: Visit) -> None:
    visit.goto(f"/nl/simulator?parameter={PARAMETER}&year=2024")
    visit.page.fill("#value", "veel")
    visit.page.get_by_role("button", name="Doorrekenen").click()
    summary = visit.page.locator(".error-summary")
    assert "Nieuwe waarde" in summary.inner_text()
    assert summary.locator("a").get_attribute("href") == "#value"
