"""URLs and parliamentary-paper references found in text.

Why regular expressions suffice: Kamerstuk references follow a fixed citation form ("Kamerstuk
29826, nr. 128"; "Kamerstukken II 2020/21, 35570-XIII, nr. 31"), with only spacing and the
separator before a sub-number varying between documents and PDF extractions.
"""

from __future__ import annotations

import re

from peloton.reader.model import KamerstukRef

_URL = re.compile(r"(?:https?://|www\.)[^\s()<>«»“”\"']+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}’'»”"

_KAMERSTUK = re.compile(
    r"Kamerstuk(?:ken)?(?:\s+(?:I|II))?(?:\s+\d{4}\s*[/-]\s*\d{2,4})?\s*,?\s+"
    r"(?P<dossier>\d{2}\s?\d{3})"
    r"(?:\s*-\s*(?P<sub1>[IVXLC]+|[A-Z]|\d{1,3})\b|\s+(?P<sub2>[IVXLC]+|[A-Z])\b)?"
    r"\s*,\s*(?P<nrs>nrs?)\.?\s*(?P<nr>\d+)(?P<more>(?:\s*(?:,|en|&)\s*\d+)*)",
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


def find_kamerstukken(text: str) -> list[KamerstukRef]:
    """Parse "Kamerstuk 29 826, nr. 128" and "35570 XIII, nr. 30" into (dossier, nr) pairs."""
    refs: list[KamerstukRef] = []
    for match in _KAMERSTUK.finditer(text):
        dossier = match.group("dossier").replace(" ", "")
        sub = match.group("sub1") or match.group("sub2")
        if sub:
            dossier = f"{dossier}-{sub}"
        numbers = [int(match.group("nr"))]
        numbers += [int(n) for n in re.findall(r"\d+", match.group("more") or "")]
        for nr in numbers:
            ref = KamerstukRef(dossier=dossier, nr=nr, text=match.group(0))
            if all((r.dossier, r.nr) != (ref.dossier, ref.nr) for r in refs):
                refs.append(ref)
    return refs
