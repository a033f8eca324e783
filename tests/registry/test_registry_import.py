"""Import: the two real files, Dutch values, the encoding repair, and bad input that loses nothing."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from peloton.errors import InputError
from peloton.registry import dutch_values
from peloton.registry.encoding_repair import REPLACEMENT, repair_from_raw, undo_mojibake
from peloton.registry.importer import import_file
from peloton.registry.store import RegistryStore

from .conftest import RAW, RIJK, clean_rows, need

EOH = "europaomdehoek_2007_2013"
RB = "rijksbegroting_subsidieontvangers_2015"


def _dutch(text: str) -> float:
    return float(text.replace(".", "")) if text.strip() else 0.0


def test_bundled_counts_per_fund_match_the_file(bundled: RegistryStore) -> None:
    rows = clean_rows()
    expected: dict[str, int] = {}
    for r in rows:
        expected[r["Fonds"].strip()] = expected.get(r["Fonds"].strip(), 0) + 1
    got = dict(
        bundled.con.execute(
            "SELECT fund, count(*) FROM projects WHERE source = ? GROUP BY 1", [EOH]
        ).fetchall()
    )
    assert got == expected == {"EFRO": 841, "ESF": 967}


def test_efro_eu_subsidy_total_matches_the_file(bundled: RegistryStore) -> None:
    rows = clean_rows()
    expected = sum(_dutch(r["EU-subsidie in Euro's"]) for r in rows if r["Fonds"].strip() == "EFRO")
    (got,) = bundled.con.execute(
        "SELECT sum(eu_amount) FROM projects WHERE source = ? AND fund = 'EFRO'", [EOH]
    ).fetchone() or (None,)
    assert got == expected
    assert round(got / 1e6, 1) == 806.7


def test_source_row_is_the_position_among_data_rows(bundled: RegistryStore) -> None:
    rows = clean_rows()
    for i in (0, 351, 1807):
        rec = bundled.records("source = ? AND source_row = ?", [EOH, i])[0]
        assert rec["beneficiary"] == rows[i]["Begunstigde"].strip()
        assert rec["eu_amount"] == (_dutch(rows[i]["EU-subsidie in Euro's"]) or None)


def test_rijksbegroting_rows_ez_and_mit(bundled: RegistryStore) -> None:
    with need(RIJK).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    con = bundled.con
    (n,) = con.execute("SELECT count(*) FROM projects WHERE source = ?", [RB]).fetchone() or (0,)
    assert n == len(rows) == 25163
    (ez,) = con.execute(
        "SELECT count(*) FROM projects WHERE source = ? AND ministry = 'Ministerie van Economische Zaken'",
        [RB],
    ).fetchone() or (0,)
    assert ez == 11580
    (mit, total) = con.execute(
        "SELECT count(*), sum(amount) FROM projects WHERE scheme = 'MKB Innovatieregeling Topsectoren (MIT)'"
    ).fetchone() or (0, 0)
    assert mit == 643
    assert total == sum(
        float(r["Realisatie"]) for r in rows if r["Regeling"] == "MKB Innovatieregeling Topsectoren (MIT)"
    )


def test_encoding_damage_repaired_from_the_raw_export(bundled: RegistryStore) -> None:
    rows = clean_rows()
    assert "potenti\ufffd\ufffdle" in rows[0]["Samenvatting"]
    rec = bundled.records("source = ? AND source_row = 0", [EOH])[0]
    assert "potentiële partners" in rec["summary"]
    before = sum(r["Samenvatting"].count(REPLACEMENT) for r in rows)
    (after,) = bundled.con.execute(
        "SELECT sum(length(summary) - length(replace(summary, chr(65533), ''))) "
        "FROM projects WHERE source = ?",
        [EOH],
    ).fetchone() or (0,)
    assert 0 < after < before / 2
    notes = {s["source"]: s["notes"] for s in bundled.sources()}
    assert "recovered characters" in notes[EOH]


def test_undo_mojibake_reverses_cp1252_read_utf8() -> None:
    assert undo_mojibake("potentiÃ«le") == "potentiële"
    assert undo_mojibake("â€˜pulstechniekâ€™") == "‘pulstechniek’"
    assert undo_mojibake("plain") == "plain"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.238.920", 1238920.0),
        ("107.097", 107097.0),
        ("12.500,50", 12500.5),
        ("393000", 393000.0),
        ("", None),
    ],
)
def test_dutch_amounts(text: str, value: float | None) -> None:
    assert dutch_values.parse_amount(text) == value


@pytest.mark.parametrize("text", ["1.2", "12,5.0", "abc", "1.23.456"])
def test_ambiguous_amounts_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        dutch_values.parse_amount(text)


def test_dutch_dates() -> None:
    assert dutch_values.parse_date("19.02.2009") == date(2009, 2, 19)
    assert dutch_values.parse_date("11.02.2016 09:08") == date(2016, 2, 11)
    assert dutch_values.parse_date("2015-03-31") == date(2015, 3, 31)
    with pytest.raises(ValueError):
        dutch_values.parse_date("31.02.2010")


HEADER = "Ontvanger,Regeling,Overheid,Beleid,Realisatie,Jaar\n"


def _store(tmp_path: Path, bundled: bool = False) -> RegistryStore:
    """A registry file in tmp_path; without the bundled data unless a test compares with it."""
    return RegistryStore.open(tmp_path / "registry.duckdb", bundled=bundled)


def test_unreadable_rows_are_reported_with_their_line(tmp_path: Path) -> None:
    f = tmp_path / "rb.csv"
    f.write_text(
        HEADER
        + 'Firma A,"MIT\nover twee regels",Ministerie van Economische Zaken,1.2,1000,2015\n'
        + "Firma B,MIT,Ministerie van Economische Zaken,1.2,veel,2015\n"
        + "Firma C,MIT,Ministerie van Economische Zaken,1.2\n"
        + "Firma D,MIT,Ministerie van Economische Zaken,1.2,2500,2015\n",
        encoding="utf-8",
    )
    with _store(tmp_path) as store:
        result = import_file(store, f, "rijksbegroting")
        assert result.rows == 2
        assert [line for line, _ in result.problems] == [4, 5]
        assert "Realisatie" in result.problems[0][1]
        recs = store.records("source = 'rb'")
        assert [(r["beneficiary"], r["source_row"], r["source_line"]) for r in recs] == [
            ("Firma A", 0, 2),
            ("Firma D", 3, 6),
        ]
        assert [p["line"] for p in store.problems("rb")] == [4, 5]


def _bad_files(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    unknown = tmp_path / "unknown.csv"
    unknown.write_text(HEADER.strip() + ",Kleur\nA,MIT,EZ,1.2,5,2015,rood\n", encoding="utf-8")
    latin = tmp_path / "latin.csv"
    latin.write_bytes((HEADER + "Café Noël,MIT,EZ,1.2,5,2015\n").encode("cp1252"))
    long_line = tmp_path / "long.csv"
    with long_line.open("w", encoding="utf-8") as fh:
        fh.write(HEADER)
        fh.write("A," + "x" * 100_000_000 + ",EZ,1.2,5,2015\n")
    utf16 = tmp_path / "utf16.csv"
    utf16.write_text(HEADER + "Firma A,MIT,EZ,1.2,5,2015\n", encoding="utf-16")
    header_only = tmp_path / "header.csv"
    header_only.write_text(HEADER, encoding="utf-8")
    return {
        "empty": (empty, "empty.csv: the file is empty"),
        "unknown": (unknown, "unknown.csv header: unknown column(s) for format rijksbegroting: 'Kleur'"),
        "encoding": (latin, "latin.csv: not utf-8 text (byte 0xe9 near line 2)"),
        "long": (long_line, "long.csv line 2: a field longer than 1,000,000 characters"),
        "header_only": (header_only, "header.csv: a header but no data rows"),
        "utf16": (
            utf16,
            "utf16.csv: UTF-16 text (it starts with a UTF-16 byte order mark); give --encoding utf-16",
        ),
    }


@pytest.mark.parametrize("case", ["empty", "unknown", "encoding", "long", "header_only", "utf16"])
def test_bad_input_is_one_line_and_loses_nothing(tmp_path: Path, case: str) -> None:
    good = tmp_path / "rb.csv"
    good.write_text(HEADER + "Firma A,MIT,EZ,1.2,1000,2015\n", encoding="utf-8")
    path, message = _bad_files(tmp_path)[case]
    with _store(tmp_path) as store:
        import_file(store, good, "rijksbegroting", source="mine")
        before = store.con.execute("SELECT count(*) FROM projects").fetchone()
        with pytest.raises(InputError) as err:
            import_file(store, path, "rijksbegroting", source="mine")
        assert str(err.value).startswith(message)
        assert "\n" not in str(err.value)
        assert store.con.execute("SELECT count(*) FROM projects").fetchone() == before
        assert [r["beneficiary"] for r in store.records("source = 'mine'")] == ["Firma A"]


def test_a_failure_during_the_write_rolls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good = tmp_path / "rb.csv"
    good.write_text(HEADER + "Firma A,MIT,EZ,1.2,1000,2015\nFirma B,MIT,EZ,1.2,2000,2015\n", encoding="utf-8")
    with _store(tmp_path, bundled=True) as store:
        import_file(store, good, "rijksbegroting", source="mine")
        calls = {"n": 0}
        import peloton.registry.store as store_module

        real = store_module.classify

        def failing(*args: object, **kwargs: object) -> object:
            calls["n"] += 1
            if calls["n"] > 1:
                raise RuntimeError("disk full")
            return real(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(store_module, "classify", failing)
        with pytest.raises(RuntimeError):
            import_file(store, good, "rijksbegroting", source="mine")
        assert len(store.records("source = 'mine'")) == 2
        assert store.meta()["generation"] == str(int(store.meta()["generation"]))


def test_raw_export_imports_with_its_encoding(tmp_path: Path) -> None:
    with _store(tmp_path) as store:
        result = import_file(store, need(RAW), "europaomdehoek", encoding="mac_roman", source="raw")
        funds = dict(
            store.con.execute("SELECT fund, count(*) FROM projects WHERE source='raw' GROUP BY 1").fetchall()
        )
        assert funds["EFRO"] == 844
        assert funds["ESF"] == 967
        assert funds["Visserij"] == 34
        assert result.rows + len(result.problems) == 2347
        assert all(line > 1 for line, _ in result.problems)
        text = " ".join(r["summary"] or "" for r in store.records("source='raw' AND fund='Visserij'"))
        assert "Ã" not in text


def test_both_real_files_import_through_the_command_path(tmp_path: Path) -> None:
    from .conftest import CLEAN

    with _store(tmp_path, bundled=True) as store:
        eoh = import_file(store, need(CLEAN), "europaomdehoek", source="eoh")
        rb = import_file(store, need(RIJK), "rijksbegroting", source="rb")
        assert (eoh.rows, eoh.problems, rb.rows, rb.problems) == (1808, [], 25163, [])
        got = dict(
            store.con.execute(
                "SELECT fund, sum(eu_amount) FROM projects WHERE source = 'eoh' GROUP BY 1"
            ).fetchall()
        )
        bundled = dict(
            store.con.execute(
                "SELECT fund, sum(eu_amount) FROM projects WHERE source = ? GROUP BY 1", [EOH]
            ).fetchall()
        )
        assert got == bundled
        info = {s["source"]: s for s in store.sources()}
        assert info["eoh"]["table_version"].startswith("file sha256 0b1e4c6b526e")
        assert info[EOH]["sha256"] == info["eoh"]["sha256"]  # the snapshot was built from this very file


def test_repair_copies_only_what_stands_where_characters_were_lost() -> None:
    intro = "Het project ontwikkelt samen met bedrijven uit de regio een nieuwe dienst. "
    damaged = intro + "potenti\ufffd\ufffdle partners\nen \ufffd\ufffd\ufffd klanten"
    rows = [{"beneficiary": "A", "fund": "EFRO", "summary": damaged}]
    raw = [{"beneficiary": "A ", "fund": "EFRO", "summary": intro + "potentiële partners\ren “ klanten"}]
    report = repair_from_raw(rows, raw, ("beneficiary", "fund"), ("summary",))
    assert rows[0]["summary"] == intro + "potentiële partners\nen “ klanten"
    assert (report.replaced, report.recovered_chars, report.remaining) == (5, 2, 0)
    other = [{"beneficiary": "A", "fund": "EFRO", "summary": "een heel andere tekst \ufffd\ufffd over iets"}]
    report = repair_from_raw(other, raw, ("beneficiary", "fund"), ("summary",))
    assert report.unmatched_fields == 1 and report.remaining == 2 and "\ufffd" in other[0]["summary"]


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        (
            "columns:\n  colour: Kleur\n",
            "own.yaml columns.colour: unknown field; allowed: source_id, beneficiary",
        ),
        ("amounts: roman\ncolumns:\n  title: Wat\n", "own.yaml amounts: 'roman'; allowed: dutch, plain"),
        ("- just a list\n", "own.yaml: a mapping needs a 'columns:' table"),
        (
            "columns:\n  title: [Wat]\n  summary: [Wat]\n",
            "own.yaml columns: header 'Wat' is given for both title",
        ),
    ],
)
def test_a_bad_mapping_is_named(tmp_path: Path, mapping: str, message: str) -> None:
    data = tmp_path / "own.csv"
    data.write_text("Wat\nNieuw product\n", encoding="utf-8")
    own = tmp_path / "own.yaml"
    own.write_text(mapping, encoding="utf-8")
    with _store(tmp_path) as store, pytest.raises(InputError) as err:
        import_file(store, data, "csv", mapping=own)
    assert str(err.value).startswith(message)


def test_two_columns_for_one_field_are_refused(tmp_path: Path) -> None:
    data = tmp_path / "vi.csv"
    data.write_text("Aanvrager,Penvoerder,Verleend bedrag\nA B.V.,C B.V.,1.000\n", encoding="utf-8")
    with _store(tmp_path) as store, pytest.raises(InputError) as err:
        import_file(store, data, "volginnovatie")
    assert str(err.value) == "vi.csv header: columns 'Aanvrager' and 'Penvoerder' both map to beneficiary"


def test_utf16_imports_with_its_encoding(tmp_path: Path) -> None:
    f = tmp_path / "utf16.csv"
    f.write_text(HEADER + "Café Noël,MIT,EZ,1.2,5,2015\n", encoding="utf-16")
    with _store(tmp_path) as store:
        assert import_file(store, f, "rijksbegroting", encoding="utf-16").rows == 1
        assert store.records()[0]["beneficiary"] == "Café Noël"
