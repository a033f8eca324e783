"""Who asked, who answered (and on whose behalf), when, and which Aanhangsel: the document's head.

Why patterns on the joined head text: these sentences follow the Handelingen's fixed wording
("Vragen van het lid … (ingezonden …)", "Antwoord van Minister … (…), mede namens … (ontvangen
…)", "Mededeling van …"), but PDF lines break them anywhere, so they are matched after re-flowing.
"""

from __future__ import annotations

import re

from peloton.reader.model import Metadata
from peloton.reader.references import find_aanhangsel_refs

MONTHS = {
    "januari": 1,
    "februari": 2,
    "maart": 3,
    "april": 4,
    "mei": 5,
    "juni": 6,
    "juli": 7,
    "augustus": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "december": 12,
}
_DATE = r"(\d{1,2})\s+(" + "|".join(MONTHS) + r")\s+(\d{4})"
_ANSWERED_BY = re.compile(
    r"(?P<kind>Antwoord(?:en)?|Mededeling)\s+van\s+(?:de\s+)?"
    r"(?P<role>minister-president|minister|staatssecretaris)\s+"
    r"(?P<name>(?:van\s+|voor\s+)?[^()]+?)\s*\((?P<ministry>[^()]+)\)"
    r"(?:\s*,?\s*mede\s+namens\s+(?P<behalf>[^()]+?))?\s*(?=\(|$|\.)",
    re.IGNORECASE,
)
_RECEIVED = re.compile(r"\(\s*(?:ontvangen\s*\(?\s*)+" + _DATE + r"\s*\)", re.IGNORECASE)
_SUBMITTED = re.compile(r"\(\s*(?:ingezonden\s*\(?\s*)+" + _DATE + r"\s*\)", re.IGNORECASE)
_ASKED_BY = re.compile(
    r"Vragen\s+van\s+(?:het|de)\s+(?:lid|leden)\s+(?P<who>.+?)\s+aan\s+(?:de|het)\s+", re.IGNORECASE
)
_SEE_ALSO = re.compile(r"Zie\s+ook\s+(?P<ref>Aanhangsel.*)", re.IGNORECASE)
_KNOWN_OPENINGS = re.compile(r"^(Zie ook|Antwoord|Vragen|Mededeling)", re.IGNORECASE)


def dutch_date(day: str, month: str, year: str) -> str | None:
    """ "10", "november", "2021" → "2021-11-10" (None for an impossible date)."""
    try:
        return f"{int(year):04d}-{MONTHS[month.lower()]:02d}-{int(day):02d}"
    except (KeyError, ValueError):
        return None


def read_head(blocks: list[str], meta: Metadata) -> list[int]:
    """Fill `meta` from the head's re-flowed blocks; return the indexes of blocks not understood."""
    meta.preamble = [text for text in blocks if text]
    joined = " ".join(meta.preamble)
    understood: list[tuple[int, int]] = []
    if m := _ANSWERED_BY.search(joined):
        meta.role = m.group("role").lower()
        meta.name = " ".join(m.group("name").split())
        meta.ministry = " ".join(m.group("ministry").split())
        meta.answered_by = f"{meta.role} {meta.name}"
        if m.group("behalf"):
            meta.on_behalf_of = " ".join(m.group("behalf").split())
        if m.group("kind").lower() == "mededeling":
            meta.kind = "mededeling"
        understood.append(m.span())
    for pattern, attr in ((_RECEIVED, "received"), (_SUBMITTED, "submitted")):
        if m := pattern.search(joined):
            setattr(meta, attr, dutch_date(m.group(1), m.group(2), m.group(3)))
            understood.append(m.span())
    if m := _ASKED_BY.search(joined):
        who = " ".join(m.group("who").split())
        meta.asked_by = re.sub(r"(?<=\w)\(", " (", who)  # "Klashorst(PVV)" as extraction glues it
        understood.append((m.start(), len(joined)))
    if m := _SEE_ALSO.search(joined):
        refs = find_aanhangsel_refs(m.group("ref"))
        if refs:
            meta.aanhangsel = refs[0].as_dict()
            understood.append(m.span())
    elif refs := find_aanhangsel_refs(joined):
        meta.aanhangsel = refs[0].as_dict()
    unclear: list[int] = []
    start = 0
    for index, text in enumerate(blocks):
        if not text:
            continue
        covered = any(s <= start < e for s, e in understood)
        if not covered and not _KNOWN_OPENINGS.match(text):
            unclear.append(index)
        start += len(text) + 1
    return unclear
