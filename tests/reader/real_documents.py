"""Hand labels of the six real Aanhangsel documents in ../shared/reference/parliament/ and the seed.

Why by hand: these are what a careful reader finds in each document (read from the pypdf text of
the PDFs, or the text file as it is), written down before the reader was changed to meet them, so
the tests and benchmarks/reader_accuracy.py measure the reader against the documents, not against
its own output.

Fields (each compared as a whole; a document is "fully right" when every field is):
- questions: the question numbers in order; answered: the numbers that have an answer.
- together: answered_together per question number (only questions answered in a shared block).
- footnotes: the footnote numbers; markers: per question, the footnotes its text refers to.
- kamerstukken: per footnote, the (dossier, nr) pairs it cites; running: the same for question and
  answer text (the union over items).
- who: role, name, ministry, mede namens, received, submitted, asked by, this document's number.
- ends: per answered question, the last words of its answer (footnote markers removed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from peloton.reader import AnswerDocument, read_document

PARLIAMENT = Path(__file__).resolve().parents[2].parent / "shared/reference/parliament"


@dataclass(frozen=True)
class Label:
    """What a careful human reads in one document."""

    file: str
    questions: list[int]
    answered: list[int]
    together: dict[int, list[int]]
    footnotes: list[int]
    markers: dict[int, list[int]]
    kamerstukken: dict[int, list[tuple[str, int]]]
    running: list[tuple[str, int]]
    who: dict[str, object]
    ends: dict[int, str]
    kind: str = "answers"
    letter: list[tuple[str, int]] = field(default_factory=list)


LABELS: list[Label] = [
    Label(
        file="ah-tk-20142015-698.pdf",
        questions=[1, 2, 3, 4, 5, 6],
        answered=[1, 2, 3, 4, 5, 6],
        together={2: [2, 3], 3: [2, 3]},
        footnotes=[1, 2, 3, 4],
        markers={1: [1, 2], 2: [3], 3: [4]},  # "Vraag 2 en 3" holds question 2, then question 3
        kamerstukken={3: [("28828", 70)], 4: [("28828", 70)]},
        running=[("28828", 66), ("32620", 117)],
        who={
            "role": "minister",
            "name": "Schippers",
            "ministry": "Volksgezondheid, Welzijn en Sport",
            "on_behalf_of": None,
            "received": "2014-11-26",
            "submitted": "2014-10-03",
            "asked_by": "Bouwmeester (PvdA)",
            "number": {"vergaderjaar": "2014-2015", "nr": 698},
        },
        ends={
            1: "Ja.",
            2: "in overleg.",
            3: "in overleg.",
            4: "met betrokken partijen.",
            5: "lichte en zware producten.",
            6: "in de financiële problemen komen.",
        },
    ),
    Label(
        file="ah-tk-20232024-1481.pdf",
        questions=[1, 2, 3, 4, 5, 6],
        answered=[1, 2, 3, 4, 5, 6],
        together={5: [5, 6], 6: [5, 6]},
        footnotes=[1, 2, 3],
        markers={1: [1], 2: [2, 3]},
        kamerstukken={1: [("36200-IV", 25)], 2: [("36410-IV", 15)], 3: [("36410-IV", 49)]},
        running=[],
        who={
            "role": "staatssecretaris",
            "name": "Van Huffelen",
            "ministry": "Binnenlandse Zaken en Koninkrijksrelaties",
            "on_behalf_of": "de Staatssecretarissen van Volksgezondheid, Welzijn en Sport en van Justitie "
            "en Veiligheid",
            "received": "2024-04-11",
            "submitted": "2024-02-12",
            "asked_by": "Koekkoek (Volt)",
            "number": {"vergaderjaar": "2023-2024", "nr": 1481},
        },
        ends={
            1: "en Vluchtelingenwerk Nederland.",
            2: "bijstandsverzoeken vanuit de Landen.",
            3: "Samenwerking bij hervormingen.",
            4: "te verwerken in de evaluaties.",
            5: "uitwerking van deze agendapunten.",
            6: "uitwerking van deze agendapunten.",
        },
    ),
    Label(
        file="ah-tk-20232024-1949.pdf",
        questions=[1, 2, 3, 4, 5],
        answered=[1, 2, 3, 4, 5],
        together={2: [2, 3], 3: [2, 3]},
        footnotes=[1],
        markers={1: [1]},
        kamerstukken={},
        running=[],
        who={
            "role": "minister",
            "name": "Yeşilgöz-Zegerius",
            "ministry": "Justitie en Veiligheid",
            "on_behalf_of": "de Minister voor Rechtsbescherming",
            "received": "2024-06-11",
            "submitted": "2024-05-06",
            "asked_by": "Faber-van de Klashorst (PVV)",
            "number": {"vergaderjaar": "2023-2024", "nr": 1949},
        },
        ends={
            1: "Daar ben ik mee bekend.",
            2: "eveneens geen uitspraken doen.",
            3: "eveneens geen uitspraken doen.",
            4: "geen antwoord geven op deze vraag.",
            5: "ouders aanwijzingen kan geven.",
        },
    ),
    Label(
        file="ah-tk-20232024-1999.pdf",
        questions=[1, 2, 3],
        answered=[],
        together={},
        footnotes=[1],
        markers={1: [1]},
        kamerstukken={},
        running=[],
        who={
            "role": "minister",
            "name": "De Jonge",
            "ministry": "Binnenlandse Zaken en Koninkrijksrelaties",
            "on_behalf_of": None,
            "received": "2024-06-07",
            "submitted": "2024-05-30",
            "asked_by": "Sneller (D66), Chakor (GroenLinks-PvdA) en Van Nispen (SP)",
            "number": {"vergaderjaar": "2023-2024", "nr": 1999},
        },
        ends={},
        kind="mededeling",
        letter=[("36471", 64)],
    ),
    Label(
        file="ah-tk-20232024-2271.pdf",
        questions=list(range(1, 13)),
        answered=list(range(1, 13)),
        together={},
        footnotes=list(range(1, 18)),
        markers={
            1: [1],
            2: [2, 3, 4],
            5: [5],
            6: [6, 7, 8, 9],
            8: [10, 11, 12, 13],
            9: [14],
            11: [15],
            12: [16, 17],
        },
        kamerstukken={
            4: [("31839", 1024)],
            5: [("31839", 1024)],
            6: [("31839", 874)],
            7: [("32793", 613)],
            8: [("32793", 677)],
            14: [("25424", 679), ("25424", 684), ("25424", 685)],
            17: [("36410-XVI", 160)],
        },
        running=[("25424", 678), ("25424", 691)],
        who={
            "role": "staatssecretaris",
            "name": "Karremans",
            "ministry": "Volksgezondheid, Welzijn en Sport – Jeugd, Preventie en Sport",
            "on_behalf_of": None,
            "received": "2024-08-12",
            "submitted": "2024-06-21",
            "asked_by": "Westerveld (GroenLinks-PvdA)",
            "number": {"vergaderjaar": "2023-2024", "nr": 2271},
        },
        ends={
            1: "Ja.",
            2: "over de besteding van deze middelen.",
            3: "Dit geldt ook voor volwassenen.",
            4: "zorgprofessionals nodig is.",
            5: "naar die brief.",
            6: "gezamenlijke onderzoeks- en leeragenda.",
            7: "(h)erkend vergroot.",
            8: "komt de NZa met nieuwe cijfers.",
            9: "gezondheid van ons allemaal.",
            10: "patiënten en gehandicaptenorganisaties.",
            11: "benutten en beschikbaar stellen.",
            12: "gestuurd op specifieke doelgroepen.",
        },
    ),
    Label(
        file="ah-tk-20222023-3649.repo-text.txt",
        questions=list(range(1, 15)),
        answered=list(range(1, 15)),
        together={},
        footnotes=[1, 2, 3, 4, 5, 6],
        markers={1: [1], 3: [2], 7: [3], 14: [4, 5, 6]},
        kamerstukken={2: [("29383", 406)], 3: [("29383", 406)], 5: [("29383", 384)], 6: [("29383", 384)]},
        running=[],
        who={
            "role": "minister",
            "name": "Van der Wal-Zeggelink",
            "ministry": "Natuur en Stikstof",
            "on_behalf_of": None,
            "received": "2023-09-14",
            "submitted": "2023-07-04",
            "asked_by": "Bromet (GroenLinks)",
            "number": {"vergaderjaar": "2022-2023", "nr": 3649},
        },
        ends={
            1: "Ja.",
            2: "tot een Natura2000-gebied.",
            3: "deelnamemogelijkheden weg te nemen.",
            4: "verdere verkenning van de mogelijkheden.",
            5: "berekende emissie, onzeker is.",
            6: "op de opbrengst van de aanpak.",
            7: "deelnamemogelijkheden weg te nemen.",
            8: "melkveehouders het precies gaat.",
            9: "door andere overheden.",
            10: "CBS onderzoek dus geen invloed.",
            11: "in rechte vaststaande vergunnin-gen.",
            12: "wijzigen of intrekken daarvan.",
            13: "op de website aanpakpiekbelasting.nl.",
            14: "fabrikant eventueel aansprakelijk te stellen.",
        },
    ),
]


def _ends(text: str | None) -> str:
    """An answer's text with footnote markers removed and spaces folded, for comparing its end."""
    return " ".join(re.sub(r"\[\d+\]", "", text or "").split())


def score(doc: AnswerDocument, label: Label) -> dict[str, bool]:
    """Per field: does the reader's result equal the hand label exactly?"""
    meta = doc.metadata
    items = doc.items
    who = {
        "role": meta.role,
        "name": meta.name,
        "ministry": meta.ministry,
        "on_behalf_of": meta.on_behalf_of,
        "received": meta.received,
        "submitted": meta.submitted,
        "asked_by": meta.asked_by,
        "number": meta.number,
    }
    running = sorted({(k.dossier, k.nr) for it in items for k in it.kamerstukken} - set(label.letter))
    return {
        "questions": [it.number for it in items if it.question] == label.questions,
        "answered": [it.number for it in items if it.answer] == label.answered,
        "together": {it.number: it.answered_together for it in items if it.answered_together}
        == label.together,
        "footnotes": [fn.number for fn in doc.footnotes] == label.footnotes,
        "markers": {it.number: it.footnotes for it in items if it.footnotes} == label.markers,
        "kamerstukken": {
            fn.number: [(k.dossier, k.nr) for k in fn.kamerstukken] for fn in doc.footnotes if fn.kamerstukken
        }
        == label.kamerstukken
        and running == sorted(label.running),
        "who_when": who == label.who,
        "kind": meta.kind == label.kind and [(k.dossier, k.nr) for k in meta.letter] == label.letter,
        "answer_ends": all(_ends(doc.item(n).answer).endswith(end) for n, end in label.ends.items())
        and len(label.ends) == len([it for it in items if it.answer]),
    }


def read_labelled(label: Label) -> AnswerDocument:
    """The reader's result on one labelled document (figures not checked: no store needed)."""
    return read_document(PARLIAMENT / label.file, check=False)
