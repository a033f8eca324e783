"""What every response says about the code and the rules that made it, and the input hash of a
computation: a client can cache or compare results knowing which rules produced them."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

import peloton

MODEL_DIR = Path(__file__).resolve().parents[1] / "model"


def peloton_version() -> str:
    return peloton.__version__


@cache
def rules_version() -> str:
    """A hash of the parameter and variable files of the rules model, computed once per process:
    it changes exactly when an amount, a date or a formula changes."""
    digest = hashlib.sha256()
    for folder in ("parameters", "variables"):
        for path in sorted((MODEL_DIR / folder).rglob("*")):
            if path.is_file() and path.suffix in (".yaml", ".yml", ".py"):
                digest.update(path.relative_to(MODEL_DIR).as_posix().encode())
                digest.update(b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def canonical_json(data: Any) -> str:
    """One spelling of a JSON value: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def input_hash(data: Any) -> str:
    """sha256 of the canonical JSON of a request (route, query and body)."""
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


def version_headers() -> dict[str, str]:
    """The headers every response carries."""
    return {"X-Peloton-Version": peloton_version(), "X-Peloton-Rules-Version": rules_version()}
