"""Build the bundled snapshot (snapshot/observations.json) from the shared reference pack.

Why a build step: the monitor must work offline on a fresh machine without ../shared, so the
published figures are turned once into flat, sourced rows that ship inside the package. This module
is run by a developer (``python -m peloton.stats.snapshot_build ../shared/reference``) and the result
is committed; the store loader never imports it. Every row carries its source URL(s), table version,
confidence and scope, copied from the reference; nothing is computed here.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from peloton.stats.measures import MEASURES

SNAPSHOT_PATH = Path(__file__).parent / "snapshot" / "observations.json"
SEED_SOURCE = "seed:000_4cdabadc9cc4caa1.txt (minister's answers of 10 Nov 2021)"

Row = dict[str, Any]


def _sources(value: str | list[str]) -> str:
    """Join source URL(s) into one string; drop trailing comments in parentheses."""
    items = value if isinstance(value, list) else [s for s in value.split(" ; ")]
    return " ; ".join(s.strip() for s in items if s.strip())


def _period(key: object) -> tuple[str, str]:
    """Split '2017*' into ('2017', 'provisional') so periods stay plain years."""
    text = str(key)
    if text.endswith("**"):
        return text[:-2].strip(), "nader voorlopig (**)"
    if text.endswith("*"):
        return text[:-1].strip(), "provisional (*)"
    return text, ""


def _row(
    measure: str,
    period: object,
    value: float,
    *,
    source: str,
    table_id: str = "",
    sector_code: str = "",
    sector_label: str = "",
    retrieved_at: str = "",
    vintage: str = "",
    confidence: str = "",
    note: str = "",
    scope: str | None = None,
) -> Row:
    spec = MEASURES[measure]
    per, status = _period(period)
    return {
        "source": source,
        "table_id": table_id,
        "measure": measure,
        "sector_code": sector_code,
        "sector_label": sector_label,
        "period": per,
        "value": float(value),
        "unit": spec.unit,
        "retrieved_at": retrieved_at or "not recorded (offline reference copy; see vintage)",
        "vintage": vintage or "as published by the source (no table version)",
        "confidence": confidence,
        "scope": scope if scope is not None else spec.scope,
        "note": "; ".join(x for x in (status, note) if x),
    }


def _employment_by_sector(ref: Path) -> Iterator[Row]:
    doc = yaml.safe_load((ref / "cbs" / "employment_by_sector.yaml").read_text(encoding="utf-8"))
    main = doc["main_series"]
    titles = {code: spec["title"] for code, spec in main["sector_codes"].items() if "title" in spec}
    source = "https://www.cbs.nl/nl-nl/cijfers/detail/81431ned"
    exports = " ; ".join(f"{s['where']}" for s in main["sources"])
    vintage = "81431ned export of 2023-11-19 (2009-2017 identical in the 2019 export)"
    for measure, block in (
        ("employee_jobs", main["values_banen_x1000"]),
        ("employee_labour_volume", main["values_arbeidsvolume_x1000_fte"]),
    ):
        for code, entry in block.items():
            for year, value in entry["values"].items():
                year = int(year)
                if year <= 2017:
                    confidence = "confirmed"
                elif year == 2022:
                    confidence = "confirmed" if measure == "employee_jobs" else "single-source"
                else:
                    confidence = "single-source"
                yield _row(
                    measure,
                    year,
                    value,
                    source=f"{source} (CBS StatLine export as committed in {exports})",
                    table_id="81431ned",
                    sector_code=code,
                    sector_label=titles.get(code, code),
                    retrieved_at="2023-11-19",
                    vintage=vintage,
                    confidence=confidence,
                    note=f"CBS key {entry['key']}; characteristic Totaal; 2010 = 2010JJ00",
                )


def _section_code(name: str) -> str | None:
    match = re.match(r"^([A-U](?:-[A-U])?)_", name)
    return match.group(1) if match else None


def _figures(ref: Path, titles: dict[str, str]) -> Iterator[Row]:
    doc = yaml.safe_load((ref / "cbs" / "figures.yaml").read_text(encoding="utf-8"))
    lp = doc["labour_productivity"]

    yearly = lp["commercial_sector_yearly"]
    for year, value in yearly["values"].items():
        yield _row(
            "labour_productivity_commercial",
            year,
            value,
            source=yearly["source"],
            retrieved_at="2021-07-09",
            vintage="CBS news 2021 week 27 (pre-revision-2021)",
            confidence=yearly["confidence"],
        )
    ctx = yearly["context_2020"]
    for measure, key in (
        ("value_added_volume_commercial", "value_added_volume_change"),
        ("hours_worked_commercial", "hours_worked_change"),
    ):
        yield _row(
            measure,
            2020,
            ctx[key],
            source=yearly["source"],
            retrieved_at="2021-07-09",
            vintage="CBS news 2021 week 27 (pre-revision-2021)",
            confidence=yearly["confidence"],
        )
    for item in lp["commercial_sector_later_years"]:
        source = _sources(item["source"])
        if item["confidence"] == "uncertain":
            yield _row(
                "labour_productivity_commercial_later_quote",
                item["period"],
                item["value"],
                source=source,
                retrieved_at="2023-09-29",
                vintage="quoted Sept 2023",
                confidence=item["confidence"],
                note=item.get("note", ""),
            )
            continue
        published = "2022-09-22" if item["period"] == 2021 else "2023-09-29"
        vintage = f"CBS release {published} (first estimate for {item['period']})"
        yield _row(
            "labour_productivity_commercial",
            item["period"],
            item["value"],
            source=source,
            retrieved_at=published,
            vintage=vintage,
            confidence=item["confidence"],
            note=item.get("note", ""),
        )
        for measure, key in (
            ("value_added_volume_commercial", "value_added_change"),
            ("hours_worked_commercial", "hours_change"),
        ):
            if key in item:
                yield _row(
                    measure,
                    item["period"],
                    item[key],
                    source=source,
                    retrieved_at=published,
                    vintage=vintage,
                    confidence=item["confidence"],
                )

    whole = lp["whole_economy_gdp_per_hour"]
    for measure, key in (
        ("labour_productivity_gdp_per_hour", "productivity"),
        ("hours_worked_whole_economy", "hours_worked"),
    ):
        for year, value in whole[key].items():
            yield _row(
                measure,
                year,
                value,
                source=f"{whole['source']} ; {whole['also_in'].split(' (')[0]}",
                retrieved_at="2019-12-17",
                vintage=whole["vintage"],
                confidence=whole["confidence"],
            )
    for item in lp["whole_economy_recent"]:
        if not isinstance(item["period"], int):
            continue
        yield _row(
            "labour_productivity_whole_economy",
            item["period"],
            item["value"],
            source=_sources(item["source"]),
            vintage=f"quoted for {item['period']}",
            confidence=item["confidence"],
            note=item.get("note", ""),
        )
    first_sources = ""
    for item in lp["period_averages"]:
        metric = str(item["metric"])
        if item["period"] == "1974-2013":
            first_sources = _sources(item["source"])
        if metric.startswith("cumulative"):
            measure = "labour_productivity_cumulative"
        elif metric == "average yearly growth labour productivity" and not isinstance(item["value"], dict):
            measure = "labour_productivity_avg_growth"
        else:
            continue
        period = str(item["period"]).split(" ")[0]
        source = first_sources if item["source"] == "same three as 1974-2013" else _sources(item["source"])
        yield _row(
            measure,
            period,
            item["value"],
            source=source,
            vintage=f"quoted for {period}",
            confidence=item["confidence"],
            note=f"{metric}; {item.get('note', '')}".strip("; "),
        )

    ga = lp["growth_accounts_84546NED"]
    for year, values in ga["rows"].items():
        for column, value in zip(ga["columns"], values, strict=True):
            measure = "ga_" + column.removesuffix("_pct").removesuffix("_pp")
            yield _row(
                measure,
                year,
                value,
                source=ga["source"],
                table_id="84546NED",
                sector_code="",
                vintage=ga["vintage"],
                confidence=ga["confidence"],
            )

    emp = doc["employment"]
    v84166 = emp["vintage_84166NED_yearly_rows"]
    for name, years in v84166["totaal"].items():
        code = name.split("_")[0]
        for year, cols in years.items():
            yield _row(
                "jobs_na_84166ned",
                year,
                cols[1],
                source=v84166["source"],
                table_id="84166NED",
                sector_code=code,
                sector_label=titles.get(code, name),
                vintage=v84166["vintage"],
                confidence=v84166["confidence"],
            )
    v85920 = emp["vintage_85920NED_current"]
    for year, cols in v85920["A-U_year_rows"].items():
        yield _row(
            "jobs_na_85920ned",
            year,
            cols[1],
            source=v85920["source"],
            table_id="85920NED",
            sector_code="A-U",
            sector_label=titles.get("A-U", "A-U"),
            vintage=v85920["vintage"],
            confidence=v85920["confidence"],
        )
    v85918 = emp["vintage_85918NED_current"]
    for name, value in v85918["banen_x1000_2023_provisional"].items():
        code = _section_code(name)
        if code is None:
            continue
        yield _row(
            "jobs_na_85918ned",
            "2023*",
            value,
            source=v85918["source"],
            table_id="85918NED",
            sector_code=code,
            sector_label=titles.get(code, name),
            vintage=v85918["vintage"],
            confidence=v85918["confidence"],
        )
    sept = emp["employees_end_september"]
    for year, value in sept["values"].items():
        yield _row(
            "employees_end_september",
            year,
            value,
            source=sept["source"],
            vintage="CBS Statistische Trends 2022",
            confidence=sept["confidence"],
        )

    firms = doc["firms_81588NED"]
    block = firms["2024Q2*"]
    for name, cols in block["rows"].items():
        code = _section_code(name)
        if code is None:
            continue
        yield _row(
            "firms_total_81588ned",
            "2024Q2*",
            cols[0],
            source=block["source"],
            table_id="81588NED",
            sector_code=code,
            sector_label=titles.get(code, name),
            vintage="81588NED page snapshot 2024 2e kwartaal*",
            confidence=firms["confidence"],
        )


_WBSO_FIELDS: dict[str, tuple[str, float]] = {
    # reference field -> (measure, factor to the measure's unit)
    "firms_total": ("wbso_firms_total", 1),
    "firms_granted": ("wbso_firms_total", 1),
    "firms_with_staff": ("wbso_firms_with_staff", 1),
    "self_employed": ("wbso_self_employed", 1),
    "firms_settled": ("wbso_firms_settled", 1),
    "share_sme": ("wbso_share_sme", 100),
    "projects_granted": ("wbso_projects_granted", 1),
    "development_projects": ("wbso_projects_development", 1),
    "technical_scientific_projects": ("wbso_projects_research", 1),
    "share_projects_development": ("wbso_share_projects_development", 100),
    "share_projects_technical_scientific_research": ("wbso_share_projects_research", 100),
    "share_projects_software": ("wbso_share_projects_software", 100),
    "share_projects_production_processes": ("wbso_share_projects_process", 100),
    "fte_years_granted": ("wbso_fte_granted", 1),
    "budget_available_eur_m": ("wbso_budget_available", 1),
    "sme_share_of_benefit": ("wbso_sme_share_of_benefit", 100),
    "starters": ("wbso_starters", 1),
    "realised_benefit_prelim_eur_m": ("wbso_benefit", 1),
}

# Only the seed gives these 2020 figures (usage_statistics.yaml note on the 2020 entry).
_SEED_ONLY = {(2020, "share_projects_production_processes"), (2020, "share_projects_software")}

# The seed quotes these 2020 figures too; they are backed by the external sources named on the row.
_SEED_CITED = {(2020, "firms_total"), (2020, "share_sme"), (2020, "projects_granted")}

_BENEFIT_TEXT = re.compile(r"(?P<num>\d+(?:\.\d+)?) billion")


def _usage(ref: Path) -> Iterator[Row]:
    doc = yaml.safe_load((ref / "schemes" / "usage_statistics.yaml").read_text(encoding="utf-8"))
    for entry in doc["wbso"]:
        period = entry["period"]
        if not isinstance(period, int):
            continue
        all_sources = [s.strip() for s in entry["source"].split(" ; ")]
        external = " ; ".join(s for s in all_sources if not s.startswith("seed:"))
        seed_cited = any(s.startswith("seed:") for s in all_sources)
        for field, raw in entry.items():
            if field == "benefit_eur" and isinstance(raw, str):
                match = _BENEFIT_TEXT.search(raw)
                if match and "realised_benefit_prelim_eur_m" not in entry:
                    yield _row(
                        "wbso_benefit",
                        period,
                        float(match["num"]) * 1000,
                        source=external,
                        vintage=f"RVO yearly figures for {period}",
                        confidence=entry["confidence"],
                        note=f"published as '{raw}' (rounded)",
                    )
                continue
            if field == "rd_costs_granted_eur" and isinstance(raw, dict):
                yield _row(
                    "wbso_rd_costs_granted",
                    period,
                    raw["total"] / 1e6,
                    source=external,
                    vintage=f"RVO yearly figures for {period}",
                    confidence=entry["confidence"],
                )
                continue
            if field not in _WBSO_FIELDS or not isinstance(raw, int | float) or isinstance(raw, bool):
                continue
            measure, factor = _WBSO_FIELDS[field]
            seed_only = (period, field) in _SEED_ONLY
            note = ""
            if seed_cited and (period, field) in _SEED_CITED:
                note = "the seed cites the same figure; backed here by the external sources only"
            if field == "projects_granted" and period == 2020:
                note += "; external sources say 'ruim 135.000' (+6% vs 2019); exact 135,370 per the reference"
            if field == "realised_benefit_prelim_eur_m":
                note = "realised benefit, preliminary"
            if field == "development_projects" and period == 2021:
                note = "called 'granted projects' by vectrix; read as development projects (uncertain)"
            yield _row(
                measure,
                period,
                round(raw * factor, 4),
                source=SEED_SOURCE if seed_only else external,
                vintage=f"RVO yearly figures for {period}",
                confidence="single-source (seed only)" if seed_only else entry["confidence"],
                note="found only in the seed; no other source" if seed_only else note,
            )
    for entry in doc["mit"]:
        if isinstance(entry.get("subsidy_granted_eur_m"), dict):
            for year, value in entry["subsidy_granted_eur_m"].items():
                yield _row(
                    "mit_subsidy_granted",
                    year,
                    value,
                    source=entry["source"],
                    confidence=entry["confidence"],
                    note=entry.get("note", ""),
                )
        elif isinstance(entry.get("subsidy_granted_eur_m"), int | float):
            yield _row(
                "mit_subsidy_granted",
                entry["period"],
                entry["subsidy_granted_eur_m"],
                source=entry["source"],
                confidence=entry["confidence"],
                note=entry.get("note", ""),
            )
        firms = entry.get("firms")
        if isinstance(firms, dict):
            for year, value in firms.items():
                yield _row("mit_firms", year, value, source=entry["source"], confidence=entry["confidence"])
        elif isinstance(firms, int):
            yield _row(
                "mit_firms", entry["period"], firms, source=entry["source"], confidence=entry["confidence"]
            )
    for entry in doc["innovatiebox"]:
        for field, measure in (("users", "innovatiebox_users"), ("users_sme", "innovatiebox_users_sme")):
            if isinstance(entry.get(field), int):
                yield _row(
                    measure,
                    entry["period"],
                    entry[field],
                    source=_sources(entry["source"]),
                    confidence=entry["confidence"],
                )


def _value_added(ref: Path) -> Iterator[Row]:
    """85880NED value-added growth by industry, parsed by the v4 client from the recorded responses.

    The recorded files stay in ../shared (their README asks not to copy them); only the parsed yearly
    figures ship, each with the table version and the capture date as its retrieval date.
    """
    from peloton.stats import statline_v4

    recorded = ref / "cbs" / "recorded_v4"
    table = statline_v4.VALUE_ADDED.table_id
    index = json.loads((recorded / table / "index.json").read_text(encoding="utf-8"))
    captured = str(index["capturedAt"])[:10]
    data = statline_v4.download(session_factory=lambda: statline_v4.RecordedSession(recorded))
    for rows in statline_v4.parse(data, retrieved_at=captured).values():
        for row in rows:
            row["confidence"] = f"confirmed (CBS OData v4 response, recorded {captured})"
            yield row


def build_rows(reference_dir: Path) -> list[Row]:
    """Every snapshot row, in a stable order, from the reference pack at ``reference_dir``."""
    rows = list(_employment_by_sector(reference_dir))
    titles = {r["sector_code"]: r["sector_label"] for r in rows}
    rows.extend(_figures(reference_dir, titles))
    rows.extend(_usage(reference_dir))
    rows.extend(_value_added(reference_dir))
    for row in rows:
        if not row["source"]:
            raise ValueError(f"row without a source: {row}")
    return rows


def write_snapshot(reference_dir: Path, out: Path = SNAPSHOT_PATH) -> int:
    """Write the snapshot JSON (with its build metadata); returns the number of rows."""
    rows = build_rows(reference_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "snapshot_version": "2026-reference-pack-2",
        "built_from": "../shared/reference (cbs/figures.yaml, cbs/employment_by_sector.yaml, "
        "schemes/usage_statistics.yaml, cbs/recorded_v4/85880NED + 84826NED SBI codes)",
        "latest_data": "81431ned 2009-2022 (export 2023-11-19); 85880NED 2020-2025 (version 202607010955, "
        "recorded 2026-07-17); CBS news up to 2025; RVO up to 2024",
        "rows": rows,
    }
    out.write_text(json.dumps(payload, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return len(rows)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/reference")
    print(f"{write_snapshot(target)} rows -> {SNAPSHOT_PATH}")
