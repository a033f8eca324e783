"""Live CBS StatLine client (OData v3 through ``cbsodata``) that turns tables into store rows.

Why this shape:
* ``cbsodata.get_data()`` replaces dimension codes by labels and fails to map padded codes, so we use
  ``cbsodata.download_data(typed=True)``, which returns the raw code lists, DataProperties and
  TypedDataSet; we join codes ourselves after stripping the trailing spaces CBS pads keys with.
* Measure keys differ per table version (``Banen_1`` ...) and the current tables' keys were never
  seen offline, so measures are resolved from DataProperties by key or by words in their title.
* Tests replay recorded OData responses through this same code by passing ``session_factory``,
  which stands in for the ``requests.Session`` that cbsodata opens for every request.
* A whole table is fetched before anything is written; all series are then replaced in one
  transaction, so a dropped connection never leaves a half-updated store or mixed table versions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import cbsodata
import cbsodata.cbsodata3 as cbs3
import requests

from peloton.stats.measures import MEASURES
from peloton.stats.store import Store

SECTOR_DIM = "BedrijfstakkenBranchesSBI2008"
_SECTION = re.compile(r"^([A-U](?:-[A-U])?)\s")


@dataclass(frozen=True)
class MeasureSpec:
    """How to find one measure column: by its key, or by words that all occur in its (group) title."""

    measure: str
    keys: tuple[str, ...] = ()
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableSpec:
    """One CBS table to fetch and which columns become which measure ids."""

    table_id: str
    measures: tuple[MeasureSpec, ...]
    period_kind: str = "year"  # "year" keeps YYYYJJ00 rows, "quarter" keeps YYYYKWnn rows
    commercial_total_only: bool = False  # 84546NED: keep only the commercial-sector aggregate (sector "")


TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "81431ned",
        (
            MeasureSpec("employee_jobs", keys=("Banen_1",), words=("banen",)),
            MeasureSpec("employee_labour_volume", keys=("Arbeidsvolume_2",), words=("arbeidsvolume",)),
        ),
    ),
    TableSpec(
        "85918NED",
        (
            MeasureSpec("jobs_na_85918ned", words=("banen",)),
            MeasureSpec("hours_na_85918ned", words=("gewerkte uren",)),
        ),
    ),
    TableSpec("85867NED", (MeasureSpec("value_added_2021prices", words=("toegevoegde waarde", "2021")),)),
    TableSpec(
        "84546NED",
        (
            MeasureSpec("ga_value_added", words=("toegevoegde waarde",)),
            MeasureSpec("ga_contrib_hours", words=("bijdrage uren",)),
            MeasureSpec("ga_contrib_mfp", words=("multifactorproductiviteit",)),
        ),
        commercial_total_only=True,
    ),
    TableSpec(
        "81589NED", (MeasureSpec("firms_total_81589ned", words=("totaal bedrijven",)),), period_kind="quarter"
    ),
)


class StatLineUnavailable(RuntimeError):
    """CBS could not be reached or refused the request; the caller keeps the store as it is."""


class TableShapeError(RuntimeError):
    """The table's metadata does not have what a TableSpec expects (e.g. a renamed measure)."""


@contextmanager
def _transport(session_factory: Callable[[], Any] | None) -> Iterator[None]:
    """Let cbsodata use ``session_factory`` instead of requests.Session for the duration."""
    if session_factory is None:
        yield
        return
    original = cbs3.Session
    cbs3.Session = session_factory
    try:
        yield
    finally:
        cbs3.Session = original


def download(
    spec: TableSpec, session_factory: Callable[[], Any] | None = None, timeout: float = 30
) -> dict[str, Any]:
    """All entity sets of one table (codes intact), via cbsodata; network errors -> StatLineUnavailable."""
    filters = "substringof('JJ',Perioden)" if spec.period_kind == "year" else "substringof('KW',Perioden)"
    try:
        with _transport(session_factory):
            # cbsodata 1.3.5 inverts `typed` in download_data (typed=True fetches UntypedDataSet);
            # parse() accepts either data set, so this keeps working if that is ever fixed.
            data: dict[str, Any] = cbsodata.download_data(
                spec.table_id, typed=True, filters=filters, timeout=timeout
            )
    except (requests.RequestException, OSError, ValueError) as exc:
        raise StatLineUnavailable(f"table {spec.table_id}: {type(exc).__name__}") from exc
    return data


def _period(key: str, kind: str) -> str | None:
    key = key.strip()
    if kind == "year" and re.fullmatch(r"\d{4}JJ00", key):
        return key[:4]
    match = re.fullmatch(r"(\d{4})KW0([1-4])", key)
    if kind == "quarter" and match:
        return f"{match[1]}Q{match[2]}"
    return None


def _number(raw: object) -> float | None:
    """TypedDataSet gives numbers or null; UntypedDataSet padded strings, '.' for unknown."""
    if raw is None:
        return None
    if isinstance(raw, int | float):
        return float(raw)
    text = str(raw).strip()
    try:
        return float(text)
    except ValueError:
        return None


def _resolve_topics(spec: TableSpec, props: list[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    by_id = {p["ID"]: p for p in props}
    found: dict[str, Mapping[str, Any]] = {}
    topics = [p for p in props if p.get("Type") == "Topic"]
    for ms in spec.measures:
        match = next((t for t in topics if t["Key"] in ms.keys), None)
        if match is None and ms.words:
            for t in topics:
                text, parent = str(t.get("Title", "")), t.get("ParentID")
                while parent is not None and parent in by_id:
                    text += " " + str(by_id[parent].get("Title", ""))
                    parent = by_id[parent].get("ParentID")
                if all(w in text.lower() for w in ms.words):
                    match = t
                    break
        if match is not None:
            found[ms.measure] = match
    if not found:
        raise TableShapeError(f"table {spec.table_id}: none of the expected measures found in DataProperties")
    return found


def parse(
    spec: TableSpec, data: Mapping[str, Any], retrieved_at: str | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Rows per measure id from one downloaded table, codes stripped and joined to their titles."""
    retrieved = retrieved_at or datetime.now(UTC).replace(microsecond=0).isoformat()
    props = data["DataProperties"]
    info = (data.get("TableInfos") or [{}])[0]
    title, modified = str(info.get("Title", spec.table_id)), str(info.get("Modified", "unknown"))
    dims = [p["Key"] for p in props if p.get("Type") in ("Dimension", "GeoDimension")]
    time_dim = next((p["Key"] for p in props if p.get("Type") == "TimeDimension"), "Perioden")
    codes = {
        d: {str(c["Key"]).strip(): str(c["Title"]).strip() for c in data.get(d, [])}
        for d in [*dims, time_dim]
    }
    totals: dict[str, str] = {}
    for dim in dims:
        if dim == SECTOR_DIM:
            continue
        total = next((k for k, t in codes[dim].items() if t.lower().startswith("totaal")), None)
        if total is None:
            raise TableShapeError(f"table {spec.table_id}: no 'Totaal' category in dimension {dim}")
        totals[dim] = total
    status = {str(c["Key"]).strip(): str(c.get("Status") or "") for c in data.get(time_dim, [])}
    topics = _resolve_topics(spec, props)
    rows_key = "TypedDataSet" if "TypedDataSet" in data else "UntypedDataSet"
    out: dict[str, list[dict[str, Any]]] = {m: [] for m in topics}
    for raw in data[rows_key]:
        if any(str(raw.get(dim, "")).strip() != key for dim, key in totals.items()):
            continue
        period_key = str(raw.get(time_dim, "")).strip()
        period = _period(period_key, spec.period_kind)
        if period is None:
            continue
        sector_key = str(raw.get(SECTOR_DIM, "")).strip()
        sector_title = codes.get(SECTOR_DIM, {}).get(sector_key, "")
        match = _SECTION.match(sector_title + " ")
        if spec.commercial_total_only:
            if "commerci" not in sector_title.lower() or not sector_title.startswith("A-U"):
                continue
            sector_code = ""
        elif match is None:
            continue
        else:
            sector_code = match[1]
        for measure, topic in topics.items():
            value = _number(raw.get(topic["Key"]))
            if value is None:
                continue
            out[measure].append(
                {
                    "source": f"https://opendata.cbs.nl/ODataFeed/odata/{spec.table_id} ; "
                    f"https://www.cbs.nl/nl-nl/cijfers/detail/{spec.table_id}",
                    "table_id": spec.table_id,
                    "measure": measure,
                    "sector_code": sector_code,
                    "sector_label": sector_title,
                    "period": period,
                    "value": value,
                    "unit": str(topic.get("Unit") or MEASURES[measure].unit).strip(),
                    "retrieved_at": retrieved,
                    "vintage": f"{spec.table_id} '{title}', modified {modified}",
                    "confidence": "confirmed (live CBS StatLine)",
                    "scope": MEASURES[measure].scope,
                    "note": f"CBS column {topic['Key']}; period status {status.get(period_key, '')}",
                }
            )
    return out


def fetch(
    table_ids: list[str] | None = None,
    session_factory: Callable[[], Any] | None = None,
    on_table: Callable[[str], None] | None = None,
    timeout: float = 30,
) -> dict[str, list[dict[str, Any]]]:
    """Download and parse the v3 tables (all of TABLES, or those named); nothing is written."""
    specs = [s for s in TABLES if table_ids is None or s.table_id.lower() in {t.lower() for t in table_ids}]
    parsed: dict[str, list[dict[str, Any]]] = {}
    for spec in specs:
        data = download(spec, session_factory=session_factory, timeout=timeout)
        for measure, rows in parse(spec, data).items():
            if rows:
                parsed[measure] = rows
        if on_table:
            on_table(spec.table_id)
    return parsed


def update(
    store: Store,
    table_ids: list[str] | None = None,
    session_factory: Callable[[], Any] | None = None,
    on_table: Callable[[str], None] | None = None,
    timeout: float = 30,
) -> dict[str, int]:
    """Fetch the tables, then replace their series in one transaction; returns rows per measure.

    Raises StatLineUnavailable before writing anything if any table cannot be fetched.
    """
    parsed = fetch(table_ids, session_factory=session_factory, on_table=on_table, timeout=timeout)
    store.replace_many(parsed)
    return {m: len(r) for m, r in parsed.items()}
