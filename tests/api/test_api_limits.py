"""Every 4xx is a problem document; the body cap answers 413 on Content-Length and on streamed bytes;
no input makes a 500."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

PROBLEM = "application/problem+json"
CAP = 1_000_000


def test_declared_length_above_the_cap_is_413(client: httpx.Client) -> None:
    response = client.post("/check", content=b"{" + b" " * (CAP + 10) + b"}")
    assert response.status_code == 413 and response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["status"] == 413 and "1,000,000" in body["detail"] and body["detail_nl"]
    assert "X-Peloton-Rules-Version" in response.headers


def test_streamed_bytes_above_the_cap_are_413_without_content_length(client: httpx.Client) -> None:
    sent = 0

    def chunks() -> Iterator[bytes]:
        nonlocal sent
        for _ in range(200):  # 200 x 64 KiB = 12.5 MiB offered; the server stops reading at the cap
            sent += 1
            yield b" " * 65536

    response = client.post("/check", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.headers["content-type"] == PROBLEM


def test_a_body_under_the_cap_is_read(client: httpx.Client) -> None:
    padded = b'{"year": 2024, "onderneming": {}}' + b" " * 500_000
    response = client.post("/check", content=padded, headers={"content-type": "application/json"})
    assert response.status_code == 200


def test_wrong_method_is_a_405_problem(client: httpx.Client) -> None:
    response = client.get("/check")
    assert response.status_code == 405 and response.headers["content-type"] == PROBLEM
    assert response.json()["errors"]


BAD_BODIES: list[object] = [
    None,
    "text",
    17,
    [],
    {},
    {"year": None, "onderneming": None},
    {"year": "2024", "onderneming": []},
    {"year": True, "onderneming": {}},
    {"year": 2024.5, "onderneming": {}},
    {"year": 10**30, "onderneming": {}},
    {"year": 2024, "onderneming": {"so_uren": 1e308 * 10}},
    {"year": 2024, "onderneming": {"so_uren": 10**400}},
    {"year": 2024, "onderneming": {"so_uren": {"twenty": 1}}},
    {"year": 2024, "onderneming": {"personeel_fte": {"2024": None}}},
    {"year": 2024, "onderneming": {"rechtsvorm": ["bv"]}},
    {"year": 2024, "onderneming": {"wbso_afdrachtvermindering": 10}},
    {"year": 2024, "onderneming": {"x" * 5000: 1}},
    {"year": 2024, "ondernemingen": {"a": {}, "b": {}}},
    {"year": 2024, "ondernemingen": {"a": 5}},
    {"year": 2024, "onderneming": {}, "reform": "cheaper"},
    {"year": 2024, "onderneming": {}, "reform": {"name": "r", "parameter_changes": [{"parameter": "wbso"}]}},
    {"year": 2024, "onderneming": {}, "reform": {"name": "r", "new_schemes": [{"id": "wbso"}]}},
    {"year": 2024, "name": "n" * 1000, "onderneming": {}},
]


@pytest.mark.parametrize("route", ["/check", "/check/next", "/simulations"])
def test_no_bad_body_makes_a_500(client: httpx.Client, route: str) -> None:
    for body in BAD_BODIES:
        content = (
            json.dumps(body).encode().replace(b"Infinity", b"1e999")
        )  # JSON has no Infinity; a huge number does
        response = client.post(route, content=content, headers={"content-type": "application/json"})
        assert 400 <= response.status_code < 500, (route, body, response.text)
        assert response.headers["content-type"] == PROBLEM, (route, body)
        problem = response.json()
        assert problem["errors"] and all("pointer" in e and "detail" in e for e in problem["errors"])
