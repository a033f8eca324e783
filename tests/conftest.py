"""Shared fixtures: paths to the repo, its examples and ../shared (present in CI beside the clone)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
SHARED = REPO.parent / "shared"


def peloton_bin() -> list[str]:
    """The installed `peloton` script next to this interpreter, or `python -m peloton.cli`."""
    script = Path(sys.executable).with_name("peloton")
    if script.exists():
        return [str(script)]
    found = shutil.which("peloton")
    return [found] if found else [sys.executable, "-m", "peloton.cli"]


@pytest.fixture
def run_cli(tmp_path: Path):
    """Run the real CLI in a subprocess, with a private PELOTON_HOME."""

    def run(*args: str, check: bool = False) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PELOTON_HOME": str(tmp_path / "home"), "COLUMNS": "200"}
        result = subprocess.run(
            [*peloton_bin(), *args], capture_output=True, text=True, env=env, cwd=REPO, timeout=300
        )
        if check and result.returncode != 0:
            raise AssertionError(f"peloton {' '.join(args)} failed: {result.stderr}")
        return result

    return run


CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass
class Visit:
    """The page, and what happened while it loaded: script errors and every URL requested."""

    page: Any
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def offline(self) -> bool:
        return all(u.startswith(("file:", "data:", "blob:")) for u in self.requests)


@contextmanager
def _visit(path: Path) -> Iterator[Visit]:
    """Open a local HTML file in Chromium; skip when the browser is not installed."""
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            seen = Visit(page)
            page.on("pageerror", lambda e: seen.errors.append(str(e)))
            page.on("request", lambda r: seen.requests.append(r.url))
            page.goto(path.as_uri())
            yield seen
        finally:
            browser.close()


@pytest.fixture
def chromium() -> Any:
    """`with chromium(path) as seen:` opens a local HTML file in the real browser."""
    return _visit
