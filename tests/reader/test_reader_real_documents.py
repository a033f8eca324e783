"""The six real Aanhangsel documents of ../shared/reference/parliament/, against hand labels."""

from __future__ import annotations

import unicodedata

import pytest

from peloton.reader import read_document, to_html

from .reader_support import assert_no_line_lost
from .real_documents import LABELS, PARLIAMENT, Label, read_labelled, score


def _present(label: Label) -> None:
    if not (PARLIAMENT / label.file).exists():
        pytest.skip(f"real documents not found at {PARLIAMENT}")


@pytest.fixture(scope="module")
def docs():
    """Each labelled document read once for the module (PDF extraction is the slow part)."""
    cache = {}

    def get(label: Label):
        _present(label)
        if label.file not in cache:
            cache[label.file] = read_labelled(label)
        return cache[label.file]

    return get


@pytest.mark.parametrize("label", LABELS, ids=lambda label: label.file)
def test_every_field_as_labelled(docs, label: Label) -> None:
    got = score(docs(label), label)
    assert all(got.values()), {field: ok for field, ok in got.items() if not ok}


@pytest.mark.parametrize("label", LABELS, ids=lambda label: label.file)
def test_no_line_of_a_real_document_is_lost(docs, label: Label) -> None:
    doc = docs(label)
    assert_no_line_lost(doc)
    assert all(rec.role != "blank" for rec in doc.lines if rec.text.strip())


@pytest.mark.parametrize("label", LABELS, ids=lambda label: label.file)
def test_all_text_is_nfc_and_free_of_page_furniture(docs, label: Label) -> None:
    doc = docs(label)
    texts = [t for it in doc.items for t in (it.question, it.answer) if t]
    texts += [fn.text for fn in doc.footnotes] + [v for v in doc.metadata.preamble]
    for text in texts:
        assert unicodedata.is_normalized("NFC", text)
        assert "ISSN" not in text and "Gravenhage" not in text
        assert "Vragen gesteld door de leden der Kamer" not in text


def test_a_name_split_into_letter_and_mark_comes_out_whole(docs) -> None:
    doc = docs(LABELS[2])
    assert doc.metadata.name == "Yeşilgöz-Zegerius"
    assert "\u00b8" not in doc.metadata.answered_by
    assert doc.metadata.on_behalf_of == "de Minister voor Rechtsbescherming"


def test_combined_question_label_gives_two_questions(docs) -> None:
    doc = docs(LABELS[0])  # "Vraag 2 en 3" answered by "Antwoord 2 en 3"
    two, three = doc.item(2), doc.item(3)
    assert two.asked_together == three.asked_together == [2, 3]
    assert two.question.startswith("Herinnert u zich uw uitspraken")
    assert two.question.endswith("Zo nee, waarom niet?")
    assert three.question.startswith("Herinnert u zich de eerdere vragen")
    assert three.question.endswith("hoe gaat u de zorgverzekeraars bewegen dit dan toch te doen?")
    assert two.answer == three.answer and three.answered_together == [2, 3]
    other = docs(LABELS[2])  # one question per line group under "Vraag 2 en 3"
    assert other.item(2).question.endswith("door het Openbaar Ministerie?")
    assert other.item(3).question.startswith("Kunt u aangeven of deze jongeren (eerder)")


def test_separate_questions_answered_together(docs) -> None:
    doc = docs(LABELS[1])  # "Vraag 5", "Vraag 6", then "Antwoord 5 en 6"
    assert doc.item(5).question != doc.item(6).question
    assert doc.item(5).answer == doc.item(6).answer
    assert doc.item(6).answered_together == [5, 6]
    assert doc.item(1).answer.endswith("Vluchtelingenwerk Nederland.")  # over the page break


def test_displaced_and_glued_footnote_markers(docs) -> None:
    doc = docs(LABELS[1])
    answer = doc.item(2).answer
    assert "beleidsonderwerpen.[2] Zoals" in answer
    assert "gesproken.[3] Toekomstige" in answer
    assert "14, 15 en 16 maart" in doc.item(1).answer  # numbers in the text stay numbers
    many = docs(LABELS[4])
    assert "informatiekaart[10] van de NZA van 11 weken" in many.item(8).question
    assert "afnemen[11] en" in many.item(8).answer
    assert "First Eet Kit[2] opgezet" in many.item(2).answer


def test_mededeling_points_to_the_letter(docs) -> None:
    doc = docs(LABELS[3])
    meta = doc.metadata
    assert meta.kind == "mededeling"
    assert [(k.dossier, k.nr) for k in meta.letter] == [("36471", 64)]
    assert meta.letter[0].url == "https://zoek.officielebekendmakingen.nl/kst-36471-64.html"
    assert all(it.answer is None for it in doc.items)
    assert not any("has no answer" in w.message for w in doc.warnings)
    assert meta.received == "2024-06-07"  # "(ontvangen (ontvangen 7 juni 2024)" as printed
    html = to_html(doc)
    assert "kst-36471-64.html" in html and "answered by letter" in html.lower()


def test_references_of_every_printed_form(docs) -> None:
    doc = docs(LABELS[4])
    assert [(k.dossier, k.nr) for k in doc.footnote(14).kamerstukken] == [
        ("25424", 679),
        ("25424", 684),
        ("25424", 685),
    ]
    assert [(k.dossier, k.nr) for k in doc.footnote(17).kamerstukken] == [("36410-XVI", 160)]  # "ll"
    old = docs(LABELS[0])
    assert old.metadata.aanhangsel == {"vergaderjaar": "2014-2015", "nr": 403}
    assert all(k.dossier != "2014" for it in old.items for k in it.kamerstukken)


def test_an_aanhangsel_reference_in_a_footnote_is_not_a_kamerstuk(docs) -> None:
    doc = docs(LABELS[5])
    fn4 = doc.footnote(4)
    assert fn4.kamerstukken == []
    assert [(a.vergaderjaar, a.nr) for a in fn4.aanhangsel_refs] == [("2022-203", 844)]  # as printed


def test_footers_glued_to_headings_are_dropped(docs) -> None:
    doc = docs(LABELS[5])  # "… Aanhangsel 2Antwoord 7"
    assert doc.item(7).answer.startswith("In de Kamerbrief van 30 juni jl.")
    assert doc.item(3).answer.startswith("Binnen het kader van de aanpak piekbelasting")
    assert sum(1 for rec in doc.lines if rec.dropped) == 3
    assert not any("Aanhangsel 2" in (it.answer or "") for it in doc.items)


def test_pdf_input_reads_without_reader_warnings_on_clean_files(docs) -> None:
    for label in LABELS[:5]:
        doc = docs(label)
        assert not [w for w in doc.warnings if w.message.startswith("PDF reader")]
        assert not [w for w in doc.warnings if "not referenced" in w.message]


def test_reading_a_real_pdf_by_path_string() -> None:
    label = LABELS[1]
    _present(label)
    doc = read_document(str(PARLIAMENT / label.file), check=False)
    assert doc.source_name == label.file and len(doc.items) == 6
