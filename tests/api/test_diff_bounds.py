"""/api/v1/diff computes only pairs the product offers and caches only pairs the pages show;
a diff past its budget says it is coarse, in the API and on the compare page (issue 12,
fault 5)."""

from __future__ import annotations

from datetime import date

import pytest

import redline.domain.text.redline as engine
from redline.models import RedlineCache
from redline.services import versions
from tests.comment_helpers import edit, next_meeting, record
from tests.conftest import count_rows


@pytest.fixture
def rec(db_session, users):
    return record(db_session, users)


def _diff(client, headers, a, b):
    return client.get(f"/api/v1/diff?from={a.id}&to={b.id}", headers=headers)


def test_versions_of_two_provisions_are_refused(db_session, users, client, token_for, rec):
    other = versions.add_provision(
        db_session,
        rec.instrument,
        after_provision_id=rec.provision.id,
        number="Article 7",
        heading="Other",
        text="Another text.",
        kind="article",
        author=users["drafter"],
        max_chars=200_000,
    )
    db_session.commit()
    r = _diff(client, token_for("drafter"), rec.version, other)
    assert r.status_code == 400
    assert "same provision" in r.get_json()["message"]
    assert count_rows(RedlineCache) == 0


def test_only_consecutive_versions_and_meeting_heads_are_cached(
    db_session, users, client, token_for, rec
):
    v1 = rec.version
    v2 = edit(db_session, users, rec, v1.text + " Second.")
    v3 = edit(db_session, users, rec, v2.text + " Third.")
    headers = token_for("drafter")
    # v1 and v3: neither consecutive nor both meeting heads (v1 is not the last at its meeting).
    r = _diff(client, headers, v1, v3)
    assert r.status_code == 200 and r.get_json()["coarse"] is False
    assert count_rows(RedlineCache) == 0
    for _ in range(3):  # asking again computes again, and still stores nothing
        assert _diff(client, headers, v3, v1).status_code == 200
    assert count_rows(RedlineCache) == 0
    assert _diff(client, headers, v2, v3).status_code == 200  # consecutive
    assert count_rows(RedlineCache) == 1
    # Heads of two meetings are cached too (the compare page shows them).
    m2 = next_meeting(db_session, users, rec, "2nd Plenary", date(2026, 3, 1))
    db_session.commit()
    edit(db_session, users, rec, "A new text altogether.")
    v5 = edit(db_session, users, rec, "A newer text altogether.")
    assert v5.meeting_id == m2.id != v3.meeting_id and v5.parent_id != v3.id
    assert _diff(client, headers, v1, v5).status_code == 200  # v1 is not a head: not stored
    assert count_rows(RedlineCache) == 1
    assert _diff(client, headers, v3, v5).status_code == 200  # the heads of two meetings
    assert count_rows(RedlineCache) == 2


def _always_coarse(monkeypatch):
    def coarse(old, new, **kw):
        return engine.coarse_redline(old, new)

    monkeypatch.setattr(engine, "redline", coarse)


def test_a_coarse_redline_says_so_in_the_api_and_survives_the_cache(
    db_session, users, client, token_for, rec, monkeypatch
):
    v2 = edit(db_session, users, rec, rec.version.text + " More words. And more.")
    _always_coarse(monkeypatch)
    headers = token_for("observer")
    first = _diff(client, headers, rec.version, v2).get_json()
    assert first["coarse"] is True
    assert count_rows(RedlineCache) == 1
    monkeypatch.undo()  # now read from the cache row, which remembers it is coarse
    again = _diff(client, headers, rec.version, v2).get_json()
    assert again == first
    ops = again["ops"]
    assert "".join(t for k, t in ops if k != "insert") == rec.version.text
    assert "".join(t for k, t in ops if k != "delete") == v2.text


def test_the_compare_page_says_a_redline_is_coarse(db_session, users, auth, rec, monkeypatch):
    m2 = next_meeting(db_session, users, rec, "2nd Plenary", date(2026, 3, 1))
    db_session.commit()
    edit(db_session, users, rec, "Entirely new words. Nothing kept.")
    _always_coarse(monkeypatch)
    auth.login("drafter")
    r = auth.client.get(
        f"/provisions/{rec.provision.id}/compare",
        query_string={"from_meeting": rec.meeting.id, "to_meeting": m2.id},
    )
    assert r.status_code == 200
    assert "too large to show word by word" in r.get_data(as_text=True)
    api = auth.client.get(
        f"/api/v1/instruments/{rec.instrument.id}/compare",
        query_string={"from": rec.meeting.id, "to": m2.id},
    ).get_json()
    assert [p["coarse"] for p in api["provisions"]] == [True]


def test_the_provision_compare_page_caches_only_what_it_leads_to(db_session, users, auth, rec):
    v1 = rec.version
    v2 = edit(db_session, users, rec, v1.text + " Second.")
    v3 = edit(db_session, users, rec, v2.text + " Third.")
    auth.login("observer")
    url = f"/provisions/{rec.provision.id}/compare"
    for a, b in ((v1, v3), (v3, v1), (v1, v3)):  # any two versions: shown, not stored
        assert auth.client.get(url, query_string={"from": a.id, "to": b.id}).status_code == 200
    assert count_rows(RedlineCache) == 0
    assert auth.client.get(url, query_string={"from": v2.id, "to": v3.id}).status_code == 200
    assert count_rows(RedlineCache) == 1
