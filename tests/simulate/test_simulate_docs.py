"""docs/population.md: its streaming example runs, and it names every target of targets.yaml."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from peloton.simulate.calibration import REFERENCE_YEARS

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "population.md"


def test_streaming_example_runs(
    make_population, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    code = re.search(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert code is not None
    shutil.copy(make_population(2024, 3_000), tmp_path / "firms.parquet")
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    exec(compile(code.group(1), str(DOC), "exec"), {})
    printed = capsys.readouterr().out.strip()
    assert float(printed.replace(",", "")) > 0


def test_doc_lists_targets_sources_and_years() -> None:
    text = DOC.read_text(encoding="utf-8")
    for needle in (
        "81588NED",
        "usage_statistics.yaml",
        "targets.yaml",
        "assumptions.yaml",
        "parameters/takeup/",
    ):
        assert needle in text
    assert f"{REFERENCE_YEARS[0]}-{REFERENCE_YEARS[-1]}" in text
    for figure in ("20,340", "20,339", "19,484", "1,330 / 20,340", "2,316,555"):
        assert figure in text
    for figure in ("3,200", "2,700 SME / 500 large", "1.9 bn", "80%", "95%", "2,898 m"):
        assert figure in text
