"""Search on the real rows: Dutch stemming, compounds, ranking, filters and facets."""

from __future__ import annotations

import pytest

from peloton.errors import InputError
from peloton.registry.search import decompound, index_text, search
from peloton.registry.store import RegistryStore


def _text(store: RegistryStore, source: str, row: int) -> str:
    rec = store.records("source = ? AND source_row = ?", [source, row])[0]
    return " ".join(
        str(rec[c] or "") for c in ("title", "title_en", "summary", "beneficiary", "scheme")
    ).lower()


def test_robot_finds_robot_projects_first(bundled: RegistryStore) -> None:
    result = search(bundled, "robot", limit=50)
    assert result.total >= 8
    titles = [r["title"] or "" for r in result.results]
    # the EFRO project with "robot" in its title ranks above one that mentions robots in passing
    berkmortel = next(i for i, t in enumerate(titles) if "robot met zijbeladingssysteem" in t)
    greenport = next(i for i, r in enumerate(result.results) if r["beneficiary"] == "Greenport Horti Campus")
    assert berkmortel < greenport
    for r in result.results:
        assert "robot" in _text(bundled, r["source"], r["source_row"])
    scores = [r["score"] for r in result.results]
    assert scores == sorted(scores, reverse=True)


def test_stemming_sensor_finds_sensoren_and_compounds(bundled: RegistryStore) -> None:
    result = search(bundled, "sensor", fund="EFRO", limit=100)
    rows = {r["source_row"] for r in result.results}
    assert 319 in rows  # HZPC "Sensorview": biosensoren, sensortechnologieën
    assert 305 in rows  # "Sensor Universe"
    assert result.facets["fund"] == {"EFRO": result.total}
    # a plural-only mention is found: "sensoren" without the singular
    plural_only = [
        r for r in result.results if "sensoren" in _text(bundled, "europaomdehoek_2007_2013", r["source_row"])
    ]
    assert plural_only


def test_procesinnovatie_is_split_into_its_parts(bundled: RegistryStore) -> None:
    # no project says "procesinnovatie"; the compound is searched as proces + innovatie
    result = search(bundled, "procesinnovatie", fund="EFRO", limit=30)
    assert result.total >= 10
    for r in result.results:
        text = _text(bundled, r["source"], r["source_row"])
        assert "proces" in text and "innovati" in text
    assert 351 in {r["source_row"] for r in result.results}  # "industrieel verfproces", innovatieregeling
    assert result.facets["kind"].get("process", 0) >= 3


def test_filters_and_facets(bundled: RegistryStore) -> None:
    everything = search(bundled, "innovatie", limit=5)
    efro_big = search(
        bundled, "innovatie", fund="EFRO", min_amount=1_000_000, year_from=2009, year_to=2011, limit=200
    )
    assert 0 < efro_big.total < everything.total
    for r in efro_big.results:
        assert r["fund"] == "EFRO" and r["amount_eur"] >= 1_000_000 and 2009 <= r["year"] <= 2011
    assert set(efro_big.facets["amount_band"]) <= {"1m-5m", ">= 5m"}
    assert sum(everything.facets["kind"].values()) == everything.total
    mit = search(bundled, "robotics", scheme="MIT")
    assert [r["beneficiary"] for r in mit.results] == ["Rolan Robotics B.V."]
    product = search(bundled, "sensor", kind="product", limit=100)
    assert product.results and all(r["innovation_kind"] == "product" for r in product.results)


def test_stems_are_indexed_next_to_words() -> None:
    indexed = index_text("Sensoren").split()
    assert indexed[0] == "sensoren" and len(indexed) == 2  # the word, then its Dutch stem
    assert "potentiele" in index_text("potentiële")
    assert decompound("procesinnovatie", {"proces", "innovatie"}.__contains__) == ["proces", "innovatie"]
    assert decompound("bedrijfsvoering", {"bedrijf", "voering"}.__contains__) == ["bedrijf", "voering"]
    assert decompound("robot", {"rob"}.__contains__) is None


@pytest.mark.parametrize("query", ["", "  ", "!!"])
def test_empty_query_is_refused(bundled: RegistryStore, query: str) -> None:
    with pytest.raises(InputError, match="QUERY"):
        search(bundled, query)


def test_records_link_to_catalog_schemes(bundled: RegistryStore) -> None:
    links = dict(
        bundled.con.execute(
            "SELECT scheme_id, count(*) FROM projects WHERE scheme_id IS NOT NULL GROUP BY 1"
        ).fetchall()
    )
    assert links["mit"] == 643  # every "MKB Innovatieregeling Topsectoren (MIT)" payment
    assert links["efro"] >= 841  # the EFRO projects, and the ministry's EFRO co-financing
    assert (
        "regionale_vouchers" not in links
    )  # EZ's "Innovatievouchers elektrische mobiliteit" is not provincial
    (esf_linked,) = bundled.con.execute(
        "SELECT count(*) FROM projects WHERE fund = 'ESF' AND scheme_id IS NOT NULL"
    ).fetchone() or (0,)
    assert esf_linked == 0  # ESF is not in the catalog
    by_id = search(bundled, "robotics", scheme="mit")
    assert [r["scheme_id"] for r in by_id.results] == ["mit"]
    assert by_id.facets["scheme_id"] == {"mit": by_id.total}


def test_catalog_scheme_uses_whole_names_only() -> None:
    from peloton.registry.scheme_links import catalog_scheme

    assert catalog_scheme(None, "MKB Innovatieregeling Topsectoren (MIT)") == "mit"
    assert catalog_scheme("EFRO", None) == "efro"
    assert catalog_scheme(None, "Subsidie Smitten") is None  # "MIT" inside a word is no link
    assert (
        catalog_scheme(None, "Innovatievouchers elektrische mobiliteit", "Ministerie van Economische Zaken")
        is None
    )
    assert catalog_scheme(None, "Innovatievouchers Gelderland") == "regionale_vouchers"
