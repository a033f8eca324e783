"""Schemathesis on every operation of the live server (tests/api/test_api_fuzz.py covers the read-only
ones with the server-error check; this adds simulations, uploads and documents and the conformance
checks): no server error, answers as documented."""

from __future__ import annotations

import pytest
from tests.api.conftest import Server
from tests.reliability.conftest import SCALE

pytest.importorskip("schemathesis")
from tests.reliability.fuzz import fuzz

EXAMPLES = max(15, int(200 * SCALE))  # per operation: "a few hundred" in CI (issue 12)


def test_fuzzing_every_operation_finds_no_server_error(open_server: Server) -> None:
    result = fuzz(open_server.base, EXAMPLES)
    assert result.cases >= EXAMPLES * 10
    assert result.server_errors == 0, result.failures
    assert result.failures == []
