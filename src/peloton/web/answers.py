"""A navigator's answers as a form and a URL carry them: text typed by a person (Dutch `1.250` and
`37,5`, or English `1,250.5`) or the machine form a share link holds (`so_uren=3000`), turned into
the values peloton's profile takes, each checked by the core's check_value. A bad value becomes a
field error in the page's language; the range comes from the input's specification, so nothing here
decides what is allowed."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from peloton.core.inputs import BOOL, ENUM, FLOAT, INT, InputSpec, check_value
from peloton.errors import InputError
from peloton.web import formatting, i18n

ANSWER_PREFIX = "ans_"  # a field typed by a person in this step; answered values carry no prefix
REFORM_KEY = "hervorming"  # a simulation job whose reform the navigator applies (its id, not the reform)
DUTCH_THOUSANDS = re.compile(r"-?\d{1,3}(\.\d{3})+")
ENGLISH_THOUSANDS = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?")


@dataclass(frozen=True)
class FieldError:
    field_id: str
    variable: str
    message: str


def human_number(text: str, lang: str) -> float | None:
    """A number as a person types it, or None when it is not one."""
    cleaned = text.strip().replace(" ", "").replace("\xa0", "").replace("€", "").replace("−", "-")
    if lang == "nl":
        if "," in cleaned:
            cleaned = cleaned.replace(".", "").replace(",", ".")
        elif DUTCH_THOUSANDS.fullmatch(cleaned):
            cleaned = cleaned.replace(".", "")
    elif ENGLISH_THOUSANDS.fullmatch(cleaned):
        cleaned = cleaned.replace(",", "")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def machine_value(value: Any) -> str:
    """The URL form of an answer: `true`, `bv`, `3000`, `37.5`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def label_of(spec: InputSpec, lang: str) -> str:
    return i18n.question_text(lang, spec)[0]


def parse_value(spec: InputSpec, text: str, lang: str, human: bool) -> tuple[Any, str | None]:
    """(value, None) or (None, the error message in `lang`)."""
    label = label_of(spec, lang)
    text = text.strip()
    value: Any
    if spec.kind == BOOL:
        if text not in ("true", "false"):
            return None, i18n.text(lang, "error_choice", label=label)
        value = text == "true"
    elif spec.kind == ENUM:
        value = text
    elif spec.kind in (INT, FLOAT):
        number = human_number(text, lang) if human else human_number(text, "en")
        if number is None:
            return None, i18n.text(lang, "error_not_number", label=label)
        value = number
    else:
        value = text
    try:
        return check_value(spec, value, spec.name), None
    except InputError:
        return None, _range_message(spec, value, label, lang)


def _range_message(spec: InputSpec, value: Any, label: str, lang: str) -> str:
    if spec.kind == ENUM:
        return i18n.text(lang, "error_choice", label=label)
    if spec.kind == INT and isinstance(value, float) and not value.is_integer():
        return i18n.text(lang, "error_not_whole", label=label)
    unit = f" {spec.display_unit}" if spec.display_unit and spec.display_unit != "EUR" else ""
    shown = formatting.euro if spec.display_unit == "EUR" else (lambda v, lg: formatting.number(v, lg, 4))
    if spec.minimum is not None and value < spec.minimum:
        return i18n.text(lang, "error_min", label=label, min=shown(spec.minimum, lang) + unit)
    return i18n.text(lang, "error_max", label=label, max=shown(spec.maximum, lang) + unit)


@dataclass
class Answers:
    """The year, the answered inputs (canonical values), the skipped inputs and the errors."""

    year: int | None
    values: dict[str, Any]
    skipped: list[str]
    errors: list[FieldError]
    typed: dict[str, str]  # what the person typed in this step, shown back beside an error
    editing: str | None
    reform_job: str | None = None

    def pairs(self, without: Iterable[str] = ()) -> list[tuple[str, str]]:
        """The share-link query: year, answers in machine form, skipped inputs."""
        drop = set(without)
        out: list[tuple[str, str]] = [] if self.year is None else [("year", str(self.year))]
        out += [(k, machine_value(v)) for k, v in self.values.items() if k not in drop]
        out += [("skip", s) for s in self.skipped if s not in drop]
        if self.reform_job is not None:
            out.append((REFORM_KEY, self.reform_job))
        return out


def read_answers(
    items: list[tuple[str, str]], specs: dict[str, InputSpec], years: tuple[int, ...], lang: str
) -> Answers:
    """Every answer in a query or form, checked. Typed answers (ans_…) override answered ones."""
    answers = Answers(None, {}, [], [], {}, None)
    typed: list[tuple[str, str]] = []
    for key, raw in items:
        if key == "year":
            try:
                year = int(raw)
            except ValueError:
                year = -1
            if year not in years:
                answers.errors.append(
                    FieldError(
                        "year",
                        "year",
                        i18n.text(
                            lang,
                            "error_year",
                            label=i18n.text(lang, "year").lower(),
                            first=years[0],
                            last=years[-1],
                        ),
                    )
                )
            else:
                answers.year = year
        elif key == "skip":
            if raw in specs and raw not in answers.skipped:
                answers.skipped.append(raw)
        elif key == "edit":
            answers.editing = raw if raw in specs else None
        elif key == REFORM_KEY:
            answers.reform_job = raw[:64]  # checked against the job store by the navigator
        elif key.startswith(ANSWER_PREFIX):
            typed.append((key[len(ANSWER_PREFIX) :], raw))
        elif key in specs:
            _read_one(answers, specs[key], raw, lang, human=False, field_id=f"{ANSWER_PREFIX}{key}")
    for name, raw in typed:
        if name not in specs:
            continue
        answers.typed[name] = raw
        if raw.strip() == "":
            continue  # an empty field is no answer: the question is asked again
        answers.skipped = [s for s in answers.skipped if s != name]
        _read_one(answers, specs[name], raw, lang, human=True, field_id=f"{ANSWER_PREFIX}{name}")
    return answers


def _read_one(answers: Answers, spec: InputSpec, raw: str, lang: str, human: bool, field_id: str) -> None:
    value, error = parse_value(spec, raw, lang, human)
    if error is not None:
        answers.errors.append(FieldError(field_id, spec.name, error))
        answers.values.pop(spec.name, None)
    else:
        answers.values[spec.name] = value
        answers.errors = [e for e in answers.errors if e.variable != spec.name]
