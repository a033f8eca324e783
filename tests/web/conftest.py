"""The web app under a real `peloton serve` on loopback (the API tests' server helper) and Debian's
Chromium driven by Playwright (`executable_path`; no browser download). Every page blocks requests
that leave the loopback server and records them, so a test can assert that none was made."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from tests.api.conftest import Server, serving
from tests.conftest import REPO

CHROMIUM = os.environ.get("PELOTON_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = REPO / "tests" / "artifacts" / "screenshots"


@pytest.fixture(scope="session")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serving(tmp_path_factory.mktemp("web-home")) as running:
        running.base = running.base.removesuffix("/api/v1")
        yield running


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            yield chromium
        finally:
            chromium.close()


class Visit:
    """A browser context on the test server: external requests aborted and listed in `external`."""

    def __init__(self, browser: Any, base: str, javascript: bool = True, width: int = 1280) -> None:
        self.base = base
        self.external: list[str] = []
        self.console_errors: list[str] = []
        self.context = browser.new_context(
            java_script_enabled=javascript, viewport={"width": width, "height": 900}, locale="nl-NL"
        )
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)

    def _route(self, route: Any) -> None:
        host = urlparse(route.request.url).hostname
        if host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            self.external.append(route.request.url)
            route.abort()

    def goto(self, path: str) -> Any:
        return self.page.goto(self.base + path, wait_until="load")

    def screenshot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser: Any, web: Server) -> Iterator[Visit]:
    v = Visit(browser, web.base)
    try:
        yield v
    finally:
        v.close()


@pytest.fixture
def visit_no_js(browser: Any, web: Server) -> Iterator[Visit]:
    v = Visit(browser, web.base, javascript=False)
    try:
        yield v
    finally:
        v.close()


JOB_TIMEOUT = 300.0


def finished_job(web: Server, body: dict[str, Any]) -> str:
    """Submit a simulation through the API (as any client) and wait until it is done: its id."""
    import time

    import httpx

    submitted = httpx.post(f"{web.base}/api/v1/simulations", json=body, timeout=60)
    assert submitted.status_code == 202, submitted.text
    job = str(submitted.json()["id"])
    deadline = time.monotonic() + JOB_TIMEOUT
    while time.monotonic() < deadline:
        status = httpx.get(f"{web.base}/api/v1/simulations/{job}", timeout=60).json()
        if status["status"] == "done":
            return job
        assert status["status"] != "failed", status
        time.sleep(0.3)
    raise AssertionError(f"simulation {job} not done in {JOB_TIMEOUT} s")


def reform_yaml(name: str) -> dict[str, Any]:
    """An example reform as the JSON a client sends (dates as text)."""
    import json

    import yaml

    data = yaml.safe_load((REPO / "examples" / "reforms" / name).read_text(encoding="utf-8"))
    body: dict[str, Any] = json.loads(json.dumps(data, default=str))
    return body


@pytest.fixture(scope="session")
def sweep_job(web: Server) -> str:
    """A small cost curve of the WBSO's first-bracket ceiling (for the pages that show one)."""
    sweep = "wbso.afdrachtvermindering.plafond_schijf_1=350000:450000:50000"
    return finished_job(web, {"year": 2024, "sweep": sweep, "records": 2_000})


@pytest.fixture(scope="session")
def reform_job(web: Server) -> str:
    """The procesinnovatie reform (a new scheme) on a small population."""
    return finished_job(
        web, {"year": 2025, "reform": reform_yaml("procesinnovatie_mkb.yaml"), "records": 2_000}
    )
