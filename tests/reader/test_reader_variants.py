"""Documents written in the seed's style that vary what real answer documents vary."""

from __future__ import annotations

import pytest

from peloton.errors import InputError
from peloton.reader import read_document

from .reader_support import DOCUMENTS, assert_no_line_lost, seed_figures_store


def read(name: str):
    return read_document(DOCUMENTS / name, store=seed_figures_store())


@pytest.mark.parametrize("path", sorted(DOCUMENTS.glob("*.txt")), ids=lambda p: p.name)
def test_no_line_lost(path) -> None:
    assert_no_line_lost(read_document(path, check=False))


def test_vraag_prefix_joint_answer_missing_answer_and_headers() -> None:
    doc = read("vraag_prefix_joint_answer.txt")
    assert [it.number for it in doc.items] == [1, 2, 3, 4, 5, 6]
    assert doc.metadata.answered_by == "staatssecretaris Keijzer"
    assert doc.metadata.received == "2021-10-01"
    assert doc.metadata.submitted == "2021-09-03"
    assert doc.metadata.asked_by == "Jansen (VVD)"
    assert doc.metadata.document_number == "ah-tk-20212022-123"
    headers = [rec for rec in doc.lines if rec.role == "header"]
    assert len(headers) == 2
    # "Antwoord 3 en 4": one answer for both questions
    assert doc.item(3).answered_together == [3, 4]
    assert doc.item(4).answer == doc.item(3).answer
    assert doc.item(3).answer.startswith("Van de MIT-regeling")
    # question 5 has no answer: kept, and said so
    assert doc.item(5).answer is None
    assert any("question 5 has no answer" in w.message for w in doc.warnings)
    # footnote 2 runs over the page break: its tail sits above footnote 3 on the next page
    fn2 = doc.footnote(2)
    assert fn2.text.endswith("een verslag dat in 2021 aan de Kamer is toegezonden.")
    assert [(k.dossier, k.nr) for k in fn2.kamerstukken] == [("35570-XIII", 8)]
    assert "toegezonden" not in (doc.item(6).answer or "")
    assert [(k.dossier, k.nr) for k in doc.footnote(3).kamerstukken] == [("32637", 470), ("32637", 471)]
    assert any("continues after a page break" in w.message and w.line for w in doc.warnings)


def test_figures_in_a_sentence_without_year_take_the_paragraph_year() -> None:
    doc = read("vraag_prefix_joint_answer.txt")
    checks = {c.raw: (c.period, c.measure, c.check) for c in doc.item(2).claims}
    assert checks["19.010 ondernemingen"] == ("2020", "wbso_firms_with_staff", "confirmed")
    assert checks["1.330 zelfstandigen"] == ("2020", "wbso_self_employed", "confirmed")
    assert checks["20.340 ondernemingen"] == ("2020", "wbso_firms_total", "confirmed")


def test_bare_numbers_double_spaced_with_trailing_footnote_continuation() -> None:
    doc = read("bare_numbers_double_spaced.txt")
    assert [it.number for it in doc.items] == [1, 2, 3]
    assert doc.metadata.received == "2021-12-02"
    assert doc.footnote(2).text.endswith("over de kwartaalcijfers (https://www.cbs.nl/nl-nl/maatwerk)")
    assert doc.footnote(2).urls == ["https://www.cbs.nl/nl-nl/maatwerk"]
    assert doc.item(3).answer == "De fieldlabs van Smart Industry zijn een succes."
    assert doc.item(1).footnotes == [1, 2]
    share = next(c for c in doc.item(2).claims if c.raw == "95 procent")
    assert (share.measure, share.check, share.store_value) == ("wbso_share_sme", "differs", 97.0)
    productivity = next(c for c in doc.item(1).claims if c.unit == "%")
    assert (productivity.value, productivity.check) == (-1.8, "confirmed")


def test_questions_first_then_answers_by_number() -> None:
    doc = read("questions_then_answers.txt")
    assert doc.metadata.asked_by == "De Vries (CDA) en Bakker (D66)"
    assert doc.metadata.answered_by == "minister Adriaansens"
    assert doc.item(1).answer.startswith("Er zijn regionale ontwikkelingsmaatschappijen")
    assert doc.item(2).answered_together == [2, 3]
    assert doc.item(3).answer == doc.item(2).answer
    assert "Fonds Nieuwe Markten (FNM)" in doc.item(1).unknown_schemes
    amount = next(c for c in doc.item(2).claims if c.kind == "amount")
    assert (amount.value, amount.unit, amount.qualifier) == (120_000_000, "EUR", "about")
    # an answer to a question that is not in the document is kept and reported
    assert doc.item(9).question is None
    assert doc.item(9).answer == "Deze vraag is niet gesteld."
    assert any(w.line == 22 and "no question 9" in w.message for w in doc.warnings)


def test_inline_numbers_and_acronyms_only_in_capitals() -> None:
    doc = read("inline_numbers.txt")
    assert [it.number for it in doc.items] == [1, 2, 3]
    assert doc.item(1).answer == "Ja."
    assert doc.item(3).schemes == ["eia", "slim"]  # "slim", "Mia" and "MITs" are not schemes
    claim = doc.item(2).claims[0]
    assert (claim.value, claim.qualifier, claim.period) == (5000, "more than", "2019")


def test_text_outside_questions_before_the_first_question_is_kept_with_a_warning() -> None:
    text = "Concept, niet verspreiden\n\n1\n\nVraag een?\n\nAntwoord\n\nJa.\n"
    doc = read_document(text, check=False)
    assert doc.metadata.preamble == ["Concept, niet verspreiden"]
    assert any(w.line == 1 for w in doc.warnings)
    assert_no_line_lost(doc)


@pytest.mark.parametrize(
    "text",
    ["", "   \n\n", "Dit is een brief zonder vragen.\nMet twee regels.", "Antwoord van minister X (EZK)\n"],
)
def test_non_answer_documents_are_input_errors(text: str) -> None:
    with pytest.raises(InputError) as info:
        read_document(text, check=False)
    assert info.value.field == "document"


def test_a_question_answered_twice_keeps_both_answers() -> None:
    text = "Vraag 1\nEerste vraag?\nAntwoord\nEerste deel.\nAntwoord 1\nTweede deel.\n"
    doc = read_document(text, check=False)
    assert doc.item(1).answer == "Eerste deel.\n\nTweede deel."
    assert any("answered more than once" in w.message and w.line == 5 for w in doc.warnings)
    assert_no_line_lost(doc)
