"""What a person asked for that cannot be done as asked: one base class, UserError, whose
text is written for them (the store's StoreError is one; the CLI prints it as `error: ...`, the pages show it). Anything
else that goes wrong is a fault of the program, logged and reported as such."""
from __future__ import annotations

import datetime as dt
import re

from swgdash.i18n import _


class UserError(Exception):
    """Something asked of the dashboard that cannot be done as asked; the text says why."""


class UnknownGroup(UserError):
    """No group has the id asked for."""


class UnknownPlan(UserError):
    """No national plan has the name asked for."""


class BadDate(UserError, ValueError):
    """Text that is not a date written YYYY-MM-DD (`real` False: written so, but no day of the calendar)."""

    def __init__(self, message: str = "", real: bool | None = None):
        super().__init__(message)
        self.real = real


class BadDates(UserError, ValueError):
    """Dates that contradict each other, or ask for more than can be shown."""


class BadThresholds(UserError, ValueError):
    """Activity windows that contradict each other."""


def parse_date(text: str) -> dt.date:
    """A date written YYYY-MM-DD, or BadDate naming the text."""
    try:
        return dt.date.fromisoformat(str(text).strip())
    except ValueError:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(text).strip(), re.ASCII):
            raise BadDate(_("'{text}' is not a real calendar date").format(text=text), real=False) from None
        raise BadDate(_("'{text}' is not a date; write YYYY-MM-DD").format(text=text)) from None
