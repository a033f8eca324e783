"""Charts of a simulation: PNG (matplotlib, for reports) and one self-contained HTML page (plotly).

The HTML page carries plotly.js inline, so it opens offline (no CDN), as the monitor's report does.
Every chart is footed with the population it ran on (SYNTHETIC or the user's file, weighted count),
the year, the reform and the take-up, so a chart is never shown without them.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display: files only

import matplotlib.pyplot as plt
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs
from plotly.subplots import make_subplots

from peloton.simulate.results import Results

COLORS = {"baseline": "#4c72b0", "reform": "#dd8452"}
DIMENSION_TITLES = {
    "size_class": "size class (EU SME definition)",
    "sbi_section": "SBI section",
    "province": "province",
}


def _footer(results: Results) -> str:
    reform = f" · reform: {results.plan.reform.name}" if results.plan.reform else ""
    takeup = "; ".join(
        f"{t['scheme']} {t['method']}" + (" (upper bound)" if t.get("upper_bound") else "")
        for t in results.takeup_table()
    )
    return f"{results.population.label()} · {results.year}{reform} · take-up: {takeup}"


def _schemes_with_money(results: Results) -> list[str]:
    return [
        s for s in results.scheme_ids() if any(results.stats(sc, s).cost_eur > 0 for sc in results.schemes)
    ]


def _groups(results: Results, scheme: str, dim: str) -> tuple[list[str], dict[str, list[float]]]:
    labels: list[str] = []
    for scenario in results.schemes:
        for g in results.stats(scenario, scheme).by.get(dim, []):
            if g.group not in labels:
                labels.append(g.group)
    values: dict[str, list[float]] = {}
    for scenario in results.schemes:
        by = {g.group: g.cost_eur / 1e6 for g in results.stats(scenario, scheme).by.get(dim, [])}
        values[scenario] = [by.get(label, 0.0) for label in labels]
    return labels, values


def _bar_values(results: Results, key: str, scale: float) -> tuple[list[str], dict[str, list[float]]]:
    schemes = results.scheme_ids()
    return schemes, {
        scenario: [getattr(results.stats(scenario, s), key) / scale for s in schemes]
        for scenario in results.schemes
    }


# ----------------------------------------------------------------------------------- PNG


def _png_bars(ax: Any, labels: list[str], values: dict[str, list[float]], ylabel: str) -> None:
    width = 0.8 / max(len(values), 1)
    for j, (scenario, ys) in enumerate(values.items()):
        xs = [i + (j - (len(values) - 1) / 2) * width for i in range(len(labels))]
        ax.bar(xs, ys, width=width, label=scenario, color=COLORS.get(scenario))
    ax.set_xticks(range(len(labels)))
    ax.set_xticklabels(
        labels, rotation=45 if len(labels) > 6 else 0, ha="right" if len(labels) > 6 else "center"
    )
    ax.set_ylabel(ylabel)
    ax.grid(axis="y", alpha=0.3)
    if len(values) > 1:
        ax.legend()


def _save(fig: Any, results: Results, path: Path) -> Path:
    fig.text(0.01, 0.005, _footer(results), fontsize=6.5, ha="left", va="bottom", wrap=True)
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def write_png(results: Results, out: Path) -> list[Path]:
    """One PNG per chart: cost and reach per scheme, breakdowns, winners and losers."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for key, title, unit, scale in (
        ("cost_eur", "Cost to the government per scheme (paid or tax forgone)", "EUR million", 1e6),
        ("reached_firms", "Firms reached per scheme", "firms", 1.0),
    ):
        labels, values = _bar_values(results, key, scale)
        fig, ax = plt.subplots(figsize=(8, 4.5))
        _png_bars(ax, labels, values, unit)
        ax.set_title(f"{title}, {results.year}")
        written.append(_save(fig, results, out / f"{key.split('_')[0]}_by_scheme.png"))
    schemes = _schemes_with_money(results)
    for dim, title in DIMENSION_TITLES.items():
        if not schemes:
            break
        fig, axes = plt.subplots(len(schemes), 1, figsize=(9, 3.6 * len(schemes)), squeeze=False)
        for ax, scheme in zip(axes[:, 0], schemes, strict=True):
            labels, values = _groups(results, scheme, dim)
            _png_bars(ax, labels, values, "EUR million")
            ax.set_title(f"{scheme}: cost by {title}, {results.year}")
        written.append(_save(fig, results, out / f"cost_by_{dim}.png"))
    if results.winners_losers:
        groups = results.winners_losers["by"]["size_class"]
        fig, ax = plt.subplots(figsize=(8, 4.5))
        _png_bars(
            ax,
            [g["group"] for g in groups],
            {"winners": [g["winners"] for g in groups], "losers": [g["losers"] for g in groups]},
            "firms",
        )
        ax.set_title(f"Winners and losers by size class, {results.year}")
        written.append(_save(fig, results, out / "winners_losers.png"))
    return written


# ----------------------------------------------------------------------------------- HTML


def _plotly_bars(fig: Any, labels: list[str], values: dict[str, list[float]], row: int = 1) -> None:
    for scenario, ys in values.items():
        fig.add_trace(
            go.Bar(name=scenario, x=labels, y=ys, marker_color=COLORS.get(scenario), showlegend=row == 1),
            row=row,
            col=1,
        )


def _figure_html(fig: Any, div_id: str) -> str:
    fig.update_layout(template="plotly_white", barmode="group", margin={"l": 60, "r": 20, "t": 60, "b": 60})
    return str(
        fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id, config={"displaylogo": False})
    )


def write_html(results: Results, out: Path) -> Path:
    """charts.html: every chart, interactive, with plotly.js inline (works offline)."""
    out.mkdir(parents=True, exist_ok=True)
    parts: list[str] = []
    for key, title, scale in (
        ("cost_eur", "Cost to the government per scheme: paid or tax forgone (EUR million)", 1e6),
        ("reached_firms", "Firms reached per scheme", 1.0),
    ):
        labels, values = _bar_values(results, key, scale)
        fig = make_subplots(rows=1, cols=1)
        _plotly_bars(fig, labels, values)
        fig.update_layout(title=title, height=420)
        parts.append(_figure_html(fig, key))
    schemes = _schemes_with_money(results)
    for dim, title in DIMENSION_TITLES.items():
        if not schemes:
            break
        fig = make_subplots(
            rows=len(schemes), cols=1, subplot_titles=[f"{s}: cost (EUR million)" for s in schemes]
        )
        for row, scheme in enumerate(schemes, start=1):
            labels, values = _groups(results, scheme, dim)
            _plotly_bars(fig, labels, values, row=row)
        fig.update_layout(title=f"Cost by {title}", height=380 * len(schemes))
        parts.append(_figure_html(fig, f"by_{dim}"))
    if results.winners_losers:
        groups = results.winners_losers["by"]["size_class"]
        fig = make_subplots(rows=1, cols=1)
        labels = [g["group"] for g in groups]
        fig.add_trace(go.Bar(name="winners", x=labels, y=[g["winners"] for g in groups]), row=1, col=1)
        fig.add_trace(go.Bar(name="losers", x=labels, y=[g["losers"] for g in groups]), row=1, col=1)
        fig.update_layout(title="Winners and losers by size class (firms)", height=420)
        parts.append(_figure_html(fig, "winners_losers"))
    title = f"peloton simulate {results.year}" + (
        f" · {results.plan.reform.name}" if results.plan.reform else ""
    )
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in results.notes)
    page = (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title><script>{get_plotlyjs()}</script>"
        "<style>body{font-family:sans-serif;max-width:1100px;margin:1em auto;padding:0 1em}"
        ".population{background:#fff3cd;padding:.5em 1em;border-radius:4px}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>"
        f"<p class='population'><strong>Population:</strong> {html.escape(results.population.label())}</p>"
        f"<p>{html.escape(_footer(results))}</p>"
        + "".join(parts)
        + f"<h2>Notes</h2><ul>{notes}</ul>"
        + ("<p>Data: results.json, schemes.csv, breakdown.csv in the same folder.</p>")
        + "</body></html>"
    )
    path = out / "charts.html"
    path.write_text(page, encoding="utf-8")
    return path


def write_charts(results: Results, out: Path) -> list[Path]:
    """All PNG charts and charts.html."""
    return [*write_png(results, out), write_html(results, out)]
