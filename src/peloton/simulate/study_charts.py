"""Charts of a sweep (the cost curve) and of a budget window, drawn from their JSON documents: PNG
(matplotlib) and a self-contained HTML page (plotly, inline), each footed with the population and
the run, each HTML chart with its table of numbers and the CSV it comes from (as charts.py does for
one simulation)."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from peloton.simulate.charts import COLORS, figure_html, html_page, numbers_table


def _m(value: float | None) -> float:
    return float("nan") if value is None else value / 1e6


def _changing(payload: dict[str, Any]) -> list[str]:
    """The schemes whose cost moves in some step (the others would draw flat lines at zero)."""
    out: list[str] = []
    for step in payload["steps"]:
        for row in step["schemes"]:
            if row["computed"] and row["difference_cost_eur"] and row["scheme"] not in out:
                out.append(row["scheme"])
    return out


def _sweep_footer(payload: dict[str, Any]) -> str:
    base = payload["base_reform"]
    run = payload["run"]
    return (
        f"{payload['population']['label']} · {payload['year']} · sweep of {payload['parameter']}"
        + (f" on reform: {base['name']}" if base else " on the law")
        + f" · engine {run['engine']}, {run['workers']} workers, {run['tasks']} tasks"
    )


def write_sweep_charts(payload: dict[str, Any], out: Path) -> list[Path]:
    """cost_curve.png and cost_curve.html: cost against the law per step (total and per scheme), the
    marginal cost of each step, and the winners."""
    steps = payload["steps"]
    xs = [s["value"] for s in steps]
    schemes = _changing(payload)
    per_scheme = {
        scheme: [
            _m(next(r for r in s["schemes"] if r["scheme"] == scheme)["difference_cost_eur"]) for s in steps
        ]
        for scheme in schemes
    }
    total = [_m(s["difference_cost_eur"]) for s in steps]
    marginal = [_m(s["marginal_cost_eur"]) for s in steps]
    winners = [s["winners"] for s in steps]
    parameter = payload["parameter"]
    fig, axes = plt.subplots(3, 1, figsize=(9, 10))
    axes[0].plot(xs, total, marker="o", color=COLORS["reform"], label="all schemes")
    for scheme, ys in per_scheme.items():
        axes[0].plot(xs, ys, marker=".", linestyle="--", label=scheme)
    axes[0].set_ylabel("EUR million")
    axes[0].set_title(f"Cost against the law, {payload['year']}")
    axes[0].legend(fontsize=8)
    numeric = [float(x) for x in xs]
    gaps = [abs(b - a) for a, b in pairwise(numeric) if b != a]
    axes[1].bar(numeric, marginal, width=0.6 * min(gaps, default=1.0), color=COLORS["baseline"])
    axes[1].set_ylabel("EUR million")
    axes[1].set_title("Marginal cost of each step (against the previous step)")
    axes[2].plot(xs, winners, marker="o", color=COLORS["baseline"])
    axes[2].set_ylabel("firms")
    axes[2].set_title("Winners (worth from all schemes up by more than EUR 1)")
    for ax in axes:
        ax.grid(alpha=0.3)
    for ax in axes:
        ax.set_xlabel(parameter)
    fig.text(0.01, 0.005, _sweep_footer(payload), fontsize=6.5, ha="left", va="bottom", wrap=True)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    png = out / "cost_curve.png"
    fig.savefig(png, dpi=120)
    plt.close(fig)

    curve = make_subplots(rows=1, cols=1)
    curve.add_trace(go.Scatter(x=xs, y=total, mode="lines+markers", name="all schemes"))
    for scheme, ys in per_scheme.items():
        curve.add_trace(go.Scatter(x=xs, y=ys, mode="lines+markers", name=scheme, line={"dash": "dash"}))
    curve.update_layout(height=420, xaxis_title=parameter, yaxis_title="EUR million")
    bars = make_subplots(rows=1, cols=1)
    bars.add_trace(go.Bar(x=[f"{x:,.6g}" for x in xs], y=marginal, name="marginal cost"))
    bars.update_layout(height=320, xaxis_title=parameter, yaxis_title="EUR million")
    reach = make_subplots(rows=1, cols=1)
    reach.add_trace(go.Scatter(x=xs, y=winners, mode="lines+markers", name="winners"))
    reach.update_layout(height=320, xaxis_title=parameter, yaxis_title="firms")
    rows = [
        [
            f"{s['value']:,.10g}",
            f"{_m(s['difference_cost_eur']):,.2f}",
            "-" if s["marginal_cost_eur"] is None else f"{_m(s['marginal_cost_eur']):,.2f}",
            f"{s['winners']:,.0f}",
            "-" if s["sme_share_winners"] is None else f"{s['sme_share_winners']:.1%}",
        ]
        for s in steps
    ]
    sections = [
        "<section><h2>Cost against the law (EUR million)</h2>"
        + figure_html(curve, "cost_curve")
        + numbers_table(
            [parameter, "cost against the law", "marginal cost", "winners", "SME share of winners"],
            rows,
            "sweep.csv",
            out,
            "Per step (EUR million; firms)",
        )
        + "</section>",
        "<section><h2>Marginal cost of each step (EUR million)</h2>"
        + figure_html(bars, "marginal")
        + "</section>",
        "<section><h2>Winners (firms)</h2>" + figure_html(reach, "winners") + "</section>",
    ]
    last = steps[-1]
    headline = (
        f"{parameter} from {steps[0]['value']:,.10g} to {last['value']:,.10g}: cost against the law "
        f"EUR {_m(steps[0]['difference_cost_eur']):,.1f} m to EUR {_m(last['difference_cost_eur']):,.1f} m; "
        f"winners {steps[0]['winners']:,.0f} to {last['winners']:,.0f}"
    )
    page = html_page(
        f"peloton simulate {payload['year']} · sweep of {parameter}",
        headline,
        payload["population"]["label"],
        _sweep_footer(payload),
        sections,
        payload["notes"],
        ["sweep.json", "sweep.csv", "sweep_schemes.csv"],
    )
    page_path = out / "cost_curve.html"
    page_path.write_text(page, encoding="utf-8")
    return [png, page_path]


def write_window_charts(payload: dict[str, Any], out: Path) -> list[Path]:
    """window.png and window.html: the cost per scheme in each year under the law (and the reform); a
    year a scheme is not computed in has no point (a gap in the line, never a zero)."""
    years = payload["years"]
    rows = payload["per_year"]
    reform = payload["reform"] is not None
    schemes = [t["scheme"] for t in payload["totals"]]
    keys = ["law", "reform"] if reform else ["law"]

    def series(scheme: str, key: str) -> list[float]:
        by_year = {r["year"]: r for r in rows if r["scheme"] == scheme}
        return [_m(by_year[y][f"{key}_cost_eur"]) for y in years]

    shown = [s for s in schemes if any((v or 0) > 0 for k in keys for v in series(s, k))]
    fig, ax = plt.subplots(figsize=(9, 5))
    for scheme in shown:
        for key in keys:
            ax.plot(years, series(scheme, key), marker="o", linestyle="-" if key == "law" else "--",
                    label=f"{scheme} ({key})")  # fmt: skip
    ax.set_xticks(years)
    ax.set_ylabel("EUR million")
    ax.set_title("Cost to the government per scheme and year")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, ncol=2)
    footer = f"{next(iter(payload['population'].values()))['label']} (each year its own population) · " + (
        f"reform: {payload['reform']['name']}" if reform else "the law"
    )
    fig.text(0.01, 0.005, footer, fontsize=6.5, ha="left", va="bottom", wrap=True)
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    png = out / "window.png"
    fig.savefig(png, dpi=120)
    plt.close(fig)

    chart = make_subplots(rows=1, cols=1)
    for scheme in shown:
        for key in keys:
            chart.add_trace(
                go.Scatter(x=years, y=series(scheme, key), mode="lines+markers", name=f"{scheme} ({key})",
                           line={"dash": "solid" if key == "law" else "dash"})
            )  # fmt: skip
    chart.update_layout(height=460, xaxis_title="year", yaxis_title="EUR million")
    head = ["scheme", *(f"{y} {k}" for y in years for k in keys), "window total", "not computed"]
    table_rows = []
    for total in payload["totals"]:
        cells = [total["scheme"]]
        for y in years:
            row = next(r for r in rows if r["scheme"] == total["scheme"] and r["year"] == y)
            for k in keys:
                value = row[f"{k}_cost_eur"]
                cells.append("not computed" if value is None else f"{value / 1e6:,.1f}")
        key = "difference_cost_eur" if reform else "law_cost_eur"
        cells.append(f"{total[key] / 1e6:,.1f}" if key in total else "-")
        cells.append(", ".join(str(n["year"]) for n in total["not_computed"]) or "-")
        table_rows.append(cells)
    window = payload["window_total"]
    headline = (
        f"{years[0]}-{years[-1]}: law EUR {window['law_cost_eur'] / 1e6:,.1f} m"
        + (
            f", reform EUR {window['reform_cost_eur'] / 1e6:,.1f} m, difference "
            f"EUR {window['difference_cost_eur'] / 1e6:+,.1f} m"
            if reform
            else ""
        )
        + (
            f"; incomplete (years not computed): {', '.join(window['incomplete'])}"
            if window["incomplete"]
            else ""
        )
    )
    section = (
        "<section><h2>Cost per scheme and year (EUR million)</h2>"
        + figure_html(chart, "window")
        + numbers_table(
            head,
            table_rows,
            "window.csv",
            out,
            "Cost per scheme and year (EUR million); window total: "
            + ("reform minus law" if reform else "the law")
            + ", over the years computed",
        )
        + "</section>"
    )
    page = html_page(
        f"peloton simulate {years[0]}-{years[-1]}" + (f" · {payload['reform']['name']}" if reform else ""),
        headline,
        footer,
        footer,
        [section],
        payload["notes"],
        ["window.json", "window.csv", "window_totals.csv"],
    )
    page_path = out / "window.html"
    page_path.write_text(page, encoding="utf-8")
    return [png, page_path]
