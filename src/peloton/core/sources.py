"""Official or secondary: every reference a parameter value cites is labelled, and the official ones
come first wherever a source is shown (official_sources.yaml says which hosts are official and why)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import resources
from urllib.parse import urlparse

import yaml


@cache
def _official() -> tuple[tuple[str, ...], tuple[str, ...]]:
    text = resources.files("peloton.core").joinpath("official_sources.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    return tuple(raw["hosts"]), tuple(raw.get("copies", []))


def is_official(reference: str) -> bool:
    """True for a primary official text (wetten.overheid.nl, Staatscourant, rvo.nl, ...)."""
    hosts, copies = _official()
    parsed = urlparse(reference.strip())
    host = (parsed.hostname or "").lower().removeprefix("www.")
    if any(host == h or host.endswith("." + h) for h in hosts):
        return True
    where = f"{host}{parsed.path}"
    return any(where.startswith(c) for c in copies)


def official_first(references: Iterable[str]) -> tuple[str, ...]:
    """The references, official ones first, each group in its own order, without repeats."""
    unique = list(dict.fromkeys(references))
    return tuple([r for r in unique if is_official(r)] + [r for r in unique if not is_official(r)])
