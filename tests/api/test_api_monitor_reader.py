"""The monitor's routes give the documents of `peloton stats … --json`; the reader's route gives
`peloton read --json` for an uploaded text or PDF."""

from __future__ import annotations

import json

import httpx
import pytest
from tests.reader.minimal_pdf import make_pdf
from typer.testing import CliRunner

from peloton.cli import app as cli_app

PROBLEM = "application/problem+json"
ANSWER = (
    "Vraag 1\nKent u het bericht over de WBSO?\n\n"
    "Antwoord 1\nJa. In 2020 maakten ruim 26.000 bedrijven gebruik van de WBSO.\n"
)


@pytest.mark.parametrize(
    ("route", "params", "args"),
    [
        ("/stats/sectors", {"from": 2010, "to": 2020}, ["sectors", "--from", "2010", "--to", "2020"]),
        (
            "/stats/sectors",
            {"sector": ["C", "F"], "measure": "employee_jobs"},
            ["sectors", "--sector", "C", "--sector", "F"],
        ),
        ("/stats/productivity", {"periods": "2009-2013,2014-2020"}, ["productivity"]),
        ("/stats/schemes", {"scheme": "wbso"}, ["schemes", "--scheme", "wbso"]),
        ("/stats/claims", {}, ["claims"]),
    ],
)
def test_stats_are_the_cli_json(
    client: httpx.Client, route: str, params: dict[str, object], args: list[str]
) -> None:
    response = client.get(route, params=params)
    assert response.status_code == 200
    cli = CliRunner().invoke(cli_app, ["stats", *args, "--json"])
    assert cli.exit_code == 0, cli.output
    assert response.json() == json.loads(cli.stdout)
    assert response.json()["rows"]


def test_stats_info_names_the_snapshot(client: httpx.Client) -> None:
    data = client.get("/stats/info").json()
    assert data["command"] == "stats info" and data["measures"] > 0 and data["meta"]


@pytest.mark.parametrize(
    ("route", "params", "name"),
    [
        ("/stats/sectors", {"from": "abc"}, "from"),
        ("/stats/sectors", {"measure": "nope"}, None),
        ("/stats/sectors", {"level": "nope"}, "level"),
        ("/stats/productivity", {"periods": "2009"}, "periods"),
        ("/stats/schemes", {"scheme": "../../x"}, None),
    ],
)
def test_bad_stats_parameters_are_problems(
    client: httpx.Client, route: str, params: dict[str, str], name: str | None
) -> None:
    response = client.get(route, params=params)
    assert response.status_code < 500, response.text
    if name is not None:
        assert response.status_code == 422 and response.headers["content-type"] == PROBLEM
        assert response.json()["errors"][0]["parameter"] == name
    elif response.status_code >= 400:
        assert response.headers["content-type"] == PROBLEM
    else:  # an unknown measure or scheme has no rows, as in the CLI
        assert response.json()["rows"] == []


def test_a_text_document_is_read(client: httpx.Client) -> None:
    raw = client.post("/documents", content=ANSWER.encode(), headers={"content-type": "text/plain"})
    assert raw.status_code == 200, raw.text
    data = raw.json()
    assert data["items"] and "wbso" in data["items"][0]["schemes"]
    form = client.post("/documents", files={"file": ("answer.txt", ANSWER.encode(), "text/plain")})
    assert form.status_code == 200 and form.json()["source"] == "answer.txt"
    assert form.json()["items"] == data["items"]
    assert "X-Peloton-Input-Hash" in form.headers


def test_a_pdf_document_is_read(client: httpx.Client) -> None:
    pdf = make_pdf([ANSWER.splitlines()])
    response = client.post("/documents", files={"file": ("answer.pdf", pdf, "application/pdf")})
    assert response.status_code == 200, response.text
    assert any("wbso" in item["schemes"] for item in response.json()["items"])


def test_bad_documents_are_problems(client: httpx.Client) -> None:
    empty = client.post("/documents", content=b"", headers={"content-type": "text/plain"})
    assert empty.status_code == 422 and empty.headers["content-type"] == PROBLEM
    missing = client.post("/documents", files={"other": ("a.txt", b"x", "text/plain")})
    assert missing.status_code == 422 and missing.json()["errors"][0]["pointer"] == "/file"
    binary = client.post("/documents", content=b"\x00\x01\x02" * 100, headers={"content-type": "text/plain"})
    assert binary.status_code == 422 and binary.json()["errors"][0]["pointer"] == "/file"
    broken_pdf = client.post(
        "/documents", content=b"%PDF-1.4 broken", headers={"content-type": "application/pdf"}
    )
    assert broken_pdf.status_code < 500, broken_pdf.text
    huge = client.post("/documents", content=b"a" * 8_000_001, headers={"content-type": "text/plain"})
    assert huge.status_code == 413 and huge.headers["content-type"] == PROBLEM
