"""Shared fixtures: paths to the repo, its examples and ../shared (present in CI beside the clone)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
SHARED = REPO.parent / "shared"


def peloton_bin() -> list[str]:
    """The installed `peloton` script next to this interpreter, or `python -m peloton.cli`."""
    script = Path(sys.executable).with_name("peloton")
    if script.exists():
        return [str(script)]
    found = shutil.which("peloton")
    return [found] if found else [sys.executable, "-m", "peloton.cli"]


@pytest.fixture
def run_cli(tmp_path: Path):
    """Run the real CLI in a subprocess, with a private PELOTON_HOME."""

    def run(*args: str, check: bool = False) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PELOTON_HOME": str(tmp_path / "home"), "COLUMNS": "200"}
        result = subprocess.run(
            [*peloton_bin(), *args], capture_output=True, text=True, env=env, cwd=REPO, timeout=300
        )
        if check and result.returncode != 0:
            raise AssertionError(f"peloton {' '.join(args)} failed: {result.stderr}")
        return result

    return run
