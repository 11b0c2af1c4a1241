"""Comments at the service level: who writes what and when, threads, visibility per role,
editing and withdrawing, decisions, audit, and placement on later versions."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from redline.models import AuditEvent, Comment, CommentAnchor, utcnow
from redline.services import comment_threads, comments
from redline.services.errors import (
    BadInput,
    Conflict,
    NotAllowed,
    NotFound,
    TooLarge,
    Unprocessable,
)
from tests.comment_helpers import comment, edit, next_meeting, publish, record, reply
from tests.conftest import count_rows


@pytest.fixture
def rec(db_session, users):
    return record(db_session, users)


@pytest.fixture
def open_consultation(db_session, users, rec):
    return publish(db_session, users, rec)


def _post(db_session, users, rec, who, start, end, exact, body="A comment.", **kw):
    return comments.create_comment(
        db_session,
        users[who],
        rec.provision,
        body=body,
        version_id=rec.version.id,
        start=start,
        end=end,
        exact=exact,
        **kw,
    )


# --- writing -----------------------------------------------------------------------------


def test_stakeholder_comment_belongs_to_the_open_consultation(
    db_session, users, rec, open_consultation
):
    c = comment(db_session, users, rec, "civil")
    assert (c.visibility, c.consultation_id) == ("consultation", open_consultation.id)
    assert rec.version.text[c.start : c.end] == c.exact == "competent authorities"
    assert c.prefix == rec.version.text[max(0, c.start - 32) : c.start]
    assert c.suffix == rec.version.text[c.end : c.end + 32]


def test_drafters_comment_internally_unless_they_name_a_consultation(
    db_session, users, rec, open_consultation
):
    internal = comment(db_session, users, rec, "drafter")
    assert (internal.visibility, internal.consultation_id) == ("internal", None)
    note = comment(db_session, users, rec, "secretariat", consultation_id=open_consultation.id)
    assert (note.visibility, note.consultation_id) == ("consultation", open_consultation.id)


def test_a_consultation_that_did_not_publish_the_version_is_refused(db_session, users, rec):
    m2 = next_meeting(db_session, users, rec, "2nd Plenary", date(2026, 3, 1))
    edit(db_session, users, rec, rec.version.text + " More.")
    later = publish(db_session, users, rec, meeting=m2)
    with pytest.raises(BadInput, match="did not publish"):
        comment(db_session, users, rec, "drafter", consultation_id=later.id)


def test_observers_never_write(db_session, users, rec, open_consultation):
    with pytest.raises(NotAllowed):
        comment(db_session, users, rec, "observer")


@pytest.mark.parametrize(
    ("start", "end", "exact", "message"),
    [
        (5, 9, "XXXX", "does not match"),
        (0, 4, "each", "does not match"),  # case matters
        (-1, 4, "Each", "before the beginning"),
        (0, 10_000, "Each", "after the end"),
        (4, 4, "", "empty"),
        (9, 4, "Each", "ends before it starts"),
        ("0", 4, "Each", "whole numbers"),
        (0, 4, None, "'exact' is required"),
        (0, 4, 42, "'exact' must be text"),
    ],
)
def test_the_anchor_is_checked_against_the_text(db_session, users, rec, start, end, exact, message):
    with pytest.raises(BadInput, match=message):
        _post(db_session, users, rec, "drafter", start, end, exact)


@pytest.mark.parametrize(
    ("body", "error", "message"),
    [
        ("", BadInput, "empty"),
        ("   \n ", BadInput, "empty"),
        ("x" * 10_001, TooLarge, "limit is 10,000"),
        ("bell\x07", BadInput, "control character"),
        (None, BadInput, "must be text"),
    ],
)
def test_the_body_is_checked(db_session, users, rec, body, error, message):
    with pytest.raises(error, match=message):
        _post(db_session, users, rec, "drafter", 0, 4, "Each", body=body)


def test_a_body_of_exactly_the_limit_is_accepted(db_session, users, rec):
    c = _post(db_session, users, rec, "drafter", 0, 4, "Each", body="y" * 10_000)
    assert len(c.body) == 10_000


def test_stakeholders_comment_only_on_published_text(db_session, users, rec, open_consultation):
    next_meeting(db_session, users, rec, "2nd Plenary", date(2026, 3, 1))
    draft = edit(db_session, users, rec, rec.version.text + " New words.")
    with pytest.raises(NotFound):
        comment(db_session, users, rec, "civil", version=draft)


def test_a_removed_version_takes_no_comment(db_session, users, rec):
    from redline.services import versions
    from redline.services.errors import Unprocessable

    next_meeting(db_session, users, rec, "2nd Plenary", date(2026, 3, 1))
    gone = versions.remove_provision(
        db_session, rec.provision, base_version_id=rec.version.id, author=users["drafter"]
    )
    with pytest.raises(Unprocessable):
        comments.create_comment(
            db_session,
            users["drafter"],
            rec.provision,
            body="x",
            version_id=gone.id,
            start=0,
            end=1,
            exact="E",
        )


# --- windows, with explicit instants -------------------------------------------------------


@pytest.fixture
def windowed(db_session, users, rec):
    now = utcnow()
    opens, closes = now - timedelta(days=1), now + timedelta(days=10)
    c = publish(
        db_session,
        users,
        rec,
        opens=opens,
        closes=closes,
        deadlines={"industry": closes + timedelta(days=5)},
    )
    return c, opens, closes


@pytest.mark.parametrize(
    ("who", "offset", "allowed"),
    [
        ("civil", "before", False),
        ("civil", "during", True),
        ("civil", "at_close", False),
        ("civil", "after", False),
        ("industry", "at_close", True),  # a later deadline for industry
        ("industry", "after_industry", False),
        ("dpa", "during", True),
        ("dpa", "at_close", False),
    ],
)
def test_stakeholders_comment_only_while_open_for_their_category(
    db_session, users, rec, windowed, who, offset, allowed
):
    c, opens, closes = windowed
    at = {
        "before": opens - timedelta(minutes=1),
        "during": opens + timedelta(hours=1),
        "at_close": closes,
        "after": closes + timedelta(days=1),
        "after_industry": closes + timedelta(days=5),
    }[offset]
    if allowed:
        made = comment(db_session, users, rec, who, now=at)
        assert made.consultation_id == c.id
    else:
        with pytest.raises(NotAllowed, match="opens on|no longer accepted"):
            comment(db_session, users, rec, who, now=at)


def test_drafters_are_not_bound_by_the_window(db_session, users, rec, windowed):
    _, _, closes = windowed
    made = comment(db_session, users, rec, "drafter", now=closes + timedelta(days=100))
    assert made.visibility == "internal"


# --- replies --------------------------------------------------------------------------------


def test_replies_join_the_thread_and_carry_no_anchor(db_session, users, rec, open_consultation):
    root = comment(db_session, users, rec, "civil")
    answer = reply(db_session, users, rec, "drafter", root)
    again = reply(db_session, users, rec, "civil", answer)  # a reply to a reply: same thread
    assert answer.parent_id == again.parent_id == root.id
    assert answer.version_id == root.version_id
    assert (answer.start, answer.end, answer.exact) == (None, None, None)
    assert (answer.visibility, answer.consultation_id) == ("consultation", open_consultation.id)
    internal = reply(db_session, users, rec, "drafter", root, internal=True)
    assert (internal.visibility, internal.consultation_id) == ("internal", None)


def test_a_reply_ignores_anchor_fields_and_checks_consultation_id(
    db_session, users, rec, open_consultation
):
    root = comment(db_session, users, rec, "civil")
    r = comments.create_comment(
        db_session,
        users["drafter"],
        rec.provision,
        body="ok",
        parent_id=root.id,
        version_id=999_999,
        start=1,
        end=2,
        exact="?",
    )
    assert (r.start, r.version_id) == (None, root.version_id)
    with pytest.raises(BadInput, match="thread's consultation"):
        reply(db_session, users, rec, "drafter", root, consultation_id=open_consultation.id + 1)


def test_replies_after_the_deadline_are_refused_to_stakeholders(db_session, users, rec, windowed):
    _, opens, closes = windowed
    root = comment(db_session, users, rec, "civil", now=opens + timedelta(hours=1))
    with pytest.raises(NotAllowed):
        reply(db_session, users, rec, "civil", root, now=closes + timedelta(seconds=1))
    assert reply(db_session, users, rec, "drafter", root, now=closes + timedelta(days=1))


def test_stakeholders_cannot_reply_to_what_they_cannot_see(
    db_session, users, rec, open_consultation
):
    internal = comment(db_session, users, rec, "drafter")
    hidden = comment(db_session, users, rec, "dpa")  # comments not visible to all
    for parent in (internal, hidden):
        with pytest.raises(NotFound):
            reply(db_session, users, rec, "civil", parent)


def test_a_withdrawn_comment_takes_no_reply(db_session, users, rec, open_consultation):
    root = comment(db_session, users, rec, "civil")
    comments.withdraw_comment(db_session, users["civil"], root)
    with pytest.raises(Unprocessable):
        reply(db_session, users, rec, "drafter", root)


# --- who sees what -------------------------------------------------------------------------


def _thread_setup(db_session, users, rec, visible):
    c = publish(db_session, users, rec, visible=visible)
    made = {
        "civil": comment(db_session, users, rec, "civil"),
        "dpa": comment(db_session, users, rec, "dpa", passage="service provider"),
        "internal": comment(db_session, users, rec, "drafter", passage="Each Party"),
        "note": comment(
            db_session, users, rec, "secretariat", passage="territory", consultation_id=c.id
        ),
    }
    made["answer_civil"] = reply(db_session, users, rec, "drafter", made["civil"])
    made["internal_reply"] = reply(db_session, users, rec, "drafter2", made["civil"], internal=True)
    made["answer_dpa"] = reply(db_session, users, rec, "secretariat", made["dpa"])
    return made


def _seen(db_session, users, rec, made, who):
    ids = {c.id for c in comment_threads.visible_comments(db_session, users[who], rec.version)}
    return {name for name, c in made.items() if c.id in ids}


DRAFTING_SEES = {"civil", "dpa", "internal", "note", "answer_civil", "internal_reply", "answer_dpa"}


@pytest.mark.parametrize(
    ("who", "visible", "expected"),
    [
        ("secretariat", False, DRAFTING_SEES),
        ("drafter", False, DRAFTING_SEES),
        ("observer", False, DRAFTING_SEES),
        ("civil", False, {"civil", "answer_civil", "note"}),
        ("dpa", False, {"dpa", "answer_dpa", "note"}),
        ("industry", False, {"note"}),
        ("civil", True, {"civil", "dpa", "note", "answer_civil", "answer_dpa"}),
        ("industry", True, {"civil", "dpa", "note", "answer_civil", "answer_dpa"}),
    ],
)
def test_visibility_per_role(db_session, users, rec, who, visible, expected):
    made = _thread_setup(db_session, users, rec, visible)
    assert _seen(db_session, users, rec, made, who) == expected
    for name, c in made.items():
        if name in expected:
            assert comments.get_comment(db_session, users[who], c.id) == c
        else:
            with pytest.raises(NotFound):
                comments.get_comment(db_session, users[who], c.id)


# --- editing, withdrawing, decisions -------------------------------------------------------


def test_only_the_author_edits_or_withdraws(db_session, users, rec, open_consultation):
    c = comment(db_session, users, rec, "civil")
    with pytest.raises(NotAllowed):
        comments.edit_comment(db_session, users["drafter"], c, "changed")
    with pytest.raises(NotAllowed):
        comments.withdraw_comment(db_session, users["dpa"], c)
    comments.edit_comment(db_session, users["civil"], c, "Rewritten.")
    assert (c.body, c.edited_at is not None) == ("Rewritten.", True)
    comments.withdraw_comment(db_session, users["civil"], c)
    db_session.commit()
    assert db_session.get(Comment, c.id).withdrawn  # kept, marked
    with pytest.raises(Conflict):
        comments.edit_comment(db_session, users["civil"], c, "again")


def test_stakeholders_cannot_edit_after_their_deadline(db_session, users, rec, windowed):
    _, opens, closes = windowed
    c = comment(db_session, users, rec, "civil", now=opens + timedelta(hours=1))
    with pytest.raises(NotAllowed):
        comments.edit_comment(db_session, users["civil"], c, "late", now=closes)
    with pytest.raises(NotAllowed):
        comments.withdraw_comment(db_session, users["civil"], c, now=closes)


def test_dispositions_and_resolution_by_drafters_only(db_session, users, rec, open_consultation):
    c = comment(db_session, users, rec, "civil")
    for who in ("civil", "observer"):
        with pytest.raises(NotAllowed):
            comments.record_disposition(db_session, users[who], c, "noted", "")
        with pytest.raises(NotAllowed):
            comments.set_status(db_session, users[who], c, "resolved")
    comments.record_disposition(
        db_session, users["drafter"], c, "partly", "Article 6(2) now covers it."
    )
    assert (c.disposition, c.status) == ("partly", "resolved")
    comments.set_status(db_session, users["secretariat"], c, "open")
    assert c.status == "open"
    comments.record_disposition(db_session, users["drafter"], c, "noted", "", resolve=False)
    assert (c.disposition, c.disposition_reason, c.status) == ("noted", "", "open")
    comments.record_disposition(db_session, users["drafter"], c, "", "")
    assert c.disposition is None


@pytest.mark.parametrize(
    ("disposition", "reason", "message"),
    [
        ("accepted", "", "one of"),
        ("", "why", "Choose a disposition"),
        ("noted", "r" * 2001, "limit is 2,000"),
    ],
)
def test_bad_dispositions_are_refused(db_session, users, rec, disposition, reason, message):
    c = comment(db_session, users, rec, "drafter")
    with pytest.raises((BadInput, TooLarge), match=message):
        comments.record_disposition(db_session, users["drafter"], c, disposition, reason)


def test_decisions_go_on_the_thread_not_on_a_reply(db_session, users, rec):
    c = comment(db_session, users, rec, "drafter")
    r = reply(db_session, users, rec, "drafter2", c)
    with pytest.raises(BadInput, match="first comment"):
        comments.set_status(db_session, users["drafter"], r, "resolved")
    with pytest.raises(BadInput):
        comments.set_status(db_session, users["drafter"], c, "closed")


def test_every_write_is_audited(db_session, users, rec, open_consultation):
    before = count_rows(AuditEvent)
    c = comment(db_session, users, rec, "civil")
    r = reply(db_session, users, rec, "drafter", c)
    comments.edit_comment(db_session, users["civil"], c, "Edited.")
    comments.set_status(db_session, users["drafter"], c, "resolved")
    comments.record_disposition(db_session, users["drafter"], c, "noted", "ok")
    comments.withdraw_comment(db_session, users["drafter"], r)
    db_session.commit()
    events = db_session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id).offset(before)).all()
    assert [e.action for e in events] == [
        "comment.create",
        "comment.reply",
        "comment.edit",
        "comment.resolve",
        "comment.disposition",
        "comment.withdraw",
    ]
    assert all(e.instrument_id == rec.instrument.id for e in events)


# --- placement on later versions -----------------------------------------------------------


def test_threads_follow_the_text_anchored_changed_orphaned(db_session, users, rec):
    kept = comment(db_session, users, rec, "drafter", passage="competent authorities")
    touched = comment(db_session, users, rec, "drafter", passage="issue an order")
    gone = comment(db_session, users, rec, "drafter", passage="in the territory of another Party")
    next_meeting(db_session, users, rec, "2nd Plenary", date(2026, 3, 1))
    new_text = (
        ("Preliminary words. " + rec.version.text)
        .replace("issue an order", "issue a binding order")
        .replace(" in the territory of another Party,", "")
    )
    v2 = edit(db_session, users, rec, new_text)
    margin = comment_threads.margin_on(db_session, users["drafter"], v2)
    by_id = {t.root_id: t for t in (*margin.placed, *margin.orphans)}
    assert by_id[kept.id].placement.status == "anchored"
    p = by_id[kept.id].placement
    assert v2.text[p.start : p.end] == "competent authorities"
    assert by_id[touched.id].placement.status == "changed"
    changed = by_id[touched.id].placement
    assert v2.text[changed.start : changed.end].startswith("issue a binding")
    assert by_id[gone.id].placement.status == "orphaned"
    assert [t.root_id for t in margin.orphans] == [gone.id]
    assert [t.root_id for t in margin.placed] == [kept.id, touched.id]  # in text order
    # Cached once when the version was saved: the page reads, never recomputes.
    cached = db_session.scalars(
        sa.select(CommentAnchor).where(CommentAnchor.version_id == v2.id)
    ).all()
    assert {a.comment_id for a in cached} == {kept.id, touched.id, gone.id}
    # On its own version a comment is shown exactly where it was made.
    own = comment_threads.margin_on(db_session, users["drafter"], rec.version)
    assert all(t.placement.status == "anchored" for t in own.placed)
    assert {(t.placement.start, t.placement.end) for t in own.placed} == {
        (c.start, c.end) for c in (kept, touched, gone)
    }


def test_a_comment_on_an_older_version_is_placed_on_the_later_ones(
    db_session, users, rec, open_consultation
):
    next_meeting(db_session, users, rec, "2nd Plenary", date(2026, 3, 1))
    v2 = edit(db_session, users, rec, "Intro. " + rec.version.text)
    late = comment(db_session, users, rec, "civil")  # on the published (older) text
    anchor = db_session.scalar(
        sa.select(CommentAnchor).where(
            CommentAnchor.comment_id == late.id, CommentAnchor.version_id == v2.id
        )
    )
    assert (anchor.status, v2.text[anchor.start : anchor.end]) == ("anchored", late.exact)


def test_a_comment_made_on_a_later_version_is_not_shown_on_an_earlier_one(db_session, users, rec):
    next_meeting(db_session, users, rec, "2nd Plenary", date(2026, 3, 1))
    v2 = edit(db_session, users, rec, rec.version.text + " Added.")
    later = comment(db_session, users, rec, "drafter", version=v2, passage="Added")
    earlier = comment_threads.margin_on(db_session, users["drafter"], rec.version)
    assert later.id not in {t.root_id for t in (*earlier.placed, *earlier.orphans)}


def test_new_comments_are_counted_and_the_stamp_changes_on_every_write(db_session, users, rec):
    first = comment(db_session, users, rec, "drafter")
    stamp = comment_threads.stamp(db_session, users["drafter"], rec.version)
    assert comment_threads.stamp(db_session, users["drafter"], rec.version) == stamp
    other = comment(db_session, users, rec, "drafter2", passage="Each Party")
    stamp2 = comment_threads.stamp(db_session, users["drafter"], rec.version)
    assert stamp2 != stamp
    comments.set_status(db_session, users["drafter"], other, "resolved")
    db_session.commit()
    assert comment_threads.stamp(db_session, users["drafter"], rec.version) != stamp2
    margin = comment_threads.margin_on(db_session, users["drafter"], rec.version, seen=first.id)
    assert margin.new_count == 1
    assert {t.root_id: t.is_new for t in margin.placed} == {first.id: False, other.id: True}
    mine = comment_threads.margin_on(db_session, users["drafter2"], rec.version, seen=first.id)
    assert mine.new_count == 0  # one's own comment is not news


def test_spans_for_a_redline_cover_struck_text(db_session, users, rec):
    from redline.domain.text.passages import highlight_ops
    from redline.domain.text.redline import redline

    struck = comment(db_session, users, rec, "drafter", passage="competent authorities")
    next_meeting(db_session, users, rec, "2nd Plenary", date(2026, 3, 1))
    v2 = edit(
        db_session,
        users,
        rec,
        rec.version.text.replace("competent authorities", "designated authorities"),
    )
    ops = redline(rec.version.text, v2.text)
    html = str(
        highlight_ops(ops, comment_threads.spans_on(db_session, users["drafter"], rec.version), [])
    )
    assert f'data-threads="{struck.id}">competent</mark></del>' in html
