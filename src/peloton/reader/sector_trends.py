"""Sentences that say how jobs moved in every sector ("in alle sectoren, behalve de financiële
dienstverlening, steeg de werkgelegenheid in de periode 2010-2020"), checked sector by sector.

Why a claim of its own: such a sentence states no figure, yet it can be wrong, and the monitor
finds the seed's one contradicted by CBS table 81431ned. The reader flags it the same way and with
the same rule: every sector's end-year value goes through the shared store check
(`peloton.stats.verify.check_in_store`) with "higher than in the start year" (or "not higher", for
the sectors the sentence excepts) as the test. A store that holds only the seed's own words
confirms nothing, as everywhere in the reader.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from peloton.reader.model import Claim
from peloton.stats.verify import StatsSource, check_in_store, is_seed_source

MEASURE = "employee_jobs"
_ALL_SECTORS = re.compile(
    r"\b(?:in\s+)?alle\s+sectoren(?:\s*,?\s*(?:behalve|met\s+uitzondering\s+van|op\s+(?P<one>\w+)\s+na)"
    r"\s+(?:de\s+|het\s+)?(?P<except>[^,]+?))?\s*,",
    re.IGNORECASE,
)
_JOBS = re.compile(r"\b(?:werkgelegenheid|banen|aantal\s+banen)\b", re.IGNORECASE)
_ROSE = re.compile(
    r"\b(?:steeg|stijgt|gestegen|toegenomen|toenam|nam\s+toe|groeide|gegroeid)\b", re.IGNORECASE
)
_PERIOD = re.compile(r"\b((?:19|20)\d{2})\s*[-–]\s*((?:19|20)\d{2})\b")
# the names answers use for CBS SBI sections (the store's sector codes)
SECTION_NAMES = {
    "landbouw": "A",
    "delfstoffenwinning": "B",
    "industrie": "C",
    "energievoorziening": "D",
    "waterbedrijven": "E",
    "bouw": "F",
    "bouwnijverheid": "F",
    "handel": "G",
    "vervoer": "H",
    "horeca": "I",
    "informatie en communicatie": "J",
    "financiële dienstverlening": "K",
    "financiële dienstverleners": "K",
    "financiële sector": "K",
    "onroerend goed": "L",
    "zakelijke dienstverlening": "M",
    "openbaar bestuur": "O",
    "onderwijs": "P",
    "zorg": "Q",
    "gezondheidszorg": "Q",
    "cultuur": "R",
}


def _codes(names: str) -> list[str]:
    text = unicodedata.normalize("NFC", names.lower())
    return sorted({code for name, code in SECTION_NAMES.items() if name in text})


def extract_trend_claims(text: str | None, part: Literal["question", "answer"]) -> list[Claim]:
    """The all-sectors job-growth sentences of one passage, as claims of kind "trend"."""
    if not text or "sector" not in text:
        return []
    found: list[Claim] = []
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        match = _ALL_SECTORS.search(sentence)
        period = _PERIOD.search(sentence)
        if not (match and period and _JOBS.search(sentence) and _ROSE.search(sentence)):
            continue
        excepted = _codes(match.group("except") or "")
        claim = Claim(
            text=" ".join(sentence.split()),
            value=0,
            unit="",
            kind="trend",
            part=part,
            raw=" ".join(sentence[match.start() : period.end()].split()),
            period=f"{period.group(1)}-{period.group(2)}",
            measure=MEASURE,
            qualifier="except " + ", ".join(excepted) if excepted else None,
        )
        found.append(claim)
    return found


def check_trend(claim: Claim, store: StatsSource | None) -> None:
    """Every sector up from the start year to the end year, except the excepted ones (in place)."""
    if claim.period is None:
        return
    start, end = claim.period.split("-")
    if store is None:
        claim.note = f"matches {MEASURE}; stats store not available"
        return
    excepted = set((claim.qualifier or "").removeprefix("except ").split(", ")) - {""}
    before: dict[str, float] = {}
    for o in store.observations(MEASURE, start):
        code = str(getattr(o, "sector_code", ""))
        if len(code) == 1 and not is_seed_source(o.source):  # the SBI sections, A to U
            before[code] = float(o.value)
    if not before:
        claim.note = f"{MEASURE} {start}: not in the stats store"
        return
    wrong: list[str] = []
    source = ""
    for code, start_value in sorted(before.items()):
        grew_claimed = code not in excepted

        def agrees(value: float, start_value: float = start_value, grew: bool = grew_claimed) -> bool:
            return (value > start_value) == grew

        result = check_in_store(store, MEASURE, end, code, agrees)
        if result.observation is None:
            continue
        observed = result.observation
        source = source or f"{str(observed.source).split(' (')[0]} ({observed.table_id})"
        if result.outcome == "differs":
            change = float(result.observation.value) - start_value
            wrong.append(f"{code} {change:+g}")
    claim.source = source or None
    if not source:
        claim.note = f"{MEASURE} {end}: not in the stats store"
        return
    claim.check = "differs" if wrong else "confirmed"
    claim.note = (
        f"{MEASURE} {start}->{end} per sector: not as stated in " + ", ".join(wrong)
        if wrong
        else f"{MEASURE} {start}->{end}: every sector as stated"
    )
