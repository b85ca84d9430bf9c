"""One exception type for everything a user can get wrong.

The CLI prints its message as a single line and exits with code 2; anything else is a bug.
"""


class FormcheckError(Exception):
    """A problem with the user's input or environment, explained in one line."""


class PartialSession(Exception):  # noqa: N818 - it is a signal, not an error
    """Raised to stop an analysis early while keeping what was recorded."""
