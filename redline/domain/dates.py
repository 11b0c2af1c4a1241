"""Reading dates and times that people type: every way a parse can fail becomes one DateError.

`date.fromisoformat` raises ValueError, but turning an aware time into UTC raises OverflowError
at the edges of the calendar ("0001-01-01T00:00+05:00" is before year 1 in UTC), and other code
adds days to what is stored. Dates are therefore kept within years FIRST_YEAR to LAST_YEAR, a
range that holds every treaty negotiation and leaves room for arithmetic on either side.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

FIRST_YEAR = 1900
LAST_YEAR = 2999
MAX_CHARS = 64  # an ISO 8601 time with every optional part is about 40 characters


class DateError(ValueError):
    """What is wrong with a date or time, in words a drafter understands."""

    def __init__(self, message: str, out_of_range: bool = False) -> None:
        super().__init__(message)
        self.out_of_range = out_of_range


def _in_range(year: int, what: str) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise DateError(
            f"{what} must be between the years {FIRST_YEAR} and {LAST_YEAR}.", out_of_range=True
        )


def parse_day(raw: object, what: str = "The date") -> date:
    """A calendar date written YYYY-MM-DD."""
    text = raw.strip() if isinstance(raw, str) else ""
    if not text:
        raise DateError(f"{what} is required (YYYY-MM-DD).")
    try:
        if len(text) > MAX_CHARS or not text.isascii():
            raise ValueError
        day = date.fromisoformat(text)
    except (ValueError, OverflowError):
        raise DateError(f"{what} must be a date (YYYY-MM-DD); got {text[:40]!r}.") from None
    _in_range(day.year, what)
    return day


def parse_instant(raw: object, what: str = "The time") -> datetime:
    """An ISO 8601 date and time as an aware UTC datetime; a time without zone is UTC."""
    text = raw.strip() if isinstance(raw, str) else ""
    if not text:
        raise DateError(f"{what} is required (ISO 8601, e.g. 2026-12-15T17:00Z).")
    try:
        if len(text) > MAX_CHARS or not text.isascii():
            raise ValueError
        when = datetime.fromisoformat(text.replace("z", "Z"))
        when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    except (ValueError, OverflowError):
        raise DateError(
            f"{what} must be an ISO 8601 date and time, e.g. 2026-12-15T17:00Z; got {text[:40]!r}."
        ) from None
    _in_range(when.year, what)
    return when
