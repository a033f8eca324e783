"""Which unanswered inputs can still change a scheme's answer for this firm, found by trying them.

The trace says which inputs a formula read, not whether their value matters: a BV's tax saving reads
no marginal rate, a large firm's SME test can only get larger, and a population-level shortcut may
skip an input that another value would need. So every unanswered input is given each of its
candidate values (peloton.core.candidates), all variants in one vectorised simulation, and an input
is listed for a scheme when some value changes that scheme's eligibility, amount, worth or cost.
Some inputs matter only together (the innovatiebox needs a ticket and a benefit): witness firms set
every unanswered input at once, and where a witness changes the scheme, each input whose reset to
its default undoes that change is listed too. This is what the next-question route of the API
stands on.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np
from openfisca_core.errors import ParameterNotFoundError

from peloton.core.candidates import WITNESSES, candidate_values, witness_value
from peloton.core.columns import simulation_from_columns
from peloton.core.dependencies import scheme_inputs
from peloton.core.inputs import BOOL, ENUM, input_specs
from peloton.core.scenario import LAW_SCENARIO, Scenario
from peloton.core.schemes import scheme_arrays, scheme_totals
from peloton.navigator.profile import Profile

CENT = 0.005  # a change smaller than half a cent is no change
MIN_PART = 8  # when the firm itself cannot be computed, failing groups are halved down to this size
FIRM_CATEGORIES = ("firm", "size")  # questions.yaml categories that say what kind of firm it is
MEMO_SIZE = 4096  # schemes' answers kept (a few hundred bytes each)


@dataclass(frozen=True)
class Relevant:
    """An unanswered input that changes a scheme's result, and how many of its tried values do."""

    variable: str
    changes: int
    tried: int


def _variants(profile: Profile, scenario: Scenario) -> tuple[list[Profile], list[str], list[int]]:
    """The firm itself, then one variant per unanswered input and candidate value, then per witness
    the witness and the witness with each input reset to its default. `owners` names the input a
    variant varies; `witness` gives the witness number of a witness variant (-1 otherwise)."""
    year = str(profile.year)
    system = scenario.system()
    specs = {n: s for n, s in input_specs(system).items() if not profile.given(n)}
    variants = [profile]
    owners: list[str] = [""]
    witness: list[int] = [-1]
    for name, spec in specs.items():
        for value in candidate_values(spec, system, profile.year):
            variants.append(Profile(profile.name, profile.year, {**profile.inputs, name: {year: value}}))
            owners.append(name)
            witness.append(-1)
    # Witnesses keep what the firm is (legal form, withholding, size): an input that matters only for
    # another kind of firm is asked once that is known, not before.
    varied = {n: s for n, s in specs.items() if s.category not in FIRM_CATEGORIES}
    ranks: dict[str, int] = {}
    for name in sorted(varied):
        ranks[name] = sum(1 for other in ranks if varied[other].unit == varied[name].unit)
    for k in range(WITNESSES):
        guessed = {n: {year: witness_value(s, k, ranks[n])} for n, s in varied.items()}
        variants.append(Profile(profile.name, profile.year, {**guessed, **profile.inputs}))
        owners.append("")
        witness.append(k)
        for name in varied:
            reset = {n: v for n, v in guessed.items() if n != name}
            variants.append(Profile(profile.name, profile.year, {**reset, **profile.inputs}))
            owners.append(name)
            witness.append(k)
    return variants, owners, witness


def _columns(variants: list[Profile], system: Any) -> dict[str, np.ndarray]:
    """The variants' inputs for their year as one column per input (the default where not given)."""
    year = str(variants[0].year)
    names = dict.fromkeys(n for v in variants for n in v.inputs)
    columns: dict[str, np.ndarray] = {}
    for name in names:
        variable = system.variables[name]
        default = variable.default_value
        default = getattr(default, "name", default)
        values = [v.inputs[name].get(year, default) if name in v.inputs else default for v in variants]
        enum = getattr(variable, "possible_values", None)
        columns[name] = np.array(values, dtype=object if enum is not None else variable.dtype)
    return columns


@dataclass
class _Rows:
    """One scheme's result per variant; `computed` is False where the year's rules lack a parameter
    that this variant needs (a GAP), and then the numbers are NaN."""

    amount: np.ndarray
    value: np.ndarray
    cost: np.ndarray
    eligible: np.ndarray
    unvalued: np.ndarray
    uncosted: np.ndarray
    modelled: np.ndarray
    computed: np.ndarray


def _rows(
    columns: dict[str, np.ndarray],
    rule: Any,
    year: int,
    system: Any,
    groups: list[tuple[np.ndarray, bool]],
    active: np.ndarray,
) -> _Rows:
    """The scheme for every variant. OpenFisca refuses a whole simulation when one firm needs a missing
    parameter (a GAP), so a batch that fails is split. When the firm itself computes, few variants
    fail and halving finds them quickly. When it does not, most fail: each group (the variants of one
    input, or one witness) is halved down to single values for a choice (one sector may compute where
    the others need the missing parameter) and to parts of MIN_PART values for a number, enough to
    tell whether some value of that input lets the scheme compute, without one simulation per value:
    a group that fails whole is cut into those parts at once (most of them fail too, so a halving
    tree would cost twice as many simulations).
    Only the `active` variants (and the firm, variant 0) are computed; the others stay NaN."""
    count = len(next(iter(columns.values())))
    out = _Rows(*(np.full(count, np.nan) for _ in range(3)), *(np.zeros(count, dtype=bool) for _ in range(5)))

    def run(index: np.ndarray, smallest: int) -> bool:
        part = {name: values[index] for name, values in columns.items()}
        try:
            simulation = simulation_from_columns(part, year, system=system)
            totals = scheme_totals(scheme_arrays(simulation, rule, str(year)), rule)
        except ParameterNotFoundError:
            if len(index) > smallest:
                parts = np.array_split(index, -(-len(index) // smallest)) if not firm_computes else None
                for piece in parts or np.array_split(index, 2):
                    run(piece, len(piece) if parts else smallest)
            return False
        for name in ("amount", "value", "cost", "eligible", "unvalued", "uncosted", "modelled"):
            getattr(out, name)[index] = getattr(totals, name)
        out.computed[index] = True
        return True

    firm_computes = run(np.array([0]), smallest=1)
    if firm_computes:
        if len(active):
            run(active, smallest=1)
    else:
        for group, is_choice in groups:
            part = group[np.isin(group, active)]
            if len(part):
                run(part, smallest=1 if is_choice else MIN_PART)
    return out


def _copy(rows: _Rows, index: np.ndarray, source: int | np.ndarray) -> None:
    """Give the variants at `index` the result of `source`: they differ from it only in inputs the
    scheme cannot read, so their result is the same (and computing it again would be waste)."""
    for name in ("amount", "value", "cost", "eligible", "unvalued", "uncosted", "modelled", "computed"):
        array = getattr(rows, name)
        array[index] = array[source]


def _changed(rows: _Rows, index: np.ndarray, reference: int) -> np.ndarray:
    """Where the variants at `index` differ from the variant `reference` in any part of the result,
    whether the scheme can be computed for it included."""
    changed = rows.computed[index] != rows.computed[reference]
    for array in (rows.amount, rows.value, rows.cost):
        both = rows.computed[index] & rows.computed[reference]
        changed |= both & (np.abs(array[index] - array[reference]) > CENT)
    for flag in (rows.eligible, rows.unvalued, rows.uncosted, rows.modelled):
        changed |= flag[index] != flag[reference]
    return changed


class _Search:
    """The variants of one profile, built on first need (a profile whose every scheme is memoised
    needs none) and shared by all its schemes."""

    def __init__(self, profile: Profile, scenario: Scenario) -> None:
        variants, owners, witness = _variants(profile, scenario)
        system = scenario.system()
        self.count = len(variants)
        self.columns = _columns(variants, system)
        self.names = np.array(owners)
        self.marks = np.array(witness)
        self.single = np.flatnonzero(self.marks < 0)[1:]
        specs = input_specs(system)
        self.groups = [
            (self.single[self.names[self.single] == name], specs[name].kind in (BOOL, ENUM))
            for name in dict.fromkeys(self.names[self.single])
        ]
        self.groups += [(np.flatnonzero(self.marks == k), False) for k in range(WITNESSES)]


def _scheme_relevance(
    search: _Search, rule: Any, reads: frozenset[str] | None, year: int, system: Any
) -> list[Relevant] | None:
    """One scheme's relevant inputs; None when no variant can be computed this year."""
    names, marks, single = search.names, search.marks, search.single
    if reads is None:
        active = np.arange(1, search.count)
    else:
        readable = np.isin(names, sorted(reads))
        heads = np.array([np.flatnonzero(marks == k)[0] for k in range(WITNESSES)], dtype=int)
        active = np.union1d(np.flatnonzero(readable), heads if readable[marks >= 0].any() else [])
        active = active[active > 0].astype(int)
    used = search.columns if reads is None else {n: v for n, v in search.columns.items() if n in reads}
    rows = _rows(used or search.columns, rule, year, system, search.groups, active)
    if reads is not None:
        idle = np.setdiff1d(np.arange(1, search.count), active)
        _copy(rows, idle[marks[idle] < 0], 0)
        for k in range(WITNESSES):
            at = np.flatnonzero(marks == k)
            _copy(rows, np.intersect1d(idle, at), at[0])
    if not rows.computed.any():
        return None  # no variant can be computed this year: nothing to ask
    found: dict[str, Relevant] = {}
    changed = _changed(rows, single, 0)
    for name in dict.fromkeys(names[single]):
        mask = names[single] == name
        count = int(changed[mask].sum())
        if count:
            found[name] = Relevant(str(name), count, int(mask.sum()))
    for k in range(WITNESSES):
        at = np.flatnonzero(marks == k)
        head, resets = at[0], at[1:]
        if not _changed(rows, np.array([head]), 0)[0]:
            continue  # this witness does not change the scheme: it tells nothing
        undone = _changed(rows, resets, head)
        for name in names[resets][undone]:
            if name not in found:
                found[str(name)] = Relevant(str(name), 0, 0)
    return sorted(found.values(), key=lambda r: (-(r.changes / r.tried if r.tried else 0), r.variable))


class _Memo:
    """Per scheme, the answer for the answers it can read: a scheme's relevant inputs depend only on
    the year, the rules (law or reform) and the given values of the inputs the scheme can read
    (core.dependencies), so a firm that differs from an earlier one only elsewhere reuses it."""

    def __init__(self, limit: int = MEMO_SIZE) -> None:
        self.limit = limit
        self.items: OrderedDict[tuple[Any, ...], list[Relevant] | None] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> tuple[bool, list[Relevant] | None]:
        with self.lock:
            if key not in self.items:
                return False, None
            self.items.move_to_end(key)
            return True, self.items[key]

    def put(self, key: tuple[Any, ...], value: list[Relevant] | None) -> None:
        with self.lock:
            self.items[key] = value
            while len(self.items) > self.limit:
                self.items.popitem(last=False)


MEMO = _Memo()


def _memo_key(profile: Profile, rule: Any, reads: frozenset[str], scenario: Scenario) -> tuple[Any, ...]:
    """The rules are named by the reform's canonical text, not by its system: a key holding the
    system kept every reformed system alive while its answers were memoised (some hundred systems
    once the memo was full of checks under different reforms), and a rebuilt system missed."""
    given = tuple((n, repr(sorted(profile.inputs[n].items()))) for n in sorted(reads) if profile.given(n))
    rules = "" if scenario.reform is None else scenario.reform.key()
    return (rule, rules, profile.year, given)


def relevant_inputs(profile: Profile, scenario: Scenario = LAW_SCENARIO) -> dict[str, list[Relevant]]:
    """Per rule-based scheme: the unanswered inputs whose value can change its result, most decisive
    (the largest share of tried values that change it) first."""
    system = scenario.system()
    search: _Search | None = None
    out: dict[str, list[Relevant]] = {}
    for rule in scenario.rules():
        reads = scheme_inputs(rule, system)
        key = None if reads is None else _memo_key(profile, rule, reads, scenario)
        hit, found = MEMO.get(key) if key is not None else (False, None)
        if not hit:
            search = search or _Search(profile, scenario)
            found = _scheme_relevance(search, rule, reads, profile.year, system)
            if key is not None:
                MEMO.put(key, found)
        if found is not None:
            out[rule.id] = found
    return out
