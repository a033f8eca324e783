"""Liveness, readiness, headers, the catalog and parameter routes, the questions, and the docs."""

from __future__ import annotations

import json
import re

import httpx
from typer.testing import CliRunner

from peloton.cli import app as cli_app

PROBLEM = "application/problem+json"


def test_health_and_ready_carry_version_headers(client: httpx.Client) -> None:
    health = client.get("/health")
    assert health.status_code == 200 and health.json()["status"] == "ok"
    ready = client.get("/ready")
    assert ready.status_code == 200
    body = ready.json()
    assert body["status"] == "ready" and body["variables"] > 0 and body["stats_measures"] > 0
    for response in (health, ready):
        assert response.headers["X-Peloton-Version"] == "0.1.0"
        assert len(response.headers["X-Peloton-Rules-Version"]) == 16
        assert response.headers["X-Peloton-Rules-Version"] == body["rules_version"]


def test_errors_carry_version_headers_too(client: httpx.Client) -> None:
    response = client.get("/no-such-route")
    assert response.status_code == 404
    assert response.headers["content-type"] == PROBLEM
    assert "X-Peloton-Rules-Version" in response.headers
    assert response.json()["errors"][0]["pointer"] == ""


def test_schemes_is_the_catalog_with_combination_rules(client: httpx.Client) -> None:
    response = client.get("/schemes")
    assert response.status_code == 200
    data = response.json()
    cli = CliRunner().invoke(cli_app, ["schemes", "--json"])
    assert data["schemes"] == json.loads(cli.stdout)
    assert data["combinations"] and all("rule" in c and "source" in c for c in data["combinations"])


def test_one_scheme_lists_its_parameters_with_dated_sourced_values(client: httpx.Client) -> None:
    data = client.get("/schemes/wbso").json()
    assert data["id"] == "wbso" and 2024 in data["years"]
    paths = {p["path"]: p for p in data["parameters"]}
    assert "wbso.afdrachtvermindering.tarief_schijf_1" in paths
    assert "takeup.wbso.micro" in paths
    uurloon = paths["wbso.vast_uurloon"]
    assert uurloon["unit"] == "currency-EUR"
    first = uurloon["values"][0]
    assert set(first) >= {"from", "value", "confidence", "references", "note"}
    assert first["from"] == "2019-01-01" and first["references"]
    # a scheme whose parameters live in two subtrees and that reads a shared parameter
    mia = {p["path"] for p in client.get("/schemes/mia_vamil").json()["parameters"]}
    assert {"mia.min_investering", "vamil.aandeel", "vpb.tarief_hoog"} <= mia
    haalbaarheid = {p["path"] for p in client.get("/schemes/mit_haalbaarheid").json()["parameters"]}
    assert "mit.haalbaarheid.max_subsidie" in haalbaarheid
    assert not any(p.startswith("mit.kennisvoucher") for p in haalbaarheid)
    # help that is not money reads no parameter, though its id starts like a parameter node (mkb)
    network = client.get("/schemes/mkb_werkplaatsen").json()
    assert network["kind"] == "network" and network["parameters"] == []


def test_unknown_scheme_is_a_404_problem(client: httpx.Client) -> None:
    response = client.get("/schemes/nope")
    assert response.status_code == 404 and response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["status"] == 404 and "wbso" in body["detail"] and body["detail_nl"]
    assert body["errors"][0]["parameter"] == "scheme_id"


def test_parameter_history_and_where_an_unknown_path_stopped(client: httpx.Client) -> None:
    data = client.get("/parameters/wbso.afdrachtvermindering.tarief_schijf_1").json()
    assert data["path"] == "wbso.afdrachtvermindering.tarief_schijf_1"
    assert [v["from"] for v in data["values"]] == sorted(v["from"] for v in data["values"])
    assert all("confidence" in v and "references" in v for v in data["values"])
    slashed = client.get("/parameters/wbso/afdrachtvermindering/tarief_schijf_1").json()
    assert slashed == data
    missing = client.get("/parameters/wbso.afdrachtvermindering.nope")
    assert missing.status_code == 404 and missing.headers["content-type"] == PROBLEM
    assert "wbso.afdrachtvermindering has no 'nope'" in missing.json()["detail"]
    group = client.get("/parameters/wbso")
    assert group.status_code == 404 and "group" in group.json()["detail"]


def test_questions_are_the_json_of_peloton_questions(client: httpx.Client) -> None:
    response = client.get("/questions", params={"schemes": "wbso"})
    assert response.status_code == 200
    cli = CliRunner().invoke(cli_app, ["questions", "wbso", "--json"])
    assert cli.exit_code == 0
    assert response.text == cli.stdout
    year = client.get("/questions", params={"schemes": "wbso,eia", "year": 2024}).json()
    assert {"so_uren"} <= {q["variable"] for q in year}
    assert any("eia" in q["schemes"] for q in year)


def test_questions_refuse_an_unknown_scheme_and_year(client: httpx.Client) -> None:
    bad = client.get("/questions", params={"schemes": "nope"})
    assert bad.status_code == 422 and bad.json()["errors"][0]["parameter"] == "schemes"
    year = client.get("/questions", params={"year": 1990})
    assert year.status_code == 422 and year.json()["errors"][0]["parameter"] == "year"
    typed = client.get("/questions", params={"year": "soon"})
    assert typed.status_code == 422 and typed.json()["errors"][0]["parameter"] == "year"


def test_openapi_and_docs_without_a_cdn(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    for path in ("/api/v1/check", "/api/v1/check/next", "/api/v1/simulations", "/api/v1/stats/sectors"):
        assert path in spec["paths"]
    assert "SimulationRequest" in spec["components"]["schemas"]
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/api/v1/check/next" in docs.text
    scripts = re.findall(r"<script[^>]*>", docs.text)
    assert scripts and all(re.search(r"src='/api/v1/docs/assets/[a-z.-]+'", tag) for tag in scripts)
    assert "<script>" not in docs.text and "cdn" not in docs.text.lower()  # no inline code, no CDN
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "start.js"):
        assert client.get(f"/docs/assets/{asset}").status_code == 200
    for name in ("..%2F..%2Fetc%2Fpasswd", "core.py", "x.js"):
        missing = client.get(f"/docs/assets/{name}")
        assert missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"
