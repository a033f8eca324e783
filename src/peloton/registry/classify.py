"""The kind of innovation a project supports: product, process, both, none, or unknown.

Why rules over a lexicon and not a trained model: no model weights can be fetched, the only labels
are a few dozen hand-labelled rows, and every label must show what decided it. Each cue of
`lexicon.yaml` that matches the title or summary adds its weight to product, process or none
(title matches count double: a title names the project's point); the beneficiary's name says
whether it is a firm. The reason lists the matched words, so a reader can disagree with a label
for a stated cause. Measured on hand labels (peloton.registry.measure), not assumed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import yaml

KINDS = ("product", "process", "both", "none", "unknown")
# text shorter than this (title and summary together) is too thin to call "none" without a cue
_THIN_CHARS = 60
_TITLE_FACTOR = 2
# below this innovation score a public body's project is taken as none
_PUBLIC_MIN = 5


@dataclass(frozen=True)
class Cue:
    """One lexicon entry: a compiled pattern, its side and weight."""

    side: str
    pattern: re.Pattern[str]
    weight: int


@dataclass(frozen=True)
class Lexicon:
    """The cues and beneficiary patterns, read once from lexicon.yaml."""

    version: str
    cues: tuple[Cue, ...]
    public: re.Pattern[str]
    firm: re.Pattern[str]


@cache
def lexicon() -> Lexicon:
    """The bundled lexicon."""
    text = resources.files("peloton.registry").joinpath("lexicon.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    cues = tuple(
        Cue(side, re.compile(entry["cue"]), int(entry["weight"]))
        for side in ("product", "process", "none")
        for entry in data[side]
    )
    return Lexicon(
        str(data["version"]),
        cues,
        re.compile(data["public_beneficiary"]),
        re.compile(data["firm_beneficiary"]),
    )


CLASSIFIER_VERSION = f"lexicon-{lexicon().version}"


@dataclass(frozen=True)
class Kind:
    """A label and the evidence behind it."""

    kind: str
    reason: str
    scores: dict[str, int] = field(default_factory=dict)


def _normalise(text: str) -> str:
    # U+FFFD runs become one wildcard-able character so "effici??nt" still meets "effici.{0,3}nt"
    return re.sub(r"\s+", " ", re.sub("\ufffd+", "\ufffd", text.replace("&amp;", "&"))).lower().strip()


def _evidence(text: str, where: str, factor: int) -> list[tuple[str, str, int]]:
    found: list[tuple[str, str, int]] = []
    for cue in lexicon().cues:
        for m in cue.pattern.finditer(text):
            found.append((cue.side, f"{m.group(0).strip()!r} ({where})", cue.weight * factor))
    return found


def _describe(evidence: list[tuple[str, str, int]], side: str, limit: int = 4) -> str:
    words: list[str] = []
    for s, word, _ in evidence:
        if s == side and word not in words:
            words.append(word)
    more = len(words) - limit
    return ", ".join(words[:limit]) + (f" +{more} more" if more > 0 else "")


def classify(
    title: str | None, summary: str | None, title_en: str | None = None, beneficiary: str | None = None
) -> Kind:
    """Label one project from its title, summary and beneficiary, with the words that decided it.

    `title_en` is accepted and not read: the lexicon is Dutch, and the English title repeats the
    Dutch one. Results are cached: every new store classifies the bundled snapshot again, and the same texts
    give the same label (the lexicon is read once per process).
    """
    return _classify(title, summary, beneficiary)


@lru_cache(maxsize=1 << 16)
def _classify(title: str | None, summary: str | None, beneficiary: str | None) -> Kind:
    t = _normalise(title or "")
    s = _normalise(summary or "")
    if len(t) + len(s) == 0:
        return Kind("unknown", "no title or summary")
    evidence = _evidence(t, "title", _TITLE_FACTOR) + _evidence(s, "summary", 1)
    scores = {side: sum(w for sd, _, w in evidence if sd == side) for side in ("product", "process", "none")}
    who = _normalise(beneficiary or "")
    firm = bool(lexicon().firm.search(who))
    public = bool(lexicon().public.search(who)) and not firm
    innovation = scores["product"] + scores["process"]
    beneficiary_note = (
        "beneficiary is a firm" if firm else "beneficiary is a public body or foundation" if public else ""
    )

    def reason(*parts: str) -> str:
        return "; ".join(p for p in (*parts, beneficiary_note) if p)

    if innovation == 0:
        if scores["none"] == 0 and len(t) + len(s) < _THIN_CHARS:
            return Kind("unknown", reason("text too thin: no product, process or other cue"), scores)
        if scores["none"] == 0:
            return Kind("none", reason("no product or process innovation words"), scores)
        return Kind("none", reason(f"none: {_describe(evidence, 'none')}"), scores)
    # a public body's or foundation's project with only a passing innovation word is not a firm's
    if (public and innovation < _PUBLIC_MIN) or ((public or not firm) and scores["none"] >= innovation):
        return Kind(
            "none",
            reason(f"none outweighs innovation: {_describe(evidence, 'none')}"),
            scores,
        )
    p, q = scores["product"], scores["process"]
    if min(p, q) >= 3 and min(p, q) * 4 >= max(p, q) * 3:
        return Kind(
            "both",
            reason(
                f"product: {_describe(evidence, 'product')}", f"process: {_describe(evidence, 'process')}"
            ),
            scores,
        )
    if p >= q:
        return Kind(
            "product",
            reason(
                f"product: {_describe(evidence, 'product')}",
                f"process weaker: {_describe(evidence, 'process')}" if q else "",
            ),
            scores,
        )
    return Kind(
        "process",
        reason(
            f"process: {_describe(evidence, 'process')}",
            f"product weaker: {_describe(evidence, 'product')}" if p else "",
        ),
        scores,
    )
