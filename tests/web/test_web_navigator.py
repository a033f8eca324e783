"""The navigator through the browser: the Overijssel example answered question by question through
the form (with JavaScript and without) reaches the amounts `peloton check` gives, asking fewer
questions than `peloton questions` lists; a bad answer shows the error summary naming the field."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from babel.numbers import format_decimal
from tests.conftest import EXAMPLES, REPO, peloton_bin
from tests.web.conftest import Visit

EXAMPLE = EXAMPLES / "overijssel_metaal_familiebedrijf_robots.yaml"
MAX_STEPS = 60


def cli_json(*args: str) -> Any:
    out = subprocess.run(
        [*peloton_bin(), *args, "--json"], cwd=REPO, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def cli_amounts(path: Path) -> dict[str, float | None]:
    return {
        s["id"]: s["amount_eur"] for s in cli_json("check", str(path))["schemes"] if s["status"] != "network"
    }


def typed(value: Any) -> str:
    """A number as a Dutch user types it: 14.000.000, 37,5."""
    return format_decimal(value, format="#,##0.##", locale="nl_NL")


def answer_through_form(v: Visit, profile: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
    """Walk the navigator, answering from `profile` and skipping what it does not say. Returns the
    questions asked and the answers given."""
    v.goto("/nl/navigator")
    v.page.select_option("#year", "2024")
    v.page.get_by_role("button", name="Beginnen").click()
    asked: list[str] = []
    given: dict[str, Any] = {}
    for _ in range(MAX_STEPS):
        v.page.wait_for_load_state("load")
        if "/navigator/uitkomst" in v.page.url:
            return asked, given
        field = v.page.locator("[data-variable]").first
        name = field.get_attribute("data-variable")
        assert name is not None
        asked.append(name)
        if name not in profile:
            v.page.get_by_role("link", name="Weet ik niet, sla over").click()
            continue
        value = profile[name]
        given[name] = value
        if isinstance(value, bool):
            field.locator(f"input[value='{'true' if value else 'false'}']").check()
        elif isinstance(value, str):
            field.locator("select").select_option(value)
        else:
            field.locator("input[type=text]").fill(typed(value))
        v.page.get_by_role("button", name="Volgende").click()
    raise AssertionError(f"no result after {MAX_STEPS} steps; asked {asked}")


def page_amounts(v: Visit) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for row in v.page.locator("#result-table tr[data-scheme]").all():
        raw = row.get_attribute("data-amount") or ""
        out[str(row.get_attribute("data-scheme"))] = float(raw) if raw else None
    return out


@pytest.fixture(scope="module")
def example() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def js_flow(
    browser: Any, web: Any, example: dict[str, Any]
) -> Iterator[tuple[Visit, list[str], dict[str, Any]]]:
    v = Visit(browser, web.base)
    try:
        asked, given = answer_through_form(v, example["onderneming"])
        yield v, asked, given
    finally:
        v.close()


def _check_flow(v: Visit, asked: list[str], given: dict[str, Any], tmp_path: Path, name: str) -> None:
    v.screenshot(name)
    listed = cli_json("questions")
    assert len(asked) < len(listed), (len(asked), len(listed))
    answered = tmp_path / "answered.yaml"
    answered.write_text(yaml.safe_dump({"year": 2024, "onderneming": given}), encoding="utf-8")
    shown = page_amounts(v)
    assert shown == cli_amounts(answered)
    assert shown["wbso"] == 43776.0
    assert "€ 43.776" in v.page.locator("#result-table").inner_text()
    assert v.external == []


def test_navigator_with_javascript(js_flow: tuple[Visit, list[str], dict[str, Any]], tmp_path: Path) -> None:
    v, asked, given = js_flow
    _check_flow(v, asked, given, tmp_path, "navigator-result-nl")
    assert v.console_errors == []


def test_navigator_without_javascript(visit_no_js: Visit, example: dict[str, Any], tmp_path: Path) -> None:
    asked, given = answer_through_form(visit_no_js, example["onderneming"])
    _check_flow(visit_no_js, asked, given, tmp_path, "navigator-result-nl-nojs")
    shown = page_amounts(visit_no_js)
    # the share link carries the answers: opening it again shows the same amounts
    share = visit_no_js.page.locator("#share-link").get_attribute("href")
    assert share is not None and "so_uren=3000" in share
    visit_no_js.goto(share)
    assert page_amounts(visit_no_js) == shown


def test_navigator_reaches_the_full_files_amounts(js_flow: tuple[Visit, list[str], dict[str, Any]]) -> None:
    """Answered through the form, the navigator ends at every amount `peloton check` gives for the
    whole file (the MIT R&D-samenwerking too: its own-cost and project-cost questions are asked)."""
    assert page_amounts(js_flow[0]) == cli_amounts(EXAMPLE)


@pytest.mark.parametrize(("typed_value", "expected"), [("-5", "minimaal 0"), ("veel", "moet een getal zijn")])
def test_bad_answer_shows_the_error_summary_naming_the_field(
    visit: Visit, typed_value: str, expected: str
) -> None:
    visit.goto("/nl/navigator?year=2024&edit=so_uren")  # the question about S&O hours, asked directly
    field = visit.page.locator("[data-variable=so_uren] input")
    field.fill(typed_value)
    visit.page.get_by_role("button", name="Volgende").click()
    summary = visit.page.locator(".error-summary")
    assert summary.is_visible()
    text = summary.inner_text()
    assert "Hoeveel uur besteden uw werknemers dit jaar aan S&O?" in text and expected in text
    assert summary.locator("a").get_attribute("href") == "#ans_so_uren"
    visit.page.wait_for_load_state("load")  # the deferred script moves the focus once the page has loaded
    assert visit.page.evaluate("document.activeElement.classList.contains('error-summary')")
    summary.locator("a").click()
    assert visit.page.evaluate("document.activeElement.id") == "ans_so_uren"
    visit.screenshot(f"navigator-error-{'negative' if typed_value == '-5' else 'text'}")
