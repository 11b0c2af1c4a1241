"""The command line as API.md writes it: JSON on stdout, one-line errors, nothing half-written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from redline.models import Instrument, Meeting, User, Version
from tests.conftest import count_rows

TEXTS = Path(__file__).resolve().parents[2] / "redline" / "demo" / "texts"


def test_users_create_prints_json(runner):
    r = runner.invoke(
        args=[
            "users",
            "create",
            "new@example.org",
            "--name",
            "New Person",
            "--role",
            "stakeholder",
            "--category",
            "industry",
            "--organisation",
            "ISPA",
            "--password",
            "long enough pw",
        ]
    )
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["email"] == "new@example.org" and isinstance(out["id"], int)


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["x@example.org", "--name", "X", "--role", "stakeholder", "--password", "long enough"],
            "category",
        ),
        (
            ["not-an-email", "--name", "X", "--role", "drafter", "--password", "long enough"],
            "valid e-mail",
        ),
        (
            ["x@example.org", "--name", "X", "--role", "drafter", "--password", "short"],
            "at least 8",
        ),
        (
            [
                "x@example.org",
                "--name",
                "X",
                "--role",
                "drafter",
                "--category",
                "industry",
                "--password",
                "long enough",
            ],
            "Only stakeholders",
        ),
    ],
)
def test_users_create_bad_input_one_line_nothing_written(runner, args, message):
    before = count_rows(User)
    r = runner.invoke(args=["users", "create", *args])
    assert r.exit_code != 0
    assert message in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert count_rows(User) == before


def test_users_create_duplicate(runner, users):
    r = runner.invoke(
        args=[
            "users",
            "create",
            "drafter@example.org",
            "--name",
            "X",
            "--role",
            "drafter",
            "--password",
            "long enough",
        ]
    )
    assert r.exit_code == 1 and "already exists" in r.stderr


def test_users_token_prints_a_working_token(runner, users, client):
    r = runner.invoke(args=["users", "token", "observer@example.org"])
    assert r.exit_code == 0
    token = r.stdout.strip()
    assert len(r.stdout.strip().splitlines()) == 1
    assert (
        client.get("/api/v1/instruments", headers={"Authorization": f"Bearer {token}"}).status_code
        == 200
    )


def test_users_token_unknown_account(runner, users):
    r = runner.invoke(args=["users", "token", "nobody@example.org"])
    assert r.exit_code == 1 and "No account" in r.stderr


def test_import_text_then_next_draft(runner):
    first = runner.invoke(
        args=[
            "import-text",
            str(TEXTS / "GPLv3_discussion-draft-1_2006-01-16.txt"),
            "--instrument",
            "gplv3",
            "--meeting",
            "Discussion Draft 1",
            "--date",
            "2006-01-16",
            "--title",
            "GPLv3",
            "--closed",
        ]
    )
    assert first.exit_code == 0, first.output
    out = json.loads(first.stdout)
    assert out["provisions"] == out["added"] > 20 and out["removed"] == 0
    assert set(out) == {
        "instrument_id",
        "meeting_id",
        "provisions",
        "added",
        "changed",
        "unchanged",
        "removed",
        "tracked_changes",
        "not_carried",
        "word_comments",
    }
    # A text file holds no tracked changes and nothing that could not be carried.
    assert out["tracked_changes"] == {
        "insertions": 0,
        "deletions": 0,
        "moves": 0,
        "comments": 0,
        "resolved": None,
    }
    assert out["not_carried"] == {}
    second = runner.invoke(
        args=[
            "import-text",
            str(TEXTS / "GPLv3_discussion-draft-2_2006-07-27.txt"),
            "--instrument",
            "gplv3",
            "--meeting",
            "Discussion Draft 2",
            "--date",
            "2006-07-27",
            "--kind",
            "drafting_group",
        ]
    )
    assert second.exit_code == 0, second.output
    out2 = json.loads(second.stdout)
    assert out2["instrument_id"] == out["instrument_id"]
    assert (
        out2["changed"] > 10
        and out2["added"] + out2["changed"] + out2["unchanged"] == out2["provisions"]
    )
    meeting = sa.select(Meeting).where(Meeting.id == out2["meeting_id"])
    from redline.extensions import db

    assert db.session.scalar(meeting).status == "open"


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--date", "2006-13-45"], "--date must be YYYY-MM-DD"),
        (["--date", "yesterday"], "--date must be YYYY-MM-DD"),
        (["--date", "0001-01-01"], "--date must be between the years"),
        (["--date", "9999-12-31"], "--date must be between the years"),
        (["--date", "+2026-01-01"], "--date must be YYYY-MM-DD"),
        (["--date", "２０２６-01-01"], "--date must be YYYY-MM-DD"),
    ],
)
def test_import_text_bad_date(runner, extra, message):
    r = runner.invoke(
        args=[
            "import-text",
            str(TEXTS / "GPL-3.0_2007-06-29.txt"),
            "--instrument",
            "g",
            "--meeting",
            "M",
            *extra,
        ]
    )
    assert r.exit_code == 1 and message in r.stderr
    assert count_rows(Instrument) == 0


def test_import_text_missing_file_and_bad_utf8(runner, tmp_path):
    r = runner.invoke(
        args=[
            "import-text",
            str(tmp_path / "nope.txt"),
            "--instrument",
            "g",
            "--meeting",
            "M",
            "--date",
            "2020-01-01",
        ]
    )
    assert r.exit_code == 1 and "Cannot read" in r.stderr
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"Article 1 \xff\xfe broken")
    r = runner.invoke(
        args=[
            "import-text",
            str(bad),
            "--instrument",
            "g",
            "--meeting",
            "M",
            "--date",
            "2020-01-01",
        ]
    )
    assert r.exit_code == 1 and "UTF-8" in r.stderr
    assert count_rows(Instrument) == 0 and count_rows(Version) == 0


def test_import_text_duplicate_meeting_writes_nothing(runner):
    args = [
        "import-text",
        str(TEXTS / "GPL-3.0_2007-06-29.txt"),
        "--instrument",
        "g",
        "--meeting",
        "Final",
        "--date",
        "2007-06-29",
    ]
    assert runner.invoke(args=args).exit_code == 0
    versions = count_rows(Version)
    r = runner.invoke(args=args)
    assert r.exit_code == 1 and "already has a meeting" in r.stderr
    assert count_rows(Version) == versions


def test_demo_is_idempotent_and_prints_logins(runner):
    r = runner.invoke(args=["demo"])
    assert r.exit_code == 0, r.output
    assert "secretariat@demo.redline" in r.stdout and "demo-observer" in r.stdout
    counts = (count_rows(User), count_rows(Version), count_rows(Meeting))
    assert counts[1] > 100
    r = runner.invoke(args=["demo"])
    assert r.exit_code == 0
    assert (count_rows(User), count_rows(Version), count_rows(Meeting)) == counts
