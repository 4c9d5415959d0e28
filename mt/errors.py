"""The one error tree of `mt`.

    MtError                  every error the library raises on purpose
    ├── InputError           a file or text the user gave cannot be used
    │   └── TraceError       a trace document that breaks docs/INTERFACES.md (names the field)
    ├── ArgumentError        a setting a function was given is not one it takes (a ValueError)
    ├── ModelError           a model cannot be found or loaded
    └── MissingExtraError    a dependency is not installed

Every message names the input and says how to fix it; the CLI prints it on
one line and exits with status 2.
"""

from __future__ import annotations

from collections.abc import Iterable


class MtError(Exception):
    """Base of all deliberate `mt` errors."""


class InputError(MtError):
    """Unreadable, binary, non-UTF-8 or malformed input."""


class TraceError(InputError):
    """A trace document that is not one: ``field`` is where (``segments[3].source``), as a
    JSON path from the document's root, and ``problem`` what is wrong there."""

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field, self.problem = field, problem

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        return (type(self), (self.field, self.problem))


class ArgumentError(MtError, ValueError):
    """A setting that is not one of those offered (``word_links="al"``); a ``ValueError``
    too, as Python's own functions raise for a bad argument."""


class ModelError(MtError):
    """A model that cannot be found, resolved or loaded."""


class MissingExtraError(MtError):
    """An optional dependency is missing; the message says what to install."""

    def __init__(self, module: str, requirement: str) -> None:
        super().__init__(f"{module} is not installed: pip install '{requirement}'")
        self.module, self.requirement = module, requirement

    def __reduce__(self) -> tuple[type, tuple[str, str]]:
        # Rebuilt from its two arguments, so it crosses process boundaries (workers, Ray).
        return (type(self), (self.module, self.requirement))


def one_of(choices: Iterable[str]) -> str:
    """Choices as a message offers them: ``a, b or c``."""
    *most, last = choices
    return f"{', '.join(most)} or {last}" if most else last
