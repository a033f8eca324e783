"""Characters and words as the author wrote them, recovered from what text extraction gives.

Why a module of its own: every part of the reader (headings, names, footnotes, references) must
see the same text, so Unicode normalisation, split diacritics and words hyphenated at a line end
are settled here once, before any pattern looks at a line.

- Unicode NFC, so "Yeşilgöz" is one string however the PDF encoded it.
- PDF extraction sometimes gives a *spacing* diacritic next to its letter ("Yes¸ilgöz": U+00B8
  after the s); inside a word it is turned into the combining mark and composed.
- A word broken at a line end ("zorgverzeke-" + "raars") is joined, but a real hyphen stays
  ("mkb-werkplaatsen", "K-EET", "Natura2000-gebied", "Speur- en ontwikkelingswerk"): the
  document's own words decide where they can, a few rules where they cannot.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_SPACING_TO_COMBINING = {
    "\u00b8": "\u0327",  # cedilla
    "\u00a8": "\u0308",  # diaeresis
    "\u00b4": "\u0301",  # acute
    "\u02c6": "\u0302",  # circumflex
    "\u02dc": "\u0303",  # tilde
    "\u02c7": "\u030c",  # caron
    "\u02db": "\u0328",  # ogonek
    "\u02da": "\u030a",  # ring
}
_SPLIT_MARK = re.compile(r"([^\W\d_])([" + "".join(_SPACING_TO_COMBINING) + r"])(?=[^\W\d_])")
_WORD = re.compile(r"[^\W_][\w]*(?:-[\w]+)*")
_KEEP_PREFIXES = frozenset(
    {"mkb", "ggz", "e", "ex", "oud", "niet", "non", "anti", "vice", "ict", "pvda", "cda", "vvd", "d66"}
)
_NOT_CONTINUATIONS = frozenset({"en", "of", "tot", "t/m", "noch", "als"})


def _compose(match: re.Match[str]) -> str:
    letter, mark = match.group(1), _SPACING_TO_COMBINING[match.group(2)]
    composed = unicodedata.normalize("NFC", letter + mark)
    return composed if len(composed) == 1 else match.group(0)


_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_SUPERSCRIPT_RUN = re.compile(r"(?<=\S)([⁰¹²³⁴⁵⁶⁷⁸⁹]+)|^([⁰¹²³⁴⁵⁶⁷⁸⁹]+)\s*")


def _superscript(match: re.Match[str]) -> str:
    if match.group(1):  # a marker printed raised ("banen¹"): the digits, glued as extraction gives them
        return match.group(1).translate(_SUPERSCRIPTS)
    return match.group(2).translate(_SUPERSCRIPTS) + " "  # a footnote's raised number at a line start


def clean_line(line: str) -> str:
    """One extracted line in NFC with split spacing diacritics composed into their letter.

    Raised digits ("banen¹", "¹ Kamerstuk …") become plain digits, the form every other extraction
    gives markers and footnote numbers in.
    """
    if line.isascii():
        return line  # already NFC, and no diacritic to compose
    text = unicodedata.normalize("NFC", line)
    if any(ch in text for ch in "⁰¹²³⁴⁵⁶⁷⁸⁹"):
        text = _SUPERSCRIPT_RUN.sub(_superscript, text)
    if any(mark in text for mark in _SPACING_TO_COMBINING):
        text = _SPLIT_MARK.sub(_compose, text)
    return text


class Lexicon:
    """The words of one document, to decide whether a line-end hyphen is part of the word.

    Why from the document: "zorgverzeke-/raars" and "mkb-/werkplaatsen" look alike at a line
    break; whether the document writes "zorgverzekeraars" or "mkb-werkplaatsen" elsewhere is the
    best evidence there is.
    """

    def __init__(self, lines: Iterable[str]) -> None:
        self.words: set[str] = set()
        for line in lines:
            body = line.rstrip()
            if body.endswith("-"):
                body = body[:-1]
            self.words.update(_WORD.findall(body.lower()))

    def keeps_hyphen(self, left: str, right: str) -> bool:
        """True when "left-" at a line end and "right" on the next line form a hyphenated word."""
        left_word = re.findall(r"[\w]+$", left)
        right_word = re.findall(r"^[\w]+", right)
        if not left_word or not right_word:
            return True
        a, b = left_word[0], right_word[0]
        if f"{a}-{b}".lower() in self.words:
            return True
        if f"{a}{b}".lower() in self.words:
            return False
        if any(ch.isdigit() for ch in a) or (len(a) > 1 and a.isupper()) or a.lower() in _KEEP_PREFIXES:
            return True
        name = re.findall(r"([^\W\d_]+)\s+[\w]+$", left)
        if a[:1].isupper() and name and name[0][:1].isupper():
            return True  # a name in a compound: "Smart Industry-/aanpak"
        return not b[:1].islower()


def join_broken(previous: str, following: str, lexicon: Lexicon | None) -> str | None:
    """The joined text if `previous` ends in a word broken by a hyphen at the line end, else None.

    "Speur-" + "en ontwikkelingswerk" keeps "Speur- en" (a shortened compound, not a break).
    """
    if not following[:1].isalpha() or not re.fullmatch(r"[^\W_]-", previous[-2:]):
        return None
    first = following.split(maxsplit=1)[0].lower()
    if first in _NOT_CONTINUATIONS:
        return previous + " " + following
    if lexicon is not None and lexicon.keeps_hyphen(previous[-80:-1], following):
        return previous + following
    if lexicon is None and not following[:1].islower():
        return previous + following
    return previous[:-1] + following
