"""Every text field has a documented maximum, refused at the door before any work; the
passage search runs only after the permission and window checks (issue 12, fault 2)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from redline import limits
from redline.domain.text import passages
from redline.models import Comment, utcnow
from tests.comment_helpers import publish, record


@pytest.fixture
def rec(db_session, users):
    return record(db_session, users)


@pytest.fixture
def no_search(monkeypatch):
    """Fail the test if the passage search runs at all."""
    calls = []

    def refuse(*args, **kwargs):
        calls.append(args)
        raise AssertionError("the passage search ran")

    monkeypatch.setattr(passages, "locate", refuse)
    monkeypatch.setattr("redline.services.comments.locate", refuse)
    return calls


def _quote_post(auth, rec, quote, who="civil"):
    auth.login(who)
    return auth.post(
        f"/provisions/{rec.provision.id}/comments",
        dict(
            version_id=rec.version.id,
            quote=quote,
            body="Too much.",
            form_id=f"quote-form-{rec.provision.id}",
        ),
    )


def test_a_3_mb_quote_is_refused_before_the_search(db_session, users, auth, rec, no_search):
    publish(db_session, users, rec)
    r = _quote_post(auth, rec, "competent authorities " * 140_000)  # about 3 MB
    assert r.status_code == 413
    page = r.get_data(as_text=True)
    assert "quoted passage is too long" in page and "2,000" in page
    assert no_search == []
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 0


def test_a_3_mb_quote_through_htmx_is_refused_too(db_session, users, auth, rec, no_search):
    publish(db_session, users, rec)
    auth.login("drafter")
    r = auth.post(
        f"/provisions/{rec.provision.id}/comments",
        dict(version_id=rec.version.id, quote="x" * 3_000_000, body="b"),
        htmx=True,
    )
    assert r.status_code == 413 and no_search == []


def test_an_htmx_form_gets_the_refusal_beside_it(db_session, users, auth, rec, no_search):
    publish(db_session, users, rec)
    auth.login("civil")
    form_id = f"quote-form-{rec.provision.id}"
    r = auth.post(
        f"/provisions/{rec.provision.id}/comments",
        dict(version_id=rec.version.id, quote="x" * 3_000_000, body="b", form_id=form_id),
        htmx=True,
    )
    assert r.status_code == 200 and r.headers["HX-Reswap"] == "none"
    html = r.get_data(as_text=True)
    assert f'id="error-{form_id}"' in html and 'role="alert"' in html
    assert "quoted passage is too long" in html and no_search == []


def test_a_closed_window_refuses_before_the_search(db_session, users, auth, rec, no_search):
    now = utcnow()
    publish(db_session, users, rec, opens=now - timedelta(days=9), closes=now - timedelta(days=1))
    r = _quote_post(auth, rec, "competent authorities")
    assert r.status_code == 403
    assert "closed" in r.get_data(as_text=True)
    assert no_search == []


def test_a_text_not_published_refuses_before_the_search(db_session, users, auth, rec, no_search):
    r = _quote_post(auth, rec, "competent authorities")
    assert r.status_code in (403, 404)
    assert no_search == []


def test_an_observer_never_reaches_the_search(db_session, users, auth, rec, no_search):
    publish(db_session, users, rec)
    r = _quote_post(auth, rec, "competent authorities", who="observer")
    assert r.status_code == 403 and no_search == []


def test_a_quote_at_the_limit_is_searched_and_not_found(db_session, users, auth, rec):
    publish(db_session, users, rec)
    r = _quote_post(auth, rec, "w " * (limits.QUOTE // 2))
    assert r.status_code == 400
    assert "not in this version" in r.get_data(as_text=True)


@pytest.mark.parametrize(
    ("url", "field", "size"),
    [
        ("/auth/login", "email", limits.FIELDS["email"] + 1),
        ("/auth/login", "next", limits.FIELDS["next"] + 1),
        ("/auth/login", "unknown_field", limits.DEFAULT_LIMIT + 1),
        ("/provisions/1/comments", "exact", limits.EXACT + 1),
        ("/provisions/1/comments", "body", limits.COMMENT_BODY + 1),
        ("/comments/1/disposition", "reason", limits.REASON + 1),
        ("/provisions/1/versions", "message", 501),
        ("/provisions/1/versions", "heading", 501),
        ("/provisions/1/versions", "number", 101),
        ("/provisions/1/versions", "text", 200_001),
        ("/instruments", "description", 20_001),
    ],
)
def test_every_form_field_has_a_limit(auth, url, field, size):
    auth.login("secretariat")
    r = auth.post(url, {field: "x" * size})
    assert r.status_code == 413, (field, r.status_code)
    assert "too long" in r.get_data(as_text=True)


def test_a_textarea_line_break_counts_once(auth, rec):
    """The browser's maxlength counts CR LF as one character; so does the door."""
    auth.login("drafter")
    text = "a\r\n" * (200_000 // 2)  # 200,000 characters as the browser counts them
    r = auth.post(
        f"/provisions/{rec.provision.id}/versions", dict(text=text, base_version_id=rec.version.id)
    )
    assert r.status_code != 413, r.get_data(as_text=True)[:300]


def test_query_strings_are_bounded_too(auth):
    auth.login("drafter")
    r = auth.client.get("/instruments", query_string={"mode": "m" * 5_000})
    assert r.status_code == 413


@pytest.mark.parametrize(
    ("field", "size"),
    [("body", limits.COMMENT_BODY + 1), ("exact", limits.EXACT + 1), ("quote", 3_000_000)],
)
def test_api_bodies_are_bounded(db_session, client, token_for, rec, no_search, field, size):
    r = client.post(
        f"/api/v1/provisions/{rec.provision.id}/comments",
        json={
            "version_id": rec.version.id,
            "start": 0,
            "end": 4,
            "exact": "Each",
            "body": "b",
            field: "x" * size,
        },
        headers=token_for("drafter"),
    )
    assert r.status_code == 413
    assert r.get_json()["error"] == "field_too_long"
    assert r.get_json()["limit"] == limits.limit_for(field) if field != "text" else True


def test_the_templates_carry_the_same_limits(auth, rec):
    auth.login("drafter")
    html = auth.htmx_get(f"/provisions/{rec.provision.id}/comments").get_data(as_text=True)
    assert f'maxlength="{limits.QUOTE}"' in html
    assert f'maxlength="{limits.COMMENT_BODY}"' in html
