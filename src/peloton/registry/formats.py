"""Import formats: a column mapping from a source's header to the registry's fields, and the reader.

Every format, the built-in ones too, is a mapping file (mappings/<format>.yaml): which header names
feed which field, whether amounts are Dutch ("1.238.920") or plain ("1238920.5"), which field is the
headline amount and where the year comes from. A user's own download imports with --mapping FILE
in the same shape. A column the mapping does not know is an error, not silently skipped: an
unknown header usually means the wrong format, and the figures would be wrong without a word.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from peloton.errors import InputError
from peloton.registry import dutch_values
from peloton.registry.csv_input import CsvFile, RowProblem
from peloton.registry.encoding_repair import undo_mojibake
from peloton.registry.records import FIELDS

FORMATS = ("europaomdehoek", "rijksbegroting", "volginnovatie", "kohesio", "csv")
# a fund cell longer than this, or with digits, is text spilled from a broken row of the raw export
_MAX_FUND_CHARS = 40
# a fund name is words of letters ("EFRO", "INTERREG NWE", "ICT PSP CIP"), at least three letters long
_FUND_NAME = re.compile(r"^[^\W\d_][^\W\d_ .\-]*([ .\-][^\W\d_]+)*$")


def _norm_header(name: str) -> str:
    return re.sub(r"\s+", " ", name.replace("\u00a0", " ")).strip().casefold()


@dataclass
class Mapping:
    """Which header feeds which field, and how to read amounts."""

    name: str
    columns: dict[str, list[str]]
    amounts: str = "dutch"
    ignore: list[str] = field(default_factory=list)
    amount: str = "amount"
    year: str = "year"
    description: str = ""

    @classmethod
    def from_dict(cls, name: str, data: Any, origin: str) -> Mapping:
        """Validate a mapping document; every mistake names the key and what is allowed."""
        if not isinstance(data, dict) or not isinstance(data.get("columns"), dict):
            raise InputError(origin, "a mapping needs a 'columns:' table of field: [header names]")
        columns: dict[str, list[str]] = {}
        for target, names in data["columns"].items():
            if target not in FIELDS:
                raise InputError(f"{origin} columns.{target}", f"unknown field; allowed: {', '.join(FIELDS)}")
            items = [names] if isinstance(names, str) else names
            if not isinstance(items, list) or not all(isinstance(n, str) for n in items):
                raise InputError(f"{origin} columns.{target}", "give a header name or a list of them")
            columns[target] = items
        seen: dict[str, str] = {}
        for target, items in columns.items():
            for header in items:
                key = _norm_header(header)
                if key in seen and seen[key] != target:
                    raise InputError(
                        f"{origin} columns", f"header {header!r} is given for both {seen[key]} and {target}"
                    )
                seen[key] = target
        amounts = str(data.get("amounts", "dutch"))
        if amounts not in ("dutch", "plain"):
            raise InputError(f"{origin} amounts", f"{amounts!r}; allowed: dutch, plain")
        amount = str(data.get("amount", "amount"))
        year = str(data.get("year", "year"))
        if FIELDS.get(amount) != "amount":
            raise InputError(f"{origin} amount", f"{amount!r} is not an amount field")
        if year not in ("year", "start_date", "end_date", "updated_on"):
            raise InputError(f"{origin} year", f"{year!r}; allowed: year, start_date, end_date, updated_on")
        ignore = data.get("ignore", []) or []
        return cls(
            name, columns, amounts, [str(i) for i in ignore], amount, year, str(data.get("description", ""))
        )

    def resolve(self, header: list[str], file_name: str) -> dict[str, str]:
        """Header name -> field for this file; unknown or doubly mapped columns are errors."""
        wanted = {_norm_header(n): target for target, names in self.columns.items() for n in names}
        ignored = {_norm_header(n) for n in self.ignore}
        out: dict[str, str] = {}
        unknown: list[str] = []
        seen: dict[str, str] = {}
        for col in header:
            key = _norm_header(col)
            if key in wanted:
                target = wanted[key]
                if target in seen:
                    raise InputError(
                        f"{file_name} header", f"columns {seen[target]!r} and {col!r} both map to {target}"
                    )
                seen[target] = col
                out[col] = target
            elif key not in ignored and key:
                unknown.append(col)
        if unknown:
            shown = ", ".join(repr(u) for u in unknown[:6]) + (" ..." if len(unknown) > 6 else "")
            raise InputError(
                f"{file_name} header",
                f"unknown column(s) for format {self.name}: {shown}; "
                "use the right --format or give a --mapping FILE that names them",
            )
        if not ({"beneficiary", "title"} & set(out.values())):
            raise InputError(
                f"{file_name} header",
                f"none of the columns is a beneficiary or title for format {self.name} "
                f"(expected e.g. {self.columns.get('beneficiary', ['beneficiary'])[0]!r})",
            )
        return out


def load_mapping(fmt: str, mapping_file: Path | None = None) -> Mapping:
    """The built-in mapping of `fmt`, or the user's mapping file when one is given."""
    if fmt not in FORMATS:
        raise InputError("--format", f"{fmt!r}; allowed: {', '.join(FORMATS)}")
    if mapping_file is not None:
        if not mapping_file.exists():
            raise InputError("--mapping", f"no such file: {mapping_file}")
        try:
            data = yaml.safe_load(mapping_file.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise InputError("--mapping", f"{mapping_file.name} is not a readable YAML file ({exc})") from exc
        return Mapping.from_dict(fmt, data, mapping_file.name)
    text = resources.files("peloton.registry").joinpath(f"mappings/{fmt}.yaml").read_text(encoding="utf-8")
    return Mapping.from_dict(fmt, yaml.safe_load(text), f"mappings/{fmt}.yaml")


def _parser(kind: str, amounts: str) -> Callable[[str], Any]:
    if kind == "amount":
        return dutch_values.parse_amount if amounts == "dutch" else dutch_values.parse_plain_amount
    if kind == "date":
        return dutch_values.parse_date
    if kind == "year":
        return dutch_values.parse_year
    if kind == "percentage":
        return dutch_values.parse_percentage
    return lambda s: re.sub(r"[ \t]+$", "", s.strip()) or None


@dataclass
class ParsedFile:
    """Records read from one file, the rows that could not be read, and the file's identity."""

    records: list[dict[str, Any]]
    problems: list[RowProblem]
    rows_read: int
    sha256: str
    modified: str


def file_identity(path: Path) -> tuple[str, str]:
    """The file's sha256 and its modification date: the default table version and retrieval date."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    modified = datetime.fromtimestamp(path.stat().st_mtime, UTC).date().isoformat()
    return digest.hexdigest(), modified


def _record(
    cells: dict[str, str], columns: dict[str, str], mapping: Mapping, fix_text: bool
) -> tuple[dict[str, Any], str | None]:
    """One row as a record, or the first problem that makes it unreadable."""
    rec: dict[str, Any] = dict.fromkeys(FIELDS)
    for col, target in columns.items():
        raw = cells.get(col, "")
        if fix_text:
            raw = undo_mojibake(raw)
        try:
            rec[target] = _parser(FIELDS[target], mapping.amounts)(raw)
        except ValueError as exc:
            return rec, f"{col}: {exc}"
    if rec["fund"] is not None:
        fund = re.sub(r"\s+", " ", str(rec["fund"])).strip()
        if not 3 <= len(fund) <= _MAX_FUND_CHARS or not _FUND_NAME.match(fund):
            return rec, f"fund {fund[:30]!r} is not a fund name (text spilled from a broken row)"
        rec["fund"] = fund.upper() if fund.upper() in ("EFRO", "ESF", "EFMZV", "ELFPO") else fund
    if not (rec["beneficiary"] or rec["title"]):
        return rec, "neither a beneficiary nor a title"
    if rec["amount"] is None and mapping.amount != "amount":
        rec["amount"] = rec[mapping.amount]
    if rec["year"] is None and mapping.year != "year" and isinstance(rec[mapping.year], date):
        rec["year"] = rec[mapping.year].year
    return rec, None


def read_file(
    path: Path, fmt: str, mapping_file: Path | None = None, encoding: str = "utf-8-sig"
) -> ParsedFile:
    """Read `path` in format `fmt`; rows that cannot be read are listed with their line, not dropped."""
    mapping = load_mapping(fmt, mapping_file)
    csv_file = CsvFile(path, encoding=encoding)
    columns = mapping.resolve(csv_file.header, csv_file.name)
    # the raw Europa-om-de-hoek export is UTF-8 read as cp1252 and saved as Mac Roman
    fix_text = encoding.replace("-", "_").lower() in ("mac_roman", "macroman", "mac-roman")
    problems: list[RowProblem] = []
    records: list[dict[str, Any]] = []
    for row in csv_file.rows(problems):
        rec, problem = _record(row.cells, columns, mapping, fix_text)
        if problem:
            problems.append(RowProblem(row.line, problem))
            continue
        rec["source_row"] = row.index
        rec["source_line"] = row.line
        records.append(rec)
    if not records and not problems:
        raise InputError(csv_file.name, "a header but no data rows")
    sha, modified = file_identity(path)
    return ParsedFile(records, problems, len(records) + len(problems), sha, modified)
