"""The FastAPI application: routers under /api/v1, the problem handlers, the body cap, the version
headers, and the simulation job store (whose worker pool is stopped on shutdown)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from peloton.api import (
    catalog,
    docs_page,
    documents,
    health,
    navigator,
    populations,
    problems,
    reproduce,
    simulations,
    stats,
)
from peloton.api.jobs import JOB_TIME_LIMIT, JobStore
from peloton.api.middleware import BodyLimit, ResponseHeaders
from peloton.api.rate_limits import DEFAULT_PER_MINUTE, RateLimit
from peloton.api.uploads import UploadStore
from peloton.api.versions import peloton_version
from peloton.web import app as web
from peloton.web import rate_limited

PREFIX = "/api/v1"


def create_app(
    cache: Path | None = None,
    workers: int | None = None,
    queue_limit: int = 4,
    cors_origins: Sequence[str] = (),
    rate_limit: int = DEFAULT_PER_MINUTE,
    job_time_limit: int = JOB_TIME_LIMIT,
) -> FastAPI:
    """The API; `cache`, `workers` and `queue_limit` configure the simulation jobs. CORS is closed
    unless origins are allow-listed (`peloton serve --cors-origin URL`): a browser on another site
    then may call the API, and only those origins. `rate_limit` is the simulation submissions and
    the uploads each client may make a minute (0: no limit), through the API or the web app's forms.

    Middleware, outermost first: security headers (every response carries them, the web app's
    pages too), version headers, the rate limit (before a body is read), the body cap."""
    jobs = JobStore(cache, workers=workers, queue_limit=queue_limit, time_limit=job_time_limit)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        jobs.shutdown()

    app = FastAPI(
        title="peloton",
        version=peloton_version(),
        description="The Dutch innovation-support schemes as executable rules: navigator, simulator, "
        "monitor and reader over HTTP.",
        openapi_url=f"{PREFIX}/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.jobs = jobs
    app.state.uploads = UploadStore(jobs.root)
    app.state.computations = reproduce.Computations()
    problems.install(app)
    for module in (
        health,
        catalog,
        navigator,
        stats,
        documents,
        simulations,
        populations,
        reproduce,
        docs_page,
    ):
        app.include_router(module.router, prefix=PREFIX)
    web.install(app)  # the web app's pages at / (peloton.web)
    app.add_middleware(BodyLimit)
    app.add_middleware(
        RateLimit, per_minute=rate_limit, pages=rate_limited.PAGES, page_refusal=rate_limited.refusal_page
    )
    app.add_middleware(ResponseHeaders)
    if cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["*"],
        )
    return app
