"""Dates and times typed by people: a table of edge cases and Hypothesis properties showing that
every input either parses into the allowed range or raises DateError, never anything else."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from redline.domain.dates import FIRST_YEAR, LAST_YEAR, DateError, parse_day, parse_instant


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-12-15T17:00Z", datetime(2026, 12, 15, 17, 0, tzinfo=UTC)),
        ("2026-12-15T17:00z", datetime(2026, 12, 15, 17, 0, tzinfo=UTC)),
        ("2026-12-15T17:00", datetime(2026, 12, 15, 17, 0, tzinfo=UTC)),  # naive means UTC
        ("2026-12-15T17:00+02:00", datetime(2026, 12, 15, 15, 0, tzinfo=UTC)),
        (" 2026-12-15 17:00 ", datetime(2026, 12, 15, 17, 0, tzinfo=UTC)),
        ("1900-01-01T00:00Z", datetime(1900, 1, 1, tzinfo=UTC)),
        ("2999-12-31T23:59:59Z", datetime(2999, 12, 31, 23, 59, 59, tzinfo=UTC)),
    ],
)
def test_instants_that_parse(raw, expected):
    assert parse_instant(raw, "Opens") == expected


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("0001-01-01T00:00+05:00", "ISO 8601"),  # before year 1 in UTC: OverflowError inside
        ("9999-12-31T23:59-05:00", "ISO 8601"),  # after year 9999 in UTC
        ("0001-01-01T00:00Z", "between the years 1900 and 2999"),
        ("9999-12-31T23:59Z", "between the years 1900 and 2999"),
        ("1900-01-01T00:00+00:01", "between the years"),  # 1899 in UTC
        ("2999-12-31T23:59-00:01", "between the years"),  # 3000 in UTC
        ("2026-02-30T09:00", "ISO 8601"),
        ("2026-12-01T09:00+24:00", "ISO 8601"),
        ("２０２６-12-01T09:00", "ISO 8601"),
        ("2026-12-01T09:00" + "0" * 100, "ISO 8601"),
        ("", "required"),
        ("   ", "required"),
        (None, "required"),
        (20261201, "required"),
    ],
)
def test_instants_refused(raw, says):
    with pytest.raises(DateError, match=says):
        parse_instant(raw, "Opens")


@pytest.mark.parametrize(
    ("raw", "says"),
    [
        ("0001-01-01", "between the years"),
        ("9999-12-31", "between the years"),
        ("1899-12-31", "between the years"),
        ("3000-01-01", "between the years"),
        ("2026-02-29", "must be a date"),
        ("+2026-01-01", "must be a date"),
        ("٢٠٢٦-01-01", "must be a date"),
        ("", "required"),
    ],
)
def test_days_refused(raw, says):
    with pytest.raises(DateError, match=says):
        parse_day(raw, "The date")


def test_days_that_parse():
    assert parse_day(" 2026-06-01 ") == date(2026, 6, 1)
    assert parse_day("1900-01-01") == date(1900, 1, 1)
    assert parse_day("2999-12-31") == date(2999, 12, 31)


@given(st.text(max_size=80))
def test_any_text_is_an_instant_in_range_or_a_date_error(raw):
    try:
        when = parse_instant(raw)
    except DateError:
        return
    assert when.tzinfo is UTC and FIRST_YEAR <= when.year <= LAST_YEAR


@given(st.text(max_size=40))
def test_any_text_is_a_day_in_range_or_a_date_error(raw):
    try:
        day = parse_day(raw)
    except DateError:
        return
    assert FIRST_YEAR <= day.year <= LAST_YEAR


@given(
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59)),
    st.integers(min_value=-(24 * 60 - 1), max_value=24 * 60 - 1),
)
def test_every_calendar_time_with_any_offset_parses_or_is_refused(naive, minutes):
    """The whole calendar with every offset Python allows: the edges overflow inside."""
    raw = naive.replace(tzinfo=timezone(timedelta(minutes=minutes))).isoformat()
    try:
        when = parse_instant(raw)
    except DateError:
        return
    assert when == naive.replace(tzinfo=timezone(timedelta(minutes=minutes)))
    assert FIRST_YEAR <= when.year <= LAST_YEAR
