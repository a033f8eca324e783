"""A multi-year budget window: the law (and a reform) in each year of a range, a table per year and the
window's total per scheme.

Each year is an ordinary simulation of that year (its rules, and the synthetic population calibrated
to it, or the user's file). A year for which a scheme cannot be computed (the sources leave a
parameter without a value) is listed with its reason under that scheme and left out of the scheme's
total, which says which years it covers: a gap is never filled in. `run_window` returns the JSON
document that `peloton simulate --years ... --json` prints; the CLI and the REST API call it.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Mapping, Sequence
from pathlib import Path
from typing import Any

from peloton.errors import InputError
from peloton.model.reforms import ReformSpec
from peloton.simulate.evaluation import BASELINE, REFORM, Plan
from peloton.simulate.results import Results
from peloton.simulate.study import (
    Progress,
    StudyOptions,
    _silent,
    check_year,
    reform_data,
    reform_of,
    run_study,
)
from peloton.simulate.sweep import write_csv, write_json

_RANGE = re.compile(r"^\s*(\d{4})\s*-\s*(\d{4})\s*$")
LAW, REFORMED = "law", "reform"


def parse_years(text: str | Sequence[int]) -> list[int]:
    """`2019-2026` or `2019,2021,2024` (or a list of years) -> the years, each one the rules cover."""
    if isinstance(text, str):
        match = _RANGE.match(text)
        if match:
            first, last = int(match.group(1)), int(match.group(2))
            if last < first:
                raise InputError("years", f"{last} is before {first}")
            years = list(range(first, last + 1))
        else:
            try:
                years = [int(y) for y in text.split(",") if y.strip()]
            except ValueError:
                raise InputError("years", "expected FROM-TO (2019-2026) or a list of years") from None
    else:
        years = [int(y) for y in text]
    if not years:
        raise InputError("years", "no years")
    if len(set(years)) != len(years):
        raise InputError("years", "a year appears twice")
    for year in years:
        try:
            check_year(year)
        except InputError as exc:
            raise InputError("years", exc.problem) from None
    return sorted(years)


def _cell(results: Results, scenario: str, scheme: str) -> dict[str, Any]:
    if scenario not in results.schemes or not any(s.id == scheme for s in results.schemes[scenario]):
        return {"computed": False, "reason": f"not part of the {scenario}"}
    s = results.stats(scenario, scheme)
    if not s.exists:
        return {"computed": False, "reason": s.reason, "exists": False}
    if not s.computed:
        return {"computed": False, "reason": s.reason}
    return {
        "computed": True,
        "cost_eur": s.cost_eur,
        "reached_firms": s.reached_firms,
        "sme_share_firms": s.sme_share_firms,
        "sme_share_money": s.sme_share_money,
    }


def window_payload(
    years: list[int], reform: ReformSpec | None, results: dict[int, Results], run: dict[str, Any]
) -> dict[str, Any]:
    """Per year and scheme the law's (and the reform's) cost and reach; per scheme the window total over
    the years it is computed in, and the years it is not, with their reasons."""
    scenarios = [BASELINE, REFORM] if reform is not None else [BASELINE]
    names = {BASELINE: LAW, REFORM: REFORMED}
    schemes: list[str] = []
    scheme_names: dict[str, tuple[str, str]] = {}
    for year in years:
        for scenario in scenarios:
            for s in results[year].schemes[scenario]:
                if s.id not in schemes:
                    schemes.append(s.id)
                if s.exists:
                    scheme_names.setdefault(s.id, (s.name, s.cost_kind))
    per_year: list[dict[str, Any]] = []
    totals: dict[str, dict[str, Any]] = {
        s: {"scheme": s, "name": scheme_names[s][0], "cost_kind": scheme_names[s][1], "not_computed": []}
        for s in schemes
    }
    for year in years:
        r = results[year]
        changes = r.winners_losers.get("by_scheme", {}) if reform is not None else {}
        for scheme in schemes:
            row: dict[str, Any] = {"year": year, "scheme": scheme, "name": scheme_names[scheme][0]}
            total = totals[scheme]
            cells = {}
            missing: list[str] = []
            reason = ""
            for scenario in scenarios:
                cell = cells[scenario] = _cell(r, scenario, scheme)
                key = names[scenario]
                row[f"{key}_computed"] = cell["computed"]
                row[f"{key}_cost_eur"] = cell.get("cost_eur")
                row[f"{key}_reached_firms"] = cell.get("reached_firms")
                row[f"{key}_sme_share_money"] = cell.get("sme_share_money")
                if cell["computed"]:
                    total.setdefault(f"{key}_cost_eur", 0.0)
                    total[f"{key}_cost_eur"] += cell["cost_eur"]
                    total.setdefault(f"{key}_years", []).append(year)
                elif cell.get("exists", True):
                    missing.append(key)
                    reason = reason or cell["reason"]
            row["not_computed"] = missing
            row["reason"] = reason
            if missing:
                total["not_computed"].append({"year": year, "scenarios": missing, "reason": reason})
            if reform is not None:
                both = cells[BASELINE]["computed"] and cells[REFORM]["computed"]
                law_cost = cells[BASELINE].get("cost_eur", 0.0) if cells[BASELINE]["computed"] else 0.0
                # a new scheme is not part of the law: its whole cost is the difference
                if both or (cells[REFORM]["computed"] and not cells[BASELINE].get("exists", True)):
                    row["difference_cost_eur"] = round(cells[REFORM]["cost_eur"] - law_cost, 2)
                    total.setdefault("difference_cost_eur", 0.0)
                    total["difference_cost_eur"] += row["difference_cost_eur"]
                    total.setdefault("difference_years", []).append(year)
                else:
                    row["difference_cost_eur"] = None
                row["winners"] = changes.get(scheme, {}).get("winners")
                row["losers"] = changes.get(scheme, {}).get("losers")
            per_year.append(row)
    for total in totals.values():
        for key in ("law_cost_eur", "reform_cost_eur", "difference_cost_eur"):
            if key in total:
                total[key] = round(total[key], 2)
    by_year = []
    for year in years:
        rows = [r for r in per_year if r["year"] == year]
        entry: dict[str, Any] = {
            "year": year,
            "law_cost_eur": round(sum(r["law_cost_eur"] or 0.0 for r in rows), 2),
            "not_computed": [r["scheme"] for r in rows if r["not_computed"]],
        }
        if reform is not None:
            entry["reform_cost_eur"] = round(sum(r["reform_cost_eur"] or 0.0 for r in rows), 2)
            entry["difference_cost_eur"] = round(sum(r["difference_cost_eur"] or 0.0 for r in rows), 2)
            entry["winners"] = results[year].winners_losers["total"]["winners"]
            entry["losers"] = results[year].winners_losers["total"]["losers"]
        by_year.append(entry)
    window_total: dict[str, Any] = {
        "law_cost_eur": round(sum(t.get("law_cost_eur", 0.0) for t in totals.values()), 2),
        "incomplete": [t["scheme"] for t in totals.values() if t["not_computed"]],
    }
    if reform is not None:
        window_total["reform_cost_eur"] = round(
            sum(t.get("reform_cost_eur", 0.0) for t in totals.values()), 2
        )
        window_total["difference_cost_eur"] = round(
            sum(t.get("difference_cost_eur", 0.0) for t in totals.values()), 2
        )
    notes: list[str] = []
    for year in years:
        notes.extend(f"{year}: {n}" for n in results[year].notes if not n.startswith("SYNTHETIC"))
    synthetic = [n for year in years for n in results[year].notes if n.startswith("SYNTHETIC")]
    notes.extend(dict.fromkeys(synthetic))
    return {
        "kind": "window",
        "years": years,
        "reform": reform.as_dict() if reform is not None else None,
        "population": {str(year): results[year].population.as_dict() for year in years},
        "run": run,
        "definitions": {
            "window_total": "per scheme, the sum over the years the scheme is computed in (listed); the "
            "years it is not computed in are listed with their reason and never filled in",
            "incomplete": "schemes with at least one year not computed: their totals cover fewer years",
        },
        "by_year": by_year,
        "per_year": per_year,
        "totals": list(totals.values()),
        "window_total": window_total,
        "notes": notes,
    }


def export_window(payload: dict[str, Any], out: Path, charts: bool = True) -> list[Path]:
    """window.json, window.csv (per year and scheme), window_totals.csv, and the chart
    (window.png, window.html)."""
    out.mkdir(parents=True, exist_ok=True)
    written = [write_json(out / "window.json", payload), write_csv(out / "window.csv", payload["per_year"])]
    totals = [
        {
            **{k: v for k, v in t.items() if k != "not_computed" and not k.endswith("_years")},
            **{k: " ".join(map(str, v)) for k, v in t.items() if k.endswith("_years")},
            "not_computed": "; ".join(
                f"{n['year']} ({', '.join(n['scenarios'])}): {n['reason']}" for n in t["not_computed"]
            ),
        }
        for t in payload["totals"]
    ]
    written.append(write_csv(out / "window_totals.csv", totals))
    if charts:
        from peloton.simulate.study_charts import write_window_charts

        written += write_window_charts(payload, out)
    return written


def run_window(
    years: str | Sequence[int],
    reform: Path | str | Mapping[str, Any] | None = None,
    options: StudyOptions | None = None,
    out: Path | None = None,
    charts: bool = True,
    progress: Progress = _silent,
) -> dict[str, Any]:
    """A budget window: the JSON document `peloton simulate --years ... --json` prints (exports to `out`
    when given). `reform`: a reform file, or its mapping (the API's JSON)."""
    parsed = parse_years(years)
    data, source = reform_data(reform)
    spec = reform_of(data, source)
    plans: dict[Hashable, Plan] = {year: Plan(year=year, reform=spec) for year in parsed}
    results, run = run_study(plans, options or StudyOptions(), progress)
    payload = window_payload(parsed, spec, {y: results[y] for y in parsed}, run)
    if out is not None:
        export_window(payload, out, charts)
    return payload
