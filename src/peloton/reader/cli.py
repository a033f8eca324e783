"""Commands of the reader (registered on the root app by peloton.cli).

`peloton read FILE` is a thin adapter over peloton.reader.read_document and its renderers; user
errors are InputError, which the root CLI prints as one line with exit code 2.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from peloton.errors import InputError


def read_command(
    file: Annotated[Path, typer.Argument(help="A parliamentary answer document: plain text or PDF.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (the REST API's shape).")] = False,
    as_markdown: Annotated[bool, typer.Option("--markdown", help="Print a Markdown report.")] = False,
    as_html: Annotated[bool, typer.Option("--html", help="Print a self-contained HTML page.")] = False,
    store: Annotated[
        Path | None,
        typer.Option("--store", help="Stats store to check figures against (default: the monitor's store)."),
    ] = None,
) -> None:
    """Read an answer document: questions, answers, footnotes, cited schemes and checked figures."""
    from peloton.reader import read_document, to_html, to_json, to_markdown
    from peloton.reader.render import render_terminal

    chosen = [
        name for name, on in (("--json", as_json), ("--markdown", as_markdown), ("--html", as_html)) if on
    ]
    if len(chosen) > 1:
        raise InputError("format", f"choose one of --json, --markdown, --html (got {' and '.join(chosen)})")
    doc = read_document(Path(file), store_path=store)
    if as_json:
        sys.stdout.write(to_json(doc) + "\n")
    elif as_markdown:
        sys.stdout.write(to_markdown(doc))
    elif as_html:
        sys.stdout.write(to_html(doc))
    else:
        render_terminal(doc, Console(width=max(100, Console().width)))


def register(app: typer.Typer) -> None:
    """Add this capability's commands to the root app."""
    app.command("read")(read_command)
