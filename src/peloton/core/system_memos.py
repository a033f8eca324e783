"""Memos of what a tax-benefit system implies (the inputs a scheme can read in it, the parameter
values in force in a year), kept on the system itself.

Why on the system and not in a functools cache keyed by it: a cache keyed by the system keeps the
system alive, so every reformed system a client's reform built stayed in memory as long as any
cache held one of its answers (about a hundred of them once checks under varied reforms filled the
caches). On the system, a memo goes when the system goes, and how many reformed systems live is
decided in one place (peloton.model.reforms.builder.REFORM_SYSTEMS_KEPT).
"""

from __future__ import annotations

from typing import Any

_ATTRIBUTE = "_peloton_memos"


def memo_of(system: Any, name: str) -> dict[Any, Any]:
    """The memo `name` of `system` (created empty on first use); dict.setdefault is atomic, so two
    threads asking at once get the same memo."""
    memos: dict[str, dict[Any, Any]] = system.__dict__.setdefault(_ATTRIBUTE, {})
    return memos.setdefault(name, {})
