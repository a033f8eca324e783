"""Dutch amounts ("1.238.920", "12.500,50") and dates ("19.02.2009", "11.02.2016 09:08") as values.

Why here and not a locale library: the files mix a dot as thousands separator with an optional
decimal comma, and dates with and without a time; Babel formats Dutch numbers well but does not
parse these sources' variants strictly (it accepts "1.2" as 1.2), and a wrong amount in a registry
is worse than a refused row. Every parser raises ValueError with a message the importer reports
next to the row's line.
"""

from __future__ import annotations

import re
from datetime import date

_DUTCH_AMOUNT = re.compile(r"^-?\d{1,3}(\.\d{3})*(,\d+)?$|^-?\d+(,\d+)?$")
_DATE = re.compile(r"^(\d{1,2})[.\-/](\d{1,2})[.\-/](\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_TIME_ONLY = re.compile(r"^\d{1,2}:\d{2}(:\d{2})?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$")


def parse_amount(text: str) -> float | None:
    """A euro amount in Dutch notation; None for an empty cell.

    "1.238.920" is 1,238,920 (dots group thousands); "12.500,50" has a decimal comma. A plain
    integer ("393000", as in the Rijksbegroting file) is accepted. "1.2" is refused: it is neither
    a grouped thousand nor a Dutch decimal, and guessing would misstate an amount a thousandfold.
    """
    value = text.strip().replace("\u20ac", "").replace("EUR", "").strip()
    if not value:
        return None
    if not _DUTCH_AMOUNT.match(value):
        raise ValueError(f"not a Dutch amount: {text!r}")
    return float(value.replace(".", "").replace(",", "."))


def parse_plain_amount(text: str) -> float | None:
    """An amount in international notation ("1238920.5"), as Kohesio and most exports write it."""
    value = text.strip().replace("\u20ac", "").replace(",", "").strip()
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"not an amount: {text!r}") from None


def parse_date(text: str) -> date | None:
    """A date as DD.MM.YYYY (time of day ignored) or ISO YYYY-MM-DD; None for an empty cell.

    "0000-00-00", "00.00.0000", "0" and a bare time ("00:00:00") are how the raw export's database
    wrote "no date": empty, not an error.
    """
    value = text.strip()
    if not value or value == "0" or value.startswith(("0000-00-00", "00.00.0000")) or _TIME_ONLY.match(value):
        return None
    m = _DATE.match(value)
    if m:
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    else:
        m = _ISO_DATE.match(value)
        if not m:
            raise ValueError(f"not a date (DD.MM.YYYY or YYYY-MM-DD): {text!r}")
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"no such date: {text!r}") from None


def parse_percentage(text: str) -> float | None:
    """An integer or decimal percentage ("28", "28,5", "28%"); None for an empty cell."""
    value = text.strip().rstrip("%").strip()
    if not value:
        return None
    try:
        return float(value.replace(",", "."))
    except ValueError:
        raise ValueError(f"not a percentage: {text!r}") from None


def parse_year(text: str) -> int | None:
    """A four-digit year; None for an empty cell."""
    value = text.strip()
    if not value:
        return None
    if not re.fullmatch(r"\d{4}", value):
        raise ValueError(f"not a year: {text!r}")
    return int(value)
