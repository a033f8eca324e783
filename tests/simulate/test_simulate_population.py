"""The synthetic population: deterministic, labelled synthetic, standing for the CBS firm count."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

from peloton.model import tax_benefit_system
from peloton.simulate import synthetic
from peloton.simulate.calibration import firm_counts
from peloton.simulate.population import PopulationFile
from peloton.simulate.schema import population_schema


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_same_seed_same_file_byte_for_byte(tmp_path: Path) -> None:
    a, b = tmp_path / "a.parquet", tmp_path / "b.parquet"
    synthetic.write(synthetic.generate(2021, 5_000, 7), a)
    synthetic.write(synthetic.generate(2021, 5_000, 7), b)
    assert _digest(a) == _digest(b)
    c = tmp_path / "c.parquet"
    synthetic.write(synthetic.generate(2021, 5_000, 8), c)
    assert _digest(c) != _digest(a)


def test_cached_on_first_use_under_peloton_home(tmp_path: Path) -> None:
    path = synthetic.ensure(2022, 3_000, 1)
    assert path.is_relative_to(tmp_path / "home" / "populations")
    before = path.stat().st_mtime_ns
    assert synthetic.ensure(2022, 3_000, 1) == path
    assert path.stat().st_mtime_ns == before  # not generated again


def test_every_record_synthetic_and_weights_stand_for_all_firms(population_2024: PopulationFile) -> None:
    table = pq.read_table(population_2024.path)
    assert table.num_rows == 20_000
    assert table.column("synthetic").to_numpy().all()
    weights = table.column("weight").to_numpy()
    assert weights.dtype == np.float64 and (weights > 0).all()
    assert abs(weights.sum() - firm_counts().total) < 1e-3
    info = population_2024.synthetic_info()
    assert info.firms == firm_counts().total == 2_316_555
    assert "SYNTHETIC" in info.label() and "2,316,555 firms" in info.label()


def test_columns_are_the_rules_inputs_and_validate(population_2024: PopulationFile) -> None:
    schema = population_schema(tax_benefit_system())
    names = pq.ParquetFile(population_2024.path).schema_arrow.names
    assert set(names) <= set(schema)
    needed = {
        "personeel_fte", "jaaromzet", "balanstotaal", "rechtsvorm", "sbi_sectie", "provincie",
        "is_familiebedrijf", "so_uren", "so_uren_eigen", "so_uurloon_opgegeven", "innovatie_soort",
        "belastbare_winst", "marginaal_tarief", "ontwikkelingskosten", "investering_energielijst",
        "opleidingskosten", "leeftijd", "werkzame_personen",
    }  # fmt: skip
    assert needed <= set(names)
    # the user-file validation accepts the synthetic file: every column in range
    info = PopulationFile(population_2024.path, kind="user").validate(chunk_size=7_000)
    assert info.records == 20_000 and info.all_synthetic


def test_profit_and_rates_known_so_tax_savings_are_never_nan(population_2024: PopulationFile) -> None:
    table = pq.read_table(
        population_2024.path, columns=["belastbare_winst", "marginaal_tarief", "rechtsvorm"]
    )
    assert not np.isnan(table.column("belastbare_winst").to_numpy()).any()
    rates = table.column("marginaal_tarief").to_numpy()
    forms = table.column("rechtsvorm").cast("string").to_numpy(zero_copy_only=False)
    ib = np.isin(forms, synthetic._ib_forms(2024))  # the legal forms the rules tax as IB-ondernemer
    assert ((rates[ib] >= 0) & (rates[ib] <= 1)).all()


def test_projects_for_a_minority_only(population_2024: PopulationFile) -> None:
    table = pq.read_table(population_2024.path)
    weights = table.column("weight").to_numpy()
    for name in ("ontwikkelingskosten", "investering_energielijst", "opleidingskosten"):
        share = weights[table.column(name).to_numpy() > 0].sum() / weights.sum()
        assert 0 < share < 0.1, name


def test_innovatiebox_users_hold_the_entry_ticket(population_2024: PopulationFile) -> None:
    """Users have the asset flag, SME users are WBSO users, large users hold a patent, box <= profit."""
    names = ["weight", "werkzame_personen", "so_uren", "belastbare_winst", "innovatiebox_voordelen"]
    names += ["activum_met_so_verklaring", "heeft_octrooi_of_gelijkwaardig"]
    table = pq.read_table(population_2024.path, columns=names)
    col = {name: table.column(name).to_numpy(zero_copy_only=False) for name in names}
    users = col["innovatiebox_voordelen"] > 0
    large = col["werkzame_personen"] >= 250
    assert users.any() and col["activum_met_so_verklaring"][users].all()
    assert (col["so_uren"][users & ~large] > 0).all()
    assert col["heeft_octrooi_of_gelijkwaardig"][users & large].all()
    weight = col["weight"]
    assert weight[users & large & (col["so_uren"] > 0)].sum() > 0.5 * weight[users & large].sum()
    assert (col["innovatiebox_voordelen"][users] <= col["belastbare_winst"][users] * 1.0001).all()
    assert not col["activum_met_so_verklaring"][~users].any()
