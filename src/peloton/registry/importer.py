"""Import a file into the registry: read it in its format, repair it, replace its source's rows.

The one path every import takes, the bundled snapshot's build included, so the figures a user gets
from `peloton registry import` on the same file are the ones peloton ships.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from peloton.errors import InputError
from peloton.registry.encoding_repair import RepairReport, repair_from_raw
from peloton.registry.formats import ParsedFile, read_file
from peloton.registry.store import RegistryStore

# columns whose U+FFFD damage the raw export can repair, and how the same record is found there
_REPAIR_COLUMNS = ("summary", "title", "title_en", "beneficiary")
_REPAIR_KEYS = ("beneficiary", "fund")


def read_source(
    path: Path,
    fmt: str,
    mapping: Path | None = None,
    encoding: str = "utf-8-sig",
    repair_from: Path | None = None,
) -> tuple[ParsedFile, RepairReport | None]:
    """Read `path`; with `repair_from` (the raw Europa-om-de-hoek export) repair its U+FFFD damage."""
    parsed = read_file(path, fmt, mapping, encoding)
    report = None
    if repair_from is not None:
        if fmt != "europaomdehoek":
            raise InputError(
                "--repair-from", "only a Europa om de hoek file can be repaired from its raw export"
            )
        raw = read_file(repair_from, "europaomdehoek", encoding="mac_roman")
        report = repair_from_raw(parsed.records, raw.records, _REPAIR_KEYS, _REPAIR_COLUMNS)
    return parsed, report


@dataclass
class ImportResult:
    """What an import did: rows stored, rows refused (with their lines), the repair."""

    source: str
    rows: int
    problems: list[tuple[int, str]] = field(default_factory=list)
    repair: RepairReport | None = None


def import_file(
    store: RegistryStore,
    path: Path,
    fmt: str,
    *,
    mapping: Path | None = None,
    source: str | None = None,
    encoding: str = "utf-8-sig",
    repair_from: Path | None = None,
    table_version: str | None = None,
    retrieved_at: str | None = None,
) -> ImportResult:
    """Replace the rows of `source` (default: the file's name without extension) by the file's rows.

    Nothing is written unless the whole file was read: an error raised while reading leaves the
    store as it was, and the replacement itself is one transaction.
    """
    parsed, report = read_source(path, fmt, mapping, encoding, repair_from)
    return store_parsed(
        store,
        path,
        fmt,
        parsed,
        report,
        source=source,
        table_version=table_version,
        retrieved_at=retrieved_at,
    )


def store_parsed(
    store: RegistryStore,
    path: Path,
    fmt: str,
    parsed: ParsedFile,
    report: RepairReport | None,
    *,
    source: str | None = None,
    table_version: str | None = None,
    retrieved_at: str | None = None,
) -> ImportResult:
    """Write a file already read by `read_source` (so the CLI holds the store's lock only for this)."""
    name = source or path.stem
    version = table_version or f"file sha256 {parsed.sha256[:12]}"
    retrieved = retrieved_at or f"{parsed.modified} (file modification date)"
    n = store.replace_source(
        name,
        parsed.records,
        parsed.problems,
        fmt=fmt,
        source_file=path.name,
        sha256=parsed.sha256,
        table_version=version,
        retrieved_at=retrieved,
        notes=report.summary() if report else "",
    )
    return ImportResult(name, n, [(p.line, p.problem) for p in parsed.problems], report)
