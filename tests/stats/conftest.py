"""Shared fixtures of the stats tests: a private store per test session, and a replaying HTTP session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from stats_replay import FIXTURES, ReplaySession

from peloton.stats.store import Store


@pytest.fixture(autouse=True)
def _private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test writes to the user's home: PELOTON_HOME points at a temporary directory."""
    monkeypatch.setenv("PELOTON_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("PELOTON_STORE", raising=False)


@pytest.fixture(scope="session")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store file filled from the snapshot once per session (tests open it read-only)."""
    path = tmp_path_factory.mktemp("store") / "stats.duckdb"
    Store.open(path).close()
    return path


@pytest.fixture
def store(store_path: Path) -> Iterator[Store]:
    with Store.open(store_path, read_only=True) as st:
        yield st


@pytest.fixture
def fresh_store(tmp_path: Path) -> Iterator[Store]:
    """A writable store of its own, for tests that update."""
    with Store.open(tmp_path / "w.duckdb") as st:
        yield st


@pytest.fixture
def replay() -> type[ReplaySession]:
    """A session factory replaying the 81431ned fixture; `.log` lists the URLs requested."""

    class Replay(ReplaySession):
        log: ClassVar[list[str]] = []

        def __init__(self) -> None:
            super().__init__(FIXTURES / "odata_81431ned")

    return Replay
