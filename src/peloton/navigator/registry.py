"""Navigator texts and allowed ranges per input variable, kept apart from the OpenFisca variables.

OpenFisca rejects unknown attributes on a Variable, so questions, hints and ranges are read from
questions.yaml and joined to the variable by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml


@dataclass(frozen=True)
class Question:
    """What a form asks for one input variable, and which values it accepts."""

    variable: str
    category: str
    question: str
    hint: str
    minimum: float | None
    maximum: float | None
    unit: str


@cache
def questions() -> dict[str, Question]:
    text = resources.files("peloton.navigator").joinpath("questions.yaml").read_text(encoding="utf-8")
    raw: dict[str, dict[str, object]] = yaml.safe_load(text)
    out: dict[str, Question] = {}
    for name, entry in raw.items():
        minimum = entry.get("min")
        maximum = entry.get("max")
        out[name] = Question(
            variable=name,
            category=str(entry.get("category", "")),
            question=str(entry.get("question", "")),
            hint=str(entry.get("hint", "") or ""),
            minimum=float(minimum) if isinstance(minimum, int | float) else None,
            maximum=float(maximum) if isinstance(maximum, int | float) else None,
            unit=str(entry.get("unit", "") or ""),
        )
    return out
