"""Shared test support for the reader: seed location, a fake stats store, the no-line-lost check."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from peloton.reader import AnswerDocument
from peloton.reader.layout import (
    answer_heading,
    is_header,
    is_mededeling_heading,
    plain_line,
    question_heading,
)

SEED_DIR = Path(__file__).resolve().parents[2].parent / "shared/seed"
SEED = SEED_DIR / "000_4cdabadc9cc4caa1.txt"
DOCUMENTS = Path(__file__).resolve().parent / "documents"


def seed_text() -> str:
    """The seed document's text; the test is skipped when ../shared is not beside the repo."""
    if not SEED.exists():
        pytest.skip(f"seed not found at {SEED}")
    return SEED.read_text(encoding="utf-8")


@dataclass(frozen=True)
class FakeObservation:
    source: str
    table_id: str
    measure: str
    period: str
    value: float
    unit: str
    sector_code: str = ""
    confidence: str = "confirmed"


class FakeStore:
    """Answers `observations(measure, period, sector_code)` from a list, like peloton.stats.store."""

    def __init__(self, rows: list[FakeObservation]) -> None:
        self.rows = rows
        self.queries: list[tuple[str, str | None]] = []

    def observations(
        self, measure: str, period: str | None = None, sector_code: str | None = None
    ) -> list[FakeObservation]:
        self.queries.append((measure, period))
        return [
            r
            for r in self.rows
            if r.measure == measure
            and (period is None or r.period == period)
            and (sector_code is None or r.sector_code == sector_code)
        ]


def seed_figures_store(source: str = "RVO, WBSO jaarverslag 2020") -> FakeStore:
    """A store holding the seed's WBSO 2020 figures and the CBS productivity figure."""
    return FakeStore(
        [
            FakeObservation(source, "rvo-wbso", "wbso_firms_total", "2020", 20340.0, "ondernemingen"),
            FakeObservation(source, "rvo-wbso", "wbso_firms_with_staff", "2020", 19010.0, "ondernemingen"),
            FakeObservation(source, "rvo-wbso", "wbso_self_employed", "2020", 1330.0, "ondernemingen"),
            FakeObservation(source, "rvo-wbso", "wbso_share_sme", "2020", 97.0, "%"),
            FakeObservation(source, "rvo-wbso", "wbso_projects_granted", "2020", 135370.0, "projecten"),
            FakeObservation("CBS, 9 juli 2021", "news", "labour_productivity_commercial", "2020", -1.8, "%"),
            FakeObservation(
                "seed:000_4cdabadc9cc4caa1.txt", "", "wbso_share_projects_process", "2020", 11.0, "%"
            ),
        ]
    )


def _owner_text(doc: AnswerDocument, role: str, owner: int | None) -> str:
    if role == "metadata":
        return " ".join(doc.metadata.preamble)
    if role == "mededeling":
        return doc.metadata.mededeling or ""
    if role == "footnote":
        fn = doc.footnote(owner or 0)
        return fn.text + " " + " ".join(fn.urls)
    # a repeated question number: the line belongs to one of the items with that number
    items = [it for it in doc.items if it.number == owner]
    assert items, f"no item {owner}"
    if role == "question":
        return " ".join(it.question or "" for it in items)
    if role == "answer":
        return " ".join(it.answer or "" for it in items)
    if role == "link":
        return " ".join(" ".join(it.links) for it in items)
    raise AssertionError(f"unknown role {role}")


def _words(text: str) -> list[str]:
    """The words of a line as they must reappear: a word broken at the line end counts from its part."""
    return re.findall(r"[^\W\d_]{2,}", text)


def assert_no_line_lost(doc: AnswerDocument) -> None:
    """Every non-blank, non-header source line went to a part whose text holds all its words."""
    for rec in doc.lines:
        if rec.role == "blank":
            assert not rec.text.strip(), f"line {rec.number} dropped: {rec.text!r}"
            continue
        if rec.role == "header":
            masthead_number = plain_line(rec.text).isdigit()
            assert is_header(rec.text) or masthead_number, (
                f"line {rec.number} taken for a header: {rec.text!r}"
            )
            continue
        if rec.role == "mededeling" and is_mededeling_heading(rec.text):
            continue  # the heading "Mededeling" carries structure (kind: mededeling), not text
        target = _owner_text(doc, rec.role, rec.owner)
        # hyphenated words are joined across line breaks: compare without hyphens and breaks
        target = re.sub(r"[-\s]", "", target)
        text = rec.text
        if rec.dropped:
            assert is_header(rec.dropped), f"line {rec.number}: dropped text is not a footer: {rec.dropped!r}"
            text = text.replace(rec.dropped, " ", 1)
        if rec.role in ("question", "answer"):
            # a heading line ("7", "Vraag 7", "Antwoord 3 en 4: ...") carries structure, not text
            question = question_heading(text, allow_bare_inline=True)
            answer = answer_heading(text)
            if question is not None:
                text = question.rest
            elif answer is not None:
                text = answer.rest
        for word in _words(text):
            assert word in target, f"line {rec.number} ({rec.role} {rec.owner}): {word!r} missing"
