"""Pydantic models of the API's fixed shapes, for the OpenAPI document: problem details and
simulation jobs. The navigator's, the monitor's and the reader's documents are the CLI's JSON, whose
shape the capabilities own (README "JSON result"); they are described there, not copied here."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict


class ErrorItem(BaseModel):
    model_config = ConfigDict(extra="allow")

    pointer: str
    detail: str
    field: str | None = None
    parameter: str | None = None


class ProblemDetails(BaseModel):
    """RFC 9457 problem details, with the fields each error is about."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    detail_nl: str
    instance: str | None = None
    errors: list[ErrorItem]


class JobSubmitted(BaseModel):
    id: str
    status: Literal["queued", "running", "done", "failed"]
    reason: str
    url: str


class JobProgress(BaseModel):
    stage: str
    percent: float
    eta_seconds: float | None


class JobStatus(JobSubmitted):
    request: dict[str, Any] | None = None
    progress: JobProgress | None = None
    tables: list[str] = []
    results: dict[str, Any] | None = None


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` entry of a route for its problem statuses."""
    return {
        status: {
            "model": ProblemDetails,
            "content": {"application/problem+json": {}},
            "description": "problem",
        }
        for status in statuses
    }
