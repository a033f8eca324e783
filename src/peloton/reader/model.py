"""What the reader makes of an answer document: plain dataclasses that every renderer and the API share.

Why dataclasses and not dicts: the JSON shape is a contract with the REST API, so it is produced in
one place (``as_dict``) from typed fields instead of being assembled ad hoc by each renderer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

CheckStatus = Literal["confirmed", "differs", "not checkable"]
LineRole = Literal["blank", "header", "metadata", "question", "answer", "footnote", "link", "mededeling"]
DocumentKind = Literal["answers", "mededeling"]

OFFICIAL_PUBLICATION = "https://zoek.officielebekendmakingen.nl/kst-{dossier}-{nr}.html"


@dataclass(frozen=True)
class KamerstukRef:
    """A parliamentary paper reference such as "Kamerstuk 35570-XIII, nr. 31"."""

    dossier: str
    nr: int
    text: str

    @property
    def url(self) -> str:
        """The paper at officielebekendmakingen.nl ("kst-35570-XIII-31")."""
        return OFFICIAL_PUBLICATION.format(dossier=self.dossier, nr=self.nr)

    def as_dict(self) -> dict[str, object]:
        return {"dossier": self.dossier, "nr": self.nr}


@dataclass(frozen=True)
class AanhangselRef:
    """A reference to another Aanhangsel der Handelingen ("vergaderjaar 2022-2023, nr. 844").

    Kept apart from Kamerstukken: it is another series (written questions and answers), not a
    parliamentary paper.
    """

    vergaderjaar: str
    nr: int

    def as_dict(self) -> dict[str, object]:
        return {"vergaderjaar": self.vergaderjaar, "nr": self.nr}


@dataclass
class Footnote:
    """A footnote: its number, re-flowed text, the URLs and Kamerstuk references it cites."""

    number: int
    text: str
    urls: list[str] = field(default_factory=list)
    kamerstukken: list[KamerstukRef] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    aanhangsel_refs: list[AanhangselRef] = field(default_factory=list)
    document_ids: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "number": self.number,
            "text": self.text,
            "urls": list(self.urls),
            "kamerstukken": [k.as_dict() for k in self.kamerstukken],
            "aanhangsel_refs": [a.as_dict() for a in self.aanhangsel_refs],
            "document_ids": list(self.document_ids),
        }


@dataclass
class Claim:
    """A figure in the text, the sentence it stands in, and how it compares with the stats store."""

    text: str
    value: float | int
    unit: str
    kind: str
    part: Literal["question", "answer"]
    raw: str
    period: str | None = None
    value_to: float | int | None = None
    qualifier: str | None = None
    measure: str | None = None
    check: CheckStatus = "not checkable"
    source: str | None = None
    store_value: float | None = None
    note: str | None = None
    context: str = ""  # the preceding sentence of the paragraph ("In 2020 ... WBSO. Daarvan waren ...")

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "text": self.text,
            "raw": self.raw,
            "value": self.value,
            "unit": self.unit,
            "kind": self.kind,
            "part": self.part,
            "period": self.period,
            "check": self.check,
            "source": self.source,
        }
        if self.value_to is not None:
            out["value_to"] = self.value_to
        if self.qualifier is not None:
            out["qualifier"] = self.qualifier
        if self.measure is not None:
            out["measure"] = self.measure
        if self.store_value is not None:
            out["store_value"] = self.store_value
        if self.note is not None:
            out["note"] = self.note
        return out


@dataclass
class Item:
    """One numbered question with its answer (None when the document does not answer it)."""

    number: int
    question: str | None
    answer: str | None
    footnotes: list[int] = field(default_factory=list)
    schemes: list[str] = field(default_factory=list)
    unknown_schemes: list[str] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    kamerstukken: list[KamerstukRef] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    answered_together: list[int] = field(default_factory=list)
    asked_together: list[int] = field(default_factory=list)
    question_lines: list[int] = field(default_factory=list)
    answer_lines: list[int] = field(default_factory=list)
    aanhangsel_refs: list[AanhangselRef] = field(default_factory=list)
    document_ids: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "number": self.number,
            "question": self.question,
            "answer": self.answer,
            "answered_together": list(self.answered_together),
            "asked_together": list(self.asked_together),
            "aanhangsel_refs": [a.as_dict() for a in self.aanhangsel_refs],
            "document_ids": list(self.document_ids),
            "footnotes": list(self.footnotes),
            "schemes": list(self.schemes),
            "unknown_schemes": list(self.unknown_schemes),
            "kamerstukken": [k.as_dict() for k in self.kamerstukken],
            "links": list(self.links),
            "claims": [c.as_dict() for c in self.claims],
        }


@dataclass
class Metadata:
    """Who answered, when, and which question set the answers belong to.

    `number` is this document's own Aanhangsel number (from the masthead or the document id);
    `aanhangsel` is the earlier Aanhangsel the answers point to ("Zie ook Aanhangsel ..."), where
    the questions were announced or a delay was reported. A *Mededeling* (`kind: mededeling`)
    answers nothing itself: `letter` holds the Kamerstuk that answers the questions, `mededeling`
    its text.
    """

    answered_by: str | None = None
    role: str | None = None
    name: str | None = None
    ministry: str | None = None
    on_behalf_of: str | None = None
    received: str | None = None
    asked_by: str | None = None
    submitted: str | None = None
    aanhangsel: dict[str, object] | None = None
    number: dict[str, object] | None = None
    document_number: str | None = None
    kind: DocumentKind = "answers"
    mededeling: str | None = None
    letter: list[KamerstukRef] = field(default_factory=list)
    preamble: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "answered_by": self.answered_by,
            "role": self.role,
            "name": self.name,
            "ministry": self.ministry,
            "on_behalf_of": self.on_behalf_of,
            "received": self.received,
            "asked_by": self.asked_by,
            "submitted": self.submitted,
            "aanhangsel": self.aanhangsel,
            "number": self.number,
            "document_number": self.document_number,
            "mededeling": self.mededeling,
            "letter": [k.as_dict() for k in self.letter],
            "preamble": list(self.preamble),
        }


@dataclass(frozen=True)
class ReaderWarning:
    """Something the reader did not fully understand, with the 1-based source line it concerns."""

    line: int | None
    message: str

    def as_dict(self) -> dict[str, object]:
        return {"line": self.line, "message": self.message}


@dataclass(frozen=True)
class LineRecord:
    """Where one source line went: the ledger behind the "no line is lost" guarantee."""

    number: int
    text: str
    role: LineRole
    owner: int | None = None
    dropped: str = ""  # a page footer glued to this line ("…Aanhangsel 2Antwoord 7"), removed


@dataclass
class AnswerDocument:
    """The whole document: metadata, items in order, footnotes, warnings and the line ledger."""

    metadata: Metadata
    items: list[Item]
    footnotes: list[Footnote]
    warnings: list[ReaderWarning]
    lines: list[LineRecord]
    source_name: str = ""
    checked_against: str | None = None

    def item(self, number: int) -> Item:
        """The item with this question number (KeyError if absent)."""
        for it in self.items:
            if it.number == number:
                return it
        raise KeyError(number)

    def footnote(self, number: int) -> Footnote:
        """The footnote with this number (KeyError if absent)."""
        for fn in self.footnotes:
            if fn.number == number:
                return fn
        raise KeyError(number)

    def as_dict(self) -> dict[str, object]:
        return {
            "source": self.source_name,
            "metadata": self.metadata.as_dict(),
            "items": [it.as_dict() for it in self.items],
            "footnotes": [fn.as_dict() for fn in self.footnotes],
            "checked_against": self.checked_against,
            "warnings": [w.as_dict() for w in self.warnings],
        }
