"""What a single line of an answer document is: page header, question or answer heading,
footnote start, bare link, or running text.

Why line patterns: the documents come out of PDF text extraction, so layout is gone but the
conventions of the Aanhangsel der Handelingen survive in the line starts: a question number alone
or "Vraag N", "Antwoord" or "Antwoord 3 en 4", a footnote as "N Source text" in the page footer,
and page headers carrying the ISSN of the series.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEADER_PATTERNS = (
    re.compile(r"ISSN\s+0921\s*-\s*7398", re.IGNORECASE),
    re.compile(r"^a[hk]-[te]k-\d{8}-\d+\b", re.IGNORECASE),
    re.compile(
        r"^(?:Tweede|Eerste)\s+Kamer,?\s+vergaderjaar\s+\d{4}\s*[–-]\s*\d{4},?\s+Aanhangsel(?:\s+\d+)*\s*$",
        re.IGNORECASE,
    ),
    re.compile(r"^Aanhangsel\s+(?:der\s+)?Handelingen\s+I{1,2}\s+\d{4}\s*[/–-]\s*\d{2,4}(?:\s+\d+)*\s*$"),
    re.compile(r"^[’'`]?\s*s\s*-?\s*Gravenhage\s+\d{4}\s*$", re.IGNORECASE),
)
_DOCUMENT_NUMBER = re.compile(r"\b(a[hk]-[te]k-(\d{4})(\d{4})-(\d+))\b", re.IGNORECASE)

_QUESTION_ALONE = re.compile(r"^(?:Vraag\s+)?(\d{1,3})\s*[.):]?$", re.IGNORECASE)
_QUESTION_VRAAG_INLINE = re.compile(r"^Vraag\s+(\d{1,3})\s*[.):]?\s+(\S.*)$", re.IGNORECASE)
_QUESTION_BARE_INLINE = re.compile(r"^(\d{1,3})[.)]\s+(\S.*)$")

_NUMS = r"\d{1,3}(?:\s*(?:,|en|t/m|tot en met|-|–|&)\s*\d{1,3})*"
_ANSWER = re.compile(
    r"^Antwoord(?:en)?(?:\s+op)?(?:\s+(?:de\s+)?vra(?:ag|gen))?"
    rf"(?:\s*(?P<nums>{_NUMS}))?\s*(?::\s*(?P<rest1>.*)|\.?)$",
    re.IGNORECASE,
)
_ANSWER_INLINE = re.compile(
    rf"^Antwoord(?:en)?\s+(?:op\s+)?(?:(?:de\s+)?vra(?:ag|gen)\s+)?(?P<nums>{_NUMS})\s*[.:]?\s+(?P<rest>\S.*)$",
    re.IGNORECASE,
)

_FOOTNOTE = re.compile(r"^(\d{1,3})\s+([A-Z(«“\"'‘’]|https?://|www\.)(.*)$")
_URL_ONLY = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_METADATA_START = re.compile(
    r"^(?:Antwoord(?:en)?\s+van\s+(?:de\s+)?(?:minister|staatssecretaris|minister-president)"
    r"|Vragen\s+van\s+(?:het|de)\s+(?:lid|leden)"
    r"|Zie\s+ook\s+Aanhangsel"
    r"|Mededeling\s+van\s+(?:de\s+)?(?:minister|staatssecretaris))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class AnswerHeading:
    """An answer heading: the question numbers it answers (empty: the last question) and any inline text."""

    numbers: tuple[int, ...]
    rest: str


def is_header(line: str) -> bool:
    """True for page headers and footers of the Handelingen series, which carry no content."""
    text = line.strip()
    return bool(text) and any(p.search(text) for p in _HEADER_PATTERNS)


def document_number(line: str) -> str | None:
    """The document's own number from a page header ("ah-tk-20212022-123"), if the line has one."""
    match = _DOCUMENT_NUMBER.search(line)
    return match.group(1).lower() if match else None


def question_heading(line: str, *, allow_bare_inline: bool) -> tuple[int, str] | None:
    """(number, inline text) if the line opens a question: "7", "Vraag 7", "Vraag 7: ..." or "7. ..."."""
    text = line.strip()
    match = _QUESTION_ALONE.match(text)
    if match:
        return int(match.group(1)), ""
    match = _QUESTION_VRAAG_INLINE.match(text)
    if match:
        return int(match.group(1)), match.group(2)
    if allow_bare_inline:
        match = _QUESTION_BARE_INLINE.match(text)
        if match:
            return int(match.group(1)), match.group(2)
    return None


def expand_numbers(spec: str) -> tuple[int, ...]:
    """ "3 en 4" → (3, 4); "3 t/m 5" and "3-5" → (3, 4, 5); caps ranges so a typo cannot explode."""
    numbers: list[int] = []
    tokens = re.findall(r"\d+|t/m|tot en met|-|–", spec)
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.isdigit():
            numbers.append(int(tok))
        elif numbers and i + 1 < len(tokens) and tokens[i + 1].isdigit():
            start, end = numbers[-1], int(tokens[i + 1])
            if start < end <= start + 20:
                numbers.extend(range(start + 1, end + 1))
                i += 1
        i += 1
    seen: list[int] = []
    for n in numbers:
        if n > 0 and n not in seen:
            seen.append(n)
    return tuple(seen)


def answer_heading(line: str) -> AnswerHeading | None:
    """The answer heading on this line, if any ("Antwoord", "Antwoord 3 en 4", "Antwoord op vraag 5:")."""
    text = line.strip()
    match = _ANSWER.match(text)
    if match:
        nums = match.group("nums")
        return AnswerHeading(expand_numbers(nums) if nums else (), (match.group("rest1") or "").strip())
    match = _ANSWER_INLINE.match(text)
    if match:
        return AnswerHeading(expand_numbers(match.group("nums")), match.group("rest").strip())
    return None


def footnote_start(line: str) -> tuple[int, str] | None:
    """(number, text) if the line looks like the first line of a footnote: "4 Kamerstuk 29696, nr. 7."."""
    match = _FOOTNOTE.match(line.strip())
    if not match:
        return None
    return int(match.group(1)), (match.group(2) + match.group(3)).strip()


def is_url_only(line: str) -> bool:
    """A line holding one bare URL: the link annotations PDF extraction lists at a page's end."""
    return bool(_URL_ONLY.match(line.strip()))


def is_metadata_start(line: str) -> bool:
    """A line opening the answer set's description: "Antwoord van minister ...", "Vragen van het lid ..."."""
    return bool(_METADATA_START.match(line.strip()))
