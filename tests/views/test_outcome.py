"""Publishing the outcome of a consultation (issue 15): before it, stakeholders see their
comments "under consideration" and no compilation; after it, each sees the disposition and reason
on their comments (page, margin, API) and everyone in the consultation reads the compilation."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from redline.models import AuditEvent, Consultation, utcnow
from redline.services import comments
from tests.comment_helpers import comment, publish, record

REASON = "Article 6 now names the competent authorities"


def _consulted(db_session, users):
    rec = record(db_session, users)
    c = publish(db_session, users, rec)
    mine = comment(db_session, users, rec, "civil", body="Name the authorities.")
    other = comment(db_session, users, rec, "industry", passage="territory", body="Which one?")
    comments.record_disposition(db_session, users["drafter"], mine, "taken_into_account", REASON)
    db_session.commit()
    return rec, c, mine, other


def _close(db_session, c: Consultation) -> None:
    c.closes_at = utcnow() - timedelta(minutes=1)
    db_session.commit()


def _reads(auth, who: str, rec, c, token_for) -> dict[str, object]:
    auth.logout()
    auth.login(who)
    pid = rec.provision.id
    page = auth.client.get(f"/provisions/{pid}").get_data(as_text=True)
    page += auth.client.get(f"/provisions/{pid}/comments").get_data(as_text=True)
    api = auth.client.get(f"/api/v1/provisions/{pid}/comments", headers=token_for(who)).json
    return dict(
        page=page,
        api={x["body"]: x for x in api["items"]},
        compilation=auth.client.get(f"/consultations/{c.id}/compilation"),
        csv=auth.client.get(f"/consultations/{c.id}/compilation.csv"),
        show=auth.client.get(f"/consultations/{c.id}").get_data(as_text=True),
    )


def test_before_the_outcome_stakeholders_see_under_consideration(
    db_session, users, auth, token_for
):
    rec, c, mine, _ = _consulted(db_session, users)
    seen = _reads(auth, "civil", rec, c, token_for)
    assert "under consideration" in seen["page"]
    assert ">resolved<" not in seen["page"] and REASON not in seen["page"]
    assert seen["api"]["Name the authorities."]["disposition"] is None
    assert seen["compilation"].status_code == seen["csv"].status_code == 404
    assert "under consideration" in seen["show"]
    # The drafting side sees the decision as it is.
    drafter = _reads(auth, "drafter", rec, c, token_for)
    assert REASON in drafter["page"] and ">resolved<" in drafter["page"]


def test_the_outcome_waits_for_every_window_to_close(db_session, users, auth):
    rec, c, _, _ = _consulted(db_session, users)
    auth.login("secretariat")
    html = auth.client.get(f"/consultations/{c.id}").get_data(as_text=True)
    assert "Publish the outcome" not in html and "once the consultation has closed" in html
    r = auth.post(f"/consultations/{c.id}/outcome")
    assert r.status_code == 302
    assert "closed for every category" in auth.client.get(r.location).get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(Consultation, c.id).outcome_published_at is None


def test_only_the_secretariat_publishes(db_session, users, auth):
    rec, c, _, _ = _consulted(db_session, users)
    _close(db_session, c)
    for who in ("drafter", "observer", "civil"):
        auth.logout()
        auth.login(who)
        assert auth.post(f"/consultations/{c.id}/outcome").status_code == 403
    auth.logout()
    auth.login("secretariat")
    r = auth.client.post(f"/consultations/{c.id}/outcome", data={})  # no CSRF token
    assert r.status_code == 400
    db_session.expire_all()
    assert db_session.get(Consultation, c.id).outcome_published_at is None


def test_after_the_outcome_everyone_in_it_reads_the_dispositions(
    db_session, users, auth, token_for
):
    rec, c, mine, other = _consulted(db_session, users)
    _close(db_session, c)
    auth.login("secretariat")
    assert "Publish the outcome" in auth.client.get(f"/consultations/{c.id}").get_data(as_text=True)
    r = auth.post(f"/consultations/{c.id}/outcome")
    assert r.status_code == 302 and r.location.endswith(f"/consultations/{c.id}/compilation")
    event = db_session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "consultation.publish_outcome")
    )
    assert event is not None and event.object_id == c.id
    again = auth.post(f"/consultations/{c.id}/outcome")
    assert "already published" in auth.client.get(again.location).get_data(as_text=True)

    seen = _reads(auth, "civil", rec, c, token_for)
    assert "Taken into account" in seen["page"] and REASON in seen["page"]
    assert "under consideration" not in seen["page"]
    out = seen["api"]["Name the authorities."]
    assert out["disposition"] == "taken_into_account" and out["disposition_reason"] == REASON
    html = seen["compilation"].get_data(as_text=True)
    assert seen["compilation"].status_code == 200
    assert "Outcome of the consultation" in html and REASON in html
    # The industry comment, unseen by civil society during the consultation, is in the
    # published compilation, with its pending disposition said plainly.
    assert "Which one?" in html and "No disposition recorded" in html
    assert REASON in seen["csv"].get_data(as_text=True)
    assert "read the outcome of the consultation" in seen["show"]
    # Internal comments of the drafting group are never part of it.
    comment(db_session, users, rec, "drafter", passage="territory", body="INTERNAL-ONLY")
    auth.logout()
    auth.login("dpa")
    html = auth.client.get(f"/consultations/{c.id}/compilation").get_data(as_text=True)
    assert "INTERNAL-ONLY" not in html and REASON in html
