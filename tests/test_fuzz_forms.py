"""Hypothesis over the comment, reply, edit and consultation forms and the comment API: text
up to (and past) each field's documented limit, with the Unicode that trips software (bidi
overrides, zero-width characters, combining marks, lone surrogates where they can arrive).
Whatever arrives, the answer is never a 500: it is stored, or refused with a clear message
and nothing changes (issue 12, "Also")."""

from __future__ import annotations

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from redline import limits
from redline.models import Comment, Consultation, Instrument, Meeting, Provision, Version
from tests.comment_helpers import Record, comment, publish, record

TRICKY = [
    "\u202e",  # right-to-left override
    "\u2066",
    "\u2069",  # isolates
    "\u200b",
    "\u200d",
    "\ufeff",  # zero width space / joiner, byte order mark
    "\u0301",  # a combining accent with nothing to sit on
    "\x1b",
    "\x07",  # control characters
    "\r\n",
    "\n",
    "\t",
    "𝔄",
    "ß",
    "İ",
    "Ω",
    "<script>",
    "&amp;",
    '"',
]
FUZZ = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def text_up_to(limit: int) -> st.SearchStrategy[str]:
    pieces = st.lists(st.sampled_from(TRICKY) | st.text(min_size=1, max_size=8), max_size=30).map(
        "".join
    )
    # Short fuzzed text, or text around the limit (just under, at, just over).
    near = st.integers(limit - 2, limit + 2).map(lambda n: "x" * max(n, 0))
    return pieces | near | st.builds(lambda a, b: a + b, near, pieces)


def count(db_session, model) -> int:
    return db_session.scalar(sa.select(sa.func.count()).select_from(model))


def refused_clearly(r, allowed=(200, 204, 302, 400, 403, 409, 413, 422)) -> None:
    assert r.status_code < 500, r.get_data(as_text=True)[:500]
    assert r.status_code in allowed, r.status_code
    if r.status_code in (400, 413, 422):
        page = r.get_data(as_text=True)
        assert "Internal" not in page and "Traceback" not in page


@FUZZ
@given(body=text_up_to(limits.COMMENT_BODY), quote=text_up_to(limits.QUOTE), htmx=st.booleans())
def test_comment_form(db_session, users, auth, body, quote, htmx):
    rec = _world(db_session, users)
    auth.login("civil")
    before = count(db_session, Comment)
    r = auth.post(
        f"/provisions/{rec.provision.id}/comments",
        dict(
            version_id=rec.version.id,
            quote=quote,
            body=body,
            form_id=f"quote-form-{rec.provision.id}",
        ),
        htmx=htmx,
    )
    refused_clearly(r)
    made = count(db_session, Comment) - before
    assert made in (0, 1)
    if made:
        assert r.status_code in (204, 302)


@FUZZ
@given(body=text_up_to(limits.COMMENT_BODY), exact=text_up_to(limits.EXACT))
def test_comment_api(db_session, users, client, token_for, body, exact):
    rec = _world(db_session, users)
    before = count(db_session, Comment)
    r = client.post(
        f"/api/v1/provisions/{rec.provision.id}/comments",
        json={
            "version_id": rec.version.id,
            "start": 0,
            "end": len(exact),
            "exact": exact,
            "body": body,
        },
        headers=token_for("drafter"),
    )
    assert r.status_code in (201, 400, 413), r.get_data(as_text=True)[:300]
    assert count(db_session, Comment) - before == (1 if r.status_code == 201 else 0)
    if r.status_code != 201:
        assert r.get_json()["message"]


@FUZZ
@given(body=text_up_to(limits.COMMENT_BODY), kind=st.sampled_from(["reply", "edit"]))
def test_reply_and_edit_forms(db_session, users, auth, body, kind):
    rec = _world(db_session, users)
    root = _root(db_session, users, rec)
    auth.login("civil")
    before = count(db_session, Comment), root.body
    if kind == "reply":
        r = auth.post(
            f"/provisions/{rec.provision.id}/comments",
            dict(parent_id=root.id, body=body, form_id=f"reply-form-{root.id}"),
            htmx=True,
        )
    else:
        r = auth.post(f"/comments/{root.id}/edit", dict(body=body), htmx=True)
    refused_clearly(r)
    db_session.expire_all()
    after = count(db_session, Comment), db_session.get(Comment, root.id).body
    if r.status_code not in (204, 302) and "error" in r.get_data(as_text=True):
        assert after == before


@FUZZ
@given(title=text_up_to(300), opens=st.text(max_size=40), reason=text_up_to(limits.REASON))
def test_consultation_and_disposition_forms(db_session, users, auth, title, opens, reason):
    rec = _world(db_session, users)
    root = _root(db_session, users, rec)
    auth.login("secretariat")
    before = count(db_session, Consultation)
    r = auth.post(
        f"/instruments/{rec.instrument.id}/consultations",
        dict(meeting_id=rec.meeting.id, title=title, opens=opens, closes="2030-01-01T00:00"),
    )
    refused_clearly(r)
    assert count(db_session, Consultation) - before in (0, 1)
    r = auth.post(
        f"/comments/{root.id}/disposition", dict(disposition="noted", reason=reason), htmx=True
    )
    refused_clearly(r)


@FUZZ
@given(raw=st.binary(max_size=40))
def test_invalid_utf8_and_encoded_surrogates_in_a_form(db_session, users, auth, raw):
    """A form's bytes that are not UTF-8 (an encoded lone surrogate is one) never crash."""
    rec = _world(db_session, users)
    auth.login("drafter")
    encoded = "".join(f"%{b:02X}" for b in raw + b"\xed\xa0\x80")
    r = auth.client.post(
        f"/provisions/{rec.provision.id}/comments",
        data=f"csrf_token={auth.csrf_token()}&version_id={rec.version.id}&quote={encoded}"
        f"&body={encoded}",
        content_type="application/x-www-form-urlencoded",
    )
    refused_clearly(r)


def test_lone_surrogates_in_json_are_refused(db_session, users, client, token_for):
    rec = _world(db_session, users)
    r = client.post(
        f"/api/v1/provisions/{rec.provision.id}/comments",
        data=f'{{"version_id": {rec.version.id}, "start": 0, "end": 4, "exact": "Each", '
        '"body": "a\\ud800b"}',
        content_type="application/json",
        headers=token_for("drafter"),
    )
    assert r.status_code == 400 and "Unicode" in r.get_json()["message"]


def _world(db_session, users):
    """One provision published for consultation, built once per test function."""
    existing = db_session.scalar(sa.select(Instrument).where(Instrument.slug == "protocol"))
    if existing is None:
        rec = record(db_session, users)
        publish(db_session, users, rec)
        return rec
    meeting = db_session.scalar(sa.select(Meeting).where(Meeting.instrument_id == existing.id))
    provision = db_session.scalar(
        sa.select(Provision).where(Provision.instrument_id == existing.id)
    )
    version = db_session.scalar(
        sa.select(Version).where(Version.provision_id == provision.id).order_by(Version.id)
    )
    return Record(existing, meeting, provision, version)


def _root(db_session, users, rec):
    found = db_session.scalar(
        sa.select(Comment)
        .where(Comment.parent_id.is_(None), Comment.deleted_at.is_(None))
        .order_by(Comment.id)
    )
    return found or comment(db_session, users, rec, "civil")
