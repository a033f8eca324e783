"""Every stored record as CSV or JSON, with provenance and the innovation kind and its reason.

The CSV header uses the registry's own field names, so an export imports again with
`--format csv` (a round trip the tests check).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

from peloton.errors import InputError
from peloton.registry.records import COLUMNS
from peloton.registry.store import RegistryStore

# export order: provenance first, then what a reader looks for, then the rest
EXPORT_COLUMNS: tuple[str, ...] = (
    "source",
    "source_row",
    "beneficiary",
    "title",
    "fund",
    "scheme",
    "scheme_id",
    "eu_amount",
    "public_amount",
    "private_amount",
    "total_cost",
    "amount",
    "innovation_kind",
    "kind_reason",
    *(
        c
        for c in COLUMNS
        if c
        not in {
            "source",
            "source_row",
            "beneficiary",
            "title",
            "fund",
            "scheme",
            "scheme_id",
            "eu_amount",
            "public_amount",
            "private_amount",
            "total_cost",
            "amount",
            "innovation_kind",
            "kind_reason",
            "imported_at",
        }
    ),
)


def export_records(store: RegistryStore, source: str | None = None) -> list[dict[str, Any]]:
    """Records of one source (or all), in source and row order, in export column order."""
    if source is not None:
        known = {s["source"] for s in store.sources()}
        if source not in known:
            raise InputError(
                "--source", f"{source!r} is not in the registry; known: {', '.join(sorted(known))}"
            )
    records = store.records("source = ?", [source]) if source else store.records()
    return [{c: r[c] for c in EXPORT_COLUMNS} for r in records]


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def to_csv(records: list[dict[str, Any]]) -> str:
    """CSV text with the export header; empty cells for missing values."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(EXPORT_COLUMNS), lineterminator="\n")
    writer.writeheader()
    for r in records:
        writer.writerow({k: "" if v is None else _plain(v) for k, v in r.items()})
    return buf.getvalue()


def to_json(records: list[dict[str, Any]]) -> str:
    """A JSON array of records (dates as ISO strings, missing values as null)."""
    return json.dumps([{k: _plain(v) for k, v in r.items()} for r in records], ensure_ascii=False, indent=1)
