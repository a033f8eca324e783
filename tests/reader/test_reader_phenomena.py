"""One small document per phenomenon of real Aanhangsel documents, written for the variant it shows."""

from __future__ import annotations

import io
import unicodedata

import pytest
from rich.console import Console

from peloton.errors import InputError
from peloton.reader import read_document, to_html, to_markdown
from peloton.reader.references import find_aanhangsel_refs, find_document_ids, find_kamerstukken
from peloton.reader.render import render_terminal

from .minimal_pdf import make_pdf
from .reader_support import FakeObservation, FakeStore, assert_no_line_lost, seed_text

HEAD = (
    "Vragen van het lid Jansen (VVD) aan de Minister van Economische Zaken (ingezonden 3 mei 2024).\n"
    "Antwoord van Minister De Vries (Economische Zaken), mede namens de Staatssecretaris van\n"
    "Financiën (ontvangen 5 juni 2024).\n"
)


def read(body: str):
    doc = read_document(HEAD + body, check=False)
    assert_no_line_lost(doc)
    return doc


def warned(doc, text: str) -> bool:
    return any(text in w.message for w in doc.warnings)


# -- question labels with several numbers ---------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "numbers"),
    [
        ("Vraag 2 en 3", [2, 3]),
        ("Vragen 2 en 3", [2, 3]),
        ("Vraag 2, 3 en 4", [2, 3, 4]),
        ("Vraag 2 t/m 4", [2, 3, 4]),
        ("Vraag 2, 3, 4 5 en 6", [2, 3, 4, 5, 6]),  # a comma missing
    ],
)
def test_a_label_with_several_numbers_gives_one_question_per_number(label: str, numbers: list[int]) -> None:
    answer = "Antwoord " + label.split(" ", 1)[1]
    doc = read(
        f"Vraag 1\nEerste vraag?\nAntwoord 1\nJa.\n{label}\nSamen gestelde vragen?\n{answer}\nSamen.\n"
    )
    assert [it.number for it in doc.items] == [1, *numbers]
    for n in numbers:
        item = doc.item(n)
        assert item.question == "Samen gestelde vragen?" and item.asked_together == numbers
        assert item.answer == "Samen." and item.answered_together == numbers
    assert not doc.warnings


def test_a_label_with_two_numbers_and_two_questions_is_divided() -> None:
    doc = read(
        "Vraag 1 en 2\nIs het zo? Zo ja, waarom\nniet eerder?\nEn wat kost het?\nAntwoord 1 en 2\nNiets.\n"
    )
    assert [doc.item(1).question, doc.item(2).question] == [
        "Is het zo? Zo ja, waarom niet eerder?",
        "En wat kost het?",
    ]
    assert doc.item(2).asked_together == [1, 2] and doc.item(2).answer == "Niets."


def test_an_answer_block_with_a_missing_comma_answers_each_question() -> None:
    body = "".join(f"Vraag {n}\nVraag nummer {n}?\n" for n in range(7, 12))
    doc = read("Vraag 6\nZes?\nAntwoord 6\nZes.\n" + body + "Antwoord 7, 8, 9 10 en 11\nAlles samen.\n")
    assert [doc.item(n).answer for n in range(7, 12)] == ["Alles samen."] * 5
    assert doc.item(9).answered_together == [7, 8, 9, 10, 11]


def test_a_question_without_answer_and_an_answer_without_question_are_reported() -> None:
    doc = read("Vraag 1\nEen?\nVraag 2\nTwee?\nAntwoord 2\nTwee.\nAntwoord 4\nVier.\n")
    assert doc.item(1).answer is None and warned(doc, "question 1 has no answer")
    assert doc.item(4).question is None and warned(doc, "no question 4")


def test_a_repeated_number_keeps_the_questions_apart() -> None:
    doc = read(
        "Vraag 1\nEen?\nAntwoord 1\nEen.\nVraag 2\nTwee?\nAntwoord 2\nTwee.\n"
        "Vraag 2\nNog een twee?\nAntwoord 2\nNog een.\nVraag 3\nDrie?\nAntwoord 3\nDrie.\n"
    )
    assert [(it.number, it.question, it.answer) for it in doc.items] == [
        (1, "Een?", "Een."),
        (2, "Twee?", "Twee."),
        (2, "Nog een twee?", "Nog een."),
        (3, "Drie?", "Drie."),
    ]
    assert warned(doc, "question number 2 appears again")


def test_out_of_order_numbers_are_reported_and_kept_apart() -> None:
    doc = read(
        "Vraag 1\nEen?\nAntwoord 1\nEen.\nVraag 3\nDrie?\nAntwoord 3\nDrie.\n"
        "Vraag 2\nTwee?\nAntwoord 2\nTwee.\n"
    )
    assert {it.number: it.answer for it in doc.items} == {1: "Een.", 2: "Twee.", 3: "Drie."}
    assert "Vraag" not in (doc.item(3).answer or "")
    assert warned(doc, "question 2 comes after question 3")


def test_a_second_question_set_with_bare_numbers_is_not_swallowed_by_an_answer() -> None:
    text = seed_text()
    doc = read_document(text + "\n\n\n" + text, check=False)
    assert [it.number for it in doc.items] == list(range(1, 14)) * 2
    assert all("Bent u bekend" not in (it.answer or "") for it in doc.items)
    assert warned(doc, "question number 1 appears again")
    assert_no_line_lost(doc)


# -- footnotes ------------------------------------------------------------------------------------


def test_footnote_markers_in_every_printed_position() -> None:
    doc = read(
        "Vraag 1\n"
        "Kent u het bericht van 3 november 20231 en het rapport?2, 3\n"
        "Antwoord 1\n"
        "Ja. Zie de brief. 4 Die verscheen op 14, 15 en 16 maart en duurde 5 weken.\n"
        "Het onderzoek volgt.5Daarna komt de\n"
        "6\n"
        "evaluatie.\n"
        "1 NOS, 3 november 2023\n"
        "2 Rapport A\n"
        "3 Rapport B\n"
        "4 Kamerstuk 29 826, nr. 128\n"
        "5 Kamerstukken II 2023/24, 36 410 XIII, nr. 12\n"
        "6 TK 2023/24, 21 501-02, nr. 2800\n"
    )
    item = doc.item(1)
    assert item.footnotes == [1, 2, 3, 4, 5, 6]
    assert "november 2023[1] en het rapport?[2][3]" in item.question
    assert "brief.[4] Die verscheen op 14, 15 en 16 maart en duurde 5 weken." in item.answer
    assert "volgt.[5] Daarna komt de[6] evaluatie." in item.answer
    assert [[(k.dossier, k.nr) for k in fn.kamerstukken] for fn in doc.footnotes][3:] == [
        [("29826", 128)],
        [("36410-XIII", 12)],
        [("21501-02", 2800)],
    ]
    assert not warned(doc, "not referenced")


def test_raised_markers_and_footnote_numbers() -> None:
    doc = read(
        "Vraag 1\nKent u het bericht¹ en het rapport?²\nAntwoord 1\nJa.\n¹ NOS, 3 mei 2024\n² Rapport\n"
    )
    assert doc.item(1).question == "Kent u het bericht[1] en het rapport?[2]"
    assert [fn.text for fn in doc.footnotes] == ["NOS, 3 mei 2024", "Rapport"]


def test_no_footnote_is_invented_from_numbers_in_the_text() -> None:
    doc = read(
        "Vraag 1\nHoeveel?\nAntwoord 1\n"
        "Het ging om 2 bedrijven in 2021 en 3 in 2022; zie vraag 1 en artikel 5.4.\n"
        "1 Dit is geen voetnoot want er is geen verwijzing naar.\n"
    )
    assert [fn.number for fn in doc.footnotes] == [1]
    assert doc.item(1).footnotes == []
    assert warned(doc, "footnote 1 is not referenced")


def test_a_footnote_split_by_a_page_footer_is_joined() -> None:
    doc = read(
        "Vraag 1\nWat staat er in het rapport?1\nAntwoord 1\nVeel.\n"
        "1 Rapport van de commissie over de toekomst van het mkb, uitgebracht aan\n"
        "Tweede Kamer, vergaderjaar 2023–2024, Aanhangsel 1\n"
        "\f\n"
        "Vraag 2\nEn verder?\nAntwoord 2\nNiets.\n"
        "de minister in 2023 (Kamerstuk 32 637, nr. 500).\n"
        "Tweede Kamer, vergaderjaar 2023–2024, Aanhangsel 2\n"
    )
    assert doc.footnote(1).text.endswith("uitgebracht aan de minister in 2023 (Kamerstuk 32 637, nr. 500).")
    assert [(k.dossier, k.nr) for k in doc.footnote(1).kamerstukken] == [("32637", 500)]
    assert doc.item(1).answer == "Veel." and doc.item(2).question == "En verder?"


def test_a_footnote_before_the_colophon_ends_there() -> None:
    doc = read(
        "Vraag 1\nBekend?1\nAntwoord 1\nJa.\n"
        "1 Regio Nieuws, 3 mei 2024, Tieners (13 en 14) weer vrij na mishan-\n"
        "deling (regionieuws.nl/2024/05/03/tieners).\n \n \n"
        "ah-tk-20232024-1949\nISSN 0921 - 7398\n"
        "’s-Gravenhage 2024 Tweede Kamer, vergaderjaar 2023–2024, Aanhangsel 1\n"
        "\f\nVraag 2\nEn nu?\nAntwoord 2\nNu.\n"
    )
    assert doc.footnote(1).text == (
        "Regio Nieuws, 3 mei 2024, Tieners (13 en 14) weer vrij na mishandeling "
        "(regionieuws.nl/2024/05/03/tieners)."
    )
    assert doc.metadata.number == {"vergaderjaar": "2023-2024", "nr": 1949}


def test_a_markdown_conversion_of_the_pdf() -> None:
    doc = read_document(
        "# 2\n\n#### Vergaderjaar 2023–2024 Aanhangsel van de Handelingen\n\n"
        "**Vragen gesteld door de leden der Kamer, met de daarop door de**\n"
        "**regering gegeven antwoorden**\n\n"
        "### 412\n\n" + HEAD + "\nVraag 1\nKent u het bericht «Alles goed»[1 ] en het rapport[2]?\n\n"
        "Antwoord 1\nJa, en het kabinet gaat daar in een brief op in, mede naar aanleiding van\n\n\n"
        "1 NOS, 3 mei 2024\n\n2 Rapport, Kamerstuk 36 410, nr. 12\n\n\nh tk 20232024 412\n\n\n-----\n\n"
        "de motie (Kamerstuk 36 410, nr. 8).[3 4 ]\n\nVraag 2\nEn verder?\n\nAntwoord 2\nNee.\n\n"
        "3 Motie A\n4 Motie B\n\n\n-----\n",
        check=False,
    )
    assert doc.metadata.number == {"vergaderjaar": "2023-2024", "nr": 412}
    assert doc.item(1).question.endswith("«Alles goed»[1] en het rapport[2]?")
    assert doc.item(1).answer.endswith("mede naar aanleiding van de motie (Kamerstuk 36 410, nr. 8).[3][4]")
    assert doc.item(1).footnotes == [1, 2, 3, 4] and doc.item(2).answer == "Nee."
    assert not doc.warnings
    assert_no_line_lost(doc)


# -- references -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kamerstukken II 2023/24, 36 410 IV, nr. 15", [("36410-IV", 15)]),
        ("Kamerstukken II, 2023/2024, 31 839, nr. 1024", [("31839", 1024)]),
        ("Kamerstukken ll 2023/24, 36 410 XVI, nr. 160", [("36410-XVI", 160)]),
        ("Kamerstuk, 28 828, nr. 70", [("28828", 70)]),
        ("Kamerstukken II, 2022/2023, 31 839, nr 874", [("31839", 874)]),
        ("TK 2023/24, 36 200, nr. 3", [("36200", 3)]),
        ("Kamerstukken II 2023/24, 21 501-02, nr. 2800", [("21501-02", 2800)]),
        (
            "Kamerstukken II, 25 424, nr. 679, nr. 684 en 685",
            [("25424", 679), ("25424", 684), ("25424", 685)],
        ),
        ("zoals in de brief (36 410 IV, nr. 49) staat", [("36410-IV", 49)]),
        ("de motie (Kamerstuk 25 424, nr. 691) 16 over", [("25424", 691)]),
        ("Zie ook Aanhangsel Handelingen, vergaderjaar 2022–2023, nr. 844", []),
        ("document 2022D22285 van 4 mei", []),
        ("nr. 70, 24 september 2014", []),
        ("https://zoek.officielebekendmakingen.nl/kst-35570-XIII-31.html", [("35570-XIII", 31)]),
        ("(https://zoek.officielebekendmakingen.nl/kst-36471-64.html)", [("36471", 64)]),
    ],
)
def test_kamerstuk_forms(text: str, expected: list[tuple[str, int]]) -> None:
    assert [(k.dossier, k.nr) for k in find_kamerstukken(text)] == expected


def test_aanhangsel_references_and_document_ids_are_kept_apart() -> None:
    text = (
        "Zie ook Aanhangsel Handelingen II 2023/24, nr. 1137 en document 2024D01234 "
        "(Kamerstuk 36 410, nr. 2)."
    )
    assert [(a.vergaderjaar, a.nr) for a in find_aanhangsel_refs(text)] == [("2023-2024", 1137)]
    assert find_document_ids(text) == ["2024D01234"]
    assert [(k.dossier, k.nr) for k in find_kamerstukken(text)] == [("36410", 2)]


# -- text -----------------------------------------------------------------------------------------


def test_words_broken_at_a_line_end_are_joined_and_real_hyphens_kept() -> None:
    doc = read(
        "Vraag 1\nWat doen de mkb-werkplaatsen?\nAntwoord 1\n"
        "De zorgverzeke-\nraars en de mkb-\nwerkplaatsen werken samen met K-\nEET, het Natura2000-\n"
        "gebied en de Speur-\nen Ontwikkelingswerkregeling; de Smart Industry-\naanpak loopt.\n"
    )
    assert doc.item(1).answer == (
        "De zorgverzekeraars en de mkb-werkplaatsen werken samen met K-EET, het Natura2000-gebied en de "
        "Speur- en Ontwikkelingswerkregeling; de Smart Industry-aanpak loopt."
    )


@pytest.mark.parametrize("name", ["Yes\u0327ilgo\u0308z", "Yes\u00b8ilgöz", "Yeşilgöz"])
def test_names_come_out_in_nfc_however_they_were_encoded(name: str) -> None:
    doc = read_document(
        f"Antwoord van Minister {name}-Zegerius (Justitie en Veiligheid) (ontvangen 11 juni 2024).\n"
        "Vraag 1\nBekend?\nAntwoord 1\nJa.\n",
        check=False,
    )
    assert doc.metadata.name == "Yeşilgöz-Zegerius"
    assert unicodedata.is_normalized("NFC", doc.metadata.answered_by or "")


def test_form_feeds_break_pages() -> None:
    doc = read("Vraag 1\nEen?1\nAntwoord 1\nEen.\n1 Bron een\n\fVraag 2\nTwee?\nAntwoord 2\nTwee.\n")
    assert doc.item(1).answer == "Een." and doc.footnote(1).text == "Bron een"
    assert doc.item(2).question == "Twee?"


# -- metadata -------------------------------------------------------------------------------------


def test_metadata_who_and_when() -> None:
    doc = read("Vraag 1\nEen?\nAntwoord 1\nJa.\n")
    meta = doc.metadata
    assert (meta.role, meta.name, meta.ministry) == ("minister", "De Vries", "Economische Zaken")
    assert meta.on_behalf_of == "de Staatssecretaris van Financiën"
    assert (meta.submitted, meta.received, meta.asked_by) == ("2024-05-03", "2024-06-05", "Jansen (VVD)")
    assert meta.kind == "answers"


def test_a_mededeling_is_recognised_with_its_letter() -> None:
    doc = read_document(
        "Vragen van het lid Jansen (VVD) aan de Minister (ingezonden 3 mei 2024).\n"
        "Mededeling van Minister De Vries (Economische Zaken) (ontvangen 5 juni 2024).\n"
        "Vraag 1\nEen?\nVraag 2\nTwee?\nMededeling\n"
        "De vragen zijn beantwoord in de brief van 5 juni 2024 (Kamerstuk 36 471, nr. 64).\n",
        check=False,
    )
    assert doc.metadata.kind == "mededeling"
    assert [(k.dossier, k.nr) for k in doc.metadata.letter] == [("36471", 64)]
    assert doc.metadata.mededeling.startswith("De vragen zijn beantwoord")
    assert [it.answer for it in doc.items] == [None, None]
    assert "answered by a separate letter" in to_markdown(doc)
    console = Console(file=io.StringIO(), width=120)
    render_terminal(doc, console)
    shown = console.file.getvalue()  # type: ignore[attr-defined]
    assert "mededeling" in shown and "answered by a separate letter" in shown
    assert_no_line_lost(doc)


# -- scale and input ------------------------------------------------------------------------------


def test_one_endless_answer_is_read_in_one_pass() -> None:
    """Quadratic joining or per-figure rescans of a 400 000-character paragraph would take minutes."""
    lines = "\n".join(f"regel {i} van een lang antwoord zonder einde" for i in range(8000))
    doc = read_document(f"Vraag 1\nHoe lang?\nAntwoord 1\n{lines}\n", check=False)
    assert doc.item(1).answer.count("regel") == 8000
    assert len(doc.item(1).claims) >= 7900


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_text_is_read(tmp_path, codec: str) -> None:
    path = tmp_path / "answers.txt"
    path.write_bytes("Vraag 1\nWerkt de Yeşilgöz-regeling?\nAntwoord 1\nJa.\n".encode(codec))
    doc = read_document(path, check=False)
    assert doc.item(1).question == "Werkt de Yeşilgöz-regeling?"


def test_binary_data_is_still_refused(tmp_path) -> None:
    path = tmp_path / "blob.txt"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(InputError, match="neither plain text nor PDF"):
        read_document(path, check=False)


def _damaged_pdf() -> bytes:
    good = make_pdf([["Vraag 1", "Hoe?", "Antwoord 1", "Zo."]])
    return good.replace(b"startxref\n", b"startxref\n9")


def test_pypdf_messages_become_reader_warnings(tmp_path, capfd) -> None:
    path = tmp_path / "damaged.pdf"
    path.write_bytes(_damaged_pdf())
    doc = read_document(path, check=False)
    assert doc.item(1).answer == "Zo."
    assert any(w.message.startswith("PDF reader: incorrect startxref") for w in doc.warnings)
    out, err = capfd.readouterr()
    assert "startxref" not in out + err


def test_pypdf_messages_of_an_unreadable_pdf_are_in_the_one_line_error(run_cli, tmp_path) -> None:
    path = tmp_path / "truncated.pdf"
    good = make_pdf([["Vraag 1", "Hoe?", "Antwoord 1", "Zo."]])
    path.write_bytes(good[: len(good) // 2])
    result = run_cli("read", str(path))
    assert result.returncode == 2
    assert result.stderr.startswith("error: file: not a readable PDF")
    assert len(result.stderr.strip().splitlines()) == 1


# -- HTML (issue 11) ------------------------------------------------------------------------------


def test_html_links_kamerstukken_and_sets_the_language() -> None:
    doc = read_document(seed_text(), check=False)
    html = to_html(doc)
    assert '<html lang="en">' in html
    assert '<blockquote lang="nl">' in html
    assert 'href="https://zoek.officielebekendmakingen.nl/kst-29826-128.html"' in html
    assert 'href="https://zoek.officielebekendmakingen.nl/kst-35570-XIII-31.html"' in html


def _jobs(period: str, values: dict[str, float]) -> list[FakeObservation]:
    return [
        FakeObservation("CBS StatLine", "81431ned", "employee_jobs", period, v, "x 1 000", sector_code=code)
        for code, v in values.items()
    ]


def test_the_seed_q3_sector_claim_is_checked_per_sector() -> None:
    store = FakeStore(
        _jobs("2010", {"C": 772, "G": 1287, "K": 273}) + _jobs("2020", {"C": 766, "G": 1411, "K": 274})
    )
    claim = next(c for c in read_document(seed_text(), store=store).item(3).claims if c.kind == "trend")
    assert (claim.period, claim.qualifier, claim.check) == ("2010-2020", "except K", "differs")
    assert "C -6" in (claim.note or "") and "K +1" in (claim.note or "") and "G" not in (claim.note or "")
    agreeing = FakeStore(_jobs("2010", {"G": 1287, "K": 273}) + _jobs("2020", {"G": 1411, "K": 260}))
    claim = next(c for c in read_document(seed_text(), store=agreeing).item(3).claims if c.kind == "trend")
    assert claim.check == "confirmed"


def test_the_seed_q3_claim_differs_from_the_monitors_store(monkeypatch, tmp_path) -> None:
    pytest.importorskip("peloton.stats.store")
    monkeypatch.setenv("PELOTON_STORE", str(tmp_path / "absent.duckdb"))  # → the bundled snapshot
    doc = read_document(seed_text())
    claim = next(c for c in doc.item(3).claims if c.kind == "trend")
    assert claim.check == "differs" and "81431ned" in (claim.source or "")
    assert "✗ differs" in to_html(doc)
