"""Reading a user's CSV file row by row, with every problem named by file, line and cause.

Why not pandas or DuckDB's CSV reader: the registry must report each unreadable row with the line
it starts on and keep going, refuse a wrong encoding or a runaway line with one clear message, and
read quoted multi-line summaries; Python's csv module does all of that in a stream.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from peloton.errors import InputError

# a project summary is a few thousand characters; a field far beyond this is not a summary but a
# file without line ends (or not a CSV file), and reading on would only exhaust memory
MAX_FIELD_CHARS = 1_000_000
_DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class CsvRow:
    """One data row: its 0-based position among the data rows, the line it starts on, its cells."""

    index: int
    line: int
    cells: dict[str, str]


@dataclass(frozen=True)
class RowProblem:
    """A row that could not be read, with the line it starts on (1 is the header)."""

    line: int
    problem: str


@contextmanager
def _field_limit(limit: int) -> Iterator[None]:
    old = csv.field_size_limit()
    csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _sniff_delimiter(header: str) -> str:
    """The separator of the header line: the candidate it contains most often."""
    counts = {d: header.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


class CsvFile:
    """A CSV file opened for row-by-row reading; `header` is known after construction."""

    def __init__(self, path: Path, encoding: str = "utf-8-sig", delimiter: str | None = None) -> None:
        self.path = path
        self.name = path.name
        self.encoding = encoding
        if not path.exists():
            raise InputError("FILE", f"no such file: {path}")
        if path.is_dir():
            raise InputError("FILE", f"{path} is a directory, not a CSV file")
        if path.stat().st_size == 0:
            raise InputError(self.name, "the file is empty (no header row, no data)")
        with path.open("rb") as fh:
            head = fh.read(MAX_FIELD_CHARS)
        if head.startswith((b"\xff\xfe", b"\xfe\xff")) and not encoding.lower().startswith("utf-16"):
            raise InputError(
                self.name, "UTF-16 text (it starts with a UTF-16 byte order mark); give --encoding utf-16"
            )
        if b"\x00" in head[:65536] and not encoding.lower().startswith(("utf-16", "utf-32")):
            raise InputError(self.name, "binary file (NUL bytes), not a CSV text file")
        first_line = head.split(b"\n", 1)[0].split(b"\r", 1)[0]
        if len(first_line) >= MAX_FIELD_CHARS:
            raise InputError(
                f"{self.name} line 1",
                f"the header line is longer than {MAX_FIELD_CHARS:,} bytes; not a CSV file with line ends",
            )
        try:
            header_text = first_line.decode(encoding)
        except UnicodeDecodeError as exc:
            raise self._encoding_error(exc) from exc
        self.delimiter = delimiter or _sniff_delimiter(header_text)
        self.header = [h.strip() for h in next(csv.reader([header_text], delimiter=self.delimiter), [])]
        if not any(self.header):
            raise InputError(self.name, "the first line is empty; expected a header row")

    def _first_undecodable(self) -> tuple[int, str]:
        """Line (1-based) and hex of the first byte the encoding cannot read, found by a second pass.

        The text reader decodes in blocks, so its error does not know the line; this pass does.
        """
        decoder = codecs.getincrementaldecoder(self.encoding)()
        with self.path.open("rb") as fh:
            for number, raw in enumerate(fh, start=1):
                try:
                    decoder.decode(raw)
                except UnicodeDecodeError as exc:
                    return number, raw[exc.start : exc.start + 1].hex()
        return 0, "?"

    def _encoding_error(self, exc: UnicodeDecodeError) -> InputError:
        line, byte = self._first_undecodable()
        return InputError(
            self.name,
            f"not {self.encoding.removesuffix('-sig')} text (byte 0x{byte} near line {line}); "
            "give the file's encoding with --encoding (e.g. cp1252, latin-1, mac_roman)",
        )

    def rows(self, problems: list[RowProblem]) -> Iterator[CsvRow]:
        """Data rows in file order; rows with the wrong number of cells go to `problems`."""
        with (
            _field_limit(MAX_FIELD_CHARS),
            self.path.open("r", encoding=self.encoding, newline="") as fh,
        ):
            reader = csv.reader(fh, delimiter=self.delimiter)
            start = 2
            try:
                next(reader)
                index = 0
                for cells in reader:
                    line = start
                    start = reader.line_num + 1
                    if not cells or all(not c.strip() for c in cells):
                        continue
                    if len(cells) != len(self.header):
                        problems.append(
                            RowProblem(line, f"{len(cells)} cells where the header has {len(self.header)}")
                        )
                        index += 1
                        continue
                    yield CsvRow(index, line, dict(zip(self.header, cells, strict=True)))
                    index += 1
            except UnicodeDecodeError as exc:
                raise self._encoding_error(exc) from exc
            except csv.Error as exc:
                if "field larger than field limit" in str(exc):
                    raise InputError(
                        f"{self.name} line {start}",
                        f"a field longer than {MAX_FIELD_CHARS:,} characters "
                        "(an unclosed quote, or not a CSV file)",
                    ) from exc
                raise InputError(f"{self.name} line {start}", f"unreadable CSV: {exc}") from exc


def read_text_rows(text: str, delimiter: str) -> list[list[str]]:
    """All rows of CSV text already in memory (used for the raw export, read whole for the repair)."""
    with _field_limit(MAX_FIELD_CHARS):
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
