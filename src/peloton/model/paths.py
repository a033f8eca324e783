"""The one walk from a dotted path (`wbso.afdrachtvermindering.tarief_schijf_1`) to a parameter node.

Explanations, reform validation, the reform builder and the API all name parameters by path; they
walk the tree through this function, which says where a wrong path stops and what is there.
"""

from __future__ import annotations

from typing import Any


class ParameterPathError(KeyError):
    """A path that names no parameter; `detail` says where the walk stopped and what is there."""

    def __init__(self, path: str, detail: str) -> None:
        super().__init__(path)
        self.path = path
        self.detail = detail

    def __str__(self) -> str:
        return self.detail


def normalise_parameter_name(name: str) -> str:
    """OpenFisca names a missing child `node[child]`; the parameter tree uses dots."""
    return name.replace("[", ".").replace("]", "")


def _quoted(text: str, limit: int = 80) -> str:
    """A path quoted in a message, cut: a path the user wrote may be any text of any length."""
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


def walk(root: Any, path: str) -> Any:
    """The node or parameter at `path` below `root` (a ParameterNode)."""
    node = root
    for part in normalise_parameter_name(path).split("."):
        children = getattr(node, "children", None)
        if children is None or part not in children:
            where = getattr(node, "name", "") or "the root"
            choices = ", ".join(sorted(children)) if children else "none"
            raise ParameterPathError(
                path, f"no parameter {_quoted(path)}: {where} has no {_quoted(part)} (has: {choices})"
            )
        node = children[part]
    return node
