"""The simulator's result tables (each one a chart's data and a CSV): a run's cost per scheme under
the law and the reform, one scheme's breakdown by size class, SBI section and province, winners and
losers; and a sweep's cost curve, its steps and its schemes per step. They read the documents the
simulator writes (`peloton simulate --json` and `--sweep --json`), nothing else."""

from __future__ import annotations

from typing import Any

from peloton.core.parameters import ParameterPathError, parameter_node
from peloton.web import i18n
from peloton.web.datatables import Column, DataTable

DIMENSIONS = ("size_class", "sbi_section", "province")


def value_kind(path: str) -> str:
    """How a parameter's values are shown: euro, percent (a fraction) or a plain number."""
    node = parameter_node(path)
    unit = str((getattr(node, "metadata", {}) or {}).get("unit", ""))
    return "euro" if unit.startswith("currency") else ("percent" if unit in ("/1", "rate") else "number")


def _scheme_columns(lang: str) -> list[Column]:
    """A scheme's cost under the law and the reform, the difference, its reach and SME shares."""
    t = i18n.text
    return [
        Column(t(lang, "scheme")),
        Column(t(lang, "law"), "euro"),
        Column(t(lang, "reform"), "euro"),
        Column(t(lang, "difference"), "euro"),
        Column(t(lang, "firms_reached"), "number"),
        Column(t(lang, "sme_share_firms"), "percent"),
        Column(t(lang, "sme_share_money"), "percent"),
    ]


def cost_table(results: dict[str, Any], lang: str) -> DataTable:
    t = i18n.text
    reform = {s["id"]: s for s in results["schemes"].get("reform", [])}
    rows = []
    for d in results["difference"]:
        r = reform.get(d["scheme"], {})
        rows.append(
            [
                d["name"],
                d["baseline_cost_eur"],
                d["reform_cost_eur"],
                d["difference_cost_eur"],
                d["reform_reached_firms"],
                r.get("sme_share_firms"),
                r.get("sme_share_money"),
            ]
        )
    return DataTable(
        "cost",
        t(lang, "sim_cost"),
        _scheme_columns(lang),
        rows,
        chart="bar",
    )


def group_tables(results: dict[str, Any], scheme: str, lang: str) -> list[DataTable]:
    t = i18n.text
    law = next((s for s in results["schemes"]["baseline"] if s["id"] == scheme), None)
    new = next((s for s in results["schemes"].get("reform", []) if s["id"] == scheme), law)
    if law is None or new is None:
        return []
    names = {"size_class": "grootteklasse", "sbi_section": "SBI-sectie", "province": "provincie"}
    tables = []
    for dim in DIMENSIONS:
        base = {g["group"]: g for g in law.get("by", {}).get(dim, [])}
        reformed = {g["group"]: g for g in new.get("by", {}).get(dim, [])}
        zero = {"cost_eur": 0.0, "reached": 0.0}  # a new scheme's groups are empty under the law
        rows = [
            [
                group,
                base.get(group, zero)["cost_eur"],
                reformed.get(group, {}).get("cost_eur"),
                (reformed.get(group, {}).get("cost_eur") or 0.0) - base.get(group, zero)["cost_eur"],
                base.get(group, zero)["reached"],
                reformed.get(group, {}).get("reached"),
            ]
            for group in dict.fromkeys([*base, *reformed])
        ]
        if not rows:
            continue
        label = names[dim] if lang == "nl" else dim.replace("_", " ")
        # where the scheme's users sit by sector or province is an assumption on the synthetic population
        assumed = (new.get("breakdown_basis") or {}).get(dim, {}).get("basis") == "assumption"
        suffix = f" ({t(lang, 'sim_basis_assumption')})" if assumed else ""
        tables.append(
            DataTable(
                f"by_{dim}",
                f"{law['name']}: {t(lang, 'by_group', group=label)}{suffix}",
                [
                    Column(label),
                    Column(t(lang, "law"), "euro"),
                    Column(t(lang, "reform"), "euro"),
                    Column(t(lang, "difference"), "euro"),
                    Column(f"{t(lang, 'firms_reached')} ({t(lang, 'law')})", "number"),
                    Column(f"{t(lang, 'firms_reached')} ({t(lang, 'reform')})", "number"),
                ],
                rows,
                chart="bar",
                notes=[t(lang, f"sim_basis_{dim}")] if assumed else [],
            )
        )
    return tables


def winners_table(results: dict[str, Any], lang: str) -> DataTable:
    t = i18n.text
    wl = results.get("winners_losers", {})
    rows = [
        [scheme, v["winners"], v["gains_eur"], v["losers"], v["losses_eur"]]
        for scheme, v in wl.get("by_scheme", {}).items()
        if v["winners"] or v["losers"]
    ]
    total = wl.get("total")
    if total:
        rows.append(["total", total["winners"], total["gains_eur"], total["losers"], total["losses_eur"]])
    winners, losers = ("winnaars", "verliezers") if lang == "nl" else ("winners", "losers")
    return DataTable(
        "winners_losers",
        t(lang, "winners_losers"),
        [
            Column(t(lang, "scheme")),
            Column(winners, "number"),
            Column(f"{t(lang, 'amount')} +", "euro"),
            Column(losers, "number"),
            Column(f"{t(lang, 'amount')} −", "euro"),
        ],
        rows,
    )


def _changed_schemes(payload: dict[str, Any]) -> list[str]:
    """The schemes whose cost differs from the law's in some step, in the law's order."""
    changed = {
        row["scheme"]
        for step in payload["steps"]
        for row in step["schemes"]
        if row["computed"] and abs(row["difference_cost_eur"] or 0) >= 0.005
    }
    return [s["scheme"] for s in payload["law"] if s["scheme"] in changed]


def sweep_tables(payload: dict[str, Any], lang: str) -> list[DataTable]:
    """The cost curve (the total cost difference and each changed scheme's, per value of the
    parameter), the table of steps, and each changed scheme per step."""
    t = i18n.text
    parameter = payload["parameter"]
    try:
        kind = value_kind(parameter)
    except ParameterPathError:  # a new scheme's field (hervorming.<id>.maximum): not a parameter of the law
        kind = "percent" if parameter.endswith("percentage") else "euro"
    digits = 4 if kind == "number" else 0
    value_column = Column(parameter, kind, digits)
    changed = _changed_schemes(payload)
    names = {s["scheme"]: s["name"] for s in payload["law"]}
    by_step = [{row["scheme"]: row for row in step["schemes"]} for step in payload["steps"]]
    curve = DataTable(
        "cost_curve",
        t(lang, "sweep_curve", parameter=parameter),
        [
            value_column,
            Column(f"{t(lang, 'difference')}: {t(lang, 'sim_total')}", "euro"),
            *[Column(f"{t(lang, 'difference')}: {names[s]}", "euro") for s in changed],
        ],
        [
            [step["value"], step["difference_cost_eur"], *[rows[s]["difference_cost_eur"] for s in changed]]
            for step, rows in zip(payload["steps"], by_step, strict=True)
        ],
        chart="line",
    )
    steps = DataTable(
        "steps",
        t(lang, "sweep_steps"),
        [
            value_column,
            Column(f"{t(lang, 'reform')}: {t(lang, 'sim_total')}", "euro"),
            Column(t(lang, "difference"), "euro"),
            Column(t(lang, "sweep_marginal"), "euro"),
            Column(t(lang, "sweep_marginal_unit"), "number", 2),
            Column("winnaars" if lang == "nl" else "winners", "number"),
            Column("verliezers" if lang == "nl" else "losers", "number"),
            Column(t(lang, "sweep_sme_winners"), "percent"),
            Column(t(lang, "sweep_sme_gains"), "percent"),
        ],
        [
            [
                s["value"],
                s["cost_eur"],
                s["difference_cost_eur"],
                s["marginal_cost_eur"],
                s["marginal_cost_per_unit"],
                s["winners"],
                s["losers"],
                s["sme_share_winners"],
                s["sme_share_gains"],
            ]
            for s in payload["steps"]
        ],
    )
    per_scheme = DataTable(
        "step_schemes",
        t(lang, "sweep_schemes"),
        [value_column, *_scheme_columns(lang)],
        [
            [
                step["value"],
                rows[s]["name"],
                rows[s]["law_cost_eur"],
                rows[s]["cost_eur"],
                rows[s]["difference_cost_eur"],
                rows[s]["reached_firms"],
                rows[s]["sme_share_firms"],
                rows[s]["sme_share_money"],
            ]
            for step, rows in zip(payload["steps"], by_step, strict=True)
            for s in changed
        ],
    )
    return [curve, steps, per_scheme]
