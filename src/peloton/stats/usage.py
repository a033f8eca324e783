"""Usage errors of the monitor's commands: Typer's usage line and one message naming the option, exit 2.

Why here: typer >= 0.2x vendors its own click, so its usage errors (a bad ``--from abc``) are not the
``click.ClickException`` the root CLI catches and they would end in a traceback. The command classes
below show such an error the way click's standalone mode does (usage line, hint, one ``Error:`` line)
and exit 2, so each option fails cleanly whatever the root app does.
"""

from __future__ import annotations

from typing import Any, NoReturn

import typer
from typer.core import TyperCommand, TyperGroup


def _show_and_exit(exc: typer.TyperException) -> NoReturn:
    show = getattr(exc, "show", None)
    if show is None:
        raise exc
    show()
    # SystemExit, not typer.Exit: the root app runs in non-standalone mode, which would swallow it
    raise SystemExit(int(getattr(exc, "exit_code", 2) or 2)) from None


class UsageCommand(TyperCommand):
    """A command whose option errors print usage + one line and exit 2 (never a traceback)."""

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        """Parse the options; a usage error is shown and ends the process with exit code 2."""
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except typer.TyperException as exc:
            _show_and_exit(exc)


class UsageGroup(TyperGroup):
    """A command group whose usage errors (no or an unknown subcommand) are shown, exit 2."""

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        """Parse the group's arguments; with none, the help is shown (no_args_is_help) and exit 2."""
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except typer.TyperException as exc:
            _show_and_exit(exc)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        """Find the subcommand; an unknown name is shown as a usage error."""
        try:
            return super().resolve_command(ctx, args)
        except typer.TyperException as exc:
            _show_and_exit(exc)


def year(text: str | int) -> int:
    """A four-digit year; anything else is a usage error naming the option (defaults arrive as int)."""
    value = str(text).strip()
    if not (value.isdigit() and len(value) == 4):
        raise typer.BadParameter(f"'{text}' is not a year like 2010")
    return int(value)
