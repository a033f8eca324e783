"""Schemathesis over the OpenAPI document of a live server, every operation (simulations, uploads and
documents included), with the checks that the document can answer for. Used by
tests/reliability/test_fuzz.py (up to 200 cases per operation) and benchmarks/reliability.py (>= 10,000)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

# status codes every route may answer beyond its own: the body cap, the rate limit, a full disk
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@dataclass
class FuzzResult:
    cases: int = 0
    server_errors: int = 0
    failures: list[str] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)


def fuzz(base: str, examples_per_operation: int, seed: int = 0) -> FuzzResult:
    import schemathesis

    schema = schemathesis.openapi.from_url(f"{base}/openapi.json")
    root = base.removesuffix("/api/v1")
    result = FuzzResult()
    for item in schema.get_all_operations():
        operation = item.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=examples_per_operation,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def run(case: Any) -> None:
            response = case.call(base_url=root, timeout=120)
            result.cases += 1
            result.statuses[response.status_code] += 1
            if response.status_code >= 500:
                result.server_errors += 1
            case.validate_response(response, checks=CHECKS)

        try:
            run()
        except (
            Exception,
            BaseExceptionGroup,
        ) as exc:  # hypothesis shrank a failure of this operation; the next one runs
            lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
            summary = " | ".join(lines[1:6])
            result.failures.append(f"{operation.method.upper()} {operation.path}: {summary}")
    return result
