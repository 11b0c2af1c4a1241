"""`flask consultations create` as API.md writes it: one JSON object on success; bad input is
one line on stderr, a non-zero exit, and nothing written."""

from __future__ import annotations

import json

import pytest

from redline.models import AuditEvent, Consultation, ConsultationDeadline
from tests.comment_helpers import record
from tests.conftest import count_rows


@pytest.fixture
def rec(db_session, users):
    return record(db_session, users)


def invoke(runner, *args):
    return runner.invoke(args=["consultations", "create", *args])


def test_create_prints_one_json_object(runner, db_session, rec):
    r = invoke(
        runner,
        "--instrument",
        "protocol",
        "--meeting-id",
        str(rec.meeting.id),
        "--title",
        "Provisional text",
        "--opens",
        "2026-12-01T09:00",
        "--closes",
        "2026-12-15T17:00Z",
        "--deadline",
        "industry=2026-12-22T17:00",
        "--deadline",
        "data_protection=2026-12-12T12:00+01:00",
        "--comments-visible",
    )
    assert r.exit_code == 0, r.output
    got = json.loads(r.stdout)
    assert got["id"] and got["meeting_id"] == rec.meeting.id and got["comments_visible"] is True
    assert got["opens_at"] == "2026-12-01T09:00:00+00:00"  # naive means UTC
    assert got["closes_at"] == "2026-12-15T17:00:00+00:00"
    assert got["deadlines"] == {
        "industry": "2026-12-22T17:00:00+00:00",
        "data_protection": "2026-12-12T11:00:00+00:00",
    }
    c = db_session.get(Consultation, got["id"])
    assert c.title == "Provisional text" and len(c.deadlines) == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"--instrument": "nope"}, "No instrument"),
        ({"--meeting-id": "999999"}, "not a meeting of"),
        ({"--opens": "soon"}, "--opens must be an ISO 8601"),
        ({"--opens": "0001-01-01T00:00+05:00"}, "--opens must be an ISO 8601"),
        ({"--closes": "9999-12-31T23:59-05:00"}, "--closes must be an ISO 8601"),
        ({"--closes": "9999-12-31T23:59Z"}, "between the years"),
        ({"--opens": "1800-01-01T00:00Z"}, "between the years"),
        ({"--deadline": "industry=9999-12-31T23:59-05:00"}, "deadline for industry must be"),
        ({"--deadline": "industry=0001-01-01T00:00+14:00"}, "deadline for industry must be"),
        ({"--closes": "2026-11-30T00:00"}, "close after it opens"),
        ({"--title": " "}, "title"),
        ({"--deadline": "press=2026-12-20T00:00"}, "CATEGORY=ISO8601"),
        ({"--deadline": "industry"}, "CATEGORY=ISO8601"),
        ({"--deadline": "industry=2026-11-01T00:00"}, "after the opening"),
    ],
)
def test_bad_input_one_line_non_zero_nothing_written(runner, db_session, rec, change, message):
    args = {
        "--instrument": "protocol",
        "--meeting-id": str(rec.meeting.id),
        "--title": "T",
        "--opens": "2026-12-01T09:00",
        "--closes": "2026-12-15T17:00",
    }
    args.update(change)
    before = count_rows(AuditEvent)
    r = invoke(runner, *[x for kv in args.items() for x in kv])
    assert r.exit_code != 0
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], r.stderr
    assert count_rows(Consultation) == count_rows(ConsultationDeadline) == 0
    assert count_rows(AuditEvent) == before


@pytest.mark.parametrize("meeting_id", ["99999999999999999999999", "2147483648", "-1", "1e3"])
def test_meeting_id_out_of_range_is_a_usage_error(runner, db_session, rec, meeting_id):
    r = invoke(
        runner,
        "--instrument",
        "protocol",
        "--meeting-id",
        meeting_id,
        "--title",
        "T",
        "--opens",
        "2026-12-01T09:00",
        "--closes",
        "2026-12-15T17:00",
    )
    assert r.exit_code == 2 and "--meeting-id" in r.stderr and "Traceback" not in r.stderr
    assert count_rows(Consultation) == 0


def test_missing_option_is_a_usage_error(runner, rec):
    r = invoke(runner, "--instrument", "protocol")
    assert r.exit_code == 2 and "Missing option" in r.stderr
