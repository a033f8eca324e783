"""Reading YAML that a user wrote (profiles, reforms): safe, strict and bounded.

PyYAML's safe loader still lets the last of two equal keys win silently, turns `2024-13-45` into a
crash in its date constructor, and follows aliases without limit (a 1 KB "billion laughs" document
expands to gigabytes once anything walks it). This loader refuses duplicate keys naming the key and
its line, keeps dates as text (the readers check them and say which field is wrong), bounds the
document's size and its expanded size, and raises only `UserYamlError` with a one-line message.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_DOCUMENT_CHARS = 1_000_000
MAX_EXPANDED_NODES = 100_000


class UserYamlError(ValueError):
    """The document cannot be read; the message is one line meant for the user."""


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader without implicit dates, refusing duplicate keys."""

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                hash(key)
            except TypeError:
                continue  # PyYAML reports unhashable keys itself
            if key in seen:
                raise UserYamlError(
                    f"duplicate key {str(key)[:60]!r} (line {key_node.start_mark.line + 1}, "
                    f"first given on line {seen[key] + 1}): give each key once"
                )
            seen[key] = key_node.start_mark.line
        return super().construct_mapping(node, deep=deep)


# Dates stay text: drop the implicit timestamp resolver from this loader only.
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _expanded_size(node: Node, memo: dict[int, int], limit: int) -> int:
    """The number of nodes the document has once every alias is expanded (memoised per node)."""
    key = id(node)
    if key in memo:
        return memo[key]
    memo[key] = limit + 1  # a node met again while being counted is a cycle: too large
    size = 1
    if isinstance(node, SequenceNode):
        for child in node.value:
            size += _expanded_size(child, memo, limit)
            if size > limit:
                break
    elif isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            size += _expanded_size(key_node, memo, limit) + _expanded_size(value_node, memo, limit)
            if size > limit:
                break
    elif not isinstance(node, ScalarNode):
        size = limit + 1
    memo[key] = size
    return size


def load_user_yaml(text: str) -> Any:
    """One YAML document a user wrote -> Python data, or UserYamlError with a one-line reason."""
    if len(text) > MAX_DOCUMENT_CHARS:
        raise UserYamlError(f"the document has {len(text):,} characters; at most {MAX_DOCUMENT_CHARS:,}")
    loader: _StrictLoader | None = None
    try:
        loader = _StrictLoader(text)  # its reader refuses NUL and other unprintable characters
        node = loader.get_single_node()
        if node is None:
            return None
        if _expanded_size(node, {}, MAX_EXPANDED_NODES) > MAX_EXPANDED_NODES:
            raise UserYamlError(
                f"the document expands to more than {MAX_EXPANDED_NODES:,} values (YAML aliases); "
                "write the values out"
            )
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise UserYamlError(f"{first[:160]}{where}") from None
    except RecursionError:
        raise UserYamlError("the document is nested too deeply") from None
    finally:
        if loader is not None:
            loader.dispose()
