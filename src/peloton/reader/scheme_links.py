"""Which schemes and programmes a passage names: catalog ids where peloton knows them, names where not.

Why aliases from the catalog: documents cite schemes under many names ("Wet Bevordering Speur- en
Ontwikkelingswerk (WBSO)", "WBSO-projecten", "MIT-regeling"), and the catalog keeps those names
next to the scheme so the navigator, the monitor and the reader agree. Short all-capital acronyms
are matched in capitals only: "SLIM" and "MIA" are schemes, "slim" and "Mia" are not.

Programmes the catalog lacks are found by two cautious heuristics, tuned to keep false positives
low rather than to find everything: a capitalised name followed by its acronym in parentheses,
and capitalised names (or compounds) ending in a programme word such as -fonds, -pact, -agenda.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from peloton.catalog import Scheme, load_catalog

_WORD = r"[\wÀ-ÿ&]"
_ORGANISATION_ACRONYMS = frozenset(
    [
        "CBS",
        "RVO",
        "SER",
        "CPB",
        "KVK",
        "KvK",
        "EZK",
        "EZ",
        "OCW",
        "SZW",
        "BZK",
        "TNO",
        "NWO",
        "EU",
        "EC",
        "MKB",
        "AI",
        "ICT",
        "R&D",
        "NL",
        "VNG",
        "IPO",
        "ROM",
        "FME",
        "PBL",
        "WRR",
        "AWTI",
        "OESO",
        "OECD",
        "UWV",
        "FD",
        "NOS",
        "RIVM",
        "ACM",
        "AFM",
        "DNB",
    ]
)
_ORGANISATION_WORDS = frozenset(
    [
        "rijksdienst",
        "bureau",
        "raad",
        "centraal",
        "ministerie",
        "commissie",
        "kamer",
        "planbureau",
        "universiteit",
        "instituut",
        "autoriteit",
        "belastingdienst",
        "provincie",
        "gemeente",
        "bank",
    ]
)
_PROGRAMME_SUFFIXES = (
    "fonds",
    "programma",
    "programme",
    "regeling",
    "regelingen",
    "agenda",
    "pact",
    "strategie",
    "actieplan",
    "coalitie",
    "coalition",
    "alliantie",
    "subsidie",
    "krediet",
    "voucher",
    "deal",
    "impuls",
    "faciliteit",
    "garantie",
    "lening",
    "aftrek",
    "box",
)
_LEADING_STOP = frozenset(
    ["de", "het", "een", "dit", "deze", "die", "dat", "zoals", "en", "of", "van", "voor", "met", "in", "op"]
)
_GENERIC_ADJECTIVES = frozenset(
    ["verschillende", "andere", "genoemde", "deze", "die", "alle", "overige", "huidige"]
)
_GENERIC_REGELING = frozenset(["subsidie", "overgangs", "uitvoerings", "belasting"])

_ACRONYM_IN_PARENS = re.compile(r"\((?P<acr>[A-Z][A-Za-z&]*[A-Z][A-Za-z&-]*)\)")
_CAPITALISED_RUN = re.compile(
    r"(?<![\wÀ-ÿ-])(?:[A-Z][\wÀ-ÿ-]*[a-zà-ÿ][\wÀ-ÿ-]*|AI)(?:\s+(?:[A-Z][\wÀ-ÿ-]+|AI))*"
)
_REGELING_COMPOUND = re.compile(r"(?:(?P<adj>[a-zà-ÿ]+e)\s+)?(?P<word>(?P<prefix>[a-zà-ÿ]{4,})regelingen?)\b")


@dataclass(frozen=True)
class _Alias:
    pattern: re.Pattern[str]
    scheme_id: str
    length: int
    probe: str  # the alias's longest word (lower case unless exact): absent from the text, skip the pattern
    exact: bool  # an acronym, matched case-sensitively


def _is_acronym(alias: str) -> bool:
    letters = [c for c in alias if c.isalpha()]
    return bool(letters) and len(alias) <= 6 and all(c.isupper() for c in letters)


@cache
def _aliases(catalog: tuple[Scheme, ...]) -> tuple[_Alias, ...]:
    found: list[_Alias] = []
    for scheme in catalog:
        for alias in {scheme.name, *scheme.aliases}:
            body = r"\s+".join(re.escape(part) for part in alias.split())
            flags = 0 if _is_acronym(alias) else re.IGNORECASE
            pattern = re.compile(rf"(?<!{_WORD}){body}(?!{_WORD})", flags)
            longest = max(re.findall(r"\w+", alias) or [alias], key=len)
            exact = flags == 0
            found.append(_Alias(pattern, scheme.id, len(alias), longest if exact else longest.lower(), exact))
    return tuple(sorted(found, key=lambda a: -a.length))


@cache
def _default_catalog() -> tuple[Scheme, ...]:
    """The catalog, read once: a long document links schemes in thousands of passages."""
    return load_catalog()


@dataclass
class SchemeMentions:
    """Catalog ids in order of first mention, and programme names the catalog does not know."""

    ids: list[str]
    unknown: list[str]


def link_schemes(text: str, catalog: Iterable[Scheme] | None = None) -> SchemeMentions:
    """Find catalog schemes (by alias) and unknown programme names in a passage."""
    schemes = tuple(catalog) if catalog is not None else _default_catalog()
    words = set(re.findall(r"\w+", text))
    lower = {w.lower() for w in words}
    taken: list[tuple[int, int]] = []
    hits: list[tuple[int, str]] = []
    for alias in _aliases(schemes):
        if alias.probe not in (words if alias.exact else lower):
            continue
        for match in alias.pattern.finditer(text):
            start, end = match.span()
            if any(s < end and start < e for s, e in taken):
                continue  # inside a longer alias already found
            hits.append((start, alias.scheme_id))
            taken.append((start, end))
    ids: list[str] = []
    for _, scheme_id in sorted(hits):
        if scheme_id not in ids:
            ids.append(scheme_id)
    masked = text
    if taken:
        pieces: list[str] = []
        pos = 0
        for start, end in sorted(taken):
            pieces += [text[pos:start], "\0" * (end - start)]
            pos = end
        masked = "".join([*pieces, text[pos:]])
    return SchemeMentions(ids=ids, unknown=_unknown_programmes(masked))


def _unknown_programmes(masked: str) -> list[str]:
    """Programme-like names in text where catalog matches are already blanked out with NULs."""
    names: list[str] = []
    taken = list(masked)

    def add(name: str) -> None:
        name = " ".join(name.split()).strip(" ,.;:-")
        if name and name.lower() not in {n.lower() for n in names}:
            names.append(name)

    for match in _ACRONYM_IN_PARENS.finditer(masked):
        acronym = match.group("acr")
        if acronym in _ORGANISATION_ACRONYMS or "\0" in acronym:
            continue
        words = re.findall(r"\S+", masked[max(0, match.start() - 120) : match.start()])
        expansion: list[str] = []
        for word in reversed(words[-7:]):
            if word.lower() in _LEADING_STOP or "\0" in word or re.search(r"[.,;:()?!]$", word):
                break
            expansion.insert(0, word)
        while expansion and not expansion[0][:1].isupper():
            expansion.pop(0)
        if not expansion or any(w.lower() in _ORGANISATION_WORDS for w in expansion):
            continue
        add(f"{' '.join(expansion)} ({acronym})")
        start = match.start() - len(" ".join(expansion)) - 1
        taken[max(0, start) : match.end()] = ["\0"] * (match.end() - max(0, start))

    rest = "".join(taken)
    for match in _CAPITALISED_RUN.finditer(rest):
        words = match.group(0).split()
        while words and words[0].lower() in _LEADING_STOP:
            words.pop(0)
        if not words or any(w.lower() in _ORGANISATION_WORDS for w in words):
            continue
        last = words[-1].lower()
        keyword = next((k for k in _PROGRAMME_SUFFIXES if last.endswith(k)), None)
        if keyword is None and len(words) > 1 and words[0].lower() in _PROGRAMME_SUFFIXES:
            keyword = words[0].lower()  # "Alliantie Digitaal Samenleven", "Fonds Nieuwe Markten"
        if keyword is None:
            continue
        if len(words) == 1 and last == keyword:
            continue  # a bare "Subsidie" or "Programma" at a sentence start names nothing
        add(" ".join(words))

    for match in _REGELING_COMPOUND.finditer(rest):
        if match.group("prefix") in _GENERIC_REGELING:
            continue
        adjective = match.group("adj")
        word = match.group("word")
        add(f"{adjective} {word}" if adjective and adjective not in _GENERIC_ADJECTIVES else word)
    return names
