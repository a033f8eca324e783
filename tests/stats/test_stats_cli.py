"""The commands as users run them: one readable line and a non-zero exit for bad input, never a traceback."""

from __future__ import annotations

import json
import shlex
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
        (["stats", "productivity", "--periods", "1970-1980"], "periods"),
        (["stats", "value-added", "--from", "2019"], "from"),
        (["stats", "value-added", "--kind", "price"], "kind"),
        (["stats", "value-added", "--sector", "Z"], "sector"),
        (["monitor", "--out", "OUT", "--store", "STORE"], "store"),
        (["stats", "sectors", "--store", "STORE"], "store"),
        (["stats", "sectors", "--csv", "/proc/peloton-test/x.csv"], "csv"),
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
    names = {"OUT": str(tmp_path / "out"), "STORE": str(tmp_path / "typo.duckdb")}
    argv = [names.get(a, a) for a in argv]
    code, _, err = run(argv, monkeypatch, capsys)
    assert code == 2
    assert err.startswith(f"error: {field}: ") and err.count("\n") == 1
    assert not (tmp_path / "out").exists()
    assert not (tmp_path / "typo.duckdb").exists()  # a mistyped --store is never created


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


@pytest.mark.parametrize(
    ("argv", "option"),
    [
        (["stats", "sectors", "--from", "abc"], "--from"),
        (["stats", "sectors", "--to", "20x0"], "--to"),
        (["monitor", "--out", "OUT", "--from", "abc"], "--from"),
        (["stats", "value-added", "--from", "abc"], "--from"),
        (["stats", "update", "--timeout", "soon"], "--timeout"),
    ],
)
def test_bad_option_value_is_a_usage_error(
    argv: list[str],
    option: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    argv = [str(tmp_path / "out") if a == "OUT" else a for a in argv]
    code, out, err = run(argv, monkeypatch, capsys)
    assert code == 2 and not out
    assert err.startswith("Usage: ") and f"peloton {argv[0]}" in err.splitlines()[0]
    errors = [line for line in err.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and f"'{option}'" in errors[0]
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_unwritable_csv_names_the_path(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], store_path: Path, tmp_path: Path
) -> None:
    target = tmp_path / "no-such-dir" / "x.csv"
    code, out, err = run(
        ["stats", "sectors", "--csv", str(target), "--store", str(store_path)], monkeypatch, capsys
    )
    assert code == 2 and "Traceback" not in err
    assert err.count("\n") == 1 and str(target) in err
    assert not target.parent.exists() and not out  # nothing printed, no folder made


def test_monitor_failure_leaves_no_folder(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], store_path: Path, tmp_path: Path
) -> None:
    from peloton.stats import report

    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(report, "_write_csv", full_disk)
    out = tmp_path / "new" / "report"
    code, _, err = run(["monitor", "--out", str(out), "--store", str(store_path)], monkeypatch, capsys)
    assert code == 2 and err.startswith("error: out: ") and "No space left" in err and err.count("\n") == 1
    assert not out.exists() and not out.parent.exists()


def test_monitor_failure_keeps_an_existing_folder(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], store_path: Path, tmp_path: Path
) -> None:
    from peloton.stats import report

    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(report, "_write_csv", full_disk)
    (tmp_path / "mine.txt").write_text("keep", encoding="utf-8")
    code, _, _ = run(["monitor", "--out", str(tmp_path), "--store", str(store_path)], monkeypatch, capsys)
    assert code == 2 and (tmp_path / "mine.txt").read_text(encoding="utf-8") == "keep"


STATS_COMMANDS = [
    ["stats", "sectors"],
    ["stats", "sectors", "--level", "groupings"],
    ["stats", "productivity"],
    ["stats", "productivity", "--periods", "1974-2013,2014-2023"],
    ["stats", "schemes"],
    ["stats", "schemes", "--scheme", "mit"],
    ["stats", "schemes", "--scheme", "innovatiebox"],
    ["stats", "value-added"],
    ["stats", "value-added", "--level", "all", "--kind", "value"],
    ["stats", "claims"],
    ["stats", "measures"],
    ["stats", "info"],
]


@pytest.mark.parametrize("argv", STATS_COMMANDS, ids=lambda a: " ".join(a[1:]))
def test_json_is_one_plain_document(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], store_path: Path
) -> None:
    code, out, _ = run([*argv, "--json", "--store", str(store_path)], monkeypatch, capsys)
    assert code == 0
    doc = json.loads(out)
    assert doc["command"] == " ".join(argv[:2])
    if argv[1] != "info":
        assert isinstance(doc["rows"], list) and doc["rows"], argv
    else:
        assert doc["created"] is True and doc["meta"]["snapshot_version"]


def test_json_shapes_carry_the_figures(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], store_path: Path
) -> None:
    _, out, _ = run(["stats", "sectors", "--json", "--store", str(store_path)], monkeypatch, capsys)
    rows = {r["sector_code"]: r for r in json.loads(out)["rows"]}
    assert rows["F"]["change"] == -41 and json.loads(out)["measure"]["unit"] == "x 1 000"
    _, out, _ = run(["stats", "value-added", "--json", "--store", str(store_path)], monkeypatch, capsys)
    doc = json.loads(out)
    c = next(r for r in doc["rows"] if r["sector_code"] == "C")
    assert c["values"]["2020"] == -1.8 and c["values"]["2025"] == 2.8
    assert doc["sources"][0]["table_id"] == "85880NED" and "202607010955" in doc["sources"][0]["vintage"]
    _, out, _ = run(
        ["stats", "productivity", "--periods", "2009-2013,1974-2013", "--json", "--store", str(store_path)],
        monkeypatch,
        capsys,
    )
    kinds = [(a["start"], a["kind"]) for a in json.loads(out)["averages"]]
    assert kinds == [(2009, "computed"), (1974, "published")]


@pytest.mark.parametrize("argv", STATS_COMMANDS, ids=lambda a: " ".join(a[1:]))
def test_tables_fit_80_columns(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], store_path: Path
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run([*argv, "--store", str(store_path)], monkeypatch, capsys)
    assert code == 0 and out.strip()
    assert "…" not in out  # no cell cut
    too_wide = [line for line in out.splitlines() if len(line) > 80]
    assert not too_wide, too_wide[:3]


def test_scheme_numbers_are_readable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], store_path: Path
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    _, out, _ = run(["stats", "schemes", "--store", str(store_path)], monkeypatch, capsys)
    assert "22,330" in out and "135,370" in out and "e+0" not in out


def test_scheme_without_data_says_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], store_path: Path
) -> None:
    code, out, _ = run(
        ["stats", "schemes", "--scheme", "eia", "--store", str(store_path)], monkeypatch, capsys
    )
    assert code == 0
    assert out.strip() == "no data for eia; schemes with data: wbso, mit, innovatiebox"


def _readme_monitor_examples() -> list[list[str]]:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## The monitor", 1)[1].split("\n## ", 1)[0]
    blocks = section.split("```")[1::2]
    lines = [line.strip() for block in blocks for line in block.splitlines()]
    return [shlex.split(line)[1:] for line in lines if line.startswith("peloton ")]


def test_readme_monitor_examples_run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], store_path: Path, tmp_path: Path
) -> None:
    examples = _readme_monitor_examples()
    assert any(a[:2] == ["stats", "productivity"] and "1974-2013,2014-2023" in a for a in examples)
    assert len(examples) >= 6
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PELOTON_STORE", str(store_path))
    for argv in examples:
        code, out, err = run(argv, monkeypatch, capsys)
        assert code == 0 and out.strip() and not err.strip(), (argv, err)


@pytest.mark.parametrize("argv", [["stats"], ["stats", "nosuch"]])
def test_stats_group_usage_errors_exit_2(
    argv: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(argv, monkeypatch, capsys)
    assert code == 2 and "Usage: " in out + err and "Traceback" not in out + err


def test_update_fetches_85880ned_through_the_v4_client(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from stats_replay import RECORDED_V4

    from peloton.stats import statline_v4

    if not (RECORDED_V4 / "85880NED" / "observations-page-1.json").exists():
        pytest.skip("recorded CBS v4 responses not found")
    download = statline_v4.download

    def replayed(
        spec: statline_v4.ValueAddedTable, session_factory: object = None, timeout: float = 30
    ) -> dict:
        return download(spec, lambda: statline_v4.RecordedSession(RECORDED_V4), timeout)

    monkeypatch.setattr(statline_v4, "download", replayed)
    store = tmp_path / "s.duckdb"
    code, out, err = run(
        ["stats", "update", "--table", "85880ned", "--json", "--store", str(store)], monkeypatch, capsys
    )
    assert code == 0, err
    assert json.loads(out) == {
        "command": "stats update",
        "rows": {"value_added_value_growth": 144, "value_added_volume_growth": 144},
    }
    _, info, _ = run(["stats", "info", "--json", "--store", str(store)], monkeypatch, capsys)
    assert "updated:value_added_volume_growth" in json.loads(info)["meta"]
