"""Simulation jobs: a bounded process pool (one job at a time per core), a bounded queue, and results
cached on disk under $PELOTON_HOME/api-cache/<id>/ keyed by a content hash of the canonical request
and the rules version, so identical requests share one job and one result, across restarts too.

A job's folder is written under a temporary name and renamed into place: a folder that exists is a
whole result. A failure is kept as <id>.failed.json (also written atomically), with its reason.
"""

from __future__ import annotations

import contextlib
import functools
import json
import multiprocessing
import os
import shutil
import signal
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from peloton.api.atomic import write_json_atomically
from peloton.api.versions import input_hash, rules_version

ID_LENGTH = 32
TABLES = ("schemes", "breakdown", "difference", "winners_losers")
JOB_TIME_LIMIT = 900  # seconds a simulation job may run (the default population takes a few)
INTERRUPTED = "interrupted: the server stopped during the job; submit the same request again to rerun it"


def cache_root() -> Path:
    """$PELOTON_HOME/api-cache, else beside the populations in the XDG data dir."""
    home = os.environ.get("PELOTON_HOME")
    base = Path(home) if home else Path.home() / ".local" / "share" / "peloton"
    return base / "api-cache"


def population_key(request: dict[str, Any]) -> str:
    """What the population of a request is, by content: an upload's id is the hash of its bytes; the
    synthetic population's cache name holds its year, size, seed, generator version and data digest."""
    if request.get("population", "synthetic") != "synthetic":
        return str(request["population"])
    from peloton.simulate import synthetic
    from peloton.simulate.defaults import DEFAULT_RECORDS, DEFAULT_SEED

    records = int(request.get("records") or DEFAULT_RECORDS)
    seed = int(request.get("seed") or DEFAULT_SEED)
    if request.get("years"):
        from peloton.simulate.window import parse_years

        years = parse_years(str(request["years"]))
    else:
        years = [int(request["year"])]
    return ",".join(synthetic.cache_path(year, records, seed).name for year in years)


def job_id(request: dict[str, Any]) -> str:
    """The content hash of a job: its canonical request, its population and the rules version."""
    key = {"request": request, "population": population_key(request), "rules_version": rules_version()}
    return input_hash(key)[:ID_LENGTH]


def valid_id(text: str) -> bool:
    return len(text) == ID_LENGTH and all(c in "0123456789abcdef" for c in text)


class ProgressFile:
    """A running job's progress, written by the worker beside its folder (atomically, at most a few
    times a second) and read by the status route: what is done of how much, since when."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.started = time.time()
        self.last = 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.time()
        if now - self.last < 0.2 and done < total:
            return
        self.last = now
        with contextlib.suppress(OSError):
            write_json_atomically(
                self.path,
                {"stage": stage, "done": done, "total": total, "started": self.started, "updated": now},
            )


def read_progress(path: Path) -> dict[str, Any] | None:
    """Percent done and the estimated seconds left, from a job's progress file (None if none)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        done, total = int(data["done"]), int(data["total"])
        elapsed = float(data["updated"]) - float(data["started"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    share = min(1.0, done / total) if total > 0 else 0.0
    eta = elapsed * (1 - share) / share if share > 0 else None
    return {
        "stage": str(data.get("stage", "")),
        "percent": round(100 * share, 1),
        "eta_seconds": None if eta is None else round(eta, 1),
    }


def _compute(request: dict[str, Any], population: str | None, tmp: Path, progress: ProgressFile) -> None:
    """The simulation a request asks for, exported to `tmp` with its results.json: one year (the
    tables of `peloton simulate --json`), a sweep or a window of years (their JSON and CSVs)."""
    from peloton.simulate import synthetic
    from peloton.simulate.population import PopulationFile

    reform = request.get("reform")
    if request.get("sweep") or request.get("years"):
        from peloton.simulate.study import StudyOptions
        from peloton.simulate.sweep import export_sweep, run_sweep
        from peloton.simulate.window import export_window, run_window

        options = StudyOptions(
            population=Path(population) if population else None,
            records=int(request.get("records") or 0) or StudyOptions.records,
            seed=int(request.get("seed") or 0) or StudyOptions.seed,
            workers=1,  # already in a worker of the job pool: no pool inside it
        )
        if request.get("sweep"):
            payload = run_sweep(
                int(request["year"]), str(request["sweep"]), reform, options, progress=progress
            )
        else:
            payload = run_window(str(request["years"]), reform, options, progress=progress)
        (export_sweep if request.get("sweep") else export_window)(payload, tmp, False)
        write_json_atomically(tmp / "results.json", payload)
        return
    from peloton.model.reforms import parse_reform
    from peloton.simulate.evaluation import Plan
    from peloton.simulate.results import export, simulate

    spec = parse_reform(reform, source="request") if reform is not None else None
    plan = Plan(year=int(request["year"]), reform=spec)
    if population is None:
        progress("generating the synthetic population", 0, 1)
        path = synthetic.ensure(plan.year, int(request["records"]), int(request["seed"]))
        source = PopulationFile(path, kind="synthetic")
        info = source.synthetic_info()
    else:
        source = PopulationFile(Path(population), kind="user")
        info = source.validate()
    done = 0

    def on_chunk(records: int) -> None:
        nonlocal done
        done += records
        progress("simulating", done, info.records)

    results = simulate(source, info, plan, on_chunk=on_chunk)
    export(results, tmp)


class JobTimeout(Exception):
    """The job ran past its time limit."""


def _time_out(signum: int, frame: Any) -> None:
    raise JobTimeout


def run_job(
    request: dict[str, Any], folder: str, population: str | None = None, time_limit: int = JOB_TIME_LIMIT
) -> str:
    """In a worker process: the population (the synthetic one, or the uploaded file at `population`),
    the simulation and its exports (as `peloton simulate --json --no-charts`), written to `folder`
    atomically; progress beside it. Returns "done" or the reason. A job still running after
    `time_limit` seconds is stopped by an alarm signal in the worker (which then takes the next job)."""
    from peloton.errors import InputError

    signal.signal(signal.SIGALRM, _time_out)
    signal.alarm(max(1, int(time_limit)))
    final = Path(folder)
    tmp = final.with_name(f".{final.name}.{os.getpid()}.tmp")
    progress = ProgressFile(final.with_name(f"{final.name}.progress.json"))
    try:
        shutil.rmtree(tmp, ignore_errors=True)
        _compute(request, population, tmp, progress)
        if final.exists():  # another process finished the same job first: same content
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            os.replace(tmp, final)
        return "done"
    except InputError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        return str(exc)
    except JobTimeout:
        shutil.rmtree(tmp, ignore_errors=True)
        return f"stopped: the simulation ran past the time limit of {time_limit:,} seconds"
    finally:
        signal.alarm(0)
        with contextlib.suppress(OSError):
            progress.path.unlink()


@dataclass
class Job:
    id: str
    request: dict[str, Any]
    future: Future[str] | None = None
    reason: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


class QueueFull(Exception):
    """More jobs are waiting than the queue holds."""


class JobStore:
    """The jobs of this process and the results on disk."""

    def __init__(
        self,
        root: Path | None = None,
        workers: int | None = None,
        queue_limit: int = 4,
        time_limit: int = JOB_TIME_LIMIT,
    ) -> None:
        self.root = root or cache_root()
        self.time_limit = time_limit
        self.workers = workers or max(1, os.cpu_count() or 1)
        self.queue_limit = queue_limit
        self.jobs: dict[str, Job] = {}
        self.lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None

    def executor(self) -> ProcessPoolExecutor:
        if self._executor is None:
            context = multiprocessing.get_context("spawn")  # no fork of a threaded server
            self._executor = ProcessPoolExecutor(max_workers=self.workers, mp_context=context)
        return self._executor

    def shutdown(self) -> None:
        """Stop the pool and its worker processes: a worker left waiting on its queue would outlive
        the server. An unfinished job leaves only a temporary folder; its request can be sent again."""
        if self._executor is None:
            return
        processes = list(getattr(self._executor, "_processes", {}).values())
        self._executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join(timeout=5)
        self._executor = None

    def folder(self, job: str) -> Path:
        return self.root / job

    def failed_file(self, job: str) -> Path:
        return self.root / f"{job}.failed.json"

    def active(self) -> int:
        return sum(1 for j in self.jobs.values() if j.future is not None and not j.future.done())

    def submit(self, request: dict[str, Any], population: Path | None = None) -> tuple[str, bool]:
        """The job id of `request` and whether a new job was started for it; `population` is the
        uploaded file the request names (None for the synthetic population)."""
        job = job_id(request)
        with self.lock:
            state, reason = self.status(job)
            if state != "unknown" and reason != INTERRUPTED:
                return job, False
            if self.active() >= self.workers + self.queue_limit:
                raise QueueFull
            self.root.mkdir(parents=True, exist_ok=True)
            write_json_atomically(self.root / f"{job}.request.json", request)
            entry = Job(job, request)
            path = None if population is None else str(population)
            entry.future = self.executor().submit(
                run_job, request, str(self.folder(job)), path, self.time_limit
            )
            entry.future.add_done_callback(functools.partial(self._finished, job))
            self.jobs[job] = entry
        return job, True

    def _finished(self, job: str, future: Future[str]) -> None:
        try:
            outcome = future.result()
        except Exception as exc:  # a worker that died, or a bug in the job
            outcome = f"the simulation stopped: {type(exc).__name__}: {str(exc)[:200]}"
        if outcome != "done":
            with contextlib.suppress(OSError):
                write_json_atomically(self.failed_file(job), {"reason": outcome})
            self.jobs[job].reason = outcome

    def status(self, job: str) -> tuple[str, str]:
        """("queued" | "running" | "done" | "failed" | "unknown", reason)."""
        if (self.folder(job) / "results.json").exists():
            return "done", ""
        if self.failed_file(job).exists():
            try:
                reason = str(json.loads(self.failed_file(job).read_text(encoding="utf-8"))["reason"])
            except (OSError, ValueError, KeyError):
                reason = "failed"
            return "failed", reason
        entry = self.jobs.get(job)
        if entry is None or entry.future is None:
            if (self.root / f"{job}.request.json").exists():  # accepted before a restart, never finished
                return "failed", INTERRUPTED
            return "unknown", ""
        if entry.future.done():
            return ("failed", entry.reason or "failed") if entry.reason else ("done", "")
        return ("running" if entry.future.running() else "queued"), ""

    def request_of(self, job: str) -> dict[str, Any] | None:
        path = self.root / f"{job}.request.json"
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data

    def results(self, job: str) -> Any:
        return json.loads((self.folder(job) / "results.json").read_text(encoding="utf-8"))

    def delete(self, job: str) -> bool:
        """Delete a finished or failed job: its results, its request and its failure record. A job
        still queued or running is not deleted (False)."""
        entry = self.jobs.get(job)
        if entry is not None and entry.future is not None and not entry.future.done():
            return False
        shutil.rmtree(self.folder(job), ignore_errors=True)
        for path in (self.root / f"{job}.request.json", self.failed_file(job)):
            with contextlib.suppress(OSError):
                path.unlink()
        self.jobs.pop(job, None)
        return True

    def requests(self) -> list[dict[str, Any]]:
        """The requests of every job kept on disk."""
        found = []
        for path in self.root.glob("*.request.json"):
            with contextlib.suppress(OSError, ValueError):
                found.append(json.loads(path.read_text(encoding="utf-8")))
        return found

    def tables(self, job: str) -> list[str]:
        """The CSV tables of a finished job: a year's (TABLES, in that order), a sweep's or a window's."""
        found = sorted(p.stem for p in self.folder(job).glob("*.csv"))
        return [t for t in TABLES if t in found] + [t for t in found if t not in TABLES]

    def progress(self, job: str) -> dict[str, Any] | None:
        return read_progress(self.root / f"{job}.progress.json")
