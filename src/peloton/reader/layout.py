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

_YEARS = r"\d{4}\s*[–-]\s*\d{4}"
# pieces of a page footer; PDF text may glue several together and glue the next heading on
_FOOTER_PIECE = (
    r"(?:ISSN\s+0921\s*-\s*7398"
    r"|[’'`]?\s*s\s*-?\s*Gravenhage\s+\d{4}"
    r"|a[hk]-[te]k-\d{8}-\d+"
    rf"|(?:Tweede|Eerste)\s+Kamer,?\s+vergaderjaar\s+{_YEARS},?\s+Aanhangsel(?:\s*\d+)?)"
)
_FOOTER_RUN = re.compile(rf"^(?:{_FOOTER_PIECE}\s*)+", re.IGNORECASE)
_HEADER_PATTERNS = (
    re.compile(r"ISSN\s+0921\s*-\s*7398", re.IGNORECASE),
    re.compile(r"^a[hk]-[te]k-\d{8}-\d+\b", re.IGNORECASE),
    re.compile(
        rf"^(?:Tweede|Eerste)\s+Kamer,?\s+vergaderjaar\s+{_YEARS},?\s+Aanhangsel(?:\s+\d+)*\s*$",
        re.IGNORECASE,
    ),
    re.compile(r"^Aanhangsel\s+(?:der\s+)?Handelingen\s+I{1,2}\s+\d{4}\s*[/–-]\s*\d{2,4}(?:\s+\d+)*\s*$"),
    re.compile(r"^[’'`]?\s*s\s*-?\s*Gravenhage\s+\d{4}\s*$", re.IGNORECASE),
    # the masthead of the series on a document's first page
    re.compile(r"^(?:Tweede|Eerste)\s+Kamer\s+der\s+Staten-Generaal\s*\d*\s*$", re.IGNORECASE),
    re.compile(rf"^Vergaderjaar\s+{_YEARS}\s+Aanhangsel\s+van\s+de\s+Handelingen\s*$", re.IGNORECASE),
    re.compile(
        r"^Vragen\s+gesteld\s+door\s+de\s+leden\s+der\s+Kamer,?(?:\s+met\s+de\s+daarop\s+door\s+de)?\s*$"
    ),
    re.compile(r"^(?:regering\s+)?gegeven\s+antwoorden\s*$"),
)
# a Markdown conversion of the PDF: "### 387", "**regering gegeven antwoorden**", "-----" between pages,
# and the document id with its dashes lost ("h tk 20232024 387")
_MARKDOWN = re.compile(r"^#{1,6}\s+|^\*\*|\*\*$|^__|__$")
_RULE = re.compile(r"^(?:-{3,}|\*{3,}|_{3,})$")
_MANGLED_ID = re.compile(r"^a?h\s*[-\s]\s*tk\s*[-\s]\s*(\d{4})(\d{4})\s*[-\s]\s*(\d+)$", re.IGNORECASE)
# one cheap pass that every header line passes (most lines of a document do not)
_HEADER_HINT = re.compile(
    r"ISSN|Gravenhage|Kamer|ergaderjaar|Aanhangsel|antwoorden|Vragen\s+gesteld|^[-*_]{3}|^a?h\s*[-\s]\s*tk",
    re.IGNORECASE,
)
_MASTHEAD_YEARS = re.compile(r"^Vergaderjaar\s+(\d{4})\s*[–-]\s*(\d{4})\s+Aanhangsel", re.IGNORECASE)
_MASTHEAD_END = re.compile(r"gegeven\s+antwoorden\s*$")
_DOCUMENT_NUMBER = re.compile(r"\b(a[hk]-[te]k-(\d{4})(\d{4})-(\d+))\b", re.IGNORECASE)

# a list of question numbers: "2 en 3", "3, 4 en 5", "2 t/m 4", "7, 8, 9 10 en 11" (a comma missing)
_SEP = r"\s*(?:,|en|&|t/m|tot\s+en\s+met|-|–)\s*"
_NUMS_STRICT = rf"\d{{1,3}}(?:{_SEP}\d{{1,3}})*"
_NUMS_LOOSE = rf"\d{{1,3}}(?:(?:{_SEP}|\s+)\d{{1,3}})*"
_QUESTION_ALONE = re.compile(rf"^Vra(?:ag|gen)\s+(?P<nums>{_NUMS_LOOSE})\s*[.):]?$", re.IGNORECASE)
_QUESTION_BARE_ALONE = re.compile(r"^(?P<nums>\d{1,3})\s*[.):]?$")
_QUESTION_VRAAG_INLINE = re.compile(
    rf"^Vra(?:ag|gen)\s+(?P<nums>{_NUMS_STRICT})\s*[.):]?\s+(?P<rest>\S.*)$", re.IGNORECASE
)
_QUESTION_BARE_INLINE = re.compile(r"^(?P<nums>\d{1,3})[.)]\s+(?P<rest>\S.*)$")

_ANSWER = re.compile(
    r"^Antwoord(?:en)?(?:\s+op)?(?:\s+(?:de\s+)?vra(?:ag|gen))?"
    rf"(?:\s*(?P<nums>{_NUMS_LOOSE}))?\s*(?::\s*(?P<rest1>.*)|\.?)$",
    re.IGNORECASE,
)
_ANSWER_INLINE = re.compile(
    rf"^Antwoord(?:en)?\s+(?:op\s+)?(?:(?:de\s+)?vra(?:ag|gen)\s+)?(?P<nums>{_NUMS_STRICT})\s*[.:]?\s+(?P<rest>\S.*)$",
    re.IGNORECASE,
)

# "4 Kamerstuk …", and as plain-text extraction gives them "1Brabants Dagblad", "4(Aanhangsel …"
_FOOTNOTE = re.compile(r"^(\d{1,3})(?:\s+([A-Z(«“\"'‘’]|https?://|www\.)|([A-Z](?=[a-zà-ÿ])|\())(.*)$")
_URL_ONLY = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_METADATA_START = re.compile(
    r"^(?:Antwoord(?:en)?\s+van\s+(?:de\s+)?(?:minister|staatssecretaris|minister-president)"
    r"|Vragen\s+van\s+(?:het|de)\s+(?:lid|leden)"
    r"|Zie\s+ook\s+Aanhangsel"
    r"|Mededeling\s+van\s+(?:de\s+)?(?:minister|staatssecretaris|minister-president))",
    re.IGNORECASE,
)
_MEDEDELING = re.compile(r"^Mededeling\s*[.:]?$", re.IGNORECASE)


@dataclass(frozen=True)
class QuestionHeading:
    """A question label: the question numbers it carries ("Vraag 2 en 3": two) and any inline text."""

    numbers: tuple[int, ...]
    rest: str
    explicit: bool  # "Vraag …" rather than a bare number


@dataclass(frozen=True)
class AnswerHeading:
    """An answer heading: the question numbers it answers (empty: the last question) and any inline text."""

    numbers: tuple[int, ...]
    rest: str


def plain_line(line: str) -> str:
    """The line without Markdown decoration ("### 387" → "387", "**Vragen …**" → "Vragen …")."""
    text = line.strip()
    if "#" in text[:1] or "*" in text[:2] or "_" in text[:2]:
        text = _MARKDOWN.sub("", text).strip()
    return text


def is_header(line: str) -> bool:
    """True for page headers and footers of the Handelingen series, which carry no content."""
    text = plain_line(line)
    if not text or not _HEADER_HINT.search(text):
        return False
    if _RULE.match(text) or _MANGLED_ID.match(text):
        return True
    run = _FOOTER_RUN.match(text)
    return (run is not None and run.end() == len(text)) or any(p.search(text) for p in _HEADER_PATTERNS)


def document_number(line: str) -> str | None:
    """The document's own number from a page header ("ah-tk-20212022-123"), if the line has one."""
    match = _DOCUMENT_NUMBER.search(line)
    if match:
        return match.group(1).lower()
    mangled = _MANGLED_ID.match(line.strip())
    return f"ah-tk-{mangled.group(1)}{mangled.group(2)}-{mangled.group(3)}" if mangled else None


def question_heading(line: str, *, allow_bare_inline: bool) -> QuestionHeading | None:
    """The question label opening this line: "7", "Vraag 7", "Vraag 2 en 3", "Vraag 7: ..." or "7. ..."."""
    text = line.strip()
    for pattern, explicit in (
        (_QUESTION_ALONE, True),
        (_QUESTION_BARE_ALONE, False),
        (_QUESTION_VRAAG_INLINE, True),
    ):
        match = pattern.match(text)
        if match:
            numbers = expand_numbers(match.group("nums"))
            rest = match.groupdict().get("rest") or ""
            return QuestionHeading(numbers, rest, explicit) if numbers else None
    if allow_bare_inline:
        match = _QUESTION_BARE_INLINE.match(text)
        if match:
            return QuestionHeading((int(match.group("nums")),), match.group("rest"), False)
    return None


def split_footer(line: str) -> tuple[str, str]:
    """(page footer, the rest) for a line that starts with a page footer, else ("", line).

    Why: plain-text extractions glue the footer to the next heading ("… Aanhangsel 2Antwoord 7");
    the footer is dropped and the heading read.
    """
    match = _FOOTER_RUN.match(line)
    if not match:
        return "", line
    return match.group(0).strip(), line[match.end() :].strip()


def masthead_years(line: str) -> str | None:
    """ "Vergaderjaar 2014–2015 Aanhangsel van de Handelingen" → "2014-2015"."""
    match = _MASTHEAD_YEARS.match(plain_line(line))
    return f"{match.group(1)}-{match.group(2)}" if match else None


def ends_masthead(line: str) -> bool:
    """The masthead's last line ("… regering gegeven antwoorden"); the document's number follows."""
    return bool(_MASTHEAD_END.search(plain_line(line)))


def is_mededeling_heading(line: str) -> bool:
    """A line "Mededeling": what follows says where the questions are answered instead."""
    return bool(_MEDEDELING.match(line.strip()))


def expand_numbers(spec: str) -> tuple[int, ...]:
    """ "3 en 4" → (3, 4); "3 t/m 5" and "3-5" → (3, 4, 5); caps ranges so a typo cannot explode."""
    numbers: list[int] = []
    tokens = re.findall(r"\d+|t/m|tot\s+en\s+met|-|–", spec)
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.isdigit():
            numbers.append(int(tok))
        elif numbers and i + 1 < len(tokens) and tokens[i + 1].isdigit():  # a range
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
    lead = match.group(2) or match.group(3) or ""
    return int(match.group(1)), (lead + match.group(4)).strip()


def is_url_only(line: str) -> bool:
    """A line holding one bare URL: the link annotations PDF extraction lists at a page's end."""
    return bool(_URL_ONLY.match(line.strip()))


def is_metadata_start(line: str) -> bool:
    """A line opening the answer set's description: "Antwoord van minister ...", "Vragen van het lid ..."."""
    return bool(_METADATA_START.match(line.strip()))
