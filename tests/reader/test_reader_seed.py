"""The acceptance scenario: the seed document read end to end."""

from __future__ import annotations

import json
import re

import pytest

from peloton.reader import read_document, to_html, to_json, to_markdown
from peloton.stats.claims import LABOUR_PRODUCTIVITY_2020, SEED_FIGURES
from peloton.stats.verify import check_in_store

from .reader_support import FakeObservation, FakeStore, assert_no_line_lost, seed_figures_store, seed_text


@pytest.fixture(scope="module")
def doc():
    return read_document(seed_text(), store=seed_figures_store())


def test_thirteen_questions_and_answers_in_order(doc) -> None:
    assert [it.number for it in doc.items] == list(range(1, 14))
    assert all(it.question for it in doc.items)
    assert all(it.answer for it in doc.items)
    assert doc.item(1).answer == "Ja."
    assert doc.item(4).answer == "Ja."


def test_text_is_reflowed_across_page_breaks_and_footnotes(doc) -> None:
    q7 = doc.item(7).question
    assert "R&D? Kunt u daarbij tevens aangeven" in q7  # footnotes 4-5 and a page break sit between
    assert "Kamerstuk" not in q7
    a5 = doc.item(5).answer
    assert "het menselijk kapitaal. Dit zijn dan ook" in a5
    assert "CBS, 9 juli" not in a5
    assert "Smart Industry-aanpak" in doc.item(9).answer
    assert "\n" not in doc.item(2).question


def test_metadata(doc) -> None:
    meta = doc.metadata
    assert meta.answered_by == "minister Blok"
    assert meta.ministry == "Economische Zaken en Klimaat"
    assert meta.received == "2021-11-10"
    assert meta.aanhangsel == {"vergaderjaar": "2020-2021", "nr": 4008}


def test_nine_footnotes_with_urls_and_kamerstukken(doc) -> None:
    assert [fn.number for fn in doc.footnotes] == list(range(1, 10))
    by_number = {fn.number: fn for fn in doc.footnotes}
    assert by_number[1].urls == ["https://fd.nl/opinie/1408232/kost-het-banen"]
    assert by_number[2].urls == [
        "https://www.cbs.nl/nl-nl/nieuws/2021/27/arbeidsproductiviteit-lager-in-2020"
    ]
    assert by_number[8].urls == ["https://www.ser.nl/nl/Publicaties/reshoring"]
    refs = {n: [(k.dossier, k.nr) for k in fn.kamerstukken] for n, fn in by_number.items() if fn.kamerstukken}
    assert refs == {
        4: [("29696", 7)],
        5: [("29826", 128)],
        6: [("32637", 473)],
        7: [("35570-XIII", 30)],
        9: [("29826", 128)],
    }
    assert by_number[7].text.endswith("briefadvies ‘Reshoring’ van februari 2021.")


def test_footnote_markers_attach_to_items(doc) -> None:
    assert {it.number: it.footnotes for it in doc.items if it.footnotes} == {
        1: [1],
        3: [2],
        5: [3, 4],
        6: [5],
        8: [6],
        10: [7],
        11: [8],
        13: [9],
    }
    assert "(Statline)[2]" in doc.item(3).answer
    assert "2019?[3]" in doc.item(5).question


def test_kamerstukken_in_question_text(doc) -> None:
    assert [(k.dossier, k.nr) for k in doc.item(8).kamerstukken] == [("35570-XIII", 31), ("35724", 4)]


def test_body_links_attach_to_the_answer_that_names_them(doc) -> None:
    assert sorted(doc.item(7).links) == ["http://www.europaomdehoek.nl/", "http://www.volginnovatie.nl/"]


def test_schemes_linked_to_catalog(doc) -> None:
    assert doc.item(7).schemes == ["wbso", "mit", "efro", "regionale_vouchers"]
    assert doc.item(6).schemes == ["smart_industry", "edih"]
    assert "mkb_werkplaatsen" in doc.item(9).schemes
    assert "smart_industry" in doc.item(13).schemes
    assert doc.item(2).schemes == []


def test_unknown_programmes_listed_without_organisations(doc) -> None:
    unknown = doc.item(5).unknown_schemes
    assert "Nationaal Groeifonds" in unknown
    assert "Techniekpact" in unknown
    everything = " ".join(u for it in doc.items for u in it.unknown_schemes)
    for organisation in ("RVO", "CBS", "SER", "Rijksdienst", "Europese Commissie", "Dialogic"):
        assert organisation not in everything


def _claim(doc, number: int, raw_start: str):
    return next(c for c in doc.item(number).claims if c.raw.startswith(raw_start))


def test_wbso_and_productivity_figures_confirmed(doc) -> None:
    for raw, value, unit in (
        ("20.340", 20340, "ondernemingen"),
        ("97 procent", 97, "%"),
        ("135.370", 135370, "WBSO-projecten"),
    ):
        claim = _claim(doc, 7, raw)
        assert (claim.value, claim.unit, claim.period) == (value, unit, "2020")
        assert claim.check == "confirmed", claim
        assert claim.source and claim.source.startswith("RVO")
    productivity = _claim(doc, 5, "1,8%")
    assert productivity.value == -1.8
    assert productivity.part == "question"
    assert productivity.check == "confirmed"
    assert productivity.measure == "labour_productivity_commercial"


def test_seed_as_only_source_never_confirms(doc) -> None:
    process = _claim(doc, 7, "11 procent")
    assert process.measure == "wbso_share_projects_process"
    assert process.check == "not checkable"
    assert "seed" in (process.note or "")


def test_monitor_seed_figures_use_the_readers_measures(doc) -> None:
    """The monitor's claims table (stats.claims) and the reader's claim→measure table agree on the seed."""
    for fig in (LABOUR_PRODUCTIVITY_2020, *SEED_FIGURES):
        claims = [c for it in doc.items for c in it.claims]
        found = [c for c in claims if c.period == fig.period and float(c.value) == fig.value]
        assert [c.measure for c in found] == [fig.measure], fig


def test_store_check_outcomes() -> None:
    store = seed_figures_store()

    def exact(stated: float):
        return lambda value: value == stated

    assert check_in_store(store, "wbso_share_sme", "2020", "", exact(97.0)).outcome == "confirmed"
    differs = check_in_store(store, "wbso_share_sme", "2020", "", exact(96.0))
    assert differs.outcome == "differs" and differs.observation is not None
    only_seed = check_in_store(store, "wbso_share_projects_process", "2020", "", exact(11.0))
    assert (only_seed.outcome, only_seed.observation) == ("seed only", None)
    assert check_in_store(store, "wbso_share_sme", "2019", "", exact(97.0)).outcome == "not in store"


def test_a_different_store_value_differs() -> None:
    store = FakeStore([FakeObservation("RVO", "x", "wbso_firms_total", "2020", 21000.0, "ondernemingen")])
    claim = _claim(read_document(seed_text(), store=store), 7, "20.340")
    assert claim.check == "differs"
    assert claim.store_value == 21000.0


@pytest.mark.parametrize(
    "variant",
    [
        lambda t: re.sub(r"\n[ \t]*\n", "\n", t),  # single-spaced, as pypdf often extracts
        lambda t: t.replace("\n", "\r\n"),  # Windows line ends
        lambda t: t.replace("\n\n\n", "\n\f\n"),  # form feeds between pages
    ],
    ids=["single-spaced", "crlf", "form-feeds"],
)
def test_layout_variants_of_the_seed(variant) -> None:
    doc = read_document(variant(seed_text()), check=False)
    assert [it.number for it in doc.items] == list(range(1, 14))
    assert all(it.answer for it in doc.items)
    assert [len(fn.urls) for fn in doc.footnotes] == [1, 1, 1, 0, 0, 0, 0, 1, 0]
    assert doc.footnote(7).text.endswith("van februari 2021.")
    assert doc.item(5).answer.endswith("in de gehele economie.")
    assert_no_line_lost(doc)


def test_no_line_of_the_seed_is_lost(doc) -> None:
    assert_no_line_lost(doc)
    assert not doc.warnings


def test_renderers(doc) -> None:
    data = json.loads(to_json(doc))
    assert data["metadata"]["received"] == "2021-11-10"
    assert data["metadata"]["aanhangsel"] == {"vergaderjaar": "2020-2021", "nr": 4008}
    assert data["items"][6]["schemes"] == ["wbso", "mit", "efro", "regionale_vouchers"]
    claim = next(c for c in data["items"][6]["claims"] if c["value"] == 20340)
    assert claim["check"] == "confirmed" and claim["unit"] == "ondernemingen"
    assert data["footnotes"][4]["kamerstukken"] == [{"dossier": "29826", "nr": 128}]
    assert data["warnings"] == []
    markdown = to_markdown(doc)
    assert "## Question 13" in markdown and "✓ confirmed" in markdown
    html = to_html(doc)
    assert html.startswith("<!doctype html>")
    assert "http://" not in html.split("<body>")[0] and "<script" not in html
    assert "Question 7" in html and "&lt;" not in html.split("<body>")[1][:200]


def test_real_monitor_store_confirms_what_it_holds(monkeypatch, tmp_path) -> None:
    store_module = pytest.importorskip("peloton.stats.store")
    monkeypatch.setenv("PELOTON_STORE", str(tmp_path / "absent.duckdb"))  # → the bundled snapshot
    doc = read_document(seed_text())
    assert doc.checked_against
    with store_module.Store.open(None, read_only=True) as store:
        for number, raw, measure in (
            (7, "20.340", "wbso_firms_total"),
            (7, "97 procent", "wbso_share_sme"),
            (7, "135.370", "wbso_projects_granted"),
            (5, "1,8%", "labour_productivity_commercial"),
        ):
            claim = _claim(doc, number, raw)
            held = [o for o in store.observations(measure, "2020") if not o.source.startswith("seed:")]
            if any(abs(o.value - float(claim.value)) < 1e-6 for o in held):
                assert claim.check == "confirmed", claim
            for o in store.observations(measure, "2020"):
                if o.source.startswith("seed:") and not held:
                    assert claim.check == "not checkable"
