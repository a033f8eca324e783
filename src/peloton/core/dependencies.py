"""Which input variables a scheme can read at all, from the rules' source: a superset, never less.

A formula reads a variable by its name as a string literal (`onderneming("so_uren", period)`), in
its own module or in a helper it imports from the rules model (`peloton.model.belasting`). Every
variable named by a string literal in those modules counts as read, so the set is conservative: an
input outside it cannot change the scheme for any firm, whatever its value. A formula built at run
time (a reform's new scheme, peloton.model.reforms.builder) has no such source; for a scheme that
rests on one the answer is None, "it may read anything". The navigator's relevance search uses this
to skip inputs a scheme cannot read instead of trying each of their values.
"""

from __future__ import annotations

import ast
import inspect
import sys
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from peloton.core.schemes import SchemeRule
from peloton.core.system_memos import memo_of

MODEL_DIR = Path(__file__).resolve().parents[1] / "model"
GENERATED = MODEL_DIR / "reforms"  # formulas written by the reform builder read names at run time


def _rules_file(obj: Any) -> Path | None:
    """The rules-model source file `obj` (a function or a module) comes from; None when it is not one
    (OpenFisca loads the variable files under generated module names, so paths are the key)."""
    try:
        path = Path(inspect.getsourcefile(obj) or "").resolve()
    except TypeError:
        return None
    if not path.is_file() or MODEL_DIR not in path.parents or GENERATED in path.parents:
        return None
    return path


@cache
def _literals(path: Path) -> frozenset[str]:
    """Every string literal in a rules file, and in the rules files its functions come from."""
    module = next((m for m in list(sys.modules.values()) if getattr(m, "__file__", None) == str(path)), None)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    for value in vars(module).values() if module is not None else ():
        if not (isinstance(value, ModuleType) or inspect.isfunction(value) or inspect.isclass(value)):
            continue
        source = _rules_file(value)
        if source is not None and source != path:
            found |= _literals(source)
    return frozenset(found)


def _reads(system: Any, variable: str) -> frozenset[str] | None:
    """The variables named in the source of `variable`'s formulas; None when one is generated."""
    names: set[str] = set()
    for formula in system.variables[variable].formulas.values():
        path = _rules_file(formula)
        if path is None:
            return None
        names |= _literals(path)
    return frozenset(names & set(system.variables))


def scheme_inputs(rule: SchemeRule, system: Any) -> frozenset[str] | None:
    """The input variables (no formula) the scheme's components can reach, or None when unknown;
    once per rule and system (memoised on the system: peloton.core.system_memos)."""
    memo = memo_of(system, "scheme_inputs")
    if rule not in memo:
        memo[rule] = _scheme_inputs(rule, system)
    result: frozenset[str] | None = memo[rule]
    return result


def _scheme_inputs(rule: SchemeRule, system: Any) -> frozenset[str] | None:
    roots = [rule.modelled] + [n for c in rule.components for n in (c.variable, c.applies, c.value)]
    pending = [n for n in roots if n]
    seen: set[str] = set()
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        reads = _reads(system, name)
        if reads is None:
            return None
        pending.extend(reads - seen)
    return frozenset(n for n in seen if not system.variables[n].formulas)
