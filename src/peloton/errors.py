"""One exception type for input a user can fix, so every interface can show it as one line."""

from typing import Any

MAX_FIELD_CHARS = 80
MAX_VALUE_CHARS = 60


def shown_value(value: Any) -> str:
    """A value quoted in a message (repr, so a newline shows as `\\n`), cut so that a huge input never
    floods the error line."""
    text = repr(value)
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 3] + "..."


def shown_field(field: str) -> str:
    """The field as a message shows it. A field is often a key the user wrote (an unknown top-level
    key, an unknown column): empty, 100 KB long, or holding a newline or a bidi override, it would make
    the one-line message empty-headed, huge or misleading. Such a key is quoted with its escapes
    (repr) and cut; a plain field (`onderneming.so_uren`, `parameter_changes[0].value`) is kept."""
    if field.strip() and field.isprintable() and len(field) <= MAX_FIELD_CHARS:
        return field
    quoted = repr(field)
    return quoted if len(quoted) <= MAX_FIELD_CHARS else quoted[: MAX_FIELD_CHARS - 4] + "...'"


class InputError(ValueError):
    """Bad input from a user: the message names the field and what is allowed."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = shown_field(str(field))
        self.problem = problem
        super().__init__(f"{self.field}: {problem}")
