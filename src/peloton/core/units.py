"""How a value reads in its unit: euros with separators, fractions as percentages, hours, FTE.

One function for every text that shows a rules value (explanations, reasons, parameter tables), so
the navigator's trace and the simulator's notes write a value alike.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np


def format_value(value: Any, unit: str = "") -> str:
    """Euros with thousands separators, fractions as percentages, hours with 'h'; NaN (a value the
    user left unknown) as `unknown`."""
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, int | float | np.integer | np.floating):
        number = float(value)
        if math.isnan(number):  # an input left unknown (e.g. belastbare_winst), shown in a reason
            return "unknown"
        if unit == "currency-EUR":
            return f"EUR {number:,.0f}" if abs(number - round(number)) < 0.005 else f"EUR {number:,.2f}"
        if unit == "/1":
            return f"{number * 100:.4g}%"
        if unit == "hour":
            return f"{number:,.0f} h"
        if unit in ("year", "AWU"):
            return f"{number:g} {'years' if unit == 'year' else 'FTE'}"
        return f"{number:,.6g}"
    return str(value)
