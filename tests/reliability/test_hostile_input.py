"""Hostile input, each case answered with a 4xx problem (API) or one error line (CLI) naming the
problem, in bounded memory, with the server still serving others afterwards."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.api.conftest import Server
from tests.conftest import REPO, peloton_bin
from tests.reliability.conftest import rss_peak_kb
from tests.reliability.hostile_files import (
    alias_bomb,
    flate_bomb_pdf,
    looping_pdf,
    lying_parquet,
    many_pages_pdf,
    text_page_pdf,
)

PROBLEM = "application/problem+json"
SERVER_MEMORY_BOUND_KB = 2_000_000  # the server's peak RSS after every hostile request below


def _problem(response: httpx.Response, *words: str) -> dict[str, Any]:
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    text = json.dumps(body).lower()
    for word in words:
        assert word.lower() in text, (word, body["detail"])
    return body


def _serving(client: httpx.Client) -> None:
    assert client.get("/health").status_code == 200


# -- the CLI: one error line --------------------------------------------------------------------


def _cli(tmp_path: Path, name: str, content: bytes, *command: str) -> str:
    path = tmp_path / name
    path.write_bytes(content)
    done = subprocess.run(
        [*peloton_bin(), *command, str(path)], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2, (done.returncode, done.stderr[-500:])
    assert "Traceback" not in done.stdout + done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), done.stderr[:500]
    assert len(lines[0]) < 400  # the message does not print the expansion
    return lines[0]


CLI_CASES = [
    ("bomb.yaml", alias_bomb(9).encode(), "expands to more than"),
    ("bombdesc.yaml", alias_bomb(9, "beschrijving_niet_bestaand").encode(), "expands to more than"),
    ("longname.yaml", b"year: 2024\nname: " + b"x" * 100_000 + b"\nonderneming: {}\n", "at most 200"),
    ("hugename.yaml", b"year: 2024\nname: " + b"x" * 50_000_000 + b"\nonderneming: {}\n", "larger than"),
    ("nul.yaml", b"year: 2024\nname: a\x00b\nonderneming: {}\n", "#x0000"),
    ("utf8.yaml", b"year: 2024\nname: a\xff\xfeb\nonderneming: {}\n", "UnicodeDecodeError"),
    ("rtl.yaml", "year: 2024\nname: evil\u202egpj.exe\nonderneming: {}\n".encode(), "U+202E"),
    ("ctl.yaml", b'year: 2024\nname: "bell\\a"\nonderneming: {}\n', "control character"),
    ("listname.yaml", b"year: 2024\nname: [a, b]\nonderneming: {}\n", "must be text"),
    ("deep.json", b'{"year": 2024, "onderneming": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "not valid"),
    ("huge.yaml", b"year: 2024\nonderneming: {so_uren: 1.0e+308}\n", "at most"),
    ("nan.yaml", b"year: 2024\nonderneming: {so_uren: .nan}\n", "finite"),
    ("big.yaml", b"year: 2024\nonderneming: {so_uren: 9223372036854775808}\n", "at most"),
]


@pytest.mark.parametrize(("name", "content", "says"), CLI_CASES, ids=[c[0] for c in CLI_CASES])
def test_a_hostile_profile_is_one_cli_error_line(
    tmp_path: Path, name: str, content: bytes, says: str
) -> None:
    assert says.lower() in _cli(tmp_path, name, content, "check").lower()


REFORM_CASES = [
    (
        "bomb.yaml",
        alias_bomb(9).replace("year: 2024\nonderneming: {}\n", "").encode(),
        "expands to more than",
    ),
    ("rtl.yaml", "name: a\u202eb\nparameter_changes: []\n".encode(), "U+202E"),
    ("nul.yaml", b"name: a\x00b\n", "#x0000"),
]


@pytest.mark.parametrize(("name", "content", "says"), REFORM_CASES, ids=[c[0] for c in REFORM_CASES])
def test_a_hostile_reform_is_one_cli_error_line(tmp_path: Path, name: str, content: bytes, says: str) -> None:
    profile = REPO / "examples" / "micro_software_startup.yaml"
    path = tmp_path / name
    path.write_bytes(content)
    done = subprocess.run(
        [*peloton_bin(), "check", str(profile), "--reform", str(path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr[-500:]
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and says.lower() in lines[0].lower() and len(lines[0]) < 400, done.stderr[:500]


# -- the API: 4xx problems --------------------------------------------------------------------

JSON_CASES: list[tuple[str, bytes, str]] = [
    ("deep array", b"[" * 100_000 + b"]" * 100_000, "pars"),
    ("deep object", b'{"a":' * 50_000 + b"1" + b"}" * 50_000, "pars"),
    ("nul in name", json.dumps({"year": 2024, "name": "a\x00b", "onderneming": {}}).encode(), "U+0000"),
    ("rtl in name", json.dumps({"year": 2024, "name": "a\u202eb", "onderneming": {}}).encode(), "U+202E"),
    ("invalid utf-8", b'{"year": 2024, "name": "a\xff\xfe", "onderneming": {}}', "pars"),
    ("lone surrogate", b'{"year": 2024, "name": "\\ud800", "onderneming": {}}', "surrogate"),
    ("surrogate key", b'{"year": 2024, "onderneming": {"\\udfff": 1}}', "surrogate"),
    ("NaN", b'{"year": 2024, "onderneming": {"so_uren": NaN}}', "so_uren"),
    ("Infinity", b'{"year": 2024, "onderneming": {"so_uren": -Infinity}}', "so_uren"),
    ("1e308", b'{"year": 2024, "onderneming": {"so_uren": 1e308}}', "so_uren"),
    ("2^63", b'{"year": 2024, "onderneming": {"so_uren": 9223372036854775808}}', "so_uren"),
    ("year 2^63", b'{"year": 9223372036854775808, "onderneming": {}}', "year"),
    ("reform rtl", b'{"year": 2024, "onderneming": {}, "reform": {"name": "x\\u202e"}}', "U+202E"),
]


@pytest.mark.parametrize("route", ["/check", "/check/next"])
@pytest.mark.parametrize(("label", "body", "says"), JSON_CASES, ids=[c[0] for c in JSON_CASES])
def test_hostile_json_is_a_4xx_naming_the_problem(
    open_client: httpx.Client, route: str, label: str, body: bytes, says: str
) -> None:
    response = open_client.post(route, content=body, headers={"content-type": "application/json"})
    _problem(response, says)
    _serving(open_client)


def test_minus_zero_is_read_as_zero(open_client: httpx.Client) -> None:
    body = b'{"year": 2024, "onderneming": {"so_uren": -0.0, "personeel_fte": -0}}'
    response = open_client.post("/check", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 200 and "-0" not in json.dumps(response.json()["firm"])


def test_simulation_numbers_at_the_edges_are_422(open_client: httpx.Client) -> None:
    for body in (
        b'{"year": 2024, "records": NaN}',
        b'{"year": 2024, "records": 1e308}',
        b'{"year": 2024, "seed": 9223372036854775808}',
        b'{"year": -0}',
        b'{"year": 2024, "reform": {"name": "\\ud800", "parameter_changes": []}}',
    ):
        response = open_client.post(
            "/simulations", content=body, headers={"content-type": "application/json"}
        )
        _problem(response)


def _gigabyte() -> Iterator[bytes]:
    block = b" " * (1 << 20)
    for _ in range(1024):
        yield block


@pytest.mark.parametrize("route", ["/check", "/documents", "/populations"])
def test_a_1_gb_streamed_body_without_length_stops_at_the_cap(open_client: httpx.Client, route: str) -> None:
    sent = 0

    def counted() -> Iterator[bytes]:
        nonlocal sent
        for block in _gigabyte():
            sent += len(block)
            yield block

    try:
        response = open_client.post(route, content=counted(), headers={"content-type": "application/json"})
        assert response.status_code == 413 and response.headers["content-type"] == PROBLEM
    except (httpx.WriteError, httpx.RemoteProtocolError, httpx.ReadError):
        pass  # the server answered 413 and closed the connection while the client still wrote
    assert sent < 1 << 30  # the server stopped reading long before the gigabyte was sent
    _serving(open_client)


PDF_CASES = [
    ("flate bomb", lambda: flate_bomb_pdf(6, 1024), "no extractable text"),
    ("page loop", looping_pdf, "cyclic"),
    ("too many pages", lambda: many_pages_pdf(5000), "at most 500"),
    ("rtl text", lambda: text_page_pdf("Vraag 1 ok"), ""),
]


@pytest.mark.parametrize(("label", "make", "says"), PDF_CASES, ids=[c[0] for c in PDF_CASES])
def test_a_hostile_pdf_is_a_422(open_client: httpx.Client, label: str, make: Any, says: str) -> None:
    data = make()
    response = open_client.post("/documents", files={"file": ("answer.pdf", data, "application/pdf")})
    if says:
        _problem(response, says)
    else:
        assert response.status_code == 200  # the control: a small real PDF reads
    _serving(open_client)


def test_a_document_with_a_bidi_override_is_a_422(open_client: httpx.Client) -> None:
    text = "Vraag 1\nHoeveel bedrijven gebruiken de WBSO\u202e?\n\nAntwoord 1\nVeel.\n"
    response = open_client.post("/documents", content=text.encode(), headers={"content-type": "text/plain"})
    _problem(response, "U+202E", "line 2")


@pytest.mark.parametrize("everywhere", [False, True])
def test_parquet_claiming_billions_of_rows_is_a_422(open_client: httpx.Client, everywhere: bool) -> None:
    data = lying_parquet(5_000_000_000, everywhere)
    response = open_client.post("/populations?format=parquet", content=data)
    _problem(response, "5,000,000,000")
    _serving(open_client)


@pytest.mark.parametrize(
    ("label", "data", "says"),
    [
        ("100 MB line", b"so_uren,weight\n" + b"1" * 99_000_000 + b",1\n", "longer than"),
        ("100 MB header", b"so_uren" + b"x" * 99_000_000 + b",weight\n1,1\n", "header"),
        ("NUL", b"so_uren,weight\n1\x00,1\n", "so_uren"),
        ("invalid UTF-8", b"so_uren,weight\n\xff\xfe,1\n", "utf"),
    ],
)
def test_a_hostile_csv_is_a_422(open_client: httpx.Client, label: str, data: bytes, says: str) -> None:
    response = open_client.post("/populations?format=csv", content=data)
    _problem(response, says)
    _serving(open_client)


def test_an_upload_name_with_a_bidi_override_is_a_422(open_client: httpx.Client) -> None:
    csv = (REPO / "examples" / "populations" / "tiny.csv").read_bytes()
    response = open_client.post("/populations", files={"file": ("evil\u202evsc.exe", csv, "text/csv")})
    _problem(response, "U+202E")


PATH_LIKE = [
    "..",
    "%2e%2e",
    "..%2f..%2fetc%2fpasswd",
    "%2e%2e%2f%2e%2e%2fetc",
    "%00",
    "a" * 4096,
    "%252e%252e",
]


def _id_routes(client: httpx.Client) -> list[tuple[str, str]]:
    spec = client.get("/openapi.json").json()
    return [(method, path) for path, ops in spec["paths"].items() if "{" in path for method in ops]


def test_path_like_ids_on_every_id_route_are_404_or_422(
    open_client: httpx.Client, open_server: Server
) -> None:
    routes = _id_routes(open_client)
    assert len(routes) >= 6  # simulations (status, table, delete), populations (2), reproduce, catalog
    root = open_server.base.removesuffix("/api/v1")
    for method, path in routes:
        for hostile in PATH_LIKE:
            url = root + "/api/v1" + path.split("{")[0] + hostile + ("/x.csv" if "{table}" in path else "")
            response = httpx.request(method.upper(), url, timeout=30)
            assert response.status_code in (404, 405, 422), (method, url, response.status_code)
            assert response.headers["content-type"] == PROBLEM
            assert "root:" not in response.text  # nothing of /etc/passwd
    _serving(open_client)


def test_the_server_stayed_within_its_memory_bound(open_client: httpx.Client, open_server: Server) -> None:
    """Run last in this module: the peak memory of the server over every hostile request above."""
    _serving(open_client)
    assert rss_peak_kb(open_server.process.pid) < SERVER_MEMORY_BOUND_KB
