"""Pages: the instrument list and text, error pages, security headers, account management."""

from __future__ import annotations

from datetime import timedelta

import pytest

from redline.models import User, utcnow
from redline.services import texts
from tests.comment_helpers import publish, record
from tests.conftest import count_rows
from tests.factories import two_meetings


@pytest.fixture
def protocol(db_session, users):
    return two_meetings(db_session)


def test_instrument_list_after_login(auth, client, protocol):
    auth.login("observer")
    page = client.get("/instruments").get_data(as_text=True)
    assert "Test Protocol" in page and "2 meetings" in page


def test_instrument_text_as_of_each_meeting(auth, client, protocol):
    instrument, first, second = protocol
    auth.login("drafter")
    old = client.get(f"/instruments/{instrument.id}?meeting={first.id}").get_data(as_text=True)
    new = client.get(f"/instruments/{instrument.id}").get_data(as_text=True)
    assert "need for co-operation" in old and "Direct disclosure" not in old
    assert "need for cooperation" in new and "Article 4 – Direct disclosure" in new
    # document order
    assert new.index("Article 2 – Definitions") < new.index("Article 3 – Scope")


@pytest.mark.parametrize("q", ["abc", "-1", "1.5", "99999999999999999999999"])
def test_bad_meeting_parameter_is_400(auth, client, protocol, q):
    auth.login("drafter")
    assert client.get(f"/instruments/{protocol[0].id}?meeting={q}").status_code == 400


def test_other_instruments_meeting_is_404(auth, client, protocol, db_session):
    from datetime import date

    from redline.services import meetings

    other = meetings.create_instrument(db_session, slug="other", title="Other", actor=None)
    m = meetings.create_meeting(
        db_session, other, title="M", kind="plenary", on=date(2020, 1, 1), actor=None
    )
    db_session.commit()
    auth.login("drafter")
    assert client.get(f"/instruments/{protocol[0].id}?meeting={m.id}").status_code == 404


def test_provision_page_shows_history(auth, client, protocol, db_session):
    instrument, first, second = protocol
    scope = next(v for v in texts.versions_as_of(db_session, second) if v.heading == "Scope")
    auth.login("observer")
    page = client.get(f"/provisions/{scope.provision_id}").get_data(as_text=True)
    assert "1st Plenary" in page and "2nd Plenary" in page
    assert "Edit" not in page  # observers read, never write


def test_stakeholder_sees_no_unpublished_text(auth, client, protocol, db_session):
    instrument, first, second = protocol
    auth.login("civil")
    assert "Test Protocol" not in client.get("/instruments").get_data(as_text=True)
    assert client.get(f"/instruments/{instrument.id}").status_code == 404
    pid = texts.versions_as_of(db_session, second)[0].provision_id
    assert client.get(f"/provisions/{pid}").status_code == 404


@pytest.mark.parametrize("url", ["/nowhere", "/instruments/999999", "/provisions/999999"])
def test_404_pages_are_html(auth, client, users, url):
    auth.login("drafter")
    r = client.get(url)
    assert r.status_code == 404 and "text/html" in r.content_type
    assert "Not found" in r.get_data(as_text=True)


def test_403_page_for_wrong_role(auth, client):
    auth.login("drafter")
    r = client.get("/accounts/")
    assert r.status_code == 403 and "Not allowed" in r.get_data(as_text=True)


def test_413_for_oversized_body(auth, client, app):
    auth.login("drafter")
    r = client.post("/auth/logout", data={"x": "y" * (app.config["MAX_CONTENT_LENGTH"] + 10)})
    assert r.status_code == 413


def test_500_page_hides_internals(app, client, users, monkeypatch):
    from redline.views import instruments

    def boom(*a, **k):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(instruments.access, "visible_instruments", boom)
    from tests.conftest import Auth

    Auth(client).login("drafter")
    r = client.get("/instruments")
    assert r.status_code == 500 and "secret internals" not in r.get_data(as_text=True)
    r = client.get("/api/v1/instruments")
    assert r.status_code == 500 and r.json["error"] == "server_error"


def test_security_headers(client):
    r = client.get("/auth/login")
    csp = r.headers["Content-Security-Policy"]
    assert (
        "script-src 'self'" in csp
        and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    )
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["X-Frame-Options"] == "DENY"
    assert r.headers["Referrer-Policy"]


def test_htmx_is_vendored_and_csrf_sent_by_htmx(auth, client):
    page = client.get("/auth/login").get_data(as_text=True)
    assert "/static/vendor/htmx-2.0.11.min.js" in page and "X-CSRFToken" in page
    r = client.get("/static/vendor/htmx-2.0.11.min.js")
    assert r.status_code == 200 and b"htmx" in r.data
    r.close()  # static files are streamed; close the file handle


def test_secretariat_manages_accounts(auth, client, users, db_session):
    auth.login("secretariat")
    assert "drafter@example.org" in client.get("/accounts/").get_data(as_text=True)
    r = auth.post(
        "/accounts/",
        {
            "name": "New One",
            "email": "new@example.org",
            "role": "stakeholder",
            "category": "industry",
            "organisation": "<b>Org</b>",
            "password": "a good password",
        },
    )
    assert r.status_code == 302
    page = client.get("/accounts/").get_data(as_text=True)
    assert "&lt;b&gt;Org&lt;/b&gt;" in page and "<b>Org</b>" not in page
    r = auth.post(f"/accounts/{users['drafter'].id}/active", {"active": "0"})
    assert r.status_code == 302
    db_session.refresh(users["drafter"])
    assert users["drafter"].active is False
    r = auth.post(f"/accounts/{users['observer'].id}/password", {"password": "brand new pass"})
    assert r.status_code == 302
    auth.logout()
    assert auth.login("observer", password="brand new pass").status_code == 302


def test_bad_account_form_changes_nothing(auth, client, users):
    auth.login("secretariat")
    before = count_rows(User)
    r = auth.post(
        "/accounts/",
        {
            "name": "X",
            "email": "x@example.org",
            "role": "stakeholder",
            "password": "a good password",
        },
    )
    assert r.status_code == 400 and "category" in r.get_data(as_text=True)
    assert count_rows(User) == before


def test_secretariat_cannot_deactivate_themselves(auth, client, users):
    auth.login("secretariat")
    r = auth.post(f"/accounts/{users['secretariat'].id}/active", {"active": "0"})
    assert r.status_code == 400


def test_deactivation_revokes_tokens(auth, client, users, token_for):
    h = token_for("drafter")
    assert client.get("/api/v1/instruments", headers=h).status_code == 200
    auth.login("secretariat")
    auth.post(f"/accounts/{users['drafter'].id}/active", {"active": "0"})
    assert client.get("/api/v1/instruments", headers=h).status_code == 401


@pytest.mark.parametrize("url", ["/auth/login", "/instruments?meeting=%00"])
def test_nul_characters_are_refused_not_crashed_on(client, auth, url):
    r = client.post(
        url, data={"email": "a\x00b@example.org", "password": "x", "csrf_token": auth.csrf_token()}
    )
    assert r.status_code in (400, 405)
    r = client.get(url)
    assert r.status_code in (200, 302, 400)


def test_instrument_toolbar_links_its_consultations(auth, client, db_session, users):
    rec = record(db_session, users)
    publish(db_session, users, rec)
    for who in ("secretariat", "drafter", "observer", "civil"):
        auth.login(who)
        page = client.get(f"/instruments/{rec.instrument.id}").get_data(as_text=True)
        toolbar = page.split('<nav class="toolbar no-print" aria-label="Instrument">')[1]
        link = f'<a href="/instruments/{rec.instrument.id}/consultations">Consultations</a>'
        assert link in toolbar.split("</nav>")[0], who
        assert client.get(f"/instruments/{rec.instrument.id}/consultations").status_code == 200
        auth.logout()


def test_a_stakeholder_sees_which_consultation_published_the_text(auth, client, db_session, users):
    rec = record(db_session, users)
    now = utcnow()
    c = publish(
        db_session,
        users,
        rec,
        title="Consultation on <the> text",
        deadlines={"civil_society": now - timedelta(hours=2)},
    )
    auth.login("industry")
    page = client.get(f"/instruments/{rec.instrument.id}").get_data(as_text=True)
    assert "Published for consultation in" in page
    assert f'<a href="/consultations/{c.id}">Consultation on &lt;the&gt; text</a>' in page
    assert "open until" in page and "for your category" in page
    auth.logout()
    auth.login("civil")  # their category's deadline has passed
    page = client.get(f"/instruments/{rec.instrument.id}").get_data(as_text=True)
    assert "closed on" in page and "comments are no longer accepted" in page
    auth.logout()
    # The drafting side learns that the text is out for comment (issue 15), with the general
    # window rather than a category's.
    auth.login("drafter")
    page = client.get(f"/instruments/{rec.instrument.id}").get_data(as_text=True)
    assert "Published for consultation in" in page and "for your category" not in page
