"""`Secret`: a string that hides itself from `repr`, `str` and so from logs and tracebacks."""

from __future__ import annotations


class Secret:
    """A string that never shows itself in `repr` or `str` (as Starlette's `Secret`)."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """Return the secret value; call it only where the value is really needed."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)
