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

from peloton.model.enums import SbiSectie
from peloton.simulate.evaluation import BASELINE, REFORM
from peloton.simulate.results import Results, basis_label

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


def _basis(results: Results, scheme: str, dim: str) -> str:
    """ " (assumption)" after a breakdown's title when the breakdown rests on one (per scheme), else ""."""
    scenario = list(results.schemes)[-1]
    label = basis_label(results.stats(scenario, scheme), dim)
    return f" ({label})" if label else ""


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
    """One bar per scheme and scenario; a scheme the rules cannot compute for the year has no bar (NaN,
    not an empty bar that reads as zero) and says so in its label, the reason being in the notes."""
    schemes = results.scheme_ids()
    labels = [
        s if any(results.stats(sc, s).computed for sc in results.schemes) else f"{s} (not computed)"
        for s in schemes
    ]
    values = {}
    for scenario in results.schemes:
        row = []
        for s in schemes:
            stats = results.stats(scenario, s)
            row.append(getattr(stats, key) / scale if stats.computed else float("nan"))
        values[scenario] = row
    return labels, values


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
            ax.set_title(f"{scheme}: cost by {title}, {results.year}{_basis(results, scheme, dim)}")
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


def figure_html(fig: Any, div_id: str) -> str:
    fig.update_layout(template="plotly_white", barmode="group", margin={"l": 60, "r": 20, "t": 40, "b": 30})
    fig.update_xaxes(automargin=True)
    return str(
        fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id, config={"displaylogo": False})
    )


def group_label(dimension: str, group: str) -> str:
    """A group as a reader knows it: an SBI section by its name ("C Industrie"), not a bare letter."""
    if dimension == "sbi_section" and group in SbiSectie.__members__:
        return str(SbiSectie[group].value)
    return group


def _number(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}"


def numbers_table(head: list[str], rows: list[list[str]], csv_name: str, out: Path, caption: str) -> str:
    """The numbers behind a chart as an HTML table, with a link to the CSV file they come from."""
    header = "".join(f"<th scope='col'>{html.escape(h)}</th>" for h in head)
    body = "".join(
        "<tr>"
        + "".join(
            (f"<th scope='row'>{html.escape(c)}</th>" if i == 0 else f"<td>{html.escape(c)}</td>")
            for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    link = (
        f" <a href='{html.escape(csv_name)}'>{html.escape(csv_name)}</a>"
        if (out / csv_name).exists()
        else f" {html.escape(csv_name)} (written by the export)"
    )
    return (
        f"<div class='numbers'><table><caption>{html.escape(caption)}. Data:{link}</caption>"
        f"<thead><tr>{header}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def _eur_m(value: float) -> str:
    return f"EUR {value / 1e6:,.1f} m"


def headline(results: Results) -> str:
    """One paragraph: what the reform costs per scheme (with its cost kind) and whom it reaches.

    Without a reform: what each scheme costs and whom it reaches under current rules. A reader who
    reads nothing else on the page gets the answer here; the charts and tables below back it.
    """
    if REFORM not in results.schemes:
        parts = []
        for scheme in results.scheme_ids():
            s = results.stats(BASELINE, scheme)
            if not (s.computed and s.exists) or s.reached_firms <= 0:
                continue
            sme = "" if s.sme_share_firms is None else f", {s.sme_share_firms:.0%} of them SMEs"
            parts.append(
                f"{s.name}: {_eur_m(s.cost_eur)} ({s.cost_kind}) for {s.reached_firms:,.0f} firms{sme}"
            )
        total = sum(results.stats(BASELINE, s).cost_eur for s in results.scheme_ids())
        return (
            f"Under current rules in {results.year} the schemes cost the government {_eur_m(total)} in all. "
            + "; ".join(parts)
            + "."
        )
    changed, unchanged = [], []
    total = 0.0
    for row in results.difference():
        if row.get("not_computed"):
            continue
        diff = row["difference_cost_eur"]
        reached = row["difference_reached_firms"]
        if not diff and not reached:
            unchanged.append(row["scheme"])
            continue
        total += diff
        r = results.stats(REFORM, row["scheme"])
        sme = "" if r.sme_share_firms is None else f"; SME share of the firms reached {r.sme_share_firms:.0%}"
        changed.append(
            f"{row['name']}: {'+' if diff >= 0 else '-'}{_eur_m(abs(diff))} ({row['cost_kind']}), "
            f"reaching {r.reached_firms:,.0f} firms ({reached:+,.0f}){sme}"
        )
    name = results.plan.reform.name if results.plan.reform else "the reform"
    sign = "+" if total >= 0 else "-"
    text = f"{name} in {results.year}, compared with current rules: {sign}{_eur_m(abs(total))} in all. "
    text += "; ".join(changed) + "." if changed else "No scheme's cost or reach changes."
    wl = results.winners_losers.get("total") if results.winners_losers else None
    if wl:
        text += f" {wl['winners']:,.0f} firms gain, {wl['losers']:,.0f} lose."
    if unchanged:
        text += f" Unchanged: {', '.join(unchanged)}."
    return text


def write_html(results: Results, out: Path) -> Path:
    """charts.html: a headline, then every chart, interactive, each with its table of numbers and its
    CSV; plotly.js inline (works offline)."""
    out.mkdir(parents=True, exist_ok=True)
    scenarios = list(results.schemes)
    parts: list[str] = []
    for key, title, scale, unit in (
        ("cost_eur", "Cost to the government per scheme: paid or tax forgone", 1e6, "EUR million"),
        ("reached_firms", "Firms reached per scheme", 1.0, "firms"),
    ):
        labels, values = _bar_values(results, key, scale)
        fig = make_subplots(rows=1, cols=1)
        _plotly_bars(fig, labels, values)
        fig.update_layout(height=380, yaxis_title=unit)
        rows = [[label, *(_number(values[sc][i], 1 if scale > 1 else 0) for sc in scenarios)]
                for i, label in enumerate(labels)]  # fmt: skip
        parts.append(
            f"<section><h2>{html.escape(title)} ({unit})</h2>"
            + figure_html(fig, key)
            + numbers_table(["scheme", *scenarios], rows, "schemes.csv", out, f"{title} ({unit})")
            + "</section>"
        )
    schemes = _schemes_with_money(results)
    for dim, title in DIMENSION_TITLES.items():
        if not schemes:
            break
        columns: list[str] = []
        cells: dict[str, dict[str, float]] = {}  # group label → column → EUR million
        figures: list[str] = []
        for scheme in schemes:
            labels, values = _groups(results, scheme, dim)
            shown = [group_label(dim, g) for g in labels]
            # one figure per scheme: subplots share fixed gaps that long SBI names overrun or leave empty
            fig = make_subplots(rows=1, cols=1)
            _plotly_bars(fig, shown, values)
            fig.update_layout(
                title={
                    "text": f"{scheme}: cost (EUR million){_basis(results, scheme, dim)}",
                    "font": {"size": 14},
                },
                height=440 if dim == "sbi_section" else 300,
            )
            fig.update_xaxes(tickangle=-40 if dim != "size_class" else 0)
            figures.append(figure_html(fig, f"by_{dim}_{scheme}"))
            for sc in scenarios:
                column = (f"{scheme} {sc}" if len(scenarios) > 1 else scheme) + _basis(results, scheme, dim)
                columns.append(column)
                for label, value in zip(shown, values[sc], strict=True):
                    cells.setdefault(label, {})[column] = value
        table_rows = [
            [label, *(_number(by[c]) if c in by else "-" for c in columns)] for label, by in cells.items()
        ]
        assumed = {
            entry["note"]
            for scheme in schemes
            if (entry := results.stats(scenarios[-1], scheme).breakdown_basis.get(dim))
            and entry["basis"] == "assumption"
        }
        basis = "".join(
            f"<p class='basis'><strong>Assumption:</strong> {html.escape(n)}.</p>" for n in sorted(assumed)
        )
        parts.append(
            f"<section><h2>Cost by {html.escape(title)} (EUR million)</h2>"
            + basis
            + "".join(figures)
            + numbers_table(
                [title, *columns], table_rows, "breakdown.csv", out, f"Cost by {title} (EUR million)"
            )
            + "</section>"
        )
    if results.winners_losers:
        groups = results.winners_losers["by"]["size_class"]
        fig = make_subplots(rows=1, cols=1)
        labels = [g["group"] for g in groups]
        fig.add_trace(go.Bar(name="winners", x=labels, y=[g["winners"] for g in groups]), row=1, col=1)
        fig.add_trace(go.Bar(name="losers", x=labels, y=[g["losers"] for g in groups]), row=1, col=1)
        fig.update_layout(height=360, yaxis_title="firms")
        rows = [[g["group"], _number(g["winners"], 0), _number(g["losers"], 0)] for g in groups]
        parts.append(
            "<section><h2>Winners and losers by size class (firms)</h2>"
            + figure_html(fig, "winners_losers")
            + numbers_table(
                ["size class", "winners", "losers"],
                rows,
                "winners_losers.csv",
                out,
                "Winners and losers by size class (firms)",
            )
            + "</section>"
        )
    title = f"peloton simulate {results.year}" + (
        f" · {results.plan.reform.name}" if results.plan.reform else ""
    )
    page = html_page(
        title,
        headline(results),
        results.population.label(),
        _footer(results),
        parts,
        results.notes,
        ["results.json", "schemes.csv", "breakdown.csv"],
    )
    path = out / "charts.html"
    path.write_text(page, encoding="utf-8")
    return path


def html_page(
    title: str,
    headline_text: str,
    population: str,
    footer: str,
    sections: list[str],
    notes: list[str],
    data: list[str],
) -> str:
    """A self-contained page of charts (plotly.js inline: opens offline): title, headline, the
    population it ran on, the sections, the notes and links to the data files beside it."""
    items = "".join(f"<li>{html.escape(n)}</li>" for n in notes)
    links = ", ".join(f"<a href='{html.escape(d)}'>{html.escape(d)}</a>" for d in data)
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{html.escape(title)}</title><script>{get_plotlyjs()}</script>"
        "<style>body{font-family:sans-serif;max-width:1100px;margin:1em auto;padding:0 1em;line-height:1.4}"
        ".population,.basis{background:#fff3cd;padding:.5em 1em;border-radius:4px}"
        ".headline{font-size:1.1em;border-left:4px solid #4c72b0;padding:.3em 1em;background:#f3f6fb}"
        "section{margin:1.5em 0}h2{font-size:1.15em;margin:.6em 0 .2em}"
        ".numbers{overflow-x:auto}table{border-collapse:collapse;font-size:.85em;margin:.3em 0}"
        "caption{text-align:left;font-size:.9em;color:#444;padding:.2em 0}"
        "th,td{padding:.15em .6em;border-bottom:1px solid #ddd}td{text-align:right}"
        "th[scope=row]{text-align:left;font-weight:normal}.footer{font-size:.85em;color:#444}</style>"
        "</head><body>"
        f"<h1>{html.escape(title)}</h1>"
        f"<p class='headline'>{html.escape(headline_text)}</p>"
        f"<p class='population'><strong>Population:</strong> {html.escape(population)}</p>"
        f"<p class='footer'>{html.escape(footer)}</p>"
        + "".join(sections)
        + f"<h2>Notes</h2><ul>{items}</ul>"
        + f"<p>Data: {links} in the same folder.</p>"
        + "</body></html>"
    )


def write_charts(results: Results, out: Path) -> list[Path]:
    """All PNG charts and charts.html."""
    return [*write_png(results, out), write_html(results, out)]
