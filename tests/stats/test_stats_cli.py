"""The commands as users run them: one readable line and a non-zero exit for bad input, never a traceback."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from peloton import cli
from peloton.stats import statline


def run(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["peloton", *argv])
    code = 0
    try:
        cli.main()
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_sectors_table(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], store_path: Path
) -> None:
    code, out, _ = run(
        ["stats", "sectors", "--from", "2010", "--to", "2020", "--store", str(store_path)],
        monkeypatch,
        capsys,
    )
    assert code == 0
    assert "F Bouwnijverheid" in out and "-41" in out and "81431ned" in out and "no self-employed" in out


@pytest.mark.parametrize(
    ("argv", "field"),
    [
        (["stats", "sectors", "--from", "2020", "--to", "2010"], "window"),
        (["stats", "sectors", "--from", "1990", "--to", "2020"], "from"),
        (["stats", "sectors", "--sector", "XYZ"], "sector"),
        (["stats", "productivity", "--periods", "1970-1980"], "window"),
        (["monitor", "--out", "OUT", "--from", "2020", "--to", "2010"], "window"),
        (["stats", "update", "--table", "99999NED"], "table"),
    ],
)
def test_bad_input_is_one_line(
    argv: list[str],
    field: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    argv = [str(tmp_path / "out") if a == "OUT" else a for a in argv]
    code, _, err = run(argv, monkeypatch, capsys)
    assert code == 2
    assert err.startswith(f"error: {field}: ") and err.count("\n") == 1
    assert not (tmp_path / "out").exists()


def test_corrupt_store_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.duckdb"
    bad.write_bytes(b"garbage" * 100)
    monkeypatch.setenv("PELOTON_STORE", str(bad))
    code, _, err = run(["monitor", "--out", str(tmp_path / "r")], monkeypatch, capsys)
    assert code == 2 and err.startswith("error: store: ") and "corrupt" in err and err.count("\n") == 1


def test_monitor_builds_on_a_fresh_home(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _out, _ = run(["monitor", "--out", str(tmp_path / "report")], monkeypatch, capsys)
    assert code == 0 and (tmp_path / "report" / "report.html").exists()
    assert (
        tmp_path / "home" / "stats.duckdb"
    ).exists()  # created under PELOTON_HOME, loaded from the snapshot


def test_update_offline_says_so_and_keeps_store(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    def down(*args: object, **kwargs: object) -> None:
        raise statline.StatLineUnavailable("table 81431ned: ConnectionError")

    monkeypatch.setattr(statline, "download", down)
    store = tmp_path / "s.duckdb"
    code, _, err = run(["stats", "update", "--store", str(store)], monkeypatch, capsys)
    assert code == 1
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("offline:") and "store unchanged" in lines[0]
    _, info, _ = run(["stats", "info", "--store", str(store)], monkeypatch, capsys)
    assert "updated" not in info


def test_other_commands_run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], store_path: Path
) -> None:
    for argv in (
        ["stats", "productivity"],
        ["stats", "schemes"],
        ["stats", "claims"],
        ["stats", "measures"],
        ["stats", "info"],
    ):
        code, out, _ = run([*argv, "--store", str(store_path)], monkeypatch, capsys)
        assert code == 0 and out.strip(), argv
