"""The scheme catalog, read once from schemes.yaml so that every interface names schemes alike."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True)
class Scheme:
    """One scheme or programme as the catalog knows it; amounts live in the rules model."""

    id: str
    name: str
    kind: str
    legal_kind: str
    owner: str
    target_group: str
    regions: tuple[str, ...]
    years: tuple[int, ...]
    aliases: tuple[str, ...]
    links: tuple[str, ...]
    full_name: str = ""
    members: tuple[str, ...] = field(default_factory=tuple)
    allocation: str = "entitlement"  # entitlement | first_come | lottery | tender | open_calls
    allocation_note: str = ""
    allocation_source: str = ""

    @property
    def certainty(self) -> str:
        """An entitlement is certain when the conditions are met; a budget handed out otherwise
        gives an eligible firm a chance, not a promise."""
        return "entitlement" if self.allocation == "entitlement" else "chance"

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "full_name": self.full_name or self.name,
            "kind": self.kind,
            "legal_kind": self.legal_kind,
            "owner": self.owner,
            "target_group": self.target_group,
            "regions": list(self.regions),
            "years": list(self.years),
            "aliases": list(self.aliases),
            "links": list(self.links),
            "members": list(self.members),
            "allocation": self.allocation,
            "allocation_note": self.allocation_note,
            "allocation_source": self.allocation_source,
            "certainty": self.certainty,
        }


def year_ranges(years: tuple[int, ...] | list[int]) -> str:
    """Years as runs, "2020, 2024-2026": a bare min-max would claim years the rules do not compute."""
    ordered = sorted(set(years))
    if not ordered:
        return "-"
    runs: list[tuple[int, int]] = []
    for year in ordered:
        if runs and year == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], year)
        else:
            runs.append((year, year))
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)


@cache
def _catalog_file() -> dict[str, Any]:
    text = resources.files("peloton.catalog").joinpath("schemes.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


@cache
def load_catalog() -> tuple[Scheme, ...]:
    raw = _catalog_file()["schemes"]
    return tuple(
        Scheme(
            id=entry["id"],
            name=entry["name"],
            kind=entry["kind"],
            legal_kind=entry["legal_kind"],
            owner=entry["owner"],
            target_group=entry["target_group"],
            regions=tuple(entry.get("regions", [])),
            years=tuple(entry.get("years", [])),
            aliases=tuple(entry.get("aliases", [])),
            links=tuple(entry.get("links", [])),
            full_name=entry.get("full_name", ""),
            members=tuple(entry.get("members", [])),
            allocation=entry.get("allocation", {}).get("kind", "entitlement"),
            allocation_note=entry.get("allocation", {}).get("note", ""),
            allocation_source=entry.get("allocation", {}).get("source", ""),
        )
        for entry in raw
    )


@dataclass(frozen=True)
class Combination:
    """A rule about claiming two schemes together, with its source."""

    schemes: tuple[str, ...]
    rule: str
    source: str
    confidence: str


@cache
def load_combinations() -> tuple[Combination, ...]:
    raw = _catalog_file().get("combinations", [])
    return tuple(
        Combination(
            schemes=tuple(entry["schemes"]),
            rule=" ".join(str(entry["rule"]).split()),
            source=entry["source"],
            confidence=entry["confidence"],
        )
        for entry in raw
    )


def covered_years() -> tuple[int, ...]:
    """Years for which the rules compute at least one scheme: the union of the catalog's years."""
    return tuple(sorted({y for scheme in load_catalog() for y in scheme.years}))


def get_scheme(scheme_id: str) -> Scheme:
    for scheme in load_catalog():
        if scheme.id == scheme_id:
            return scheme
    known = ", ".join(s.id for s in load_catalog())
    raise KeyError(f"unknown scheme id {scheme_id!r}; known: {known}")
