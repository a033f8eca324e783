"""Numbers, amounts, percentages and dates as Dutch (or English) readers write them, with Babel, and
rounded half-up (an amount of EUR 0.5 is shown as EUR 1, as an official letter would; Babel itself
rounds half to even)."""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

LOCALES = {"nl": "nl_NL", "en": "en_GB"}


def _half_up(value: float, digits: int) -> Decimal:
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def euro(value: Any, lang: str = "nl", cents: bool | None = None) -> str:
    """`€ 43.776`, or with cents `€ 1.234.567,50` (cents shown when the amount has them, unless told)."""
    if _missing(value):
        return "–"
    show_cents = (round(float(value), 2) % 1 != 0) if cents is None else cents
    digits = 2 if show_cents else 0
    body = "#,##0.00" if show_cents else "#,##0"
    pattern = f"¤ {body};¤ -{body}"
    number = _half_up(value, digits)
    formatted = format_currency(number, "EUR", format=pattern, locale=LOCALES[lang], currency_digits=False)
    return formatted.replace("\xa0", " ")


def number(value: Any, lang: str = "nl", digits: int = 0) -> str:
    """`1.234` or `37,5`: at most `digits` decimals, trailing zeros dropped."""
    if _missing(value):
        return "–"
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return format_decimal(_half_up(value, digits), format=pattern, locale=LOCALES[lang])


def percent(fraction: Any, lang: str = "nl", digits: int = 1) -> str:
    """A fraction as a percentage: 0.325 -> `32,5%`."""
    if _missing(fraction):
        return "–"
    return number(float(fraction) * 100, lang, digits) + "%"


def date(value: Any, lang: str = "nl") -> str:
    """`1 maart 2026` from a date or an ISO date string."""
    if _missing(value) or value == "":
        return "–"
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    return format_date(day, format="d MMMM y", locale=LOCALES[lang])


def unit_value(value: Any, unit: str, lang: str = "nl") -> str:
    """A parameter's value in its unit: euros, a rate as a percentage, else a plain number."""
    if isinstance(value, bool):
        return "ja" if value and lang == "nl" else ("nee" if lang == "nl" else str(value).lower())
    if _missing(value) or not isinstance(value, int | float):
        return "–" if _missing(value) else str(value)
    if unit.startswith("currency"):
        return euro(value, lang)
    if unit in ("/1", "fraction", "rate"):
        return percent(value, lang, digits=2)
    return number(value, lang, digits=4)
