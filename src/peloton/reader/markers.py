"""Footnote markers: which digits in the running text point to which footnote.

Why a module of its own: in extracted text a marker is just a digit, glued to a word ("Kit2",
"banen?'1"), to a year ("november 20231"), displaced by a space ("gesteld? 1", "afnemen 11 en"),
glued to the next word ("gesproken. 3Toekomstige") or alone on a line. What tells a marker from a
number in the text is (1) only numbers of footnotes the page footers actually hold are candidates,
(2) markers come in order, (3) a footnote sits on the page of its marker, and (4) the words around
a number: "van 11 weken", "14, 15 en 16 maart", "vraag 5" are quantities or references, not markers.
No marker is ever made from a number for which no footnote text exists.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

_MONTHS = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
_DIGITS = re.compile(r"(?<!\d)(?<!\d,)(\d{1,2})(?!\d)(?![.,]\d)")  # "2019.2" is a marker, "1,8" is not
_YEAR_GLUED = re.compile(rf"\b(?:{_MONTHS})\s+((?:19|20)\d{{2}})(\d{{1,2}})(?!\d)", re.IGNORECASE)
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_CLOSERS = set("?!.:;)»”\"’'")
# a number after these words is a quantity, a date or a reference, not a displaced marker
_BEFORE_QUANTITY = frozenset(
    (
        *("van", "tot", "met", "op", "in", "om", "ruim", "circa", "ca", "ongeveer", "bijna", "nog"),
        *("de", "het", "een", "per", "dan", "en", "of", "na", "over", "sinds", "voor", "tussen", "t/m"),
        *("nr", "nrs", "artikel", "art", "lid", "vraag", "vragen", "antwoord", "pagina", "blz", "p"),
        *("hoofdstuk", "bijlage", "rond", "zo'n", "zo’n", "maar", "slechts", "plus", "minus"),
        *("kamerstuk", "kamerstukken", "aanhangsel", "paragraaf", "week", "dag", "maand", "jaar"),
        *("uit", "bij", "aan"),
    )
)
_AFTER_QUANTITY = re.compile(
    rf"^\s*(?:%|procent|procentpunt|miljoen|miljard|mln|mld|euro|jaar|jaren|jarige|maanden|maand|"
    rf"weken|week|dagen|dag|uur|uren|keer|km|kilometer|mensen|personen|bedrijven|ondernemingen|"
    rf"{_MONTHS})\b|^\s*(?:,|en|of|tot|t/m|-|–)\s*\d",
    re.IGNORECASE,
)

_LIST_OF_MARKERS = re.compile(r"\]\s*,\s*\[")
_BRACKETED = re.compile(r"\[\s*((?:\[\d+\]\s*)+)\]")
STRONG, WEAK = 2, 1
_WINDOW = 40


class Segment(Protocol):
    """A piece of running text on one source line (the parser's segments)."""

    line: int
    text: str


@dataclass(frozen=True)
class Candidate:
    """A digit that may be a footnote marker: where it is, which number, how sure."""

    part: int
    seg: int
    start: int
    end: int
    value: int
    strength: int
    line: int


def _classify(text: str, start: int, end: int) -> int:
    """STRONG, WEAK or 0 (a quantity, not a marker) from the characters and words around it.

    Only a window around the digit is looked at, so the cost does not grow with the text.
    """
    before = text[max(0, start - _WINDOW) : start]
    after = text[end : end + _WINDOW]
    prev = before[-1:] if before else ""
    nxt = after[:1]
    if prev and not prev.isspace():
        if prev in "-_/#=:+€$" or prev.isdigit():
            return 0
        if prev == "." and before[-2:-1].isdigit() and not re.search(r"(?<!\d)(?:19|20)\d\d\.$", before):
            return 0  # "artikel 5.4" is a number; "in 2019.2" is a year and a marker
        if prev in _CLOSERS and nxt.isupper():
            return STRONG  # "volgt.5Daarna": glued on both sides, between two sentences
        if nxt.isalpha() or nxt.isdigit():
            return 0
        return STRONG  # glued to a word or a closing mark: "Kit2", "banen?'1", "(Statline)2"
    if _AFTER_QUANTITY.match(after):
        return 0
    stripped = before.rstrip()
    prev_word = re.findall(r"[\w’'/]+$", stripped)
    if prev_word and prev_word[-1].lower() in _BEFORE_QUANTITY:
        return 0
    last = stripped[-1:]
    if last in _CLOSERS or re.match(r"[A-Z][a-zà-ÿ]", after) or not after.strip() or after[:1] in ".,;:)":
        return STRONG  # "gesteld? 1", "3Toekomstige", "allemaal 14.", a marker at the end of a line
    return WEAK


def _part_candidates(p: int, segs: Sequence[Segment], numbers: set[int]) -> list[Candidate]:
    texts = [s.text.strip() for s in segs]
    joined = " ".join(texts)
    offsets: list[int] = []
    pos = 0
    for t in texts:
        offsets.append(pos)
        pos += len(t) + 1
    url_starts: list[int] = []
    url_ends: list[int] = []
    for m in _URL.finditer(joined):
        url_starts.append(m.start())
        url_ends.append(m.end())
    found: list[Candidate] = []

    def add(start: int, end: int, value: int, strength: int) -> None:
        u = bisect.bisect_right(url_starts, start) - 1
        if strength == 0 or (u >= 0 and start < url_ends[u]):
            return
        k = bisect.bisect_right(offsets, start) - 1
        found.append(Candidate(p, k, start - offsets[k], end - offsets[k], value, strength, segs[k].line))

    alone = {offsets[k] for k, t in enumerate(texts) if t.isdigit()}  # a number on a line of its own
    for match in _DIGITS.finditer(joined):
        value = int(match.group(1))
        if value in numbers:
            strength = STRONG if match.start(1) in alone else _classify(joined, *match.span(1))
            add(match.start(1), match.end(1), value, strength)
    for match in _YEAR_GLUED.finditer(joined):
        value = int(match.group(2))
        if value in numbers:
            add(match.start(2), match.end(2), value, STRONG)
    return found


def candidates(parts: Sequence[Sequence[Segment]], numbers: set[int]) -> list[Candidate]:
    """Every digit in the parts that could be the marker of one of the footnotes `numbers`."""
    found: list[Candidate] = []
    for p, segs in enumerate(parts):
        found += _part_candidates(p, segs, numbers)
    found.sort(key=lambda c: (c.line, c.part, c.start))
    return found


def assign(
    found: list[Candidate], footnote_pages: Mapping[int, int], page_of_line: Sequence[int]
) -> dict[int, Candidate]:
    """Footnote number → its marker, taking markers in order, on the footnote's page if possible."""
    by_value: dict[int, list[int]] = {}
    for i, cand in enumerate(found):
        by_value.setdefault(cand.value, []).append(i)
    chosen: dict[int, Candidate] = {}
    cursor = -1
    for number in sorted(footnote_pages):
        later = [i for i in by_value.get(number, []) if i > cursor]
        if not later:
            continue
        page = footnote_pages[number]
        on_page = [i for i in later if page_of_line[found[i].line - 1] == page]
        pick = None
        for pool in (on_page, later):
            strong = [i for i in pool if found[i].strength == STRONG]
            if strong or pool:
                pick = (strong or pool)[0]
                break
        if pick is not None:
            chosen[number] = found[pick]
            cursor = pick
    return chosen


def apply(parts: Sequence[Sequence[Segment]], chosen: Mapping[int, Candidate]) -> None:
    """Write "[n]" in place of each chosen marker (in the segments' text), glued to the word before."""
    per_seg: dict[tuple[int, int], list[Candidate]] = {}
    for cand in chosen.values():
        per_seg.setdefault((cand.part, cand.seg), []).append(cand)
    for (p, k), cands in per_seg.items():
        seg = parts[p][k]
        text = seg.text.strip()
        for cand in sorted(cands, key=lambda c: -c.start):
            head = text[: cand.start].rstrip()
            tail = text[cand.end :]
            if tail[:1].isalpha():
                tail = " " + tail
            text = f"{head}[{cand.value}]{tail}"
        text = _BRACKETED.sub(lambda m: re.sub(r"\s+", "", m.group(1)), text)  # "[1 ]" as printed
        seg.text = _LIST_OF_MARKERS.sub("][", text)  # "?1, 2" → "?[1][2]"
