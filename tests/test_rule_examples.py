"""The scheme pages' worked examples are the repository's rule tests, chosen by the variables of the
scheme's amount; without the repository's tests there are none (and the page says nothing)."""

from __future__ import annotations

from pathlib import Path

from peloton.core.rule_examples import rule_tests_folder, scheme_examples, scheme_variables


def test_examples_are_the_rule_tests_that_name_the_schemes_amount() -> None:
    assert rule_tests_folder() is not None  # a source checkout
    examples = scheme_examples("wbso")
    assert examples and all({n for n, _ in e.outputs} & scheme_variables("wbso") for e in examples)
    assert [e.period for e in examples] == sorted((e.period for e in examples), reverse=True)
    assert all((rule_tests_folder().parent.parent / e.file).is_file() for e in examples)  # type: ignore[union-attr]
    assert not {e.name for e in examples} & {e.name for e in scheme_examples("eia")}


def test_no_examples_without_the_tests(tmp_path: Path) -> None:
    assert scheme_examples("wbso", folder=tmp_path) == []
    assert scheme_examples("not_a_scheme") == []
