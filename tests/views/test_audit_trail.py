"""The audit trail page: newest first, a page at a time (paged by id), filtered by instrument."""

from __future__ import annotations

import re

from redline.models import AuditEvent
from redline.services import audit, meetings
from redline.services.audit import TRAIL_PAGE


def _events(db_session, instrument, n: int, label: str) -> None:
    for i in range(n):
        audit.record(db_session, None, f"{label}-{i}", instrument, instrument_id=instrument.id)
    db_session.commit()


def _actions(page: str) -> list[str]:
    return re.findall(r"<td>((?:alpha|beta)-\d+)</td>", page)


def test_the_trail_pages_by_id_and_filters_by_instrument(auth, db_session):
    alpha = meetings.create_instrument(db_session, slug="alpha", title="Alpha", actor=None)
    beta = meetings.create_instrument(db_session, slug="beta", title="Beta", actor=None)
    _events(db_session, alpha, TRAIL_PAGE + 5, "alpha")
    _events(db_session, beta, 3, "beta")
    auth.login("secretariat")

    first = auth.client.get("/audit/").get_data(as_text=True)
    shown = _actions(first)
    assert shown[:3] == ["beta-2", "beta-1", "beta-0"]  # newest first
    assert len(re.findall(r"<tr><td>", first)) == TRAIL_PAGE
    older = re.search(r'href="(/audit/\?[^"]*before=\d+[^"]*)">Older events', first)
    assert older, "a full page links to the older events"

    rest = auth.client.get(older.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "Older events" not in rest
    assert set(_actions(rest)).isdisjoint(shown)  # the next page starts where this one ended

    only_beta = auth.client.get(f"/audit/?instrument={beta.id}").get_data(as_text=True)
    assert _actions(only_beta) == ["beta-2", "beta-1", "beta-0"]
    assert f'<option value="{beta.id}" selected>Beta</option>' in only_beta
    assert "Older events" not in only_beta


def test_the_trail_service_pages_without_gaps(db_session):
    alpha = meetings.create_instrument(db_session, slug="alpha", title="Alpha", actor=None)
    _events(db_session, alpha, TRAIL_PAGE + 1, "alpha")
    total = db_session.query(AuditEvent).count()
    first = audit.trail(db_session)
    assert first.more and len(first.events) == TRAIL_PAGE
    second = audit.trail(db_session, before=first.events[-1].id)
    assert len(first.events) + len(second.events) == total and not second.more
    ids = [e.id for e in first.events + second.events]
    assert ids == sorted(ids, reverse=True)


def test_a_malformed_page_is_bad_input(auth):
    auth.login("secretariat")
    assert auth.client.get("/audit/?before=soon").status_code == 400
