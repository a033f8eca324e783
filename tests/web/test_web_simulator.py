"""The simulator through the browser: the WBSO's first-bracket ceiling raised to EUR 500,000 for 2024
shows the cost difference `peloton simulate` gives for examples/reforms/wbso_eerste_schijf_500k.yaml
(on the same small synthetic population), every chart has its table, and the share link (the job's
content hash) reopens the same result without JavaScript. A sweep of that ceiling draws its cost curve,
whose 500,000 step is that same difference; a new scheme entered through the form costs what the same
scheme as a YAML reform costs through the API; "what changes for this firm" gives the navigator's
result under the reform, as POST /api/v1/check with that reform does."""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any

import httpx
import pytest
from tests.conftest import EXAMPLES, REPO, peloton_bin
from tests.web.conftest import Visit, finished_job, reform_yaml

RECORDS = 20_000  # a small population keeps the test fast; the CLI runs on the same one
RECORD_ARGS = ("--records", str(RECORDS), "--json", "--no-charts")
PARAMETER = "wbso.afdrachtvermindering.plafond_schijf_1"
FIRM = {  # a process-innovating SME without an S&O-verklaring: the procesinnovatie scheme's target
    "rechtsvorm": "bv",
    "personeel_fte": 20,
    "jaaromzet": 3_000_000,
    "balanstotaal": 2_000_000,
    "innovatie_soort": "proces",
    "ontwikkelingskosten": 300_000,
}


@pytest.fixture(scope="module")
def cli_difference(web: Any) -> float:
    reform = EXAMPLES / "reforms" / "wbso_eerste_schijf_500k.yaml"
    out = subprocess.run(
        [*peloton_bin(), "simulate", "--reform", str(reform), "--year", "2024", *RECORD_ARGS],
        cwd=REPO,
        env={**os.environ, "PELOTON_HOME": str(web.home)},
        capture_output=True,
        text=True,
        check=True,
    )
    rows = json.loads(out.stdout)["difference"]
    return float(next(r["difference_cost_eur"] for r in rows if r["scheme"] == "wbso"))


def _shown(row: Any, column: int) -> float:
    return float(row.locator("td").nth(column).get_attribute("data-value") or "nan")


def test_wbso_ceiling_reform_shows_the_clis_difference_and_reopens(
    visit: Visit, browser: Any, web: Any, cli_difference: float
) -> None:
    v = visit
    v.goto("/nl/simulator")
    v.page.select_option("#parameter", PARAMETER)
    v.page.get_by_role("button", name="Toon huidige waarde").click()
    assert v.page.locator("#fig-history table").is_visible()  # current value and history beside the field
    v.page.select_option("#year", "2024")
    v.page.fill("#value", "500.000")
    v.page.fill("#records", str(RECORDS))
    v.page.get_by_role("button", name="Doorrekenen", exact=True).click()
    v.page.wait_for_selector("#total-difference", timeout=180_000)
    v.page.wait_for_selector("#fig-cost[data-drawn=true]", timeout=30_000)
    shown = _shown(v.page.locator("#fig-cost tbody tr", has_text="WBSO").first, 2)
    assert abs(shown - cli_difference) < 0.01, (shown, cli_difference)
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
        assert _shown(row, 2) == shown
        assert again.page.locator("#rules-changed").count() == 0
    finally:
        again.close()


def test_sweep_draws_the_cost_curve_whose_steps_are_single_reforms(
    visit: Visit, browser: Any, web: Any, cli_difference: float
) -> None:
    v = visit
    v.goto(f"/nl/simulator?parameter={PARAMETER}&year=2024")
    assert v.page.locator("#fig-history table").is_visible()
    v.page.fill("#sweep_start", "400.000")
    v.page.fill("#sweep_stop", "500.000")
    v.page.fill("#sweep_step", "50.000")
    v.page.fill("#records", str(RECORDS))
    v.page.get_by_role("button", name="Kostencurve doorrekenen").click()
    v.page.wait_for_selector("#fig-cost_curve[data-drawn=true]", timeout=180_000)
    assert v.page.locator("#sweep-parameter").inner_text() == PARAMETER
    steps = v.page.locator("#fig-steps tbody tr")
    assert steps.count() == 3
    last = steps.nth(2)
    assert last.locator("th").get_attribute("data-value") == "500000.0"
    assert abs(_shown(last, 1) - cli_difference) < 0.01  # the step is the single reform, to the cent
    marginal = _shown(last, 2)
    assert abs(marginal - (_shown(last, 1) - _shown(steps.nth(1), 1))) < 0.01
    wbso = v.page.locator("#fig-step_schemes tbody tr", has_text="WBSO")
    assert wbso.count() == 3 and _shown(wbso.nth(2), 3) == pytest.approx(_shown(last, 1), abs=0.01)
    curve = v.page.locator("#fig-cost_curve tbody tr")
    assert [_shown(curve.nth(i), 0) for i in range(3)] == [_shown(steps.nth(i), 1) for i in range(3)]
    assert "SYNTHETISCH" in v.page.locator("#synthetic").inner_text()
    assert v.external == [] and v.console_errors == []
    v.screenshot("simulator-sweep-nl")
    share = v.page.locator("#share-link").get_attribute("href")
    assert share is not None
    csv = httpx.get(f"{web.base}{share}?csv=steps", timeout=60).text.strip().splitlines()
    assert len(csv) == 4 and csv[-1].startswith("500000.0,")

    again = Visit(browser, web.base, javascript=False)
    try:
        again.goto(share)
        assert again.page.locator("#fig-steps tbody tr").count() == 3
    finally:
        again.close()


def test_new_scheme_from_the_form_costs_what_its_yaml_costs(visit: Visit, web: Any) -> None:
    reform = reform_yaml("procesinnovatie_mkb.yaml")
    job = finished_job(web, {"year": 2025, "reform": reform, "records": RECORDS})
    results = httpx.get(f"{web.base}/api/v1/simulations/{job}", timeout=60).json()["results"]
    expected = next(d for d in results["difference"] if d["scheme"] == "procesinnovatie_mkb")
    v = visit
    v.goto("/nl/simulator?year=2025")
    v.page.select_option("#year", "2025")
    v.page.fill("#records", str(RECORDS))
    v.page.locator("#new-scheme summary").click()
    v.page.fill("#ns_name", "Procesinnovatie-regeling voor het brede mkb")
    v.page.fill("#ns_id", "procesinnovatie_mkb")  # take-up is drawn per scheme id: same id, same firms
    v.page.check("#ns_shape")  # the first shape: percentage of costs
    v.page.select_option("#ns_costs", "ontwikkelingskosten")
    v.page.fill("#ns_percentage", "25")
    v.page.fill("#ns_maximum", "50.000")
    v.page.check("#ns_sme_only")
    v.page.check("#ns_kind_proces")
    v.page.select_option("#ns_condition", "heeft_so_verklaring")
    v.page.select_option("#ns_condition_value", "false")
    for size, rate in {"micro": "30", "klein": "50", "middelgroot": "60", "groot": "0"}.items():
        v.page.fill(f"#ns_takeup_{size}", rate)
    v.page.fill("#ns_takeup_derivation", "Aanname, zoals in examples/reforms/procesinnovatie_mkb.yaml")
    v.page.fill("#ns_start", "2025-01-01")
    v.page.get_by_role("button", name="Doorrekenen", exact=True).click()
    v.page.wait_for_selector("#fig-cost[data-drawn=true]", timeout=180_000)
    row = v.page.locator("#fig-cost tbody tr", has_text="Procesinnovatie")
    assert abs(_shown(row, 2) - expected["difference_cost_eur"]) < 0.01
    assert abs(_shown(row, 3) - expected["reform_reached_firms"]) < 1e-3
    assert v.external == [] and v.console_errors == []

    # What changes for this firm: the navigator under the reform, its URL holding the job id.
    v.page.locator("#firm-link").click()
    assert "hervorming=" in v.page.url and v.page.locator("#reform-notice").is_visible()
    assert v.page.locator("input[type=hidden][name=hervorming]").count() == 1  # carried through each step
    firm_job = v.page.url.split("hervorming=")[1].split("&")[0]
    answers = "&".join(f"{k}={val}" for k, val in FIRM.items())
    v.goto(f"/nl/navigator/uitkomst?year=2025&{answers}&hervorming={firm_job}")
    asked = httpx.get(f"{web.base}/api/v1/simulations/{firm_job}", timeout=60).json()["request"]
    check = httpx.post(
        f"{web.base}/api/v1/check",
        json={"year": 2025, "onderneming": FIRM, "reform": asked["reform"]},
        timeout=60,
    ).json()
    shown = float(v.page.locator("#reform-total-difference").get_attribute("data-value") or "nan")
    assert shown == check["total_value_difference_eur"] == 50_000.0  # 25% of 300,000, at most 50,000
    share = v.page.locator("#share-link").get_attribute("href") or ""
    assert f"hervorming={firm_job}" in share and "ontwikkelingskosten=300000" in share  # answers + job id
    new = v.page.locator("#reform-difference tbody tr[data-scheme]").last
    assert "Procesinnovatie" in new.inner_text()
    v.screenshot("navigator-under-reform-nl")


def test_bad_value_shows_the_error_summary(visit: Visit) -> None:
    visit.goto(f"/nl/simulator?parameter={PARAMETER}&year=2024")
    visit.page.fill("#value", "veel")
    visit.page.get_by_role("button", name="Doorrekenen", exact=True).click()
    summary = visit.page.locator(".error-summary")
    assert "Nieuwe waarde" in summary.inner_text()
    assert summary.locator("a").get_attribute("href") == "#value"


def test_bad_new_scheme_fields_are_named_in_the_error_summary(visit: Visit) -> None:
    visit.goto("/nl/simulator?year=2025")
    visit.page.locator("#new-scheme summary").click()
    visit.page.fill("#ns_name", "Nieuwe regeling")
    visit.page.check("#ns_shape")
    visit.page.fill("#ns_percentage", "veel")
    visit.page.fill("#ns_takeup_micro", "30")
    visit.page.get_by_role("button", name="Doorrekenen", exact=True).click()
    summary = visit.page.locator(".error-summary")
    links = [a.get_attribute("href") for a in summary.locator("a").all()]
    assert (
        links[:1] == ["#ns_percentage"] and "#ns_takeup_klein" in links and "#ns_takeup_derivation" in links
    )
    assert "Percentage" in summary.inner_text()
    visit.page.wait_for_load_state("load")  # the script that moves the focus runs after Plotly's
    assert visit.page.evaluate("document.activeElement.classList.contains('error-summary')")
    summary.locator("a").first.click()
    assert visit.page.evaluate("document.activeElement.id") == "ns_percentage"

    visit.goto("/nl/simulator?year=2025")
    visit.page.locator("#new-scheme summary").click()
    visit.page.fill("#ns_name", "Nieuwe regeling")
    visit.page.check("#ns_shape-fixed_amount")
    visit.page.fill("#ns_amount", "5.000")
    visit.page.fill("#ns_start", "2025-02-30")  # the schema refuses it: the date does not exist
    visit.page.get_by_role("button", name="Doorrekenen", exact=True).click()
    summary = visit.page.locator(".error-summary")
    assert summary.locator("a").get_attribute("href") == "#ns_start"
    assert "Ingangsdatum" in summary.inner_text()
    visit.page.fill("#ns_start", "2025-01-01")
    visit.page.fill("#ns_id", "wbso")  # a scheme of the law already has that id
    visit.page.get_by_role("button", name="Doorrekenen", exact=True).click()
    summary = visit.page.locator(".error-summary")
    assert summary.locator("a").get_attribute("href") == "#ns_id"
    assert "Code" in summary.inner_text()
