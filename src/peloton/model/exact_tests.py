"""OpenFisca's YAML test runner compared in float64, so `openfisca test` checks amounts to the cent.

The runner's `assert_near` casts both the computed and the expected value to float32 before
comparing them, so an expected 260,465.12 becomes 260,465.125 and a cent margin cannot be met above
about EUR 130,000, whatever dtype the rules compute in. peloton's variables hold money in float64
(peloton.model.variable); this module gives the runner the same comparison in float64. Non-numeric
cases (enums, dates, text) go to OpenFisca's own function unchanged.
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np
import openfisca_core.tools as openfisca_tools
from openfisca_core.indexed_enums import EnumArray

_OPENFISCA_ASSERT_NEAR = openfisca_tools.assert_near


def assert_near(
    value: Any,
    target_value: Any,
    absolute_error_margin: float | None = None,
    message: str = "",
    relative_error_margin: float | None = None,
) -> Any:
    """OpenFisca's assert_near with numbers compared in float64 instead of float32."""
    actual = np.asarray(value)
    textual = isinstance(target_value, str) or (
        isinstance(target_value, list) and bool(target_value) and isinstance(target_value[0], str)
    )
    if isinstance(value, EnumArray) or textual or actual.dtype.kind not in "biuf":
        return _OPENFISCA_ASSERT_NEAR(
            value,
            target_value,
            absolute_error_margin=absolute_error_margin,
            message=message,
            relative_error_margin=relative_error_margin,
        )
    if absolute_error_margin is None and relative_error_margin is None:
        absolute_error_margin = 0
    computed = actual.astype(np.float64)
    expected = np.asarray(target_value).astype(np.float64)
    diff = np.abs(expected - computed)
    if absolute_error_margin is not None:
        assert (diff <= absolute_error_margin).all(), (
            f"{message}{computed} differs from {expected} with an absolute margin {diff} > "
            f"{absolute_error_margin}"
        )
    if relative_error_margin is not None:
        assert (diff <= np.abs(relative_error_margin * expected)).all(), (
            f"{message}{computed} differs from {expected} with a relative margin "
            f"{diff / np.abs(expected)} > {relative_error_margin}"
        )
    return None


def install() -> None:
    """Use the float64 comparison in OpenFisca's tools and, once it is loaded, in its test runner."""
    openfisca_tools.assert_near = assert_near
    runner = sys.modules.get("openfisca_core.tools.test_runner")
    if runner is not None:
        runner.assert_near = assert_near  # type: ignore[attr-defined]
