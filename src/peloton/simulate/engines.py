"""Where a study's (partition x plans) tasks run: in this process, on a local process pool, or on a Dask
distributed cluster. Every engine runs the same task function on the same tasks and the client merges
the exact partials (evaluation.Partial), so the results are identical to the cent whatever the engine,
the number of workers, the chunk size and the order in which tasks finish.

A task names its Parquet partition (file, first row, rows) rather than carrying the records: each
worker reads its own rows, so only small plans go out and small partials come back. On a cluster the
file must be at the same path on every worker (a shared file system); docs/scale.md says how.

Dask is an optional extra (`pip install 'peloton[dask]'`): it is imported only when asked for.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from peloton.errors import InputError
from peloton.simulate.evaluation import Partial, Plan, evaluate_plans
from peloton.simulate.population import PopulationFile

ENGINES = ("local", "dask")
SCHEDULER_ENV = "PELOTON_DASK_SCHEDULER"
DASK_RETRIES = 3  # a task whose worker raised is tried again; a lost worker's tasks are rescheduled


@dataclass(frozen=True)
class Task:
    """One partition of one year's population under a few plans of that year (one key per plan)."""

    path: str
    kind: str
    offset: int
    length: int
    plans: tuple[Plan, ...]
    keys: tuple[Hashable, ...]


def run_task(task: Task) -> list[tuple[Hashable, Partial]]:
    """In a worker: read the partition, evaluate it under every plan (the law baseline once)."""
    chunk = PopulationFile(Path(task.path), kind=task.kind).read_rows(task.offset, task.length)
    return list(zip(task.keys, evaluate_plans(chunk, task.plans), strict=True))


Results = Iterator[list[tuple[Hashable, Partial]]]


def _workers(workers: int | None) -> int:
    if workers is not None and workers < 1:
        raise InputError("workers", "must be at least 1")
    return workers or max(1, os.cpu_count() or 1)


@dataclass
class LocalEngine:
    """A process pool over this machine's cores (one process: the tasks run here, in order)."""

    workers: int

    name = "local"

    def describe(self) -> dict[str, Any]:
        return {"engine": self.name, "workers": self.workers}

    def run(self, tasks: list[Task]) -> Results:
        if self.workers == 1 or len(tasks) == 1:
            for task in tasks:
                yield run_task(task)
            return
        # forkserver (spawn where it is missing): no fork of a process that runs threads (a progress bar)
        method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        context = multiprocessing.get_context(method)
        if method == "forkserver":
            context.set_forkserver_preload(["peloton.simulate.engines"])
        with ProcessPoolExecutor(max_workers=min(self.workers, len(tasks)), mp_context=context) as pool:
            pending: set[Future[list[tuple[Hashable, Partial]]]] = {pool.submit(run_task, t) for t in tasks}
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield future.result()


@dataclass
class DaskEngine:
    """A Dask distributed cluster: the scheduler at `address`, or a LocalCluster of `workers` processes."""

    address: str | None
    workers: int

    name = "dask"

    def describe(self) -> dict[str, Any]:
        return {"engine": self.name, "scheduler": self.address or "LocalCluster", "workers": self.workers}

    def run(self, tasks: list[Task]) -> Results:
        distributed = _import_distributed()
        cluster = None
        if self.address:
            try:
                client = distributed.Client(self.address, timeout="20s")
            except (OSError, TimeoutError, ValueError) as exc:
                raise InputError(
                    "scheduler", f"cannot reach the Dask scheduler {self.address}: {exc}"
                ) from None
        else:
            # one thread per worker: OpenFisca's simulations are not made to share a process's threads
            cluster = distributed.LocalCluster(
                n_workers=self.workers, threads_per_worker=1, processes=True, dashboard_address=None
            )
            client = distributed.Client(cluster)
        try:
            yield from dask_results(client, tasks)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()


def dask_results(client: Any, tasks: list[Task]) -> Results:
    """Submit the tasks to a Dask client and yield their partials as they finish."""
    distributed = _import_distributed()
    futures = client.map(run_task, tasks, retries=DASK_RETRIES, pure=False)
    for future in distributed.as_completed(futures):
        yield future.result()
        future.release()


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise InputError(
            "engine", "dask needs the optional extra: pip install 'peloton[dask]' (dask and distributed)"
        ) from None
    return distributed


Engine = LocalEngine | DaskEngine


def engine_for(name: str = "local", scheduler: str | None = None, workers: int | None = None) -> Engine:
    """The engine by name; the Dask scheduler from `scheduler`, else $PELOTON_DASK_SCHEDULER."""
    if name not in ENGINES:
        raise InputError("engine", f"unknown engine {name[:40]!r}; allowed: {', '.join(ENGINES)}")
    if name == "local":
        if scheduler:
            raise InputError("scheduler", "a scheduler address is for --engine dask")
        return LocalEngine(_workers(workers))
    _import_distributed()
    return DaskEngine(scheduler or os.environ.get(SCHEDULER_ENV) or None, _workers(workers))


def merge_all(
    results: Iterable[list[tuple[Hashable, Partial]]],
    expected: Mapping[Hashable, int],
    on_complete: Callable[[Hashable, Partial], None],
    on_task: Callable[[], None] | None = None,
) -> None:
    """Merge each key's partials as tasks finish (exact, so the order of finishing does not matter);
    a key whose `expected` partials have all come is handed to `on_complete` and dropped, so the client
    holds only the plans still running, not every plan's sums (a study may have thousands)."""
    merged: dict[Hashable, Partial] = {}
    seen: dict[Hashable, int] = {}
    for pairs in results:
        for key, partial in pairs:
            merged[key] = merged[key].merge(partial) if key in merged else partial
            seen[key] = seen.get(key, 0) + 1
            if seen[key] == expected[key]:
                on_complete(key, merged.pop(key))
        if on_task is not None:
            on_task()
