"""The limits the README's Reliability section states are the ones the code enforces."""

from __future__ import annotations

from tests.conftest import REPO

from peloton.api import jobs, middleware, rate_limits, simulations, uploads
from peloton.model.reforms.builder import REFORM_SYSTEMS_KEPT
from peloton.navigator.profile import MAX_NAME_CHARS
from peloton.reader import pdf
from peloton.simulate.population import CSV_BLOCK_BYTES
from peloton.yaml_input import MAX_DOCUMENT_CHARS, MAX_EXPANDED_NODES


def _section() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return text.split("## Reliability", 1)[1].split("\n## ", 1)[0]


def test_the_readme_states_the_limits_the_code_enforces() -> None:
    section = _section()
    stated = [
        f"{middleware.MAX_BODY:,} bytes",
        f"{middleware.MAX_DOCUMENT_BODY:,} bytes",
        f"{pdf.MAX_PDF_PAGES} pages",
        f"{pdf.MAX_PDF_TEXT_CHARS:,} characters of text",
        f"{uploads.MAX_UPLOAD_BYTES:,} bytes",
        f"{uploads.MAX_UPLOAD_RECORDS:,} records",
        f"{CSV_BLOCK_BYTES // (1 << 20)} MiB",
        f"{MAX_DOCUMENT_CHARS:,} characters",
        f"{MAX_EXPANDED_NODES:,} values",
        f"{MAX_NAME_CHARS} characters",
        f"{jobs.JOB_TIME_LIMIT} s",
        f"Retry-After {simulations.RETRY_AFTER_SECONDS}",
        f"{rate_limits.DEFAULT_PER_MINUTE} simulation submissions",
        f"{REFORM_SYSTEMS_KEPT} reformed systems",
    ]
    missing = [s for s in stated if s not in section]
    assert missing == []
