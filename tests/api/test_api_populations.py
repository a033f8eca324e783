"""Uploaded populations over HTTP: a CSV or Parquet file in -> id, records, weighted firms; a bad
column is a 422 naming it; a simulation on the upload equals `peloton simulate --population` on the
same file; deleting the job deletes the upload; the size cap is counted on streamed bytes."""

from __future__ import annotations

import io
import json
import os
import time
from pathlib import Path
from typing import Any

import httpx
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from tests.api.conftest import wait_for_job
from tests.simulate import tiny
from typer.testing import CliRunner

from peloton.api import uploads
from peloton.cli import app as cli_app

PROBLEM = "application/problem+json"
TINY_FIRMS = sum(f[1] for f in tiny.FIRMS)  # 31 firms stand behind the six records


def test_a_csv_upload_is_validated_described_and_simulated_like_the_cli(
    client: httpx.Client, server: Any, tmp_path: Path
) -> None:
    path = tiny.write(tmp_path / "tiny.csv")
    response = client.post("/populations?name=tiny.csv", content=path.read_bytes())
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["records"] == 6 and body["firms"] == TINY_FIRMS and body["format"] == "csv"
    assert response.headers["Location"] == body["url"] == f"/api/v1/populations/{body['id']}"
    assert client.get(f"/populations/{body['id']}").json()["records"] == 6
    again = client.post("/populations", files={"file": ("tiny.csv", path.read_bytes(), "text/csv")})
    assert again.status_code == 201 and again.json()["id"] == body["id"]  # same content, same id

    job = client.post("/simulations", json={"year": 2024, "population": body["id"]}).json()
    data = wait_for_job(client, job["url"].removeprefix("/api/v1"))
    assert data["status"] == "done", data
    assert data["request"]["records"] is None and data["request"]["population"] == body["id"]
    cli = CliRunner().invoke(
        cli_app,
        ["simulate", "--year", "2024", "--population", str(path), "--json", "--no-charts"],
        env={"PELOTON_HOME": str(server.home)},
    )
    assert cli.exit_code == 0, cli.output
    expected = json.loads(cli.stdout)
    assert data["results"]["schemes"] == expected["schemes"]
    assert data["results"]["population"]["records"] == 6

    assert client.delete(f"/simulations/{job['id']}").status_code == 204
    assert client.get(f"/simulations/{job['id']}").status_code == 404
    assert client.get(f"/populations/{body['id']}").status_code == 404  # deleted with its job
    assert not list((Path(server.home) / "api-cache" / "uploads").glob(f"{body['id']}*"))


def test_a_parquet_upload_is_read_as_parquet(client: httpx.Client, tmp_path: Path) -> None:
    table = pacsv.read_csv(tiny.write(tmp_path / "tiny.csv"))
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    response = client.post("/populations", content=buffer.getvalue())
    assert response.status_code == 201, response.text
    assert response.json()["format"] == "parquet" and response.json()["records"] == 6
    assert client.delete(response.json()["url"].removeprefix("/api/v1")).status_code == 204


def test_a_bad_column_is_a_422_naming_it(client: httpx.Client, tmp_path: Path) -> None:
    text = tiny.write(tmp_path / "tiny.csv").read_text(encoding="utf-8")
    bad = text.replace("\n101,10.0,5,", "\n101,10.0,-5,", 1)
    response = client.post("/populations?name=mine.csv", content=bad.encode())
    assert response.status_code == 422 and response.headers["content-type"] == PROBLEM
    assert "personeel_fte" in response.json()["detail"], response.json()
    assert ".tmp" not in response.json()["detail"] and "row 1" in response.json()["detail"]
    unknown = client.post("/populations", content=b"id,weight,kleur\n1,1,rood\n")
    assert unknown.status_code == 422 and "kleur" in unknown.json()["detail"]
    empty = client.post("/populations", content=b"")
    assert empty.status_code == 422 and "empty" in empty.json()["detail"]
    lying = client.post("/populations?format=parquet", content=text.encode())
    assert lying.status_code == 422 and "declared parquet" in lying.json()["detail"]


def test_an_upload_above_the_cap_is_413_counted_on_streamed_bytes(
    client: httpx.Client, monkeypatch: Any
) -> None:
    """No Content-Length (a chunked body): the cap is counted on the bytes as they arrive."""
    sent = 0

    def chunks() -> Any:
        nonlocal sent
        block = b"1," * 500_000
        while sent <= uploads.MAX_UPLOAD_BYTES + 2_000_000:
            sent += len(block)
            yield block

    try:
        response = client.post("/populations", content=chunks())
    except httpx.HTTPError:  # the server may close the connection before reading the rest
        return
    assert response.status_code == 413 and response.headers["content-type"] == PROBLEM


def test_unknown_population_ids(client: httpx.Client) -> None:
    for path in ("/populations/0123456789abcdef0123456789abcdef", "/populations/..%2F..%2Fetc"):
        response = client.get(path)
        assert response.status_code == 404 and response.headers["content-type"] == PROBLEM
    response = client.post("/simulations", json={"year": 2024, "population": "0" * 32})
    assert response.status_code == 422 and response.json()["errors"][0]["pointer"] == "/population"


def test_expired_uploads_and_leftover_temporary_files_are_deleted(tmp_path: Path) -> None:
    store = uploads.UploadStore(tmp_path)
    store.root.mkdir(parents=True)
    old = store.root / f"{'a' * 32}.csv"
    old.write_text("id,weight\n1,1\n")
    (store.root / f"{'a' * 32}.json").write_text("{}")
    leftover = store.root / ".upload-1-2.tmp"
    leftover.write_text("half")
    kept = store.root / f"{'b' * 32}.csv"
    kept.write_text("id,weight\n1,1\n")
    now = time.time()
    os.utime(old, (now - uploads.UPLOAD_TTL_SECONDS - 10,) * 2)
    os.utime(leftover, (now - 7200,) * 2)
    store.expire(now)
    assert not old.exists() and not (store.root / f"{'a' * 32}.json").exists()
    assert not leftover.exists() and kept.exists()
