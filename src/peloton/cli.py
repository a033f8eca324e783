"""The `peloton` command: a thin adapter that wires each capability's commands into one app.

Every capability owns its commands in its own `cli.py` and exposes `register(app)`; this module
only assembles them and turns user errors into one readable line and a non-zero exit.
"""

from __future__ import annotations

import sys

import typer

from peloton.errors import InputError

app = typer.Typer(
    name="peloton",
    help="The Dutch innovation-support system for businesses: rules, navigator, monitor, reader.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register_all() -> None:
    from peloton.api import cli as api_cli
    from peloton.navigator import cli as navigator_cli
    from peloton.reader import cli as reader_cli
    from peloton.registry import cli as registry_cli
    from peloton.simulate import cli as simulate_cli
    from peloton.stats import cli as stats_cli

    navigator_cli.register(app)
    stats_cli.register(app)
    reader_cli.register(app)
    simulate_cli.register(app)
    registry_cli.register(app)
    api_cli.register(app)


_register_all()


def _usage_errors() -> tuple[type[BaseException], ...]:
    """Click's exception class and the copy of click that Typer ships (typer._click): a usage error
    (unknown command or option, missing argument, wrong type) is one of these."""
    import click

    classes: list[type[BaseException]] = [click.ClickException]
    try:
        from typer._click.exceptions import ClickException as TyperClickException

        classes.append(TyperClickException)
    except ImportError:  # a Typer that uses click itself
        pass
    return tuple(classes)


def main() -> None:
    """Entry point: user errors become `error: FIELD: PROBLEM` on stderr with exit code 2; usage
    errors print the command's usage line and one message naming the option, exit 2."""
    try:
        # Without standalone mode click returns the code of a `typer.Exit` instead of exiting.
        code = app(standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except InputError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        typer.echo("aborted", err=True)
        sys.exit(1)
    except OSError as exc:  # an output path that cannot be written, a full disk: the path, one line
        where = exc.filename if exc.filename is not None else "output"
        typer.echo(f"error: {where}: {exc.strerror or type(exc).__name__}", err=True)
        sys.exit(2)
    except Exception as exc:
        if isinstance(exc, _usage_errors()):
            exc.show()  # type: ignore[attr-defined]
            sys.exit(exc.exit_code)  # type: ignore[attr-defined]
        raise


if __name__ == "__main__":
    main()
