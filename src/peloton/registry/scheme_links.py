"""Which catalog scheme a record belongs to: the link from a payment or project to peloton's catalog.

Why only the fund and scheme fields, never titles or summaries: a catalog alias such as "SLIM" or
"MIA" is also an ordinary word or acronym in a project's name ("SLIM (snel, logisch, innovatief,
meetbaar)"); the fund and scheme fields name a scheme and nothing else. The longest matching name
or alias wins, as whole words, so "MKB Innovatieregeling Topsectoren (MIT)" links to `mit` and
"Cofinanciering EFRO 2014-2020" to `efro`.
"""

from __future__ import annotations

import re
from functools import cache

from peloton.catalog import load_catalog

LINKS_VERSION = "2"
# schemes that provinces run: a ministry's payment under a similar name ("Innovatievouchers
# elektrische mobiliteit", EZ) is another scheme
_PROVINCIAL = frozenset({"regionale_vouchers"})


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    names: list[tuple[str, str]] = []
    for scheme in load_catalog():
        for name in {scheme.name, scheme.full_name, *scheme.aliases}:
            if name:
                names.append((name, scheme.id))
    names.sort(key=lambda item: -len(item[0]))
    return tuple(
        (re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)", re.IGNORECASE), scheme_id)
        for name, scheme_id in names
    )


def catalog_scheme(fund: str | None, scheme: str | None, ministry: str | None = None) -> str | None:
    """The catalog id the fund or scheme field names, or None (e.g. ESF, SDE+: not in the catalog)."""
    for text in (fund, scheme):
        if not text:
            continue
        for pattern, scheme_id in _patterns():
            if pattern.search(text):
                return None if ministry and scheme_id in _PROVINCIAL else scheme_id
    return None
