"""The innovation kind: explained labels, measured precision/recall, and the corrected estimate."""

from __future__ import annotations

from pathlib import Path

import pytest

from peloton.registry.classify import classify
from peloton.registry.estimate import efro_kind_estimate, kind_estimate
from peloton.registry.measure import held_out_labels, join_labels, load_labels, scores
from peloton.registry.store import CLASSIFIER_VERSION, RegistryStore

from .conftest import REGISTRY_REF, need


def test_labels_carry_the_deciding_words() -> None:
    k = classify("Nieuwe productielijn", "Wij automatiseren ons productieproces.", beneficiary="X B.V.")
    assert k.kind == "process"
    assert "'productielijn' (title)" in k.reason and "beneficiary is a firm" in k.reason
    k = classify(
        "Nirion", "Het project is de ontwikkeling van een nieuw meetinstrument.", beneficiary="Medimate BV"
    )
    assert k.kind == "product" and "meetinstrument" in k.reason
    k = classify(
        "Scholing van werkenden",
        "Dit scholingsproject is bedoeld voor medewerkers.",
        beneficiary="Stichting X",
    )
    assert k.kind == "none" and "scholing" in k.reason.lower()


def test_thin_text_is_unknown_not_none() -> None:
    assert classify("Active Floor Vibration Isolation", "", beneficiary="MI-Partners B.V.").kind == "unknown"
    assert classify(None, None).kind == "unknown"


def test_a_public_body_with_a_passing_innovation_word_is_none() -> None:
    k = classify(
        "Stadsmarketing",
        "De gemeente ontwikkelt een nieuwe promotiecampagne voor klanten.",
        beneficiary="Gemeente X",
    )
    assert k.kind == "none"


def test_held_out_labels_are_rows_of_the_bundled_source(bundled: RegistryStore) -> None:
    labels = held_out_labels()
    assert len(labels) == 80 and len({e["row"] for e in labels}) == 80
    joined = join_labels(bundled, labels)
    assert sum(1 for j in joined if j.fund == "EFRO") == 60
    dev = {e["row"] for e in load_labels(need(REGISTRY_REF / "labelled_sample.yaml"))}
    assert not dev & {e["row"] for e in labels}  # never the development rows


def test_measured_scores_are_what_the_readme_states(bundled: RegistryStore) -> None:
    """The README quotes these; a lexicon change that moves them must update the README."""
    by = {s.kind: s for s in scores(join_labels(bundled, held_out_labels()))}
    assert (by["product"].true_positive, by["product"].predicted, by["product"].actual) == (12, 18, 15)
    assert (by["process"].true_positive, by["process"].predicted, by["process"].actual) == (6, 6, 9)
    assert (by["none"].true_positive, by["none"].predicted, by["none"].actual) == (52, 53, 55)


def test_estimate_is_labelled_and_brackets_its_point(bundled: RegistryStore) -> None:
    est = kind_estimate(bundled, fund="EFRO")
    assert est.projects == 841 and round(est.amount / 1e6, 1) == 806.7
    assert est.labelled == 60 and "confusion-matrix" in est.method
    assert sum(f.projects_naive for f in est.figures) == 841
    corrected = sum(f.projects_estimate or 0 for f in est.figures)
    assert corrected == pytest.approx(841, abs=1)
    money = sum(f.amount_estimate or 0 for f in est.figures)
    assert money == pytest.approx(est.amount, rel=1e-6)
    for f in est.figures:
        if f.kind in ("product", "process", "none"):
            lo, hi = f.projects_interval or (0, 0)
            assert lo <= (f.projects_estimate or 0) <= hi
            assert lo < hi


def test_a_fund_without_labels_stays_as_predicted(bundled: RegistryStore) -> None:
    est = kind_estimate(bundled, source="rijksbegroting_subsidieontvangers_2015")
    assert est.labelled == 0
    assert any("no held-out labels" in n for n in est.notes)
    (fig,) = est.figures
    assert fig.kind == "unknown" and fig.projects_estimate == fig.projects_naive == 25163


def test_efro_kind_estimate_for_the_monitor(bundled: RegistryStore) -> None:
    d = efro_kind_estimate(bundled)
    assert d["label"] == "estimate" and d["selection"] == "fund EFRO source europaomdehoek_2007_2013"
    assert d["projects"] == 841
    kinds = {k["kind"]: k for k in d["by_kind"]}
    assert set(kinds) >= {"product", "process", "none"}
    assert kinds["process"]["amount_interval_eur"][0] <= kinds["process"]["amount_estimate_eur"]


def test_a_store_labelled_by_another_lexicon_is_relabelled(tmp_path: Path) -> None:
    path = tmp_path / "registry.duckdb"
    with RegistryStore.open(path) as store:
        store.con.execute("UPDATE projects SET innovation_kind = 'stale', kind_reason = 'old'")
        store.con.execute("ALTER TABLE projects DROP COLUMN scheme_id")  # as made before catalog links
        store.con.execute("UPDATE registry_meta SET value = 'lexicon-0' WHERE key = 'classifier_version'")
    with RegistryStore.open(path, read_only=True) as store:
        kinds = dict(
            store.con.execute("SELECT innovation_kind, count(*) FROM projects GROUP BY 1").fetchall()
        )
        assert "stale" not in kinds and kinds["unknown"] >= 25163
        assert store.meta()["classifier_version"] == CLASSIFIER_VERSION
        (mit,) = store.con.execute("SELECT count(*) FROM projects WHERE scheme_id = 'mit'").fetchone() or (0,)
        assert mit == 643


def test_held_out_rows_are_the_documented_random_draw() -> None:
    """labels/held_out.yaml says how its rows were drawn; the draw is repeated here."""
    import random

    from .conftest import clean_rows

    rows = clean_rows()
    dev = {e["row"] for e in load_labels(need(REGISTRY_REF / "labelled_sample.yaml"))}
    rng = random.Random(17)
    efro = [i for i, r in enumerate(rows) if r["Fonds"].strip() == "EFRO" and i not in dev]
    esf = [i for i, r in enumerate(rows) if r["Fonds"].strip() == "ESF" and i not in dev]
    drawn = rng.sample(efro, 60) + rng.sample(esf, 20)
    assert [e["row"] for e in held_out_labels()] == drawn


def test_public_names_resolve_from_the_package(bundled: RegistryStore) -> None:
    import peloton.registry as registry

    assert registry.efro_kind_estimate(bundled)["projects"] == 841
    assert registry.kind_estimate(bundled, fund="ESF").labelled == 20
    assert registry.RegistryStore is RegistryStore and callable(registry.import_file)
    with pytest.raises(AttributeError):
        _ = registry.no_such_name
