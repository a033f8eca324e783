"""The registry commands as users run them: export round trip, mappings, one-line errors."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest

from peloton import cli


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


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PELOTON_REGISTRY", str(tmp_path / "registry.duckdb"))
    return tmp_path


def test_export_then_import_round_trip(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        ["registry", "export", "--source", "europaomdehoek_2007_2013", "--csv"], monkeypatch, capsys
    )
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 1808
    assert list(rows[0])[:4] == ["source", "source_row", "beneficiary", "title"]
    assert [int(r["source_row"]) for r in rows] == list(range(1808))
    assert all(
        r["innovation_kind"] in {"product", "process", "both", "none", "unknown"} and r["kind_reason"]
        for r in rows
    )
    efro = sum(float(r["eu_amount"] or 0) for r in rows if r["fund"] == "EFRO")
    assert round(efro / 1e6, 1) == 806.7
    exported = home / "export.csv"
    exported.write_text(out, encoding="utf-8")
    code, out, err = run(
        ["registry", "import", str(exported), "--format", "csv", "--source", "again"], monkeypatch, capsys
    )
    assert code == 0, err
    assert "imported 1,808 rows" in out
    code, out, _ = run(["registry", "export", "--source", "again", "--json"], monkeypatch, capsys)
    again = json.loads(out)
    assert [r["innovation_kind"] for r in again] == [r["innovation_kind"] for r in rows]
    assert sum(r["eu_amount"] or 0 for r in again if r["fund"] == "EFRO") == efro


VOLGINNOVATIE = (
    "Aanvrager/ penvoerder;Postcode van aanvrager/ penvoerder;Verleend bedrag in euro's;Jaar van verlening;"
    "Programma of regeling;Projecttitel;Projectomschrijving\n"
    "Robotica B.V.;7522 NB;125.000;2014;MIT R&D-samenwerking;Robotcel voor lassen;"
    '"Ontwikkeling en bouw van een nieuwe productielijn met een lasrobot."\n'
    "Sensorbouw B.V.;9700 AB;1.250,50;2015;MIT haalbaarheid;Nieuwe sensor;"
    '"Wij ontwikkelen een nieuw meetinstrument\n'
    'dat op de markt wordt gebracht."\n'
)


def test_volginnovatie_export_imports_and_is_searchable(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    f = home / "volginnovatie.csv"
    f.write_text(VOLGINNOVATIE, encoding="utf-8")
    code, out, err = run(
        ["registry", "import", str(f), "--format", "volginnovatie", "--source", "vi"], monkeypatch, capsys
    )
    assert code == 0, err
    assert "imported 2 rows" in out
    code, out, _ = run(["registry", "search", "lasrobot", "--source", "vi", "--json"], monkeypatch, capsys)
    found = json.loads(out)
    assert [r["beneficiary"] for r in found["results"]] == ["Robotica B.V."]
    assert found["results"][0]["amount_eur"] == 125000 and found["results"][0]["innovation_kind"] == "process"
    code, out, _ = run(["registry", "export", "--source", "vi", "--json"], monkeypatch, capsys)
    rec = json.loads(out)
    assert (
        rec[1]["amount"] == 1250.5
        and rec[1]["postcode"] == "9700 AB"
        and rec[1]["innovation_kind"] == "product"
    )


KOHESIO = (
    "Project ID,Project name,Project summary,Beneficiary,Fund,Programme,Total budget,EU contribution,"
    "Start date,End date,Region,Country\n"
    "NL-1,Slimme kas,Een tuinder automatiseert zijn productieproces met robots.,Kas B.V.,ERDF,OP West,"
    "200000.00,"
    "80000.00,2016-01-01,2018-12-31,Zuid-Holland,NL\n"
)


def test_kohesio_and_a_user_mapping(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    f = home / "kohesio.csv"
    f.write_text(KOHESIO, encoding="utf-8")
    code, out, err = run(["registry", "import", str(f), "--format", "kohesio"], monkeypatch, capsys)
    assert code == 0, err
    code, out, _ = run(["registry", "export", "--source", "kohesio", "--json"], monkeypatch, capsys)
    (rec,) = json.loads(out)
    assert (rec["region"], rec["amount"], rec["year"], rec["source_id"]) == (
        "Zuid-Holland",
        80000,
        2016,
        "NL-1",
    )
    own = home / "own.csv"
    own.write_text('Naam,Wat,Geld\nFirma,Nieuw product,"12.000"\n', encoding="utf-8")
    mapping = home / "own.yaml"
    mapping.write_text(
        "amounts: dutch\ncolumns:\n  beneficiary: Naam\n  title: Wat\n  amount: Geld\n", encoding="utf-8"
    )
    code, out, err = run(
        ["registry", "import", str(own), "--format", "csv", "--mapping", str(mapping)], monkeypatch, capsys
    )
    assert code == 0, err
    code, out, _ = run(["registry", "export", "--source", "own", "--json"], monkeypatch, capsys)
    assert json.loads(out)[0]["amount"] == 12000


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["registry", "import", "missing.csv", "--format", "csv"], "error: FILE: no such file"),
        (["registry", "import", "x.csv", "--format", "excel"], "error: --format: 'excel'; allowed:"),
        (["registry", "search", "robot", "--kind", "radical"], "error: --kind: 'radical'; allowed:"),
        (["registry", "export"], "error: --csv/--json: give exactly one"),
        (["registry", "summary", "--by", "colour"], "error: --by: 'colour'; allowed"),
        (["registry", "summary", "--fund", "NOPE"], "error: --fund: no projects for NOPE"),
        (
            ["registry", "export", "--source", "nope", "--csv"],
            "error: --source: 'nope' is not in the registry",
        ),
    ],
)
def test_bad_arguments_are_one_line(
    home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    code, _, err = run(argv, monkeypatch, capsys)
    assert code == 2
    assert err.startswith(message)
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_import_errors_keep_the_store(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = home / "bad.csv"
    bad.write_text("Wie,Wat\nA,B\n", encoding="utf-8")
    code, _, err = run(["registry", "import", str(bad), "--format", "rijksbegroting"], monkeypatch, capsys)
    assert code == 2 and "unknown column(s)" in err
    assert not (home / "registry.duckdb").exists()  # a file that cannot be read never opens the store
    code, out, _ = run(["registry", "sources"], monkeypatch, capsys)
    assert "europaomdehoek_2007_2013: 1,808 rows" in out and "25,163 rows" in out
    assert "bad" not in out


def test_summary_prints_estimate_next_to_naive(
    home: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["registry", "summary", "--fund", "EFRO"], monkeypatch, capsys)
    assert code == 0
    assert "ESTIMATE" in out and "naive" in out and "method: confusion-matrix correction" in out
    code, out, _ = run(
        ["registry", "summary", "--by", "year", "--fund", "EFRO", "--json"], monkeypatch, capsys
    )
    years = {g["selection"]: g for g in json.loads(out)}
    assert sum(g["projects"] for g in years.values()) == 841  # the 6 without a start year as "no year"
    assert years["fund EFRO no year"]["projects"] == 6
    assert years["fund EFRO year 2009"]["label"] == "estimate"
    code, out, _ = run(["registry", "summary", "--by", "fund", "--json"], monkeypatch, capsys)
    funds = {g["selection"]: g for g in json.loads(out)}
    assert set(funds) == {"fund EFRO", "fund ESF"}  # the Rijksbegroting payments have no fund
    assert funds["fund ESF"]["held_out_labels_used"] == 20


def test_the_command_lists_the_formats_the_importer_knows() -> None:
    from peloton.registry import cli as registry_cli
    from peloton.registry import formats

    assert registry_cli.FORMATS == formats.FORMATS


def test_stats_schemes_links_a_scheme_to_its_registry_projects(run_cli) -> None:
    """The 643 MIT payments of the rijksbegroting file are named under the MIT's use, and in the JSON."""
    import json

    text = run_cli("stats", "schemes", "--scheme", "mit", check=True).stdout
    assert "Projects in the registry: 643 in rijksbegroting" in " ".join(text.split())
    data = json.loads(run_cli("stats", "schemes", "--scheme", "mit", "--json", check=True).stdout)
    assert data["registry_projects"]["projects"] == 643
