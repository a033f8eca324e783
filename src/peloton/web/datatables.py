"""A table of figures as the web app shows it: rendered as an HTML data table (the accessible form
of every chart, which the chart script draws from) and downloadable as CSV from the same rows, so a
chart, its table and its CSV cannot disagree."""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from typing import Any

from peloton.web import formatting


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = "text"  # text | euro | number | percent | date | link | year
    digits: int = 0


@dataclass
class DataTable:
    """`chart` is "line" or "bar" to draw a chart from the table (first column on the x axis, the
    number columns as series), or "" for a table only. `hover` names a column shown on hover."""

    name: str
    caption: str
    columns: list[Column]
    rows: list[list[Any]]
    chart: str = ""
    hover: int | None = None
    notes: list[str] = field(default_factory=list)

    def cell(self, index: int, value: Any, lang: str) -> str:
        kind = self.columns[index].kind
        digits = self.columns[index].digits
        if kind == "euro":
            return formatting.euro(value, lang)
        if kind == "number":
            return formatting.number(value, lang, digits)
        if kind == "percent":
            return formatting.percent(value, lang, digits or 1)
        if kind == "date":
            return formatting.date(value, lang)
        return "–" if value is None else str(value)

    def raw(self, value: Any) -> str:
        """The machine value of a cell (for the chart script and the CSV)."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return ""
        if isinstance(value, float):
            return repr(round(value, 6))
        return str(value)

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([c.label for c in self.columns])
        for row in self.rows:
            writer.writerow([self.raw(v) for v in row])
        return out.getvalue()
