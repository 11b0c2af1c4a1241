"""The first hour of each person (issue 15): honest counts, no raw internals for readers, a
next step after publishing, empty states that say what to do, first steps per role."""

from __future__ import annotations

import pytest

from redline.services import meetings
from tests.comment_helpers import comment, publish, record, reply


def test_the_margin_counts_threads_and_replies(db_session, users, auth):
    rec = record(db_session, users)
    publish(db_session, users, rec)
    root = comment(db_session, users, rec, "civil")
    reply(db_session, users, rec, "drafter", root)
    auth.login("drafter")
    html = auth.htmx_get(f"/provisions/{rec.provision.id}/comments").get_data(as_text=True)
    assert '<span class="count">(1 thread, 1 reply)</span>' in html
    comment(db_session, users, rec, "industry", passage="territory")
    html = auth.htmx_get(f"/provisions/{rec.provision.id}/comments").get_data(as_text=True)
    assert '<span class="count">(2 threads, 1 reply)</span>' in html


def test_the_meeting_source_is_for_the_secretariat(db_session, users, auth):
    rec = record(db_session, users)
    rec.meeting.source = "drafts/plenary-1.docx@3f9c2a1"
    db_session.commit()
    publish(db_session, users, rec)
    for who, shown in (("secretariat", True), ("drafter", False), ("civil", False)):
        auth.logout()
        auth.login(who)
        for url in (
            f"/instruments/{rec.instrument.id}",
            f"/instruments/{rec.instrument.id}/meetings",
        ):
            html = auth.client.get(url).get_data(as_text=True)
            assert ("3f9c2a1" in html) is shown, (who, url)


def test_after_publishing_drafters_learn_the_next_step(db_session, users, auth):
    rec = record(db_session, users)
    publish(db_session, users, rec)  # closes the 1st Plenary
    auth.login("drafter")
    html = auth.client.get(f"/instruments/{rec.instrument.id}").get_data(as_text=True)
    assert "published for consultation" in html and "Next step:" in html
    assert "the secretariat opens the next meeting" in html
    auth.logout()
    auth.login("secretariat")
    html = auth.client.get(f"/instruments/{rec.instrument.id}").get_data(as_text=True)
    assert "open the next meeting</a>" in html and "#new-meeting" in html


def test_an_instrument_without_a_meeting_says_what_to_do(db_session, users, auth):
    instrument = meetings.create_instrument(
        db_session, slug="empty", title="Empty Protocol", actor=users["secretariat"]
    )
    db_session.commit()
    auth.login("secretariat")
    html = auth.client.get(f"/instruments/{instrument.id}").get_data(as_text=True)
    assert "No text yet" in html and "create a meeting</a>" in html and "import a draft</a>" in html
    auth.logout()
    auth.login("drafter")
    html = auth.client.get(f"/instruments/{instrument.id}").get_data(as_text=True)
    assert "has not opened a meeting" in html


def test_the_text_and_its_passages_are_named(db_session, users, auth):
    rec = record(db_session, users)
    publish(db_session, users, rec)
    c = comment(db_session, users, rec, "civil")
    auth.login("civil")
    html = auth.htmx_get(f"/provisions/{rec.provision.id}/comments").get_data(as_text=True)
    assert 'role="group" aria-label="Text of Article 6 – Direct disclosure"' in html
    assert f'aria-describedby="comment-{c.id}"' in html and f'id="comment-{c.id}"' in html


def test_history_links_say_what_they_compare(db_session, users, auth):
    from tests.comment_helpers import edit

    rec = record(db_session, users)
    edit(db_session, users, rec, rec.version.text + " Added.")
    auth.login("drafter")
    html = auth.client.get(f"/provisions/{rec.provision.id}").get_data(as_text=True)
    assert ">compare</a>" not in html
    assert 'What changed<span class="sr-only"> in 1st Plenary, version 2</span>' in html
    assert "Compare with the current text" in html and "1st Plenary, version 1" in html


@pytest.mark.parametrize(
    ("who", "title"),
    [
        ("secretariat", "Secretariat (you)"),
        ("drafter", "Drafter (you)"),
        ("civil", "Stakeholder (you)"),
        ("observer", "Observer (you)"),
    ],
)
def test_first_steps_per_role_from_the_header(db_session, users, auth, who, title):
    auth.login(who)
    page = auth.client.get("/instruments").get_data(as_text=True)
    assert '<a href="/help">First steps</a>' in page
    html = auth.client.get("/help").get_data(as_text=True)
    assert html.index(title) < html.index("<h2", html.index("<h1") + 1) + 200
    assert html.count(" (you)</h2>") == 1


def test_first_steps_need_signing_in(client):
    assert client.get("/help").status_code == 302


def test_comment_where_you_read(db_session, users, auth):
    rec = record(db_session, users)
    publish(db_session, users, rec)
    auth.login("civil")
    html = auth.client.get(f"/instruments/{rec.instrument.id}").get_data(as_text=True)
    url = f"/provisions/{rec.provision.id}/comments/form?version={rec.version.id}"
    assert f'data-comment-form="{url}"' in html and "select-help-page" in html
    assert "js/selection.js" in html
    form = auth.htmx_get(url).get_data(as_text=True)
    assert f'id="comment-form-{rec.provision.id}"' in form and "csrf_token" in form
    auth.logout()
    auth.login("observer")  # reads, never writes: no form offered, the route refuses
    html = auth.client.get(f"/instruments/{rec.instrument.id}").get_data(as_text=True)
    assert "data-comment-form" not in html
    assert auth.htmx_get(url).status_code == 403


def test_the_form_here_says_why_not_when_the_window_closed(db_session, users, auth):
    from datetime import timedelta

    from redline.models import utcnow

    rec = record(db_session, users)
    publish(db_session, users, rec, deadlines={"civil_society": utcnow() - timedelta(hours=1)})
    auth.login("civil")
    url = f"/provisions/{rec.provision.id}/comments/form?version={rec.version.id}"
    html = auth.htmx_get(url).get_data(as_text=True)
    assert "comment-form-" not in html and "You cannot comment on this text now" in html
    assert "comments are no longer accepted" in html
