"""No leak per request: after the memory check's mix (reads, and checks of ever different firms,
some under ever different reforms), every cache the code keeps is bounded. Memory itself (RSS) is
measured by benchmarks/reliability.py over 10,000 requests; here the structures that could grow with
each distinct request are checked: every functools cache in peloton's modules, the relevance memo
of the navigator, the API's kept computations, and the reformed systems alive."""

from __future__ import annotations

import gc
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.reliability.conftest import SCALE
from tests.reliability.load import cheap_request, random_profile, random_reform

from peloton.api.app import create_app

ROUNDS = max(30, int(30 * SCALE))


def functools_caches() -> dict[str, Any]:
    """Every function of a loaded peloton module wrapped by functools.cache or lru_cache."""
    found: dict[str, Any] = {}
    for name, module in list(sys.modules.items()):
        if not name.startswith("peloton"):
            continue
        for attribute, value in list(vars(module).items()):
            if callable(getattr(value, "cache_info", None)) and hasattr(value, "cache_parameters"):
                found[f"{name}.{attribute}"] = value
    return found


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    app = create_app(cache=Path(tmp_path_factory.mktemp("memory")), workers=1, rate_limit=0)
    with TestClient(app, base_url="http://testserver/api/v1") as c:
        yield c


def test_no_cache_grows_with_each_distinct_request(client: TestClient) -> None:
    rng = random.Random(3)
    for _ in range(ROUNDS):  # warm: everything loaded once, every cache holds what it always will
        assert cheap_request(client, rng).status_code == 200
    caches = functools_caches()
    assert "peloton.model.reforms.builder._reform_system" in caches  # the check sees the caches
    before = {name: f.cache_info().currsize for name, f in caches.items()}
    for _ in range(ROUNDS):
        assert cheap_request(client, rng).status_code == 200
    grown = {}
    for name, f in caches.items():
        info, limit = f.cache_info(), f.cache_parameters()["maxsize"]
        if limit is None and info.currsize > before[name]:
            grown[name] = (before[name], info.currsize)  # unbounded and still growing: a leak
        elif limit is not None:
            assert info.currsize <= limit, name
    assert grown == {}


def test_the_kept_structures_stay_within_their_bounds(client: TestClient) -> None:
    from peloton.navigator import relevance

    computations = client.app.state.computations  # type: ignore[attr-defined]
    memo = relevance.MEMO
    rng = random.Random(4)
    for _ in range(ROUNDS):
        assert cheap_request(client, rng).status_code == 200
    assert 0 < len(computations.items) <= computations.limit
    assert len(memo.items) <= memo.limit


def test_reformed_systems_do_not_outlive_the_reform_cache(client: TestClient) -> None:
    """Checks under more distinct reforms than the builder keeps: only that many reformed systems
    stay alive (OpenFisca's class-wide memo of the parameters at an instant kept up to 128)."""
    from openfisca_core.taxbenefitsystems import TaxBenefitSystem

    from peloton.model.reforms.builder import REFORM_SYSTEMS_KEPT

    rng = random.Random(5)
    for n in range(REFORM_SYSTEMS_KEPT + 12):
        body = {**random_profile(rng), "reform": random_reform(rng)}
        body["reform"]["name"] = f"reform {n}"  # distinct even when the drawn value repeats
        assert client.post("/check", json=body).status_code == 200
    gc.collect()
    alive = [o for o in gc.get_objects() if isinstance(o, TaxBenefitSystem) and o.baseline is not None]
    assert len(alive) <= REFORM_SYSTEMS_KEPT
