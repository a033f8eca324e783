"""Tables laid out to fit the terminal, shared by every command that prints one.

A newcomer at 80 columns must read every cell whole: Rich cuts a cell with "…" when the columns'
longest words do not fit, so tables are built as a `Grid` (content first) and laid out by
`print_grid` as the widest form that fits: boxed, compact, or one row per block.
"""

from __future__ import annotations

from typing import Any

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text


class Grid:
    """A table's content before it is laid out, so that it can be laid out to fit the terminal.

    Rich cuts a cell with "…" when the columns' longest words do not fit the width, and when they do
    it may still shrink a one-word column below its word (it narrows the widest columns first); a
    newcomer at 80 columns then reads `19…` for a firm count. `print_grid` gives every column at
    least its longest word and shares the rest by need: the boxed table, else a compact one, else
    each row stacked as a label line with one field per line, so that nothing is ever cut.
    """

    def __init__(self, title: str, columns: list[str], right: set[str] | None = None, keys: int = 1) -> None:
        self.title = title
        self.columns = columns
        self.right = right or set()
        self.keys = keys  # leading columns that name a row in the stacked form
        self.rows: list[list[str]] = []

    def add_row(self, *cells: str) -> None:
        self.rows.append([str(c) for c in cells])

    def _extent(self, index: int) -> tuple[int, int]:
        """A column's (longest word, longest line) in cells, header included, markup left out."""
        texts = [self.columns[index], *(row[index] for row in self.rows)]
        plain = [Text.from_markup(t).plain for t in texts]
        words = [cell_len(w) for t in plain for w in t.split()]
        lines = [cell_len(line) for t in plain for line in t.splitlines()]
        return max(words, default=1), max(lines, default=1)

    def table(self, width: int, compact: bool = False) -> Table | None:
        """The grid as one Rich table within `width`, or None when the longest words do not fit."""
        table = (
            Table(title=self.title, box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False)
            if compact
            else Table(title=self.title)
        )
        for column in self.columns:
            table.add_column(column, justify="right" if column in self.right else "left", overflow="fold")
        for row in self.rows:
            table.add_row(*row)
        extents = [self._extent(i) for i in range(len(self.columns))]
        for col, (_, longest) in zip(table.columns, extents, strict=True):
            col.width = longest
        overhead = _measure(table).maximum - sum(longest for _, longest in extents)
        room = width - overhead
        need = sum(word for word, _ in extents)
        if need > room:
            return None
        slack = [longest - word for word, longest in extents]
        spare = room - need
        for col, (word, longest), extra in zip(table.columns, extents, slack, strict=True):
            share = extra if sum(slack) <= spare else extra * spare // sum(slack)
            col.width = min(longest, word + share)
        return table

    def stacked(self) -> Group:
        """Each row as its label in bold, then one indented `column  value` line per non-empty cell."""
        parts: list[Any] = [Text(self.title, style="italic", justify="center")]
        field_width = max((cell_len(c) for c in self.columns[self.keys :]), default=1)
        for row in self.rows:
            parts.append(Text(" · ".join(c for c in row[: self.keys] if c), style="bold"))
            fields = Table.grid(padding=(0, 2), pad_edge=True)
            fields.add_column(style="dim", min_width=field_width, no_wrap=True)
            fields.add_column(overflow="fold")
            for column, cell in zip(self.columns[self.keys :], row[self.keys :], strict=True):
                if cell:
                    fields.add_row(column, cell)
            parts.append(fields)
        return Group(*parts)


def _measure(table: Table) -> Measurement:
    """A table's natural width: measured unbounded, since Rich clamps a measure to the width given."""
    wide = Console(width=1_000_000)
    return Measurement.get(wide, wide.options, table)


def print_grid(grid: Grid, out: Console) -> None:
    """Print the grid as the widest layout that fits: boxed, compact, else stacked."""
    for compact in (False, True):
        table = grid.table(out.width, compact)
        if table is not None:
            out.print(table)
            return
    out.print(grid.stacked())
