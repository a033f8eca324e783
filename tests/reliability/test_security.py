"""Security basics: headers on every response, CORS closed, per-client rate limits on simulations and
uploads, and no eval/exec/unsafe YAML loading anywhere in src/."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from tests.api.conftest import Server, serving, start_server, stop_server
from tests.conftest import REPO

from peloton.api.rate_limits import RateLimiter

HEADERS = ("content-security-policy", "x-content-type-options", "referrer-policy")


@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serving(tmp_path_factory.mktemp("limited-home"), "--rate-limit", "3") as running:
        yield running


def _check_headers(response: httpx.Response) -> None:
    for name in HEADERS:
        assert name in response.headers, (response.url, response.status_code, name)
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self';" in csp and "style-src 'self'" in csp
    assert "unsafe-eval" not in csp and "script-src 'self' 'unsafe-inline'" not in csp
    if response.url.path.startswith("/api/"):  # the web app's pages allow inline styles (Plotly's SVG)
        assert "unsafe-inline" not in csp
    assert len(response.headers.get_list("content-security-policy")) == 1
    assert response.headers["x-content-type-options"] == "nosniff"


def test_every_response_carries_the_security_headers(open_client: httpx.Client, open_server: Server) -> None:
    spec = open_client.get("/openapi.json").json()
    root = open_server.base.removesuffix("/api/v1")
    seen = set()
    for path, ops in spec["paths"].items():
        if "get" in ops:
            response = httpx.get(root + path.replace("{", "").replace("}", ""), timeout=60)
            _check_headers(response)
            seen.add(response.status_code)
    for response in (
        open_client.get("/docs"),
        open_client.get("/docs/assets/swagger-ui.css"),
        open_client.get("/no/such/route"),
        open_client.post("/check", content=b"{", headers={"content-type": "application/json"}),
        open_client.post("/check", content=b" " * 1_100_000),
        httpx.get(root + "/", timeout=30),
    ):
        _check_headers(response)
        seen.add(response.status_code)
    assert {200, 404, 413} <= seen


def test_the_docs_page_has_no_inline_style_or_script(open_client: httpx.Client) -> None:
    page = open_client.get("/docs").text
    scripts = page.split("<script")[1:]
    assert scripts and all(s.lstrip().startswith("src=") for s in scripts)  # files, no inline code
    assert "<style" not in page and " style=" not in page


def test_cors_is_closed_by_default(open_client: httpx.Client) -> None:
    response = open_client.get("/health", headers={"Origin": "https://elders.example"})
    assert "access-control-allow-origin" not in response.headers


@pytest.mark.parametrize(
    ("path", "kwargs"),
    [
        ("/simulations", {"json": {"year": 1900}}),
        ("/populations", {"content": b"so_uren,weight\n1,1\n"}),
        ("/documents", {"content": b"Vraag 1\nWat?\n", "headers": {"content-type": "text/plain"}}),
    ],
)
def test_simulations_and_uploads_are_rate_limited_per_client(
    limited: Server, path: str, kwargs: dict
) -> None:
    with httpx.Client(base_url=limited.base, timeout=60) as client:
        statuses = [client.post(path, **kwargs).status_code for _ in range(8)]
        assert 429 in statuses, statuses  # populations and documents share the uploads bucket
        refused = client.post(path, **kwargs)
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
        assert refused.headers["content-type"] == "application/problem+json"
        assert "a minute" in refused.json()["detail"]
        _check_headers(refused)
        assert client.get("/health").status_code == 200  # other routes are not limited


def test_the_web_forms_share_the_api_limits_and_answer_with_a_page(tmp_path: Path) -> None:
    """The simulator's form and the reader's upload start the same work as the API's routes: they
    take from the same per-client buckets and are refused with a page in the page's language."""
    server = start_server(tmp_path, "--rate-limit", "2")
    root = server.base.removesuffix("/api/v1")
    try:
        with httpx.Client(base_url=root, timeout=60) as client:
            form = {"year": "1900", "records": "1000"}  # refused by the form: counted all the same
            assert [client.post("/nl/simulator", data=form).status_code for _ in range(2)] == [422, 422]
            refused = client.post("/nl/simulator", data=form)
            assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
            assert refused.headers["content-type"].startswith("text/html")
            assert "Te veel verzoeken" in refused.text and "hoogstens 2 per minuut" in refused.text
            _check_headers(refused)
            english = client.post("/en/simulator?csv=history", data=form)  # one bucket, any language
            assert english.status_code == 429 and "at most 2 a minute" in english.text
            api = client.post("/api/v1/simulations", json={"year": 2024, "records": 1000})
            assert api.status_code == 429 and api.headers["content-type"] == "application/problem+json"
            assert client.get("/nl/simulator").status_code == 200  # the form itself is not limited

            empty = {"file": ("antwoord.txt", b" ", "text/plain")}
            assert [client.post("/nl/lezer", files=empty).status_code for _ in range(2)] == [422, 422]
            upload = client.post("/en/lezer", files=empty)
            assert upload.status_code == 429 and "You uploaded too many files" in upload.text
            assert int(upload.headers["Retry-After"]) >= 1
            document = client.post("/api/v1/documents", content=b"Vraag 1\nWat?\n")
            assert document.status_code == 429  # the API's uploads share the bucket
    finally:
        stop_server(server)


def test_the_limiter_refills_and_keeps_clients_apart() -> None:
    now = [0.0]
    limiter = RateLimiter(per_minute=2, clock=lambda: now[0])
    assert limiter.take("a", "uploads") == 0 and limiter.take("a", "uploads") == 0
    wait = limiter.take("a", "uploads")
    assert wait == pytest.approx(30.0)
    assert limiter.take("b", "uploads") == 0  # another client has its own bucket
    assert limiter.take("a", "simulations") == 0  # another group too
    now[0] = 30.0
    assert limiter.take("a", "uploads") == 0


UNSAFE_CALLS = {"eval", "exec", "compile", "__import__"}


def _unsafe(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in UNSAFE_CALLS:
            found.append(func.id)
        if isinstance(func, ast.Attribute):
            owner = func.value.id if isinstance(func.value, ast.Name) else ""
            if owner == "yaml" and func.attr in (
                "load",
                "load_all",
                "unsafe_load",
                "full_load",
                "full_load_all",
            ):
                loader = next((k.value for k in node.keywords if k.arg == "Loader"), None)
                safe = isinstance(loader, ast.Attribute) and loader.attr in ("SafeLoader", "CSafeLoader")
                if not safe:
                    found.append(f"yaml.{func.attr}")
            if owner in ("pickle", "marshal", "shelve") and func.attr in ("load", "loads", "open"):
                found.append(f"{owner}.{func.attr}")
            if owner == "os" and func.attr == "system":
                found.append("os.system")
            if owner == "subprocess" and any(
                k.arg == "shell" and isinstance(k.value, ast.Constant) and k.value.value
                for k in node.keywords
            ):
                found.append("subprocess shell=True")
    return found


def test_no_eval_exec_or_unsafe_loading_anywhere_in_src() -> None:
    offenders = {}
    for path in sorted((REPO / "src").rglob("*.py")):
        found = _unsafe(ast.parse(path.read_text(encoding="utf-8")))
        if found:
            offenders[str(path.relative_to(REPO))] = found
    assert offenders == {}


def test_the_code_health_check_can_fail() -> None:
    bad = "import yaml\nyaml.load(s)\nyaml.load(s, Loader=yaml.SafeLoader)\neval('1')\nexec('x')\n"
    assert _unsafe(ast.parse(bad)) == ["yaml.load", "eval", "exec"]


def test_no_profile_is_stored_by_the_navigator(open_client: httpx.Client, open_server: Server) -> None:
    before = {p for p in Path(open_server.home).rglob("*") if p.is_file()}
    body = {"year": 2024, "name": "Geheim BV", "onderneming": {"so_uren": 1000}}
    assert open_client.post("/check", json=body).status_code == 200
    after = {p for p in Path(open_server.home).rglob("*") if p.is_file()}
    assert not any("Geheim" in p.read_text(errors="ignore") for p in after - before if p.suffix != ".log")
