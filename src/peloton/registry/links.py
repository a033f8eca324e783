"""Which supported projects the registry holds per catalog scheme: what `peloton stats schemes` and a
scheme page show next to a scheme's use, so the money can be followed to the projects it paid for.

Before a registry file exists, reading means building the bundled snapshot in memory (about a
second); its counts cannot change within a process, so they are built once and kept."""

from __future__ import annotations

from functools import cache
from typing import Any

from peloton.registry.store import RegistryStore, default_registry_path

COUNTS = (
    "SELECT scheme_id, source, count(*), coalesce(sum(amount), 0), min(year), max(year) "
    "FROM projects WHERE scheme_id IS NOT NULL GROUP BY scheme_id, source ORDER BY scheme_id, source"
)


def _document(scheme_id: str, rows: list[tuple[Any, ...]]) -> dict[str, Any]:
    by_source = [
        {"source": s, "projects": int(n), "amount_eur": float(a), "first_year": y0, "last_year": y1}
        for s, n, a, y0, y1 in rows
    ]
    return {
        "scheme": scheme_id,
        "projects": sum(r["projects"] for r in by_source),
        "by_source": by_source,
        "search": f"peloton registry search QUERY --scheme {scheme_id}",
    }


def _counts(opened: RegistryStore) -> dict[str, list[tuple[Any, ...]]]:
    """Per scheme id: (source, projects, amount, first year, last year) rows."""
    found: dict[str, list[tuple[Any, ...]]] = {}
    for scheme_id, *row in opened.con.execute(COUNTS).fetchall():
        found.setdefault(str(scheme_id), []).append(tuple(row))
    return found


@cache
def _bundled_counts() -> dict[str, list[tuple[Any, ...]]]:
    with RegistryStore.open(read_only=True) as opened:
        return _counts(opened)


def scheme_projects(scheme_id: str, store: RegistryStore | None = None) -> dict[str, Any]:
    """Projects and money the registry links to one catalog scheme, by source; zero when none."""
    if store is not None:
        return _document(scheme_id, _counts(store).get(scheme_id, []))
    if not default_registry_path().exists():
        return _document(scheme_id, _bundled_counts().get(scheme_id, []))
    with RegistryStore.open(read_only=True) as opened:
        return _document(scheme_id, _counts(opened).get(scheme_id, []))
