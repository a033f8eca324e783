"""How the monitor's commands print: readable numbers, a plain JSON shape, tables that fit 80 columns.

Why one module: every ``peloton stats`` command offers ``--json`` and a Rich table; the rules for
both (no ``2.233e+04``, no cell cut with "…", one stable JSON envelope) live here so the commands
cannot drift apart.
"""

from __future__ import annotations

import contextlib
import csv
import json
import math
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from peloton.errors import InputError


def number(value: float | None, decimals: int | None = None) -> str:
    """A figure as people write it: 22,330 / 97 / 1.23; never scientific notation."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if decimals is not None:
        return f"{value:,.{decimals}f}"
    if float(value).is_integer() or abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def console() -> Console:
    """The terminal as it is (COLUMNS respected), so tables are laid out for the real width."""
    return Console()


def table(title: str, columns: Sequence[tuple[str, str]], **kwargs: Any) -> Table:
    """A Rich table whose cells wrap (fold) instead of being cut with an ellipsis.

    ``columns`` are (header, justify) pairs; numeric columns never wrap.
    """
    out = Table(title=title, title_justify="left", **kwargs)
    for header, justify in columns:
        if justify == "right":
            out.add_column(header, justify="right", no_wrap=True)
        else:
            out.add_column(header, overflow="fold")
    return out


def print_json(command: str, payload: dict[str, Any]) -> None:
    """One JSON document: ``{"command": ..., **payload}``, keys in a fixed order, UTF-8 kept."""
    typer.echo(json.dumps({"command": command, **payload}, indent=2, ensure_ascii=False, default=str))


def write_csv(path: Path, header: Sequence[Any], rows: Iterable[Sequence[Any]], field: str = "csv") -> None:
    """Write a CSV; an unwritable path is one InputError naming it (nothing half-written is kept)."""
    existed = path.exists()
    try:
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows(rows)
    except OSError as exc:
        if not existed:
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)
        raise InputError(field, f"cannot write {path}: {exc.strerror or exc}") from exc
