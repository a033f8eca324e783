"""Properties of the document reader (peloton.reader.read_document): generated answer documents, as
text, as files in the encodings Windows and Word save (UTF-8 with or without BOM, UTF-16, cp1252), as
PDFs written by tests/reader/minimal_pdf.py, and real parliamentary PDFs with damaged bytes, either
read or are refused with one InputError line naming a field, within a deadline. A file reads as
the same questions and answers as its text; a PDF keeps every word its pages show."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import assume, given
from hypothesis import strategies as st
from tests.reader.minimal_pdf import make_pdf
from tests.reader.reader_support import SEED, assert_no_line_lost
from tests.reliability.properties import bounded, read_or_refusal

from peloton.reader import AnswerDocument, read_document

SEED_LINES = (
    SEED.read_text(encoding="utf-8").splitlines() if SEED.exists() else ["1", "Vraag?", "Antwoord", "Ja."]
)
PARLIAMENT = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "parliament"
REAL_PDFS = (
    sorted(PARLIAMENT.glob("*.pdf"), key=lambda p: p.stat().st_size)[:2] if PARLIAMENT.is_dir() else []
)
STRUCTURE = st.sampled_from(
    ["1", "2", "Vraag 1", "Vraag 2", "Antwoord", "Antwoord 1", "Antwoord 2 en 3", "Mededeling",
     "1 CBS, 2021", "2 https://www.rvo.nl/wbso", "In 2022 maakten 27.000 bedrijven gebruik van de WBSO.",
     "Kamerstuk 33 009, nr. 12", "De werkgelegenheid in de industrie groeide met 2,1 procent.", ""]
)  # fmt: skip
WORDS = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0x17E, exclude_categories=["Cc"]), max_size=50
)
ANY_LINES = st.lists(STRUCTURE | st.sampled_from(SEED_LINES) | WORDS, min_size=1, max_size=40)
# half of them headed as an answer document, so that most are read, not refused for want of a question
LINES = ANY_LINES | ANY_LINES.map(
    lambda lines: ["1", "Hoeveel bedrijven gebruiken de WBSO?", "Antwoord", *lines]
)


def items(doc: AnswerDocument) -> list[tuple[str | None, str | None]]:
    return [(item.question, item.answer) for item in doc.items]


def read_or_refuse(source: Path | str) -> AnswerDocument | None:
    return read_or_refusal(lambda: read_document(source, check=False))


@bounded(100, seconds=5)
@given(LINES)
def test_any_text_reads_or_is_one_input_error_line(lines: list[str]) -> None:
    doc = read_or_refuse("\n".join(lines) + "\n")
    if doc is not None:
        assert_no_line_lost(doc)


@bounded(60, seconds=5)
@given(LINES, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
def test_a_text_file_reads_as_its_text_in_any_encoding(lines: list[str], codec: str) -> None:
    text = "\n".join(lines) + "\n"
    try:
        data = text.encode(codec)
    except UnicodeEncodeError:
        assume(False)
        return
    if codec == "cp1252":  # bytes that are valid UTF-8 too are read as UTF-8, as they should be
        assume(data.isascii() or not _is_utf8(data))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "antwoord.txt"
        path.write_bytes(data)
        from_file = read_or_refuse(path)
    from_text = read_or_refuse(text)
    assert (from_file is None) == (from_text is None)
    if from_file is not None and from_text is not None:
        assert items(from_file) == items(from_text)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


PDF_LINE = (
    STRUCTURE
    | st.sampled_from(SEED_LINES[:200])
    | st.from_regex(r"[A-Za-z0-9 .,;:?%()-]{0,60}", fullmatch=True)
)


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z0-9]+", text)


@bounded(40, seconds=10)
@given(st.lists(st.lists(PDF_LINE, min_size=1, max_size=30), min_size=1, max_size=4))
def test_a_generated_pdf_reads_with_every_word_its_pages_show(pages: list[list[str]]) -> None:
    pages[0] = [
        "Vraag 1",
        "Hoeveel bedrijven gebruiken de WBSO?",
        "Antwoord 1",
        *pages[0],
    ]  # an answer document
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "antwoord.pdf"
        path.write_bytes(make_pdf(pages))
        doc = read_document(path, check=False)
    shown = [word for page in pages for line in page for word in _words(line)]
    read = [word for record in doc.lines for word in _words(record.text)]
    assert "".join(shown) == "".join(read)  # joined: a hyphen at a line's end may join two words
    assert_no_line_lost(doc)


@st.composite
def damaged(draw: st.DrawFn, data: bytes) -> bytes:
    """`data` with bytes flipped, cut, removed or inserted (what a broken download or disk does)."""
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        how = draw(st.sampled_from(["flip", "cut", "remove", "insert", "zero"]))
        if how == "flip":
            data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]
        elif how == "cut":
            data = data[: max(1, at)]
        elif how == "remove":
            data = data[:at] + data[at + draw(st.integers(1, 2000)) :]
        elif how == "insert":
            piece = draw(
                st.binary(min_size=1, max_size=64)
                | st.sampled_from([b"obj", b"endobj", b"<<", b"/Length 99999999"])
            )
            data = data[:at] + piece + data[at:]
        else:
            data = data[:at] + b"\0" * draw(st.integers(1, 512)) + data[at + 512 :]
    return data


ORIGINALS = [p.read_bytes() for p in REAL_PDFS] or [make_pdf([["Vraag 1", "Antwoord"]])]
# by index, so that a failure prints which file and how it was damaged, not 16 KB of bytes
PDFS = st.sampled_from(range(len(ORIGINALS))).flatmap(lambda i: damaged(ORIGINALS[i]))


@bounded(40, seconds=10)
@given(PDFS)
def test_a_damaged_pdf_reads_or_is_one_input_error_line(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "antwoord.pdf"
        path.write_bytes(data)
        read_or_refuse(path)
