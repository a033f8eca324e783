"""The Variable every rule of peloton is declared with: OpenFisca's, with money kept in float64.

OpenFisca stores a `value_type = float` variable as float32, which keeps only 24 bits of mantissa:
EUR 50,000,001 is stored as 50,000,000 (so a firm one euro above the EU turnover ceiling would be
classed an SME) and a tax saving of EUR 168,000.00 comes out as 167,999.94. Amounts in euros must be
exact to the cent up to at least EUR 10^12, which float64 (53 bits) gives: 10^12 in cents is 10^14,
far below 2^53. OpenFisca sets a variable's `dtype` per instance from its value type; this class sets
it to float64 for floats, inside the engine (holders, caches, set_input and formulas' results are
cast to the variable's dtype), so nothing else in the engine changes.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from openfisca_core.variables import Variable as OpenFiscaVariable


class Variable(OpenFiscaVariable):
    """An OpenFisca variable whose float values are float64 (see the module docstring)."""

    def __init__(self, baseline_variable: Any = None) -> None:
        super().__init__(baseline_variable=baseline_variable)
        if self.value_type is float:
            self.dtype = np.float64
