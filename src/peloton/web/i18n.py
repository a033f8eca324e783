"""The web app's texts in Dutch and English: the interface strings (messages.yaml) and the Dutch
wording of the navigator's questions (questions_nl.yaml; the English wording is the core's)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"
HERE = Path(__file__).parent


@cache
def messages() -> dict[str, dict[str, str]]:
    data: dict[str, dict[str, str]] = yaml.safe_load((HERE / "messages.yaml").read_text(encoding="utf-8"))
    return data


@cache
def dutch_questions() -> dict[str, dict[str, str]]:
    data: dict[str, dict[str, str]] = yaml.safe_load((HERE / "questions_nl.yaml").read_text(encoding="utf-8"))
    return data


def text(lang: str, key: str, **values: Any) -> str:
    """The text `key` in `lang`, with {placeholders} filled in; an unknown key shows itself so a
    missing translation is visible rather than a crash."""
    entry = messages().get(key)
    if entry is None:
        return key
    template = entry.get(lang) or entry.get(DEFAULT_LANGUAGE) or key
    return template.format(**values) if values else template


def question_text(lang: str, spec: Any) -> tuple[str, str]:
    """(question, hint) of an input in `lang`."""
    if lang == "nl":
        entry = dutch_questions().get(spec.name, {})
        return entry.get("question", spec.question), entry.get("hint", "")
    return spec.question, spec.hint
