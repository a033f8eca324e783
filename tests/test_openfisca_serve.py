"""OpenFisca's own web API on the rules model (`openfisca serve`): it answers /spec; its `source`
links point at this project's repository and its unknown-variable message at this project's
changelog (from pyproject's [project.urls]); and, as the README says, it answers 500 where a
parameter of the year is a gap, where peloton's API names the gap."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from peloton.catalog import covered_years, get_scheme
from peloton.core.schemes import SCHEME_RULES
from peloton.model.system import project_urls


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def openfisca() -> Iterator[str]:
    port = _free_port()
    executable = Path(sys.executable).with_name("openfisca")
    process = subprocess.Popen(
        [
            str(executable),
            "serve",
            "--country-package",
            "peloton.model",
            "--port",
            str(port),
            "--bind",
            f"127.0.0.1:{port}",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                raise AssertionError(process.stdout.read().decode() if process.stdout else "serve exited")
            try:
                with urllib.request.urlopen(f"{base}/spec", timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise AssertionError("openfisca serve did not answer") from None
                time.sleep(0.5)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def _get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read())


def _post(url: str, body: Any) -> tuple[int, Any]:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        text = exc.read().decode("utf-8", "replace")
        try:
            return exc.code, json.loads(text)
        except ValueError:
            return exc.code, text


def test_openfisca_serve_answers_spec(openfisca: str) -> None:
    assert "wbso_afdrachtvermindering" in json.dumps(_get(f"{openfisca}/spec"))


def test_source_links_point_at_this_project(openfisca: str) -> None:
    repository = project_urls()["Repository"]
    variable = _get(f"{openfisca}/variable/so_uren")
    assert variable["source"].startswith(f"{repository}/blob/"), variable["source"]
    assert "/src/peloton/model/variables/wbso.py#L" in variable["source"]
    parameter = _get(f"{openfisca}/parameter/eia.aftrekpercentage")
    assert parameter["source"].startswith(f"{repository}/blob/")
    assert parameter["source"].endswith("/src/peloton/model/parameters/eia/aftrekpercentage.yaml")
    assert not any("None/blob" in str(x["source"]) for x in (variable, parameter))


def test_an_unknown_variable_links_to_this_projects_changelog(openfisca: str) -> None:
    status, body = _post(
        f"{openfisca}/calculate", {"ondernemingen": {"x": {"no_such_variable": {"2024": None}}}}
    )
    assert status == 404, body
    message = json.dumps(body)
    assert project_urls()["Changelog"] in message and "github.com/openfisca/peloton" not in message


def _gap_year() -> tuple[str, int]:
    """A scheme amount and a covered year the rules cannot compute for (a parameter is a gap)."""
    for rule in SCHEME_RULES:
        computed = get_scheme(rule.id).years
        if not computed:
            continue
        for year in covered_years():
            if year not in computed and year > min(computed):
                return rule.components[0].variable, year
    pytest.skip("every computed scheme covers every year: no gap left to show")


def test_a_gap_is_a_500_in_openfisca_serve(openfisca: str) -> None:
    """The upstream behaviour the README states: a gap parameter makes POST /calculate fail with
    500 (peloton's /api/v1/check answers 200 and names the parameter instead; tests/api)."""
    variable, year = _gap_year()
    status, _ = _post(f"{openfisca}/calculate", {"ondernemingen": {"x": {variable: {str(year): None}}}})
    assert status == 500, (variable, year)
