"""A study: many plans (a sweep's steps, a window's years) over a population, run as (partition x plans)
tasks on an engine and merged into one ordinary `Results` per plan.

What sweeps and windows share lives here: the year check, the population of each year (the synthetic
one of that year, or the user's file for every year, a CSV converted once to Parquet so that workers
can read it at any offset), the cutting into tasks, and the merge. Each plan's result is built by
`results.build_results` from the same partial `peloton simulate` builds, so a step or a year of a
study is an ordinary simulation, to the cent.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from peloton.errors import InputError
from peloton.model.reforms import ReformSpec, parse_reform
from peloton.model.reforms.spec import read_reform_data
from peloton.simulate.defaults import DEFAULT_RECORDS, DEFAULT_SEED
from peloton.simulate.engines import Engine, Task, engine_for, merge_all
from peloton.simulate.evaluation import Partial, Plan
from peloton.simulate.population import DEFAULT_CHUNK_SIZE, PopulationFile, PopulationInfo, population_dir
from peloton.simulate.results import Results, build_results

TASKS_PER_WORKER = 4  # enough tasks that no worker waits long for the last one
Progress = Callable[[str, int, int], None]  # stage, done, total


def _silent(stage: str, done: int, total: int) -> None:
    del stage, done, total


def check_year(year: int) -> None:
    """Refuse a year the rules do not cover before any population is generated or read.

    Without this a year like 2099 runs until the first parameter lookup fails, with a message about
    a parameter instead of the year.
    """
    from peloton.catalog import covered_years, year_ranges

    years = covered_years()
    if year not in years:
        raise InputError("year", f"{year} is outside the years the rules cover ({year_ranges(years)})")


def reform_data(reform: Path | str | Mapping[str, Any] | None) -> tuple[dict[str, Any] | None, str]:
    """A reform as its mapping (a file is read as `peloton simulate --reform` reads it) and its source,
    validated whole first so that a mistake in it is reported as in a single run."""
    if reform is None:
        return None, ""
    if isinstance(reform, Mapping):
        data, source = dict(reform), "request"
    else:
        data, source = read_reform_data(Path(reform)), str(reform)
    parse_reform(data, source=source)
    return data, source


@dataclass(frozen=True)
class YearPopulation:
    source: PopulationFile
    info: PopulationInfo


def populations(
    years: list[int],
    population: Path | None,
    records: int,
    seed: int,
    chunk_size: int,
    progress: Progress = _silent,
) -> dict[int, YearPopulation]:
    """Each year's population as a Parquet file: the synthetic one of that year (generated once and
    cached), or the user's file, validated once and used for every year."""
    from peloton.simulate import synthetic

    if chunk_size < 1:
        raise InputError("chunk-size", "must be at least 1")
    out: dict[int, YearPopulation] = {}
    if population is None:
        for year in years:
            progress(f"synthetic population {year} ({records:,} records)", 0, 0)
            source = PopulationFile(synthetic.ensure(year, records, seed), kind="synthetic")
            out[year] = YearPopulation(source, source.synthetic_info())
        return out
    user = PopulationFile(Path(population), kind="user")
    progress(f"checking {user.path.name}", 0, 0)
    info = user.validate(chunk_size)
    if user.format != "parquet":
        digest = hashlib.sha256(user.path.read_bytes()).hexdigest()[:20]
        target = population_dir() / f"user-{digest}.parquet"
        if not target.exists():
            user.to_parquet(target, chunk_size)
        readable = PopulationFile(target, kind="user")
    else:
        readable = user
    for year in years:
        out[year] = YearPopulation(readable, info)
    return out


def tasks_for(
    plans: Mapping[Hashable, Plan], sources: Mapping[int, YearPopulation], chunk_size: int, workers: int
) -> list[Task]:
    """(partition x batch of plans) tasks, per year. A batch shares one law baseline per partition; with
    several workers the plans are cut into batches so that there are about TASKS_PER_WORKER tasks a
    worker (more tasks balance better, each batch costs one more baseline)."""
    by_year: dict[int, list[tuple[Hashable, Plan]]] = {}
    for key, plan in plans.items():
        by_year.setdefault(plan.year, []).append((key, plan))
    tasks: list[Task] = []
    for year, items in by_year.items():
        source = sources[year].source
        parts = source.partitions(chunk_size)
        batches = (
            1 if workers == 1 else max(1, min(len(items), math.ceil(TASKS_PER_WORKER * workers / len(parts))))
        )
        size = math.ceil(len(items) / batches)
        for start in range(0, len(items), size):
            batch = items[start : start + size]
            for offset, length in parts:
                tasks.append(
                    Task(
                        path=str(source.path),
                        kind=source.kind,
                        offset=offset,
                        length=length,
                        plans=tuple(p for _, p in batch),
                        keys=tuple(k for k, _ in batch),
                    )
                )
    return tasks


def run_plans(
    plans: Mapping[Hashable, Plan],
    sources: Mapping[int, YearPopulation],
    engine: Engine,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: Progress = _silent,
) -> tuple[dict[Hashable, Results], int]:
    """Every plan's Results (and the number of tasks run)."""
    tasks = tasks_for(plans, sources, chunk_size, engine.workers)
    done = 0
    progress("simulating", 0, len(tasks))

    def step() -> None:
        nonlocal done
        done += 1
        progress("simulating", done, len(tasks))

    expected: dict[Hashable, int] = {}
    for task in tasks:
        for key in task.keys:
            expected[key] = expected.get(key, 0) + 1
    out: dict[Hashable, Results] = {}

    def complete(key: Hashable, partial: Partial) -> None:
        if partial.records == 0:
            raise InputError("population", "no records")
        plan = plans[key]
        out[key] = build_results(partial, plan, sources[plan.year].info, chunk_size)

    merge_all(engine.run(tasks), expected, complete, on_task=step)
    missing = [key for key in plans if key not in out]
    if missing:
        raise InputError("population", "no records")
    return out, len(tasks)


@dataclass(frozen=True)
class StudyOptions:
    """Where and how a study runs: the population, its chunks and the engine."""

    population: Path | None = None
    records: int = DEFAULT_RECORDS
    seed: int = DEFAULT_SEED
    chunk_size: int = DEFAULT_CHUNK_SIZE
    engine: str = "local"
    scheduler: str | None = None
    workers: int | None = None

    def make_engine(self) -> Engine:
        return engine_for(self.engine, self.scheduler, self.workers)


def run_study(
    plans: Mapping[Hashable, Plan], options: StudyOptions, progress: Progress = _silent
) -> tuple[dict[Hashable, Results], dict[str, Any]]:
    """Populations, engine, tasks: each plan's Results, and what ran them (engine, workers, tasks)."""
    engine = options.make_engine()
    years = sorted({p.year for p in plans.values()})
    sources = populations(
        years, options.population, options.records, options.seed, options.chunk_size, progress
    )
    results, tasks = run_plans(plans, sources, engine, options.chunk_size, progress)
    return results, {**engine.describe(), "tasks": tasks, "chunk_size": options.chunk_size}


def reform_of(data: Mapping[str, Any] | None, source: str) -> ReformSpec | None:
    return None if data is None else parse_reform(data, source=source)
