"""Repair text whose characters were lost or garbled on the way from Europa om de hoek.

Two kinds of damage occur in the 2007-2013 export. The raw 2016 export decodes only as Mac Roman
and then shows UTF-8 read as cp1252 ("potentiÃ«le"); reversing that chain per field gives the
text back (`undo_mojibake`). The cleaned 2017 file instead replaced those bytes by U+FFFD, so the
characters are gone there; `repair_from_raw` finds the same record in the raw export and copies
back the characters that stand where the clean text has U+FFFD, and nothing else. Why only there:
a repair that also rewrote other differences could silently change the text the figures rest on.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import ftfy

REPLACEMENT = "\ufffd"
_WS = re.compile(r"\s+")
# the same record in the two exports is at least this similar; below it the match is not trusted
_MIN_SIMILARITY = 0.9


def undo_mojibake(text: str) -> str:
    """Text decoded as Mac Roman whose UTF-8 had already been read as cp1252, made readable.

    The exact chain (cp1252 bytes -> UTF-8) is tried first because it is lossless when it applies;
    for fields where it does not (a character cp1252 cannot hold), ftfy's heuristics fix what they
    can with confidence and leave the rest.
    """
    if text.isascii():
        return text
    try:
        return text.encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return ftfy.fix_encoding(text)


@dataclass
class RepairReport:
    """What `repair_from_raw` did, in U+FFFD characters (one lost character is often two or three)."""

    damaged_rows: int = 0
    replacement_chars: int = 0
    replaced: int = 0
    recovered_chars: int = 0
    unmatched_fields: int = 0

    @property
    def remaining(self) -> int:
        """U+FFFD characters still in the text after the repair."""
        return self.replacement_chars - self.replaced

    def summary(self) -> str:
        """One sentence for the import report and the sources table."""
        return (
            "U+FFFD repair from the raw export: "
            f"{self.replacement_chars:,} U+FFFD in {self.damaged_rows:,} rows; "
            f"{self.replaced:,} replaced by {self.recovered_chars:,} recovered characters; "
            f"{self.remaining:,} remain"
        )

    def as_dict(self) -> dict[str, int]:
        return {
            "damaged_rows": self.damaged_rows,
            "replacement_chars_before": self.replacement_chars,
            "replacement_chars_replaced": self.replaced,
            "characters_recovered": self.recovered_chars,
            "replacement_chars_remaining": self.remaining,
            "fields_without_raw_match": self.unmatched_fields,
        }


def _key(row: Mapping[str, Any], keys: Sequence[str]) -> tuple[str, ...]:
    return tuple(_WS.sub(" ", row.get(k) or "").strip().lower() for k in keys)


def _repair_text(damaged: str, raw: str) -> tuple[str, int, int] | None:
    """Copy into `damaged` the characters of `raw` that stand where it has only U+FFFD.

    Returns the text, the U+FFFD characters replaced and the characters put in their place, or
    None when the two texts are less than 90% alike (not the same record's text). A run of U+FFFD
    is replaced only when the aligned raw text is no longer than the run (each lost character left
    one to three U+FFFD) and not empty (an empty counterpart means the raw text differs there, not
    that it kept the character). One alignment serves both the similarity test and the repair.
    """
    # the raw export ends lines with CR (or CRLF) where the clean file has LF; align like with like
    raw = raw.replace("\r\n", "\n").replace("\r", "\n")
    sm = difflib.SequenceMatcher(None, damaged, raw, autojunk=False)
    opcodes = sm.get_opcodes()
    same = sum(b - a for op, a, b, _, _ in opcodes if op == "equal")
    if 2 * same < _MIN_SIMILARITY * (len(damaged) + len(raw)):
        return None
    parts: list[str] = []
    replaced = recovered = 0
    for op, a, b, c, d in opcodes:
        seg = damaged[a:b]
        other = raw[c:d]
        if (
            op == "replace"
            and set(seg) == {REPLACEMENT}
            and 0 < len(other) <= len(seg)
            and REPLACEMENT not in other
        ):
            parts.append(other)
            replaced += len(seg)
            recovered += len(other)
        else:
            parts.append(seg)
    return "".join(parts), replaced, recovered


def _most_similar(text: str, candidates: Sequence[str]) -> str | None:
    """The candidate text most like `text` (a cheap upper bound of similarity is enough to choose)."""
    best: str | None = None
    best_score = -1.0
    for cand in candidates:
        score = difflib.SequenceMatcher(None, text, cand).quick_ratio()
        if score > best_score:
            best, best_score = cand, score
    return best


def repair_from_raw(
    rows: Sequence[dict[str, Any]],
    raw_rows: Sequence[Mapping[str, Any]],
    keys: Sequence[str],
    columns: Sequence[str],
) -> RepairReport:
    """Repair U+FFFD in `columns` of `rows` in place from the same records in `raw_rows`.

    Records are paired by `keys` (e.g. beneficiary and fund); among several raw records with the
    same key the most similar text is taken, and only when it is at least 90% alike.
    """
    report = RepairReport()
    by_key: dict[tuple[str, ...], list[Mapping[str, Any]]] = defaultdict(list)
    for raw in raw_rows:
        by_key[_key(raw, keys)].append(raw)
    for row in rows:
        damaged_cols = [c for c in columns if REPLACEMENT in (row.get(c) or "")]
        if not damaged_cols:
            continue
        report.damaged_rows += 1
        candidates = by_key.get(_key(row, keys), [])
        for col in damaged_cols:
            text = row[col]
            report.replacement_chars += text.count(REPLACEMENT)
            best = _most_similar(text, [c.get(col) or "" for c in candidates])
            repaired = _repair_text(text, best) if best is not None else None
            if repaired is None:
                report.unmatched_fields += 1
                continue
            row[col], replaced, recovered = repaired
            report.replaced += replaced
            report.recovered_chars += recovered
    return report
