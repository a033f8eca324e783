"""Cost curves: one parameter of the law (or of a reform's new scheme) stepped through values, each step
an ordinary reform run on the same population.

`PARAMETER=START:STOP:STEP` (STOP included when a step lands on it) or `PARAMETER=v1,v2,...`. The
parameter is a path of the rules' parameters (`wbso.afdrachtvermindering.plafond_schijf_1`, a change
from 1 January of the year, or the base reform's own change of it), or a field of a new scheme of the
base reform (`procesinnovatie_mkb.maximum`, also written `hervorming.procesinnovatie_mkb.maximum`).
Each step's reform is the base reform's mapping with that value set, validated by `parse_reform` as
any reform file is, so a value the parameter cannot take is refused before anything runs, naming it.

Per step: the cost per scheme against the law, firms reached, the SME share of firms and of money,
winners and losers, and the marginal cost of the step (the change of the total cost difference from
the previous step, also per unit of the parameter). `run_sweep` returns the JSON document that
`peloton simulate --sweep --json` prints; the CLI and the REST API call it.
"""

from __future__ import annotations

import copy
import csv
import json
import re
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from peloton.errors import InputError
from peloton.model.reforms import ReformSpec, parse_reform
from peloton.model.reforms.spec import REFORM_NODE
from peloton.simulate.evaluation import BASELINE, REFORM, Plan
from peloton.simulate.results import Results
from peloton.simulate.study import Progress, StudyOptions, _silent, check_year, reform_data, run_study

MAX_STEPS = 1_000
SCHEME_FIELDS = ("percentage", "maximum", "amount", "minimum_costs")  # the numbers of a new scheme
_NESTED = ("schemes", "parameter_changes", "not_computed")  # not one CSV cell each
_SPEC = re.compile(r"^\s*([A-Za-z0-9_.]+)\s*=\s*(.+?)\s*$")


@dataclass(frozen=True)
class Sweep:
    parameter: str
    values: tuple[float | bool, ...]


def _value(text: str) -> float | bool:
    word = text.strip().lower()
    if word in ("true", "false"):
        return word == "true"
    try:
        value = Decimal(word)
    except InvalidOperation:
        raise InputError("sweep", f"{text.strip()[:40]!r} is not a number") from None
    if not value.is_finite():
        raise InputError("sweep", f"{text.strip()[:40]!r} is not a finite number")
    return float(value)


def parse_sweep(text: str) -> Sweep:
    """`PARAMETER=START:STOP:STEP` or `PARAMETER=v1,v2,...` -> a Sweep (values not yet validated
    against the parameter: that is the reform validation's job, per step)."""
    match = _SPEC.match(text or "")
    if match is None:
        raise InputError("sweep", "expected PARAMETER=START:STOP:STEP or PARAMETER=v1,v2,...")
    parameter, rhs = match.group(1), match.group(2)
    if ":" in rhs:
        parts = rhs.split(":")
        if len(parts) != 3:
            raise InputError("sweep", "a range is START:STOP:STEP")
        try:
            start, stop, step = (Decimal(p.strip()) for p in parts)
        except InvalidOperation:
            raise InputError("sweep", f"{rhs[:60]!r}: START, STOP and STEP must be numbers") from None
        if not all(d.is_finite() for d in (start, stop, step)):
            raise InputError("sweep", "START, STOP and STEP must be finite numbers")
        if step == 0 or (stop - start) * step < 0:
            raise InputError("sweep", f"STEP {step} does not lead from {start} to {stop}")
        count = int((stop - start) / step) + 1  # Decimal: no float drift, STOP included when reached
        if count > MAX_STEPS:
            raise InputError("sweep", f"{count} steps; at most {MAX_STEPS}")
        values: tuple[float | bool, ...] = tuple(float(start + i * step) for i in range(count))
    else:
        values = tuple(_value(v) for v in rhs.split(",") if v.strip())
        if not values:
            raise InputError("sweep", "no values")
        if len(values) > MAX_STEPS:
            raise InputError("sweep", f"{len(values)} values; at most {MAX_STEPS}")
    if len(set(values)) != len(values):
        raise InputError("sweep", "a value appears twice")
    return Sweep(parameter, values)


def _shown(value: float | bool) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return f"{value:.10g}"


def step_data(
    base: Mapping[str, Any] | None, parameter: str, value: float | bool, year: int
) -> dict[str, Any]:
    """The reform mapping of one step: the base reform (or none) with the parameter set to `value`."""
    data: dict[str, Any] = copy.deepcopy(dict(base)) if base is not None else {}
    base_name = data.get("name") or "law"
    data["name"] = f"{base_name}: {parameter} = {_shown(value)}"
    path = parameter.removeprefix(f"{REFORM_NODE}.").removeprefix("new_schemes.")
    head, _, field_name = path.partition(".")
    schemes = data.get("new_schemes") or []
    scheme = next((s for s in schemes if isinstance(s, dict) and s.get("id") == head), None)
    if scheme is not None:
        if field_name not in SCHEME_FIELDS:
            raise InputError(
                "sweep", f"{head} is a new scheme: sweep one of its fields {', '.join(SCHEME_FIELDS)}"
            )
        scheme[field_name] = value
        return data
    changes = list(data.get("parameter_changes") or [])
    own = next((c for c in changes if isinstance(c, dict) and c.get("parameter") == parameter), None)
    if own is not None:
        own["value"] = value  # the base reform's dates stay: the sweep varies its value
    else:
        changes.append({"parameter": parameter, "value": value, "start": f"{year}-01-01"})
    data["parameter_changes"] = changes
    return data


def step_reforms(base: Mapping[str, Any] | None, source: str, sweep: Sweep, year: int) -> list[ReformSpec]:
    """Every step's reform, validated like a reform file; a bad path or value is one line naming it."""
    out = []
    for value in sweep.values:
        try:
            out.append(parse_reform(step_data(base, sweep.parameter, value, year), source=source or "sweep"))
        except InputError as exc:
            if exc.field == "sweep":
                raise
            raise InputError("sweep", f"{sweep.parameter} = {_shown(value)}: {exc.problem}") from None
    return out


def _scheme_rows(results: Results) -> list[dict[str, Any]]:
    rows = []
    for row in results.difference():
        stats = results.stats(REFORM, row["scheme"])
        rows.append(
            {
                "scheme": row["scheme"],
                "name": row["name"],
                "cost_kind": row["cost_kind"],
                "computed": not row["not_computed"],
                "reason": row["not_computed"],
                "law_cost_eur": row["baseline_cost_eur"],
                "cost_eur": row["reform_cost_eur"],
                "difference_cost_eur": row["difference_cost_eur"],
                "reached_firms": row["reform_reached_firms"],
                "difference_reached_firms": row["difference_reached_firms"],
                "sme_share_firms": stats.sme_share_firms,
                "sme_share_money": stats.sme_share_money,
                "winners": row["winners"],
                "losers": row["losers"],
            }
        )
    return rows


def _share(part: float, whole: float) -> float | None:
    return None if whole <= 0 else part / whole


def sweep_table(sweep: Sweep, results: list[Results]) -> list[dict[str, Any]]:
    """One row per step: its totals, the marginal cost against the previous step, its schemes."""
    steps: list[dict[str, Any]] = []
    previous: tuple[float | bool, float] | None = None
    for i, (value, r) in enumerate(zip(sweep.values, results, strict=True)):
        schemes = _scheme_rows(r)
        computed = [s for s in schemes if s["computed"]]
        difference = round(sum(s["difference_cost_eur"] for s in computed), 2)
        total = r.winners_losers["total"]
        by_size = r.winners_losers["by"]["size_class"]
        sme_winners = sum(g["winners"] for g in by_size if g["group"] != "groot")
        sme_gains = sum(g["gains_eur"] for g in by_size if g["group"] != "groot")
        marginal = per_unit = None
        if previous is not None:
            marginal = round(difference - previous[1], 2)
            if not isinstance(value, bool) and not isinstance(previous[0], bool) and value != previous[0]:
                per_unit = marginal / (value - previous[0])
        steps.append(
            {
                "step": i,
                "value": value,
                "reform": r.plan.reform.name if r.plan.reform else "",
                "cost_eur": round(sum(s["cost_eur"] for s in computed), 2),
                "law_cost_eur": round(sum(s["law_cost_eur"] for s in computed), 2),
                "difference_cost_eur": difference,
                "marginal_cost_eur": marginal,
                "marginal_cost_per_unit": per_unit,
                "winners": total["winners"],
                "losers": total["losers"],
                "gains_eur": total["gains_eur"],
                "losses_eur": total["losses_eur"],
                "sme_share_winners": _share(sme_winners, total["winners"]),
                "sme_share_gains": _share(sme_gains, total["gains_eur"]),
                "not_computed": [s["scheme"] for s in schemes if not s["computed"]],
                "parameter_changes": r.reform_changes,
                "schemes": schemes,
            }
        )
        previous = (value, difference)
    return steps


def sweep_payload(
    year: int,
    sweep: Sweep,
    base: ReformSpec | None,
    results: list[Results],
    run: dict[str, Any],
) -> dict[str, Any]:
    """The JSON document of a sweep: what was varied, on what, the law, and the whole table."""
    first = results[0]
    law = [
        {
            "scheme": s.id,
            "name": s.name,
            "cost_kind": s.cost_kind,
            "computed": s.computed,
            "reason": s.reason,
            "cost_eur": s.cost_eur,
            "reached_firms": s.reached_firms,
            "sme_share_firms": s.sme_share_firms,
            "sme_share_money": s.sme_share_money,
        }
        for s in first.schemes[BASELINE]
    ]
    notes: list[str] = []
    for r in results:
        notes.extend(n for n in r.notes if n not in notes)
    return {
        "kind": "sweep",
        "year": year,
        "parameter": sweep.parameter,
        "values": list(sweep.values),
        "base_reform": base.as_dict() if base is not None else None,
        "population": first.population.as_dict(),
        "run": run,
        "definitions": {
            "cost_eur": "sum over the schemes computed of the cost to the government (paid, tax forgone, "
            "credit lent) under the step's reform",
            "difference_cost_eur": "that cost minus the law's, same schemes",
            "marginal_cost_eur": "difference_cost_eur minus the previous step's (null for the first step)",
            "marginal_cost_per_unit": "marginal_cost_eur per unit of the parameter between the two steps",
            "winners": "firms whose worth from all schemes rises by more than EUR 1 against the law",
        },
        "law": law,
        "steps": sweep_table(sweep, results),
        "notes": notes,
    }


def write_json(path: Path, payload: dict[str, Any]) -> Path:
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    return path


def write_csv(path: Path, rows: list[dict[str, Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in rows:
            writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return path


def export_sweep(payload: dict[str, Any], out: Path, charts: bool = True) -> list[Path]:
    """sweep.json (the whole table), sweep.csv (a row per step), sweep_schemes.csv (per step and
    scheme), and the cost-curve chart (cost_curve.png, cost_curve.html)."""
    out.mkdir(parents=True, exist_ok=True)
    written = [write_json(out / "sweep.json", payload)]
    context = {"year": payload["year"], "parameter": payload["parameter"]}
    label = payload["population"]["label"]
    steps = [
        {**context, **{k: v for k, v in s.items() if k not in _NESTED},
         "not_computed": "; ".join(s["not_computed"]), "population": label}
        for s in payload["steps"]
    ]  # fmt: skip
    written.append(write_csv(out / "sweep.csv", steps))
    schemes = [
        {**context, "step": s["step"], "value": s["value"], **row, "population": label}
        for s in payload["steps"]
        for row in s["schemes"]
    ]
    written.append(write_csv(out / "sweep_schemes.csv", schemes))
    if charts:
        from peloton.simulate.study_charts import write_sweep_charts

        written += write_sweep_charts(payload, out)
    return written


def run_sweep(
    year: int,
    sweep: str | Sweep,
    reform: Path | str | Mapping[str, Any] | None = None,
    options: StudyOptions | None = None,
    out: Path | None = None,
    charts: bool = True,
    progress: Progress = _silent,
) -> dict[str, Any]:
    """A cost curve: the JSON document `peloton simulate --sweep ... --json` prints (exports to `out`
    when given). `reform` is the base: a reform file, or its mapping (the API's JSON)."""
    check_year(year)
    parsed = parse_sweep(sweep) if isinstance(sweep, str) else sweep
    base_data, source = reform_data(reform)
    base = parse_reform(base_data, source=source) if base_data is not None else None
    specs = step_reforms(base_data, source, parsed, year)
    plans: dict[Hashable, Plan] = {i: Plan(year=year, reform=spec) for i, spec in enumerate(specs)}
    results, run = run_study(plans, options or StudyOptions(), progress)
    payload = sweep_payload(year, parsed, base, [results[i] for i in range(len(specs))], run)
    if out is not None:
        export_sweep(payload, out, charts)
    return payload
