"""Errors raised by the working-time engine: a stable code, parameters, and texts in two languages.

`str(err)` is the Vietnamese text (the users' language and the command line's contract);
`err.message("en")` is the English one. The templates live in `messages.py`.
"""

from __future__ import annotations

from typing import Any

from .messages import MESSAGES, UNSPECIFIED, render


def _rebuild(cls: type[WorktimeError], code: str, params: dict[str, Any]) -> WorktimeError:
    return cls(code, **params)


class WorktimeError(ValueError):
    """Base class: bad input to the engine. `str(err)` is a one-line reason fit for a user.

    Raise with a code of `messages.MESSAGES` and its placeholders as keyword arguments:
    `WorktimeError("negative", unit="hours")`. A sentence instead of a code is kept as it is, in
    every language, under the code "unspecified" (the engine itself never does this).
    """

    code: str
    params: dict[str, Any]

    def __init__(self, code: str, /, **params: Any) -> None:
        if code not in MESSAGES or (code == UNSPECIFIED and "text" not in params):
            code, params = UNSPECIFIED, {"text": code}
        self.code = code
        self.params = params
        super().__init__(render(code, params))

    def message(self, language: str | None = None) -> str:
        """The reason in `language`: "vi" (default) or "en"; other languages get Vietnamese."""
        return render(self.code, self.params, language)

    def __reduce__(self) -> tuple[Any, ...]:
        # Keep code and params through pickling (the default would rebuild from the text alone).
        return _rebuild, (type(self), self.code, self.params)


class OutOfRangeError(WorktimeError):
    """A date outside the calendar's supported range: an error, never a guess."""


class UnknownCalendarError(WorktimeError):
    """No calendar with that name."""


class CalendarSpecError(WorktimeError):
    """A calendar definition (data file or database rows) is inconsistent."""
