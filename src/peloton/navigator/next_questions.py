"""The questions still worth asking a firm, most decisive first: the unanswered inputs that can change
any scheme's eligibility or amount for it. The rule-based schemes come from the relevance search
(peloton.navigator.relevance); the regional entries (EFRO, vouchers, the support network) from
trying each value of the inputs their catalog reads (province, kind of innovation) against the
regional catalog. POST /api/v1/check/next and the web app's step-by-step navigator both ask this.
"""

from __future__ import annotations

from typing import Any

from peloton.core.inputs import input_specs
from peloton.core.scenario import Scenario
from peloton.navigator.evaluate import build_simulation
from peloton.navigator.profile import Profile
from peloton.navigator.regional import READS, regional_results
from peloton.navigator.relevance import relevant_inputs


def _regional_changes(profile: Profile, scenario: Scenario) -> dict[str, dict[str, Any]]:
    """Per unanswered input the regional entries read: how many of its values change an entry's
    status or eligibility, of how many tried, and which entries they change."""
    year = str(profile.year)
    simulation = build_simulation([profile], system=scenario.system())
    firm: dict[str, Any] = {}
    for name in ("provincie", "is_mkb", "innovatie_soort"):
        values = simulation.calculate(name, year)
        firm[name] = values.decode_to_str()[0] if hasattr(values, "decode_to_str") else values[0]

    def answers(values: dict[str, Any]) -> dict[str, tuple[str, Any]]:
        merged = {**firm, **values}
        entries = regional_results(
            str(merged["provincie"]), profile.year, bool(merged["is_mkb"]), str(merged["innovatie_soort"])
        )
        return {e.id: (e.status, e.eligible) for e in entries}

    specs = input_specs(scenario.system())
    base = answers({})
    read = sorted({n for names in READS.values() for n in names if n in ("provincie", "innovatie_soort")})
    out: dict[str, dict[str, Any]] = {}
    for name in read:
        if profile.given(name):
            continue
        values = [v for v in specs[name].items if v != firm[name]]
        changed: set[str] = set()
        changes = 0
        for value in values:
            tried = answers({name: value})
            moved = {rid for rid in tried if tried[rid] != base.get(rid)}
            changes += bool(moved)
            changed |= moved
        if changes:
            out[name] = {"changes": changes, "tried": len(values), "schemes": sorted(changed)}
    return out


def next_questions(profile: Profile, scenario: Scenario) -> list[dict[str, Any]]:
    """The unanswered inputs that can still change a scheme for this firm, most decisive first
    (changes/tried summed across schemes), with question, unit, range and the schemes they change;
    empty when no answer can change the result."""
    totals: dict[str, dict[str, Any]] = {}
    for scheme_id, items in relevant_inputs(profile, scenario).items():
        for item in items:
            entry = totals.setdefault(item.variable, {"changes": 0, "tried": 0, "schemes": []})
            entry["changes"] += item.changes
            entry["tried"] += item.tried
            entry["schemes"].append(scheme_id)
    for name, found in _regional_changes(profile, scenario).items():
        entry = totals.setdefault(name, {"changes": 0, "tried": 0, "schemes": []})
        entry["changes"] += found["changes"]
        entry["tried"] += found["tried"]
        entry["schemes"].extend(s for s in found["schemes"] if s not in entry["schemes"])
    specs = input_specs(scenario.system())
    out = []
    for name, entry in totals.items():
        spec = specs.get(name)
        if spec is None:
            continue
        share = entry["changes"] / entry["tried"] if entry["tried"] else 0.0
        out.append(
            {
                **spec.as_dict(),
                "allowed": spec.allowed(),
                "schemes": entry["schemes"],
                "changes": entry["changes"],
                "tried": entry["tried"],
                "decisiveness": round(share, 6),
            }
        )
    out.sort(key=lambda q: (-q["decisiveness"], -len(q["schemes"]), q["variable"]))
    return out
