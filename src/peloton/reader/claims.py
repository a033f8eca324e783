"""Figures in a passage (counts, percentages, euro amounts, years, ranges) with their sentence.

Why a scanner and not a parser of meaning: a reader of an answer wants every figure it states,
next to the sentence it stands in, so that each can be checked. Dutch number formats are read as
written ("20.340" is twenty thousand, "1,8" is one point eight); identifiers that look like
numbers (Kamerstuk numbers, question numbers, dates, footnote markers, URLs) are masked first so
they are not mistaken for claims. Direction words ("afgenomen", "daling") make a percentage
change negative, as statistics offices publish it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from peloton.reader.model import Claim

_MONTHS = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
_MASKS = (
    re.compile(r"\[\d{1,3}\]"),
    re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE),
    re.compile(r"Kamerstuk(?:ken)?[^;)]*?\bnrs?\.?\s*\d+(?:\s*(?:,|en)\s*\d+)*", re.IGNORECASE),
    re.compile(
        r"\b(?:nrs?|nummers?|artikel|art|lid|vragen|vraag|motie|bijlage|pagina|blz|p)\.?\s*\d+"
        r"(?:\s*(?:,|en|t/m|-)\s*\d+)*",
        re.IGNORECASE,
    ),
    re.compile(rf"\b\d{{1,2}}\s+(?:{_MONTHS})(?:\s+\d{{4}})?\b", re.IGNORECASE),
    re.compile(r"\b\d{1,2}[-/]\d{1,2}[-/]\d{2,4}\b"),
    re.compile(r"\b\d{4}\s*[/-]\s*\d{4}\s*,?\s*nr", re.IGNORECASE),
)
_ANY_DIGIT = re.compile(r"\d")
_NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_FIGURE = re.compile(
    rf"(?<![\w.,/\-\0])(?P<euro>€\s?|EUR\s)?(?P<num>{_NUMBER})"
    rf"(?:\s?[-–]\s?(?P<num2>{_NUMBER}))?"
    r"(?P<pct>\s?%|\s+procent\b|\s+procentpunt(?:en)?\b)?"
    r"(?P<scale>\s+(?:miljoen|miljard|mln\.?|mld\.?|duizend)(?![\w]))?"
    r"(?P<euro2>\s+(?:euro|EUR)\b)?"
    r"(?![\w\0]|[.,]\d)"
)
_WORDS = {
    "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8, "negen": 9,
    "tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15,
    "zestien": 16, "zeventien": 17, "achttien": 18, "negentien": 19, "twintig": 20,
    "dertig": 30, "veertig": 40, "vijftig": 50, "honderd": 100, "duizend": 1000,
}  # fmt: skip
_WORD_FIGURE = re.compile(rf"(?<![\w-])(?P<word>{'|'.join(_WORDS)})(?![\w-])", re.IGNORECASE)
_UNIT_STOP = frozenset(
    [
        "van",
        "en",
        "of",
        "de",
        "het",
        "een",
        "is",
        "zijn",
        "was",
        "in",
        "op",
        "tot",
        "met",
        "per",
        "voor",
        "naar",
        "te",
        "die",
        "dat",
        "als",
        "om",
    ]
)
_SCALES = {"miljoen": 1e6, "mln": 1e6, "miljard": 1e9, "mld": 1e9, "duizend": 1e3}
_QUALIFIERS = (
    (re.compile(r"(?:meer dan|ruim|boven de|over de)\s*$", re.IGNORECASE), "more than"),
    (re.compile(r"(?:minder dan|onder de)\s*$", re.IGNORECASE), "less than"),
    (
        re.compile(r"(?:circa|ca\.|ongeveer|zo'n|zo’n|rond de|ongeveer|naar schatting)\s*$", re.IGNORECASE),
        "about",
    ),
    (re.compile(r"(?:bijna|vrijwel|nagenoeg)\s*$", re.IGNORECASE), "almost"),
    (re.compile(r"(?:maximaal|tot|hooguit)\s*$", re.IGNORECASE), "up to"),
)
_DECLINE = re.compile(
    r"\b(?:afgenomen|afname|gedaald|daling|daalde|daalt|dalen|gekrompen|krimp|kromp|lager|"
    r"teruggelopen|terugval|verminderd|afnam)\b",
    re.IGNORECASE,
)
_BASE_YEAR = re.compile(
    r"(?:opzichte van|overstaande van|t\.o\.v\.|vergeleken met|sinds|vanaf|sedert)[^.]{0,25}$",
    re.IGNORECASE,
)
_SPLIT = re.compile(r"(?<=[.!?])[’'\"”»)]*\s+(?=[A-Z(‘'\"“«])|\n\s*\n")


@dataclass
class _Figure:
    start: int
    end: int
    claim: Claim


_MAX_SENTENCE = 1000


def _bounded(offset: int, chunk: str) -> list[tuple[int, str]]:
    """A "sentence" longer than any real one (a text without full stops) cut at spaces.

    Why: every figure is compared with its sentence and that sentence's other figures; without a
    bound, one endless sentence with thousands of figures makes that quadratic.
    """
    if len(chunk) <= _MAX_SENTENCE:
        return [(offset, chunk)]
    out: list[tuple[int, str]] = []
    start = 0
    while start < len(chunk):
        end = min(len(chunk), start + _MAX_SENTENCE)
        if end < len(chunk):
            cut = chunk.rfind(" ", start + _MAX_SENTENCE // 2, end)
            end = cut if cut > start else end
        if chunk[start:end].strip():
            out.append((offset + start, chunk[start:end]))
        start = end
    return out


def sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs; "nr. 31" or "jl. naar" do not end a sentence (next word is lower case)."""
    out: list[tuple[int, str]] = []
    pos = 0
    for match in _SPLIT.finditer(text):
        chunk = text[pos : match.start()]
        if chunk.strip():
            out += _bounded(pos, chunk)
        pos = match.end()
    if text[pos:].strip():
        out += _bounded(pos, text[pos:])
    return out


def _mask(text: str) -> str:
    """The text with every identifier span (see _MASKS) replaced by NULs of the same length."""
    if not _ANY_DIGIT.search(text):
        return text  # every mask is about digits; nothing to hide
    spans = sorted(m.span() for pattern in _MASKS for m in pattern.finditer(text))
    out: list[str] = []
    pos = 0
    for start, end in spans:
        if end <= pos:
            continue
        start = max(start, pos)
        out += [text[pos:start], "\0" * (end - start)]
        pos = end
    out.append(text[pos:])
    return "".join(out)


def parse_number(raw: str) -> float | int:
    """Dutch notation: "20.340" → 20340, "1,8" → 1.8, "1.234,5" → 1234.5."""
    cleaned = raw.replace(".", "").replace(",", ".") if re.search(r"\.\d{3}", raw) else raw.replace(",", ".")
    value = float(cleaned)
    return int(value) if value.is_integer() and "," not in raw else value


def _unit_after(text: str, end: int) -> str:
    """The noun a count counts: "20.340 ondernemingen", "vijf regionale hubs", "135.370 WBSO-projecten"."""
    words = re.findall(r"[\wÀ-ÿ'’-]+", text[end : end + 60])
    if not words or words[0].lower() in _UNIT_STOP:
        return ""
    first = words[0].strip("-")
    if first.lower().endswith("e") and first[:1].islower() and len(words) > 1:
        second = words[1]
        if second.lower() not in _UNIT_STOP:
            return f"{first} {second}"
    return first


def _qualifier(text: str, start: int) -> str | None:
    before = text[max(0, start - 25) : start]
    for pattern, name in _QUALIFIERS:
        if pattern.search(before):
            return name
    return None


def _is_year(raw: str) -> bool:
    return bool(re.fullmatch(r"(?:19|20)\d{2}", raw))


def _figures(sentence: str, part: Literal["question", "answer"]) -> list[_Figure]:
    masked = _mask(sentence)
    text = " ".join(sentence.split())
    found: list[_Figure] = []
    for match in _FIGURE.finditer(masked):
        raw_num, raw_num2 = match.group("num"), match.group("num2")
        value = parse_number(raw_num)
        value_to = parse_number(raw_num2) if raw_num2 else None
        raw = sentence[match.start() : match.end()].strip()
        euro = bool(match.group("euro") or match.group("euro2"))
        scale_word = (match.group("scale") or "").strip().rstrip(".").lower()
        scale = _SCALES.get(scale_word, 1.0)
        claim_kind: str
        if euro:
            claim_kind, unit = "amount", "EUR"
        elif match.group("pct"):
            claim_kind = "percentage"
            unit = "procentpunt" if "procentpunt" in match.group("pct") else "%"
        elif _is_year(raw_num) and (raw_num2 is None or _is_year(raw_num2)) and not scale_word:
            claim_kind, unit = ("period" if raw_num2 else "year"), "year"
        else:
            claim_kind = "range" if raw_num2 else "count"
            unit = _unit_after(masked, match.end())
            if unit:
                raw = f"{raw} {unit}"
        if scale != 1.0:
            value = value * scale
            value_to = value_to * scale if value_to is not None else None
            value = int(value) if float(value).is_integer() else value
        claim = Claim(
            text=text,
            value=value,
            unit=unit,
            kind=claim_kind,
            part=part,
            raw=raw,
            value_to=value_to,
            qualifier=_qualifier(masked, match.start()),
        )
        found.append(_Figure(match.start(), match.end(), claim))
    for match in _WORD_FIGURE.finditer(masked):
        unit = _unit_after(masked, match.end())
        if not unit:
            continue
        claim = Claim(
            text=text,
            value=_WORDS[match.group("word").lower()],
            unit=unit,
            kind="count",
            part=part,
            raw=f"{match.group(0)} {unit}",
            qualifier=_qualifier(masked, match.start()),
        )
        found.append(_Figure(match.start(), match.end(), claim))
    found.sort(key=lambda f: f.start)
    _direction_and_period(masked, found)
    return found


def _direction_and_period(sentence: str, found: list[_Figure]) -> None:
    """Give each figure its year (the nearest in-sentence year that is not a base year) and sign."""
    years = [f for f in found if f.claim.kind == "year"]
    others = [f for f in found if f.claim.kind not in ("year", "period")]
    for fig in others:
        candidates = [y for y in years if not _BASE_YEAR.search(sentence[: y.start])]
        if candidates:
            nearest = min(candidates, key=lambda y: abs(y.start - fig.start))
            fig.claim.period = str(nearest.claim.value)
        if fig.claim.kind == "percentage":
            window = sentence[fig.end : fig.end + 40]
            before = sentence[max(0, fig.start - 40) : fig.start]
            if _DECLINE.search(window) or re.search(r"\b(?:daling|afname|krimp)\s+(?:van|met)\s*$", before):
                fig.claim.value = -fig.claim.value
    if others:
        # years in a sentence with other figures are their context, not claims of their own
        found[:] = [f for f in found if f.claim.kind != "year"]


def extract_claims(text: str | None, part: Literal["question", "answer"]) -> list[Claim]:
    """Every figure in a question or answer, each with the sentence it stands in.

    A figure in a sentence without a year takes the year of an earlier sentence of the same
    paragraph ("In 2020 maakten 20.340 ondernemingen gebruik van de WBSO. Daarvan waren 19.010
    ondernemingen met personeel ..."), and keeps that earlier sentence as its context.
    """
    if not text:
        return []
    claims: list[Claim] = []
    for paragraph in re.split(r"\n\s*\n", text):
        last_year: str | None = None
        previous = ""
        for _, sentence in sentences(paragraph):
            found = [f.claim for f in _figures(sentence, part)]
            for claim in found:
                claim.context = previous
                if claim.period is None and claim.kind not in ("year", "period") and last_year:
                    claim.period = last_year
            years = [str(c.value) for c in found if c.kind == "year"]
            periods = [c.period for c in found if c.period]
            if years or periods:
                last_year = (years or periods)[-1]
            elif re.search(r"\b(?:19|20)\d{2}\b", _mask(sentence)):
                last_year = re.findall(r"\b(?:19|20)\d{2}\b", _mask(sentence))[-1]
            previous = " ".join(sentence.split())
            claims.extend(found)
    return claims


def local_context(claim_text: str, claim_raw: str, all_raws: list[str]) -> tuple[str, str]:
    """The words before and after one figure, up to its neighbouring figures in the sentence.

    Why: one sentence often holds several figures ("11 procent ... productieprocessen en 16 procent
    ... programmatuur"); the words right after a figure usually say what it counts.
    """
    start = claim_text.find(claim_raw)
    if start < 0:
        return "", claim_text
    end = start + len(claim_raw)
    nxt = len(claim_text)
    prev = 0
    for raw in all_raws:
        if raw == claim_raw:
            continue
        pos = claim_text.find(raw)
        if pos >= end:
            nxt = min(nxt, pos)
        elif 0 <= pos < start:
            prev = max(prev, pos + len(raw))
    return claim_text[prev:start], claim_text[start:nxt]
