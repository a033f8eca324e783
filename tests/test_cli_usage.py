"""Every command answers a usage mistake with its usage line and one message, exit 2, never a traceback."""

from __future__ import annotations

import sys
from typing import Any

import pytest
import typer

from peloton.cli import app, main


def _commands() -> list[tuple[list[str], Any]]:
    """Every leaf command of the peloton app with its path, e.g. (['stats', 'sectors'], command)."""
    root = typer.main.get_command(app)
    out: list[tuple[list[str], Any]] = []

    def walk(command: Any, path: list[str]) -> None:
        children = getattr(command, "commands", None)
        if children:
            for name, child in children.items():
                walk(child, [*path, name])
        else:
            out.append((path, command))

    walk(root, [])
    return out


COMMANDS = _commands()


def _run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    monkeypatch.setattr(sys, "argv", ["peloton", *args])
    with pytest.raises(SystemExit) as caught:
        main()
    err = capsys.readouterr().err
    return int(caught.value.code or 0), err


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=lambda p: " ".join(p))
def test_unknown_option_is_a_usage_error(path: list[str], monkeypatch, capsys) -> None:
    code, err = _run(monkeypatch, capsys, *path, "--no-such-option")
    assert code == 2 and "No such option: --no-such-option" in err and "Traceback" not in err
    assert "Usage:" in err


def _wrong_type_cases() -> list[tuple[list[str], str]]:
    cases = []
    for path, command in COMMANDS:
        for param in command.params:
            annotation = getattr(getattr(param, "type_descriptor", None), "annotation", None)
            if param.param_type_name == "option" and annotation in (int, float, int | None, float | None):
                cases.append((path, param.opts[0]))
    return cases


@pytest.mark.parametrize(("path", "option"), _wrong_type_cases(), ids=lambda x: str(x))
def test_a_number_option_given_text_names_the_option(
    path: list[str], option: str, monkeypatch, capsys
) -> None:
    code, err = _run(monkeypatch, capsys, *path, option, "abc")
    assert code == 2 and f"'{option}'" in err and "Traceback" not in err


def _with_required_argument() -> list[list[str]]:
    return [p for p, c in COMMANDS if any(x.param_type_name == "argument" and x.required for x in c.params)]


@pytest.mark.parametrize("path", _with_required_argument(), ids=lambda p: " ".join(p))
def test_a_missing_argument_is_named(path: list[str], monkeypatch, capsys) -> None:
    code, err = _run(monkeypatch, capsys, *path)
    assert code == 2 and "Missing argument" in err and "Traceback" not in err


def test_an_unknown_command_suggests_the_right_one(monkeypatch, capsys) -> None:
    code, err = _run(monkeypatch, capsys, "chek", "x")
    assert code == 2 and "Did you mean 'check'?" in err


def test_every_command_is_walked() -> None:
    names = {" ".join(p) for p, _ in COMMANDS}
    assert {
        "check",
        "schemes",
        "questions",
        "simulate",
        "population",
        "read",
        "monitor",
        "stats sectors",
    } <= names


def test_an_unwritable_output_is_one_line(run_cli, tmp_path) -> None:
    target = tmp_path / "a_file"
    target.write_text("x", encoding="utf-8")
    for args in (
        ("stats", "sectors", "--from", "2010", "--to", "2020", "--csv", "/proc/x.csv"),
        ("simulate", "--year", "2024", "--out", str(target)),
    ):
        result = run_cli(*args)
        assert result.returncode == 2 and "Traceback" not in result.stderr, args
        assert args[-1] in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr
