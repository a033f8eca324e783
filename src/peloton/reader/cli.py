"""Commands of the reader (registered on the root app by peloton.cli)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this capability's commands to the root app."""
