"""Build the bundled registry snapshot (snapshot/projects.parquet + meta.json) from ../shared.

Why a build step: the registry must work offline on a fresh machine without ../shared, so the two
real files (Europa om de hoek 2007-2013, clean, with its U+FFFD damage repaired from the raw 2016
export; and the Rijksbegroting subsidy payments of 2015) are read once through the same importer a
user runs, and the records are committed as one compressed Parquet file. Run by a developer:
``python -m peloton.registry.snapshot_build ../shared/reference/registry``; the store never imports
this module.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from peloton.registry.importer import read_source
from peloton.registry.records import COLUMNS, FIELDS

SNAPSHOT_DIR = Path(__file__).parent / "snapshot"
SNAPSHOT_VERSION = "2026-12-01.1"

# provenance of the two files, from their .source.md in ../shared/reference/registry
BUNDLED: list[dict[str, Any]] = [
    {
        "source": "europaomdehoek_2007_2013",
        "format": "europaomdehoek",
        "file": "europaomdehoek_2007_2013.csv",
        "repair_from": "europaomdehoek_2007_2013_raw_2016.csv",
        "table_version": (
            "Europa om de hoek export of Feb-Apr 2016 (last update 11.02.2016), cleaned 2017 by OpenSpending "
            "os-data/eu-structural-funds (file commit 9513984a, 2017-04-11)"
        ),
        "retrieved_at": "2023-05-31 (os-data/eu-structural-funds HEAD 6ffe5ddb)",
    },
    {
        "source": "rijksbegroting_subsidieontvangers_2015",
        "format": "rijksbegroting",
        "file": "rijksbegroting_subsidieontvangers_2015.csv",
        "repair_from": None,
        "table_version": (
            "Rijksbegroting open data, subsidieoverzicht 2015 (realisatie), Open State compilation 2016-05-25"
        ),
        "retrieved_at": "2023-03-29 (openstate/datasets HEAD d1036123)",
    },
]


def build(reference: Path) -> dict[str, Any]:
    """Read the bundled files and write the snapshot; returns its metadata."""
    rows: list[dict[str, Any]] = []
    sources = []
    for spec in BUNDLED:
        repair = reference / spec["repair_from"] if spec["repair_from"] else None
        parsed, report = read_source(reference / spec["file"], spec["format"], repair_from=repair)
        for rec in parsed.records:
            rows.append({**rec, "source": spec["source"], "source_file": spec["file"]})
        sources.append(
            {
                "source": spec["source"],
                "format": spec["format"],
                "source_file": spec["file"],
                "sha256": parsed.sha256,
                "table_version": spec["table_version"],
                "retrieved_at": spec["retrieved_at"],
                "rows": len(parsed.records),
                "problems": [{"line": p.line, "problem": p.problem} for p in parsed.problems],
                "repair": report.as_dict() if report else None,
                "notes": report.summary() if report else "",
            }
        )
    keep = ["source", "source_file", "source_row", "source_line", *FIELDS]
    types = {"text": pa.string(), "amount": pa.float64(), "percentage": pa.float64(), "date": pa.date32()}
    schema = pa.schema(
        [
            pa.field(c, pa.string())
            if c in ("source", "source_file")
            else pa.field(c, pa.int32())
            if c in ("source_row", "source_line") or FIELDS.get(c) == "year"
            else pa.field(c, types[FIELDS[c]])
            for c in keep
        ]
    )
    table = pa.Table.from_pylist([{c: r.get(c) for c in keep} for r in rows], schema=schema)
    SNAPSHOT_DIR.mkdir(exist_ok=True)
    pq.write_table(table, SNAPSHOT_DIR / "projects.parquet", compression="zstd", compression_level=19)
    meta = {
        "snapshot_version": SNAPSHOT_VERSION,
        "columns": [c for c in COLUMNS if c in keep],
        "sources": sources,
    }
    (SNAPSHOT_DIR / "meta.json").write_text(
        json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return meta


if __name__ == "__main__":
    ref = (
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else Path(__file__).resolve().parents[4].parent / "shared/reference/registry"
    )
    built = build(ref)
    for s in built["sources"]:
        print(s["source"], s["rows"], "rows,", len(s["problems"]), "problems;", s["notes"])
