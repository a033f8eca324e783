"""Which supported projects the registry holds per catalog scheme: what `peloton stats schemes` and a
scheme page show next to a scheme's use, so the money can be followed to the projects it paid for."""

from __future__ import annotations

from typing import Any

from peloton.registry.store import RegistryStore


def scheme_projects(scheme_id: str, store: RegistryStore | None = None) -> dict[str, Any]:
    """Projects and money the registry links to one catalog scheme, by source; zero when none."""

    def count(opened: RegistryStore) -> dict[str, Any]:
        rows = opened.con.execute(
            "SELECT source, count(*), coalesce(sum(amount), 0), min(year), max(year) "
            "FROM projects WHERE scheme_id = ? GROUP BY source ORDER BY source",
            [scheme_id],
        ).fetchall()
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

    if store is not None:
        return count(store)
    with RegistryStore.open(read_only=True) as opened:
        return count(opened)
