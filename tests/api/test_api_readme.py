"""The README's curl examples of the REST API, run against a started server: each one answers with
success and the document it describes. The commands are read from the README itself, so an example
that stops working, or a route renamed in the README only, fails here."""

from __future__ import annotations

import re
import shlex
import time
from pathlib import Path
from typing import Any

import httpx
from tests.conftest import REPO
from tests.simulate import tiny

README = REPO / "README.md"


def _curl_commands() -> list[list[str]]:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## The REST API") :]
    block = section[section.index("```\ncurl") + 4 : section.index("```", section.index("```\ncurl") + 4)]
    joined = block.replace("\\\n", " ")
    return [shlex.split(line, comments=True) for line in joined.splitlines() if line.startswith("curl")]


def _request(words: list[str], base: str) -> tuple[str, str, dict[str, Any]]:
    method, url, options = "GET", "", {}
    headers: dict[str, str] = {}
    i = 1
    while i < len(words):
        word = words[i]
        if word == "-s":
            pass
        elif word == "-X":
            method, i = words[i + 1], i + 1
        elif word == "-H":
            name, _, value = words[i + 1].partition(":")
            headers[name.strip()] = value.strip()
            i += 1
        elif word == "-d":
            options["content"], i = words[i + 1].encode(), i + 1
        elif word == "--data-binary":
            options["content"], i = (REPO / words[i + 1].removeprefix("@")).read_bytes(), i + 1
        elif word == "-F":
            field, _, value = words[i + 1].partition("=@")
            options["files"], i = {field: (value, _document(value))}, i + 1
        else:
            url = word
        i += 1
    options["headers"] = headers
    return method, re.sub(r"^localhost:8000/api/v1", base, url), options


def _document(name: str) -> bytes:
    """`answer.txt` in the README: the seed's answer document (text) stands in for it."""
    return sorted((REPO.parent / "shared" / "seed").glob("*.txt"))[0].read_bytes()


def test_every_curl_example_answers(server: Any) -> None:
    commands = _curl_commands()
    assert len(commands) >= 12, commands
    job = last_hash = ""
    with httpx.Client(timeout=300) as client:
        for words in commands:
            method, url, options = _request(words, server.base)
            if "<id>" in url:
                deadline = time.monotonic() + 180
                while client.get(f"{server.base}/simulations/{job}").json()["status"] != "done":
                    assert time.monotonic() < deadline, "the README's simulation did not finish"
                    time.sleep(0.5)
                url = url.replace("<id>", job)
            url = url.replace("<hash>", last_hash)
            response = client.request(method, url, **options)
            assert response.status_code in (200, 201, 202), (words, response.text[:500])
            if url.endswith("/check"):
                last_hash = response.headers["X-Peloton-Input-Hash"]
            if httpx.URL(url).path.endswith(".csv"):
                assert "scheme,name,computed" in response.text.splitlines()[0], response.text[:200]
                continue
            body = response.json()
            if url.endswith("/simulations"):
                job = body["id"]
            if "/reproduce/" in url:
                assert body["command"].startswith("peloton "), body


def test_the_example_population_is_the_tests_tiny_population(tmp_path: Path) -> None:
    """examples/populations/tiny.csv is the hand-worked population of tests/simulate/tiny.py."""
    written = tiny.write(tmp_path / "tiny.csv").read_bytes()
    assert (REPO / "examples" / "populations" / "tiny.csv").read_bytes() == written


def test_serve_prints_the_web_app_and_api_urls(server: Any) -> None:
    """The README's first command (`make run`, i.e. `peloton serve`) prints where the app is."""
    port = server.base.rsplit(":", 1)[1].split("/")[0]
    log = (Path(server.home) / "serve.log").read_text(encoding="utf-8")
    assert f"peloton web app on http://127.0.0.1:{port}/ (Dutch; English at /en/)" in log
    assert f"peloton API on http://127.0.0.1:{port}/api/v1" in log
