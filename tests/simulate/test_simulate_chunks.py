"""Chunked evaluation: any chunk size, any merge order, the same results to the cent."""

from __future__ import annotations

from functools import reduce
from pathlib import Path
from typing import Any

import numpy as np

from peloton.model.reforms import load_reform
from peloton.simulate.evaluation import Partial, Plan, evaluate_chunk
from peloton.simulate.population import PopulationFile
from peloton.simulate.results import build_results, simulate

PROCES = Path(__file__).resolve().parents[2] / "examples" / "reforms" / "procesinnovatie_mkb.yaml"
BRACKET = PROCES.with_name("wbso_eerste_schijf_500k.yaml")


def _without_chunk_size(results: Any) -> dict[str, Any]:
    payload = results.as_dict()
    payload.pop("chunk_size")
    return payload


def test_chunked_equals_unchunked_exactly(population_2024: PopulationFile) -> None:
    info = population_2024.synthetic_info()
    for reform in (PROCES, BRACKET):
        plan = Plan(2025, load_reform(reform))
        whole = _without_chunk_size(simulate(population_2024, info, plan, chunk_size=20_000))
        for size in (6_999, 1_234):
            assert _without_chunk_size(simulate(population_2024, info, plan, chunk_size=size)) == whole


def test_merge_order_does_not_matter(population_2024: PopulationFile) -> None:
    plan = Plan(2025, load_reform(PROCES))
    partials = [evaluate_chunk(chunk, plan) for chunk in population_2024.chunks(5_000)]
    forward = reduce(Partial.merge, partials, Partial())
    backward = reduce(Partial.merge, reversed(partials), Partial())
    pairwise = partials[0].merge(partials[1]).merge(partials[2].merge(partials[3]))
    info = population_2024.synthetic_info()
    expected = build_results(forward, plan, info, 5_000).as_dict()
    assert build_results(backward, plan, info, 5_000).as_dict() == expected
    assert build_results(pairwise, plan, info, 5_000).as_dict() == expected


def test_sums_are_whole_units_in_float64(population_2024: PopulationFile) -> None:
    plan = Plan(2024)
    partial = next(iter([evaluate_chunk(c, plan) for c in population_2024.chunks(20_000)]))
    for array in partial.stats.values():
        assert array.dtype == np.float64
        assert (array == np.round(array)).all() and (np.abs(array) < 2**53).all()


def test_chunks_map_over_worker_processes(population_2024: PopulationFile) -> None:
    """The chunk function and its plan cross process boundaries unchanged (a distributed map)."""
    import pickle
    from concurrent.futures import ProcessPoolExecutor

    plan = pickle.loads(pickle.dumps(Plan(2025, load_reform(PROCES))))
    chunks = list(population_2024.chunks(5_000))
    with ProcessPoolExecutor(max_workers=2) as pool:
        parallel = reduce(Partial.merge, pool.map(evaluate_chunk, chunks, [plan] * len(chunks)), Partial())
    serial = reduce(Partial.merge, (evaluate_chunk(c, plan) for c in chunks), Partial())
    info = population_2024.synthetic_info()
    assert (
        build_results(parallel, plan, info, 5_000).as_dict()
        == build_results(serial, plan, info, 5_000).as_dict()
    )
