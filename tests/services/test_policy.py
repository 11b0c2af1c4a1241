"""The access policy as tables: what each role may do, where a window stands, who may write in
a consultation, and who sees which comment (the SQL condition and the one-comment predicate
agree, comment by comment, person by person)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from redline.models import Comment, Consultation, ConsultationDeadline
from redline.services import policy
from tests.comment_helpers import comment, publish, record, reply

ROLE_TABLE = {
    # role:        manages drafts reads_drafts writes_comments is_stakeholder writes_internal
    "secretariat": (True, True, True, True, False, True),
    "drafter": (False, True, True, True, False, True),
    "observer": (False, False, True, False, False, False),
    "stakeholder": (False, False, False, True, True, False),
}
RULES = (
    policy.manages,
    policy.drafts,
    policy.reads_drafts,
    policy.writes_comments,
    policy.is_stakeholder,
    policy.writes_internal,
)


@pytest.mark.parametrize("role", ROLE_TABLE)
def test_role_rules(role):
    person = SimpleNamespace(role=role, category=None)
    assert tuple(rule(person) for rule in RULES) == ROLE_TABLE[role]


T0 = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)


def _consultation() -> Consultation:
    return Consultation(
        opens_at=T0,
        closes_at=T0 + timedelta(days=10),
        deadlines=[ConsultationDeadline(category="industry", closes_at=T0 + timedelta(days=5))],
    )


@pytest.mark.parametrize(
    ("category", "at", "state"),
    [
        ("civil_society", T0 - timedelta(seconds=1), "upcoming"),
        ("civil_society", T0, "open"),  # opens at the instant itself
        ("civil_society", T0 + timedelta(days=10) - timedelta(seconds=1), "open"),
        ("civil_society", T0 + timedelta(days=10), "closed"),  # closes at the instant itself
        ("industry", T0 + timedelta(days=4), "open"),
        ("industry", T0 + timedelta(days=5), "closed"),  # its own, earlier deadline
        (None, T0 + timedelta(days=7), "open"),
    ],
)
def test_window_state(category, at, state):
    c = _consultation()
    assert policy.window_state(c, category, at) == state
    assert policy.open_for(c, category, at) is (state == "open")
    assert policy.has_opened(c, at) is (state != "upcoming")


def test_has_opened_is_one_expression_for_objects_and_queries():
    assert policy.has_opened(_consultation(), T0) is True
    clause = policy.has_opened(Consultation, T0)
    assert isinstance(clause, sa.ColumnElement)
    assert "opens_at <=" in str(clause)


OPEN = T0 + timedelta(days=1)
LATE = T0 + timedelta(days=6)  # industry's deadline passed, the others' not


@pytest.mark.parametrize(
    ("role", "category", "where", "at", "allowed"),
    [
        ("drafter", None, "internal", OPEN, True),
        ("drafter", None, "consultation", LATE + timedelta(days=30), True),  # no window for them
        ("secretariat", None, "internal", OPEN, True),
        ("observer", None, "internal", OPEN, False),
        ("observer", None, "consultation", OPEN, False),
        ("stakeholder", "civil_society", "internal", OPEN, False),
        ("stakeholder", "civil_society", "consultation", OPEN, True),
        ("stakeholder", "civil_society", "consultation", T0 - timedelta(hours=1), False),
        ("stakeholder", "industry", "consultation", LATE, False),
        ("stakeholder", "civil_society", "consultation", LATE, True),
    ],
)
def test_who_may_write_where(role, category, where, at, allowed):
    person = SimpleNamespace(role=role, category=category, id=1)
    consultation = _consultation() if where == "consultation" else None
    assert policy.may_write_in(person, consultation, at) is allowed
    version = SimpleNamespace(removed=False)
    assert policy.may_comment(person, version, consultation, at) is allowed
    assert policy.may_comment(person, SimpleNamespace(removed=True), consultation, at) is False
    root = SimpleNamespace(withdrawn=False, consultation=consultation)
    assert policy.may_reply(person, root, at) is allowed
    assert (
        policy.may_reply(person, SimpleNamespace(withdrawn=True, consultation=consultation), at)
        is False
    )
    mine = SimpleNamespace(author_id=1, withdrawn=False, consultation=consultation)
    theirs = SimpleNamespace(author_id=2, withdrawn=False, consultation=consultation)
    assert policy.may_change_comment(person, mine, at) is allowed
    assert policy.may_change_comment(person, theirs, at) is False


@pytest.mark.parametrize(
    ("role", "open_meeting", "allowed"),
    [
        ("drafter", SimpleNamespace(is_open=True), True),
        ("secretariat", SimpleNamespace(is_open=True), True),
        ("drafter", None, False),
        ("drafter", SimpleNamespace(is_open=False), False),
        ("observer", SimpleNamespace(is_open=True), False),
        ("stakeholder", SimpleNamespace(is_open=True), False),
    ],
)
def test_who_may_edit(role, open_meeting, allowed):
    assert policy.may_edit(SimpleNamespace(role=role), open_meeting) is allowed


@pytest.fixture
def thread_world(db_session, users):
    """Every kind of comment: internal, a stakeholder's in an unshared consultation, another
    stakeholder's, a secretariat question in the consultation, answers, an internal reply,
    and a comment in a consultation that has not opened yet."""
    rec = record(db_session, users)
    c = publish(db_session, users, rec, visible=False)
    made = {
        "internal": comment(db_session, users, rec, "drafter", passage="territory"),
        "civil": comment(db_session, users, rec, "civil"),
        "dpa": comment(db_session, users, rec, "dpa", passage="service provider"),
        "question": comment(
            db_session, users, rec, "secretariat", passage="Each Party", consultation_id=c.id
        ),
    }
    made["answer"] = reply(db_session, users, rec, "drafter", made["civil"])
    made["aside"] = reply(db_session, users, rec, "drafter", made["civil"], internal=True)
    made["dpa_on_question"] = reply(db_session, users, rec, "dpa", made["question"])
    return rec, c, made


EXPECTED_SEEN = {
    "secretariat": {"internal", "civil", "dpa", "question", "answer", "aside", "dpa_on_question"},
    "observer": {"internal", "civil", "dpa", "question", "answer", "aside", "dpa_on_question"},
    "civil": {"civil", "question", "answer"},
    "dpa": {"dpa", "question", "dpa_on_question"},
    "industry": {"question"},
}


@pytest.mark.parametrize("who", EXPECTED_SEEN)
def test_who_sees_which_comment(db_session, users, thread_world, who):
    _, _, made = thread_world
    person = users[who]
    listed = set(db_session.scalars(sa.select(Comment.id).where(policy.comment_clause(person))))
    expected = {made[k].id for k in EXPECTED_SEEN[who]}
    assert listed == expected
    for comment_ in made.values():  # the one-comment predicate says the same
        assert policy.may_see_comment(db_session, person, comment_) is (comment_.id in expected)


def test_sharing_a_consultation_shows_participants_each_others_comments(
    db_session, users, thread_world
):
    _, c, made = thread_world
    c.comments_visible = True
    db_session.commit()
    listed = set(
        db_session.scalars(sa.select(Comment.id).where(policy.comment_clause(users["industry"])))
    )
    assert listed == {made[k].id for k in ("civil", "dpa", "question", "answer", "dpa_on_question")}


def test_nothing_of_an_unopened_consultation_is_seen_by_a_stakeholder(
    db_session, users, thread_world
):
    _, c, made = thread_world
    c.opens_at = datetime.now(UTC) + timedelta(days=1)
    db_session.commit()
    assert not db_session.scalars(
        sa.select(Comment.id).where(policy.comment_clause(users["civil"]))
    ).all()
    assert policy.may_read_consultation(users["civil"], c, datetime.now(UTC)) is False
    assert policy.may_read_consultation(users["observer"], c, datetime.now(UTC)) is True


def test_the_template_object_refuses_everything_to_anonymous_visitors():
    anonymous = SimpleNamespace(is_authenticated=False, role="secretariat", id=None)
    can = policy.Can(anonymous)
    assert not (can.manage or can.draft or can.read_drafts or can.write_comments)
    assert not can.edit(SimpleNamespace(is_open=True))
    assert not can.reply(SimpleNamespace(withdrawn=False, consultation=None))
