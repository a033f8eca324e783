"""Units of the reader: references, scheme links, figures and the claim→measure table."""

from __future__ import annotations

import pytest

from peloton.reader.checks import check_claims, load_rules, match_measure
from peloton.reader.claims import extract_claims, parse_number
from peloton.reader.layout import answer_heading, is_header, question_heading
from peloton.reader.references import find_kamerstukken, find_urls
from peloton.reader.scheme_links import link_schemes

from .reader_support import FakeObservation, FakeStore


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kamerstuk 29826, nr. 128", [("29826", 128)]),
        ("Kamerstuk 29 826, nr. 128.", [("29826", 128)]),
        ("(Kamerstuk 35570-XIII,\nnr. 31)", [("35570-XIII", 31)]),
        ("motie (Kamerstuk 35570 XIII, nr. 30) en", [("35570-XIII", 30)]),
        ("Kamerstukken II 2020/21, 21501-30, nrs. 500 en 501", [("21501-30", 500), ("21501-30", 501)]),
        ("Kamerstuk 32637, nr. 473 en Kamerstuk 29696, nr. 7", [("32637", 473), ("29696", 7)]),
        ("geen verwijzing naar nr. 4", []),
    ],
)
def test_kamerstukken(text: str, expected: list[tuple[str, int]]) -> None:
    assert [(k.dossier, k.nr) for k in find_kamerstukken(text)] == expected


def test_urls_strip_punctuation() -> None:
    assert find_urls("«Kost het banen?», (https://fd.nl/opinie/1) en www.volginnovatie.nl.") == [
        "https://fd.nl/opinie/1",
        "www.volginnovatie.nl",
    ]


@pytest.mark.parametrize(
    ("text", "ids"),
    [
        ("de Wet Bevordering Speur- en Ontwikkelingswerk (WBSO)", ["wbso"]),
        ("135.370 WBSO-projecten", ["wbso"]),
        ("de Mkb-innovatiestimulering regio en topsectoren (MIT-regeling)", ["mit"]),
        ("MIT-subsidie", ["mit"]),
        ("het Europees Fonds voor Regionale Ontwikkeling (EFRO)", ["efro"]),
        ("het Smart Industry programma", ["smart_industry"]),
        ("European Digital Innovation Hubs", ["edih"]),
        ("16 mkb-werkplaatsen", ["mkb_werkplaatsen"]),
        ("submit, mitigatie, SMITH, Mitteilung en admit", []),
        ("een slimme en slim opgezette regeling", []),
    ],
)
def test_scheme_links(text: str, ids: list[str]) -> None:
    assert link_schemes(text).ids == ids


def test_unknown_programmes_keep_false_positives_low() -> None:
    found = link_schemes(
        "Het CBS (Statline) en de Rijksdienst voor Ondernemend Nederland (RVO) melden dat het "
        "Nationaal Groeifonds en de Nederlandse Digitaliseringstrategie (NDS) werken. Subsidie is fijn. "
        "Kunstmatige intelligentie (AI) ook."
    ).unknown
    assert found == ["Nederlandse Digitaliseringstrategie (NDS)", "Nationaal Groeifonds"]


@pytest.mark.parametrize(
    ("raw", "value"), [("20.340", 20340), ("1,8", 1.8), ("1.234,5", 1234.5), ("97", 97), ("135.370", 135370)]
)
def test_dutch_numbers(raw: str, value: float) -> None:
    assert parse_number(raw) == value


def test_claims_mask_identifiers_and_read_direction() -> None:
    text = (
        "Op 12 oktober jl. is de brief (Kamerstuk 35570-XIII, nr. 31, zie vraag 8) verzonden[6]. "
        "De productie is in 2021 met 2,5% gedaald en 4,0 procent gestegen; zie www.cbs.nl/2021/27."
    )
    claims = extract_claims(text, "answer")
    assert [(c.raw, c.value, c.period) for c in claims] == [
        ("2,5%", -2.5, "2021"),
        ("4,0 procent", 4.0, "2021"),
    ]


def test_claims_amounts_ranges_and_spelled_numbers() -> None:
    claims = extract_claims("Er gaat € 1,5 miljoen naar vijf regionale hubs, voor 5-10 jaar.", "answer")
    assert [(c.kind, c.value, c.unit) for c in claims] == [
        ("amount", 1_500_000, "EUR"),
        ("count", 5, "regionale hubs"),
        ("range", 5, "jaar"),
    ]


def test_the_claim_table_names_known_measures() -> None:
    measures = {r.measure for r in load_rules()}
    assert {"wbso_firms_total", "wbso_share_sme", "wbso_projects_granted"} <= measures
    assert "labour_productivity_commercial" in measures


def test_two_shares_in_one_sentence_are_told_apart() -> None:
    claims = extract_claims(
        "Van de 135.370 WBSO-projecten in 2020 is 11 procent gericht op productieprocessen en 16 procent "
        "op de ontwikkeling van programmatuur.",
        "answer",
    )
    raws = [c.raw for c in claims]
    assert [getattr(match_measure(c, raws), "measure", None) for c in claims] == [
        "wbso_projects_granted",
        "wbso_share_projects_process",
        "wbso_share_projects_software",
    ]


def test_checks_without_store_or_year() -> None:
    claims = extract_claims("Zo maakten 20.340 ondernemingen gebruik van de WBSO.", "answer")
    check_claims(claims, None)
    assert claims[0].check == "not checkable" and claims[0].measure == "wbso_firms_total"
    store = FakeStore([FakeObservation("RVO", "t", "wbso_firms_total", "2020", 20340.0, "ondernemingen")])
    check_claims(claims, store)
    assert claims[0].check == "not checkable" and "no year" in (claims[0].note or "")
    assert store.queries == []


def test_more_than_is_checked_as_a_bound() -> None:
    claims = extract_claims("In 2020 maakten meer dan 20.000 ondernemingen gebruik van de WBSO.", "answer")
    check_claims(claims, FakeStore([FakeObservation("RVO", "t", "wbso_firms_total", "2020", 20340.0, "x")]))
    assert claims[-1].check == "confirmed"


@pytest.mark.parametrize(
    "line",
    [
        "ah-tk-20212022-123 ISSN 0921-7398 'sGravenhage 2021 "
        "Tweede Kamer, vergaderjaar 2021–2022, Aanhangsel",
        "Tweede Kamer, vergaderjaar 2021–2022, Aanhangsel 123",
        "ISSN 0921 - 7398",
        "’s-Gravenhage 2021",
    ],
)
def test_page_headers(line: str) -> None:
    assert is_header(line)


def test_headings() -> None:
    assert not is_header("Zie ook Aanhangsel Handelingen, vergaderjaar 2020-2021, nr. 4008")
    assert question_heading("Vraag 12", allow_bare_inline=False).numbers == (12,)
    assert question_heading("7", allow_bare_inline=False).numbers == (7,)
    assert question_heading("2. Hoeveel?", allow_bare_inline=False) is None
    assert answer_heading("Antwoord 3 en 4").numbers == (3, 4)
    assert answer_heading("Antwoord op vragen 2 t/m 4").numbers == (2, 3, 4)
    assert answer_heading("Antwoord").numbers == ()
    assert answer_heading("Antwoord van minister Blok (EZK)") is None
    assert answer_heading("Antwoord op vraag 1: Ja.").rest == "Ja."
