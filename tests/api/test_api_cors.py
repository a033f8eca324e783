"""CORS is closed by default and opens only for allow-listed origins (in-process: no server needed)."""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from peloton.api.app import create_app

ORIGIN = "https://adviseur.example"


def test_cors_is_closed_by_default(tmp_path: Path) -> None:
    with TestClient(create_app(cache=tmp_path)) as client:
        response = client.get("/api/v1/health", headers={"Origin": ORIGIN})
        assert response.status_code == 200
        assert "access-control-allow-origin" not in response.headers


def test_cors_opens_for_an_allow_listed_origin_only(tmp_path: Path) -> None:
    with TestClient(create_app(cache=tmp_path, cors_origins=(ORIGIN,))) as client:
        allowed = client.get("/api/v1/health", headers={"Origin": ORIGIN})
        assert allowed.headers.get("access-control-allow-origin") == ORIGIN
        other = client.get("/api/v1/health", headers={"Origin": "https://elders.example"})
        assert "access-control-allow-origin" not in other.headers
