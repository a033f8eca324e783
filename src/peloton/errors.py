"""One exception type for input a user can fix, so every interface can show it as one line."""


class InputError(ValueError):
    """Bad input from a user: the message names the field and what is allowed."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")
