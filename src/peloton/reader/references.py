"""URLs, Kamerstuk references, Aanhangsel cross-references and document ids found in text.

Why regular expressions suffice: a Kamerstuk reference is a dossier number and one or more
document numbers in a fixed order; what varies between documents is only what may be left out or
spelled differently: "Kamerstuk", "Kamerstukken II", "TK", the vergaderjaar ("2023/24",
"2023/2024"), the sub-dossier ("35570-XIII", "36 410 IV", "21 501-02"), "nr."/"nr"/"nrs." and lists
("nr. 679, nr. 684 en 685"). The dossier (two plus three digits) followed by a "nr." is specific
enough to be found in running text without the word "Kamerstuk". Aanhangsel cross-references ("Zie
ook Aanhangsel Handelingen ... nr. 844") and document ids ("2022D22285") are kept apart: they are
not Kamerstukken and must not be counted as such.
"""

from __future__ import annotations

import re

from peloton.reader.model import AanhangselRef, KamerstukRef

_URL = re.compile(r"(?:https?://|www\.)[^\s()<>«»“”\"']+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}’'»”"

_MONTH = r"(?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december)"
_NR_LIST = rf"(?:\s*(?:,|en|&)\s*(?:nrs?\.?\s*)?\d{{1,4}}(?![\d/])(?!\s+{_MONTH}))*"
_KAMERSTUK = re.compile(
    r"(?:(?P<prefix>Kamerstuk(?:ken)?|Kst\.?|TK|EK)\s*,?"
    r"(?:\s+(?:I{1,2}|l{1,2}))?\s*,?"
    r"(?:\s*(?:vergaderjaar\s+)?\d{4}\s*[/–-]\s*\d{2,4})?\s*,?\s*)?"
    r"(?<![\d.,/€])(?P<dossier>\d{2}\s?\d{3})(?![\d.])"
    r"(?:\s*[-–]\s*(?P<sub1>[IVXLC]+|[A-Z]|\d{1,2})(?![\w])|\s+(?P<sub2>[IVXLC]+|[A-Z])(?![\w]))?"
    r"\s*,?\s*(?P<nrs>nrs?)\.?\s*(?P<nr>\d{1,4})(?![\d/])"
    rf"(?P<more>{_NR_LIST})",
)
_AANHANGSEL = re.compile(
    r"Aanhangsel\s+(?:der\s+|van\s+de\s+)?Handelingen(?:\s+I{1,2})?,?\s*(?:vergaderjaar\s+)?"
    r"(?P<y1>\d{4})\s*[/–-]\s*(?P<y2>\d{2,4}),?\s+nr\.?\s*(?P<nr>\d+)",
    re.IGNORECASE,
)
# a link to the paper itself: https://zoek.officielebekendmakingen.nl/kst-35570-XIII-31.html
_KST_URL = re.compile(r"\bkst-(?P<dossier>\d{5})-(?:(?P<sub>[IVXLC]+|[A-Z]|\d{1,2})-)?(?P<nr>\d{1,4})\b")
_DOCUMENT_ID = re.compile(r"\b(?:19|20)\d{2}D\d{5}\b")
_DOSSIER_DASH_NR = re.compile(
    r"\(\s*(?:Kamerstuk\s+)?(?P<dossier>\d{2}\s?\d{3})\s*[-–]\s*(?P<nr>\d{1,4})\s*\)"
)


def find_urls(text: str) -> list[str]:
    """Every URL in the text, trailing punctuation stripped, in order and without duplicates."""
    seen: list[str] = []
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(_TRAILING)
        if url and url not in seen:
            seen.append(url)
    return seen


def normalise_url(url: str) -> str:
    """A comparison key so "http://www.x.nl/" and "www.x.nl" count as the same link."""
    key = re.sub(r"^https?://", "", url.strip().lower())
    return key.rstrip("/")


def _vergaderjaar(first: str, second: str) -> str:
    """ "2023/24" → "2023-2024"; an impossible second year (a typo such as "2022–203") is kept as written."""
    if len(second) == 2:
        second = first[:2] + second
    return f"{first}-{second}"


def find_aanhangsel_refs(text: str) -> list[AanhangselRef]:
    """ "Aanhangsel Handelingen, vergaderjaar 2022–2023, nr. 844" → (2022-2023, 844), in order."""
    refs: list[AanhangselRef] = []
    for match in _AANHANGSEL.finditer(text):
        ref = AanhangselRef(_vergaderjaar(match.group("y1"), match.group("y2")), int(match.group("nr")))
        if ref not in refs:
            refs.append(ref)
    return refs


def find_document_ids(text: str) -> list[str]:
    """Parliament's document ids ("2022D22285"), which are not Kamerstuk numbers."""
    return list(dict.fromkeys(_DOCUMENT_ID.findall(text)))


def _blank_out(text: str, pattern: re.Pattern[str]) -> str:
    return pattern.sub(lambda m: " " * len(m.group(0)), text)


def find_kamerstukken(text: str) -> list[KamerstukRef]:
    """Every Kamerstuk reference as (dossier, nr) pairs, in order, each pair once.

    "Kamerstukken II 2023/24, 36 410 IV, nr. 15" → (36410-IV, 15); "Kamerstukken II, 25 424, nr.
    679, nr. 684 en 685" → three pairs; Aanhangsel cross-references are skipped.
    """
    if "nr" not in text and "kst-" not in text:
        return []
    scan = _blank_out(text, _AANHANGSEL)
    refs: list[KamerstukRef] = []
    seen: set[tuple[str, int]] = set()
    for match in _KST_URL.finditer(scan):
        sub = match.group("sub")
        dossier = match.group("dossier") + (f"-{sub}" if sub else "")
        if (dossier, int(match.group("nr"))) not in seen:
            seen.add((dossier, int(match.group("nr"))))
            refs.append(KamerstukRef(dossier, int(match.group("nr")), match.group(0)))
    for match in _KAMERSTUK.finditer(scan):
        dossier = match.group("dossier").replace(" ", "")
        sub = match.group("sub1") or match.group("sub2")
        if sub:
            dossier = f"{dossier}-{sub}"
        numbers = [int(match.group("nr"))]
        numbers += [int(n) for n in re.findall(r"\d+", match.group("more") or "")]
        for nr in numbers:
            if (dossier, nr) not in seen:
                seen.add((dossier, nr))
                refs.append(KamerstukRef(dossier=dossier, nr=nr, text=text[match.start() : match.end()]))
    return refs


def find_letter_refs(text: str) -> list[KamerstukRef]:
    """The letter a *Mededeling* points to: a full reference, or the short "(36 471-64)" form.

    Why the short form only here: in a Mededeling "(36 471-64)" is the letter's dossier and number;
    elsewhere "21 501-02" is a dossier with its sub-dossier, so the form is not read in running text.
    """
    refs = find_kamerstukken(text)
    for match in _DOSSIER_DASH_NR.finditer(text):
        ref = KamerstukRef(match.group("dossier").replace(" ", ""), int(match.group("nr")), match.group(0))
        if all((r.dossier, r.nr) != (ref.dossier, ref.nr) for r in refs):
            refs.append(ref)
    return refs
