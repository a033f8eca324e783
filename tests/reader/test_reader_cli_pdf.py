"""`peloton read` end to end (subprocess, as users run it) and PDF input."""

from __future__ import annotations

import io
import json

import pytest
from pypdf import PdfWriter

from peloton.errors import InputError
from peloton.reader import read_document

from .minimal_pdf import make_pdf
from .reader_support import DOCUMENTS, SEED, assert_no_line_lost, seed_figures_store, seed_text

PDF_PAGES = [
    [
        "ah-tk-20212022-777 ISSN 0921-7398 'sGravenhage 2021 "
        "Tweede Kamer, vergaderjaar 2021–2022, Aanhangsel",
        "Antwoord van minister Blok (Economische Zaken en Klimaat) (ontvangen 10",
        "november 2021)",
        "Zie ook Aanhangsel Handelingen, vergaderjaar 2020-2021, nr. 4008",
        "Vraag 1",
        "Hoeveel ondernemingen maakten in 2020 gebruik van de WBSO?1",
        "Antwoord 1",
        "In 2020 maakten 20.340 ondernemingen gebruik van de WBSO, waarvan 97 procent tot",
        "het mkb behoort.",
        "1 RVO, WBSO jaarverslag 2020 (https://www.rvo.nl/wbso); zie ook Kamerstuk 29826, nr. 128",
    ],
    [
        "Vraag 2",
        "Wat is de rol van het Smart Industry programma en de MIT-regeling?",
        "Antwoord 2",
        "Beide ondersteunen het mkb bij procesinnovatie.",
    ],
]


@pytest.fixture
def pdf_path(tmp_path):
    path = tmp_path / "answers.pdf"
    path.write_bytes(make_pdf(PDF_PAGES))
    return path


def test_pdf_is_read_like_text(pdf_path) -> None:
    doc = read_document(pdf_path, store=seed_figures_store())
    assert [it.number for it in doc.items] == [1, 2]
    assert doc.metadata.received == "2021-11-10"
    assert doc.metadata.document_number == "ah-tk-20212022-777"
    assert (
        doc.item(1).answer
        == "In 2020 maakten 20.340 ondernemingen gebruik van de WBSO, waarvan 97 procent tot het mkb behoort."
    )
    assert doc.item(1).footnotes == [1]
    assert doc.footnote(1).urls == ["https://www.rvo.nl/wbso"]
    assert [(k.dossier, k.nr) for k in doc.footnote(1).kamerstukken] == [("29826", 128)]
    assert doc.item(2).schemes == ["smart_industry", "mit"]
    assert {c.raw: c.check for c in doc.item(1).claims if c.part == "answer"} == {
        "20.340 ondernemingen": "confirmed",
        "97 procent": "confirmed",
    }
    assert_no_line_lost(doc)


def test_encrypted_pdf_is_an_input_error(tmp_path, pdf_path) -> None:
    writer = PdfWriter(clone_from=str(pdf_path))
    writer.encrypt("secret", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    locked = tmp_path / "locked.pdf"
    locked.write_bytes(buffer.getvalue())
    with pytest.raises(InputError, match="encrypted"):
        read_document(locked, check=False)


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"%PDF-1.4\nthis is not really a pdf", "not a readable PDF"),
        (make_pdf([[]]), "no extractable text"),
    ],
)
def test_broken_or_empty_pdf_is_an_input_error(tmp_path, content: bytes, problem: str) -> None:
    path = tmp_path / "bad.pdf"
    path.write_bytes(content)
    with pytest.raises(InputError, match=problem):
        read_document(path, check=False)


def test_cli_json_markdown_html(run_cli, tmp_path) -> None:
    seed_text()  # skip without the seed
    result = run_cli("read", str(SEED), "--json", check=True)
    data = json.loads(result.stdout)
    assert len(data["items"]) == 13 and len(data["footnotes"]) == 9
    assert data["metadata"]["aanhangsel"]["nr"] == 4008
    markdown = run_cli("read", str(SEED), "--markdown", check=True).stdout
    assert markdown.startswith("# Answers of minister Blok")
    html = run_cli("read", str(DOCUMENTS / "inline_numbers.txt"), "--html", check=True).stdout
    assert "<html" in html and "cdn" not in html.lower()
    terminal = run_cli("read", str(DOCUMENTS / "inline_numbers.txt"), check=True).stdout
    assert "question 3" in terminal and "Innovatiebox" in terminal


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["read", "missing.txt"], "error: file: no such file"),
        (["read", "tests/reader/documents/inline_numbers.txt", "--json", "--html"], "error: format:"),
        (["read", "pyproject.toml"], "error: document: no numbered questions"),
        (["read", "tests/reader/documents/inline_numbers.txt", "--store", "nope.duckdb"], "error: store:"),
    ],
)
def test_cli_user_errors_are_one_line(run_cli, args: list[str], message: str) -> None:
    result = run_cli(*args)
    assert result.returncode == 2
    assert result.stderr.startswith(message)
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
