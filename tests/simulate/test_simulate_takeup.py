"""Take-up: a dated data file of the simulator; draws fixed by record id and scheme."""

from __future__ import annotations

import numpy as np
import pytest

from peloton.core.takeup import takeup_for
from peloton.errors import InputError
from peloton.model.reforms.spec import parse_rates
from peloton.simulate.takeup import applies, draws


def test_draws_depend_on_id_and_scheme_only() -> None:
    ids = np.arange(200_000, dtype=np.int64)
    a = draws(ids, "wbso")
    assert (a == draws(ids, "wbso")).all()
    assert (a[1000:2000] == draws(ids[1000:2000], "wbso")).all()  # same in any chunk
    b = draws(ids, "slim")
    assert abs(np.corrcoef(a, b)[0, 1]) < 0.01
    assert ((a >= 0) & (a < 1)).all() and abs(a.mean() - 0.5) < 0.005


def test_rates_by_size_class_are_applied() -> None:
    takeup = takeup_for("nieuw", 2025)
    assert takeup.is_default and takeup.method == "assumption" and takeup.rates == (1.0, 1.0, 1.0, 1.0)
    from dataclasses import replace

    half = replace(takeup, rates=(0.0, 0.5, 1.0, 0.25))
    ids = np.arange(100_000)
    size = ids % 4
    applied = applies(ids, size, half, "nieuw")
    for k, rate in enumerate(half.rates):
        assert abs(applied[size == k].mean() - rate) < 0.01


def test_wbso_entry_is_calibrated_and_sourced() -> None:
    t = takeup_for("wbso", 2022)
    assert t.method == "calibrated" and t.source and "S&O-verklaring" in t.derivation
    assert not t.is_default


def test_bad_rates() -> None:
    with pytest.raises(InputError, match=r"outside 0\.\.1"):
        parse_rates("takeup", {"micro": 1.2, "klein": 0, "middelgroot": 0, "groot": 0})
    with pytest.raises(InputError, match="no rate for size class"):
        parse_rates("takeup", {"micro": 1})


def test_innovatiebox_entry_is_calibrated_on_users() -> None:
    t = takeup_for("innovatiebox", 2019)
    assert t.method == "calibrated" and t.source and "innovatiebox" in t.source
    assert not t.is_default and t.rates == (1.0, 1.0, 1.0, 1.0)
