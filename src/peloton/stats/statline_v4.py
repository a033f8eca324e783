"""CBS OData v4 client (datasets.cbs.nl, the current CBS API) for value-added growth by industry.

Why a second client: CBS publishes new tables only on v4, and 85880NED (quarterly national accounts,
mutations) is the source of value-added growth by industry 2020-2025. v4 differs from v3 in shape:
* one long ``Observations`` entity set (Measure, dimension codes, Value) paged by ``@odata.nextLink``,
  instead of one wide row per dimension combination;
* measures are their own code list (``MeasureCodes``) with a ``MeasureGroupId``; 85880NED has no
  industry dimension: its industry measures are keyed by CBS's SBI codes (``307500_2`` = C Industrie,
  the "Totaal" of group ``307500_1``; ``391600`` = J).
The SBI titles come from CBS's v4 SBI code list, read from a table that has that dimension
(84826NED, ``BedrijfstakkenBranchesSBI2008Codes``), so codes are never guessed from positions.

The value-added block is found from the codes themselves: the first run of measures (in CBS's order)
that are keyed by an SBI code or sit in a group with such a measure. A later block of 85880NED is keyed
by SBI codes too (investment by industry: A, B-F, G-N, O-U); it comes after the value-added block and is
not read. A code seen twice inside the block means the table changed shape: TableShapeError.

Like the v3 client (``statline.py``), tests replay recorded responses through this same code by passing
``session_factory``; the recorded files are read from ``../shared/reference/cbs/recorded_v4/`` by
``RecordedSession``, which also lets ``snapshot_build`` turn them into bundled rows. Everything is
fetched before anything is written, and series are replaced in one transaction.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol, cast
from urllib.parse import urlsplit

import requests

from peloton.stats.measures import MEASURES
from peloton.stats.statline import StatLineUnavailable, TableShapeError
from peloton.stats.store import Store

BASE = "https://datasets.cbs.nl/odata/v1/CBS"
SBI_DIMENSION = "BedrijfstakkenBranchesSBI2008"
_SBI_TITLE = re.compile(r"^([A-U](?:-[A-U])?)\s")


@dataclass(frozen=True)
class MutationSpec:
    """One kind of mutation (SoortMutaties code) that becomes one measure id, found by title words."""

    measure: str
    words: tuple[str, ...]


@dataclass(frozen=True)
class ValueAddedTable:
    """A v4 table whose industry measures are keyed by SBI code (85880NED), and where SBI titles live."""

    table_id: str
    mutations: tuple[MutationSpec, ...]
    sbi_table: str = "84826NED"
    period_floor: str = "2020JJ00"


VALUE_ADDED = ValueAddedTable(
    "85880NED",
    (
        MutationSpec("value_added_volume_growth", ("volume", "zelfde periode vorig jaar")),
        MutationSpec("value_added_value_growth", ("waarde", "zelfde periode vorig jaar")),
    ),
)


class Response(Protocol):
    """What the client reads from an HTTP response."""

    def raise_for_status(self) -> None: ...
    def json(self) -> Any: ...


class Session(Protocol):
    """What the client needs from ``requests.Session`` (tests pass a replaying one)."""

    def get(self, url: str, params: Mapping[str, str] | None = None, timeout: float = 30) -> Response: ...


def _get(session: Session, url: str, timeout: float, params: Mapping[str, str] | None = None) -> Any:
    try:
        response = session.get(url, params=params, timeout=timeout)
        response.raise_for_status()
        return response.json()
    except (requests.RequestException, OSError, ValueError) as exc:
        raise StatLineUnavailable(f"{url.removeprefix(BASE + '/')}: {type(exc).__name__}") from exc


def download(
    spec: ValueAddedTable = VALUE_ADDED,
    session_factory: Callable[[], Session] | None = None,
    timeout: float = 30,
) -> dict[str, Any]:
    """The entity sets of one v4 table plus the SBI code list; network errors -> StatLineUnavailable."""
    session = session_factory() if session_factory else cast(Session, requests.Session())
    root = f"{BASE}/{spec.table_id}"
    data: dict[str, Any] = {
        "Properties": _get(session, f"{root}/Properties", timeout),
        "Dimensions": _get(session, f"{root}/Dimensions", timeout)["value"],
        "MeasureCodes": _get(session, f"{root}/MeasureCodes", timeout)["value"],
        "SBICodes": _get(session, f"{BASE}/{spec.sbi_table}/{SBI_DIMENSION}Codes", timeout)["value"],
    }
    for dim in data["Dimensions"]:
        data[f"{dim['Identifier']}Codes"] = _get(session, f"{root}/{dim['Identifier']}Codes", timeout)[
            "value"
        ]
    rows: list[dict[str, Any]] = []
    page = _get(
        session, f"{root}/Observations", timeout, params={"$filter": f"Perioden ge '{spec.period_floor}'"}
    )
    rows.extend(page["value"])
    while page.get("@odata.nextLink"):
        page = _get(session, str(page["@odata.nextLink"]), timeout)
        rows.extend(page["value"])
    data["Observations"] = rows
    return data


def _group_prefix(identifier: str | None) -> str:
    return str(identifier or "").split("_")[0]


def industry_measures(
    measure_codes: Sequence[Mapping[str, Any]], sbi_codes: Sequence[Mapping[str, Any]]
) -> dict[str, tuple[str, str]]:
    """Measure identifier -> (SBI code like "C" or "G-I", CBS title) for the value-added block."""
    titles: dict[str, str] = {}
    sections: dict[str, str] = {}
    for entry in sbi_codes:
        match = _SBI_TITLE.match(str(entry["Title"]).strip() + " ")
        if match:
            titles[str(entry["Identifier"]).strip()] = str(entry["Title"]).strip()
            sections[str(entry["Identifier"]).strip()] = match[1]

    def sbi_key(m: Mapping[str, Any]) -> str | None:
        own = _group_prefix(m["Identifier"])
        if own in titles:
            return own
        if str(m["Title"]).strip() == "Totaal" and _group_prefix(m.get("MeasureGroupId")) in titles:
            return _group_prefix(m.get("MeasureGroupId"))
        return None

    ordered = sorted(measure_codes, key=lambda m: int(m.get("Index") or 0))
    keyed_groups = {m.get("MeasureGroupId") for m in ordered if sbi_key(m)}
    block: list[Mapping[str, Any]] = []
    for m in ordered:
        if sbi_key(m) or m.get("MeasureGroupId") in keyed_groups:
            block.append(m)
        elif block:
            break
    out: dict[str, tuple[str, str]] = {}
    seen: dict[str, str] = {}
    for m in block:
        key = sbi_key(m)
        if key is None:
            continue
        title, code = titles[key], sections[key]
        if code in seen:
            raise TableShapeError(
                f"SBI code {code} twice in the value-added block ({seen[code]}, {m['Identifier']})"
            )
        seen[code] = str(m["Identifier"])
        out[str(m["Identifier"])] = (code, title)
    if not out:
        raise TableShapeError("no measure keyed by an SBI code in MeasureCodes")
    return out


def _mutation_codes(spec: ValueAddedTable, codes: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """SoortMutaties code -> measure id, by the words of each code's title."""
    out: dict[str, str] = {}
    for ms in spec.mutations:
        match = next((c for c in codes if all(w in str(c["Title"]).lower() for w in ms.words)), None)
        if match is None:
            raise TableShapeError(
                f"table {spec.table_id}: no SoortMutaties code titled {' / '.join(ms.words)}"
            )
        out[str(match["Identifier"])] = ms.measure
    return out


def parse(
    data: Mapping[str, Any], spec: ValueAddedTable = VALUE_ADDED, retrieved_at: str | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Yearly rows per measure id: value-added growth of every SBI section and grouping, with source."""
    props = data["Properties"]
    if str(props.get("Identifier", "")).upper() != spec.table_id.upper():
        raise TableShapeError(f"expected table {spec.table_id}, got {props.get('Identifier')}")
    retrieved = retrieved_at or datetime.now(UTC).replace(microsecond=0).isoformat()
    industries = industry_measures(data["MeasureCodes"], data["SBICodes"])
    mutations = _mutation_codes(spec, data.get("SoortMutatiesCodes", []))
    status = {str(c["Identifier"]): str(c.get("Status") or "") for c in data.get("PeriodenCodes", [])}
    units = {str(m["Identifier"]): str(m.get("Unit") or "%") for m in data["MeasureCodes"]}
    vintage = (
        f"{spec.table_id} '{props.get('Title', '')}', version {props.get('Version', '?')}, "
        f"modified {props.get('Modified', '?')}"
    )
    source = (
        f"{BASE}/{spec.table_id} ; https://www.cbs.nl/nl-nl/cijfers/detail/{spec.table_id} "
        f"(licence {props.get('License', '?')}, Bron: CBS)"
    )
    out: dict[str, list[dict[str, Any]]] = {m.measure: [] for m in spec.mutations}
    for row in data["Observations"]:
        measure = mutations.get(str(row.get("SoortMutaties")))
        industry = industries.get(str(row.get("Measure")))
        period_key = str(row.get("Perioden", ""))
        if measure is None or industry is None or not re.fullmatch(r"\d{4}JJ00", period_key):
            continue
        if row.get("Value") is None:
            continue
        code, title = industry
        out[measure].append(
            {
                "source": source,
                "table_id": spec.table_id,
                "measure": measure,
                "sector_code": code,
                "sector_label": title,
                "period": period_key[:4],
                "value": float(row["Value"]),
                "unit": units.get(str(row["Measure"]), "%"),
                "retrieved_at": retrieved,
                "vintage": vintage,
                "confidence": "confirmed (CBS OData v4)",
                "scope": MEASURES[measure].scope,
                "note": f"CBS measure {row['Measure']}, SoortMutaties {row['SoortMutaties']}; "
                f"period status {status.get(period_key, '')}".strip(),
            }
        )
    return out


def fetch(
    session_factory: Callable[[], Session] | None = None,
    timeout: float = 30,
    spec: ValueAddedTable = VALUE_ADDED,
) -> dict[str, list[dict[str, Any]]]:
    """Download and parse the table; nothing is written."""
    return {m: rows for m, rows in parse(download(spec, session_factory, timeout), spec).items() if rows}


def update(
    store: Store,
    session_factory: Callable[[], Session] | None = None,
    timeout: float = 30,
    spec: ValueAddedTable = VALUE_ADDED,
) -> dict[str, int]:
    """Fetch the table, then replace its series in one transaction; returns rows per measure."""
    parsed = fetch(session_factory, timeout, spec)
    store.replace_many(parsed)
    return {m: len(r) for m, r in parsed.items()}


class _FileResponse:
    def __init__(self, url: str, path: Path) -> None:
        self.url, self.path = url, path

    def raise_for_status(self) -> None:
        if not self.path.exists():
            raise requests.HTTPError(f"404 for {self.url} (no recorded file {self.path.name})")

    def json(self) -> Any:
        return json.loads(self.path.read_text(encoding="utf-8"))


class RecordedSession:
    """Answers v4 requests from folders of recorded responses (``recorded_v4/<table>/``).

    The file names are those of the recording: ``properties.json``, ``dimensions.json``,
    ``measure-codes.json``, ``codes-<Dimension>.json`` and ``observations-page-<n>.json``.
    ``log`` lists the URLs asked for, so tests can see which requests the client made.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.log: list[str] = []

    def get(self, url: str, params: Mapping[str, str] | None = None, timeout: float = 30) -> _FileResponse:
        """The recorded response for ``url`` (query parameters do not select a different file)."""
        self.log.append(url + (f"?{dict(params)}" if params else ""))
        table, entity = urlsplit(url).path.rstrip("/").split("/")[-2:]
        names = {"Properties": "properties.json", "Dimensions": "dimensions.json"}
        if entity in names:
            name = names[entity]
        elif entity == "MeasureCodes":
            name = "measure-codes.json"
        elif entity.endswith("Codes"):
            name = f"codes-{entity.removesuffix('Codes')}.json"
        elif entity == "Observations":
            name = "observations-page-1.json"
        else:
            name = f"{entity}.json"
        return _FileResponse(url, self.directory / table / name)
