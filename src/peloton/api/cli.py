"""The `peloton serve` command: the REST API on uvicorn, offline on the embedded defaults."""

from __future__ import annotations

from typing import Annotated

import typer


def serve_command(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.", min=1, max=65535)] = 8000,
    workers: Annotated[
        int | None, typer.Option("--jobs", help="Simulation jobs at a time (default: one per core).", min=1)
    ] = None,
    job_time_limit: Annotated[
        int, typer.Option("--job-time-limit", help="Seconds a simulation job may run.", min=1)
    ] = 900,
    cors_origin: Annotated[
        list[str] | None,
        typer.Option("--cors-origin", help="Allow browsers on this origin to call the API (repeatable)."),
    ] = None,
) -> None:
    """Serve the REST API (navigator, simulator, monitor, reader) under /api/v1. CORS is closed unless
    origins are allow-listed."""
    import uvicorn

    from peloton.api.app import create_app

    app = create_app(workers=workers, cors_origins=tuple(cors_origin or ()), job_time_limit=job_time_limit)
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"peloton web app on http://{shown}:{port}/ (Dutch; English at /en/)")
    typer.echo(f"peloton API on http://{shown}:{port}/api/v1 (docs: http://{shown}:{port}/api/v1/docs)")
    uvicorn.run(app, host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    """Add `serve` to the root app."""
    app.command("serve")(serve_command)
