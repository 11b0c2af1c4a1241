"""Consultation pages: the list, publishing (secretariat), the page with its window, the
compilation as a page, CSV and Word."""

from __future__ import annotations

import io
from datetime import timedelta

import sqlalchemy as sa
from docx import Document

from redline.models import Consultation, utcnow
from tests.comment_helpers import comment, publish, record


def test_secretariat_publishes_with_per_category_deadlines(db_session, users, auth):
    rec = record(db_session, users)
    auth.login("secretariat")
    page = auth.client.get(f"/instruments/{rec.instrument.id}/consultations")
    assert 'name="deadline_industry"' in page.get_data(as_text=True)
    r = auth.post(
        f"/instruments/{rec.instrument.id}/consultations",
        dict(
            meeting_id=rec.meeting.id,
            title="Provisional text",
            opens="2026-12-01T09:00",
            closes="2026-12-15T17:00",
            deadline_industry="2026-12-22T17:00",
            comments_visible="1",
        ),
    )
    c = db_session.scalar(sa.select(Consultation))
    assert r.status_code == 302 and r.location.endswith(f"/consultations/{c.id}")
    assert c.comments_visible and c.closes_at_for("industry").day == 22
    html = auth.client.get(f"/consultations/{c.id}").get_data(as_text=True)
    assert "Industry" in html and "2026-12-22 17:00 UTC" in html


def test_bad_input_is_flashed_and_nothing_written(db_session, users, auth):
    rec = record(db_session, users)
    auth.login("secretariat")
    r = auth.post(
        f"/instruments/{rec.instrument.id}/consultations",
        dict(
            meeting_id=rec.meeting.id,
            title="T",
            opens="2026-12-15T17:00",
            closes="2026-12-01T09:00",
        ),
    )
    assert r.status_code == 302
    page = auth.client.get(r.location).get_data(as_text=True)
    assert "must close after it opens" in page
    assert db_session.scalar(sa.select(sa.func.count()).select_from(Consultation)) == 0


def test_stakeholder_page_states_their_window(db_session, users, auth):
    rec = record(db_session, users)
    now = utcnow()
    c = publish(db_session, users, rec, deadlines={"civil_society": now - timedelta(hours=2)})
    comment(db_session, users, rec, "industry")
    auth.login("industry")
    html = auth.client.get(f"/consultations/{c.id}").get_data(as_text=True)
    assert "For your category (Industry):" in html and "open until" in html
    assert f"/provisions/{rec.provision.id}/at/{rec.version.id}" in html
    assert "1 comment" in html and "Compilation" not in html
    auth.logout()
    auth.login("civil")
    html = auth.client.get(f"/consultations/{c.id}").get_data(as_text=True)
    assert "closed on" in html and "comments are no longer accepted" in html
    assert "1 comment" not in html  # comments are not visible to all in this consultation


def test_stakeholders_do_not_see_an_upcoming_consultation(db_session, users, auth):
    rec = record(db_session, users)
    now = utcnow()
    c = publish(
        db_session, users, rec, opens=now + timedelta(days=1), closes=now + timedelta(days=9)
    )
    auth.login("civil")
    assert auth.client.get(f"/consultations/{c.id}").status_code == 404
    assert auth.client.get(f"/instruments/{rec.instrument.id}/consultations").status_code == 404


def test_compilation_page_csv_and_word(db_session, users, auth):
    rec = record(db_session, users)
    c = publish(db_session, users, rec, title="Round <1>")
    users["industry"].organisation = "<b>ISP</b> Association"
    db_session.commit()
    comment(db_session, users, rec, "industry", body="<script>alert(1)</script>")
    auth.login("observer")
    html = auth.client.get(f"/consultations/{c.id}/compilation").get_data(as_text=True)
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;ISP&lt;/b&gt; Association" in html and "Round &lt;1&gt;" in html
    r = auth.client.get(f"/consultations/{c.id}/compilation.csv")
    assert r.mimetype == "text/csv" and 'filename="compilation-' in r.headers["Content-Disposition"]
    assert r.get_data(as_text=True).startswith("\ufeffprovision,category,organisation")
    r = auth.client.get(f"/consultations/{c.id}/compilation.docx")
    doc = Document(io.BytesIO(r.data))
    cells = [cell.text for t in doc.tables for row in t.rows for cell in row.cells]
    assert "<script>alert(1)</script>" in cells
