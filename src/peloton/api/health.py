"""Liveness and readiness: /health answers as soon as the process serves; /ready only when the rules
model is loaded and the stats store opens, so a client (or the test fixture) waits for /ready."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from peloton.api.problems import Problem
from peloton.api.versions import peloton_version, rules_version

router = APIRouter(tags=["health"])


@router.get("/health", summary="Liveness")
def health() -> dict[str, Any]:
    return {"status": "ok", "version": peloton_version()}


def readiness() -> dict[str, Any]:
    """Load the rules and open the stats store once; raise what fails."""
    from peloton.model import tax_benefit_system
    from peloton.stats.store import Store

    system = tax_benefit_system()
    with Store.open(None, read_only=True) as store:
        measures = len(store.measures())
    return {
        "status": "ready",
        "version": peloton_version(),
        "rules_version": rules_version(),
        "variables": len(system.variables),
        "stats_measures": measures,
    }


@router.get("/ready", summary="Readiness: rules loaded, stats store openable")
def ready() -> dict[str, Any]:
    try:
        return readiness()
    except Exception as exc:
        raise Problem(
            503, f"not ready: {type(exc).__name__}: {str(exc)[:200]}", detail_nl="niet gereed"
        ) from None
