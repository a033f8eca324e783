"""Schemathesis from the OpenAPI document against the live server: whatever it generates for the
navigator's, the catalog's and the monitor's routes, no answer is a 500. (Simulations and documents
are left out: a generated valid request would start real jobs or upload files.)"""

from __future__ import annotations

from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402

SKIPPED = ("/simulations", "/documents")


def test_no_generated_request_is_a_server_error(server: Any) -> None:
    schema = schemathesis.openapi.from_url(f"{server.base}/openapi.json")
    root = server.base.removesuffix("/api/v1")
    tried: list[str] = []
    statuses: list[int] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if any(part in operation.path for part in SKIPPED):
            continue
        tried.append(f"{operation.method.upper()} {operation.path}")

        @given(case=operation.as_strategy())
        @settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
        def run(case: Any) -> None:
            response = case.call(base_url=root)
            statuses.append(response.status_code)
            case.validate_response(response, checks=[not_a_server_error])
            assert response.status_code < 500, (case.method, case.path, response.text[:300])

        run()
    assert "POST /api/v1/check" in tried and "GET /api/v1/stats/sectors" in tried
    assert len(statuses) >= len(tried)  # every operation was called
    print(f"{len(statuses)} generated requests on {len(tried)} operations: {sorted(set(statuses))}")
