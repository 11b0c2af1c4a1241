"""GET /api/v1/provisions/<pid>/brackets and /api/v1/instruments/<iid>/brackets, exactly as
the second-wave table of API.md writes them."""

from __future__ import annotations

import pytest

from tests.redline_data import Drafting, publish

ART1_M1 = "Parties shall [promptly] notify [the [competent] authority] within [ten days."
ART1_M2 = "Parties shall promptly notify [the [competent] authority] of [any] request[^1]."
ART2 = "[Option A: seven days] [Option B: ten days]"


@pytest.fixture
def negotiation(db_session):
    d = Drafting(db_session, slug="brackets", title="Bracketed Protocol")
    m1 = d.meeting("1st Plenary", "2026-01-10")
    m2 = d.meeting("2nd Plenary", "2026-03-10")
    m3 = d.meeting("3rd Plenary", "2026-05-10")
    d.put(m1, "art1", "Article 1", "Notice", ART1_M1, 1)
    d.put(m1, "art2", "Article 2", "Time", ART2, 2)
    d.carry(m2, "art1", text=ART1_M2)
    d.carry(m2, "art2", text="seven days")
    d.put(m2, "art3", "Article 3", "New", "[Entirely new]", 3)
    d.carry(m3, "art3", text="[Unpublished] wording")
    publish(db_session, m1)
    publish(db_session, m2)
    db_session.commit()
    return d, m1, m2, m3


def test_provision_brackets_as_of_a_meeting(client, token_for, negotiation):
    d, m1, m2, _ = negotiation
    r = client.get(
        f"/api/v1/provisions/{d.pid('art1')}/brackets?meeting={m1.id}",
        headers=token_for("drafter"),
    )
    assert r.status_code == 200
    body = r.get_json()
    assert body["open"] == [
        {"start": 14, "end": 24, "text": "[promptly]"},
        {"start": 32, "end": 59, "text": "[the [competent] authority]"},
        {"start": 37, "end": 48, "text": "[competent]"},
    ]
    for pair in body["open"]:
        assert ART1_M1[pair["start"] : pair["end"]] == pair["text"]
    assert body["unbalanced"] == [{"offset": ART1_M1.index("[ten"), "char": "["}]


def test_provision_brackets_default_and_note_markers(client, token_for, negotiation):
    d, *_ = negotiation
    r = client.get(f"/api/v1/provisions/{d.pid('art1')}/brackets", headers=token_for("drafter"))
    body = r.get_json()
    # The newest version (m2); the note marker [^1] is not a bracket.
    assert [p["text"] for p in body["open"]] == [
        "[the [competent] authority]",
        "[competent]",
        "[any]",
    ]
    assert body["unbalanced"] == []


def test_instrument_report_between_two_meetings(client, token_for, negotiation):
    d, m1, m2, _ = negotiation
    r = client.get(
        f"/api/v1/instruments/{d.instrument.id}/brackets?from={m1.id}&to={m2.id}",
        headers=token_for("drafter"),
    )
    assert r.status_code == 200
    rows = {p["provision_id"]: p for p in r.get_json()["provisions"]}
    assert rows[d.pid("art1")] == {
        "provision_id": d.pid("art1"),
        "opened": 1,  # [any]
        "closed": 1,  # [promptly], kept
        "open": 3,
    }
    assert rows[d.pid("art2")] == {
        "provision_id": d.pid("art2"),
        "opened": 0,
        "closed": 2,
        "open": 0,
    }
    assert rows[d.pid("art3")] == {
        "provision_id": d.pid("art3"),
        "opened": 1,
        "closed": 0,
        "open": 1,
    }


def test_report_defaults_to_latest_two_visible(client, token_for, negotiation):
    d, *_ = negotiation
    iid = d.instrument.id
    drafter = client.get(f"/api/v1/instruments/{iid}/brackets", headers=token_for("drafter"))
    # Drafters: m2 → m3 (art3's pair replaced by another).
    assert {p["provision_id"]: p["opened"] for p in drafter.get_json()["provisions"]} == {
        d.pid("art1"): 0,
        d.pid("art2"): 0,
        d.pid("art3"): 1,
    }
    # A stakeholder sees only published meetings: m1 → m2.
    seen = client.get(f"/api/v1/instruments/{iid}/brackets", headers=token_for("civil"))
    assert seen.status_code == 200
    assert {p["provision_id"]: p["opened"] for p in seen.get_json()["provisions"]} == {
        d.pid("art1"): 1,
        d.pid("art2"): 0,
        d.pid("art3"): 1,
    }


def test_stakeholders_never_see_unpublished_meetings(client, token_for, negotiation):
    d, m1, _, m3 = negotiation
    who = token_for("civil")
    pid, iid = d.pid("art3"), d.instrument.id
    assert (
        client.get(f"/api/v1/provisions/{pid}/brackets?meeting={m3.id}", headers=who).status_code
        == 404
    )
    r = client.get(f"/api/v1/provisions/{pid}/brackets", headers=who)
    assert [p["text"] for p in r.get_json()["open"]] == ["[Entirely new]"]
    assert (
        client.get(
            f"/api/v1/instruments/{iid}/brackets?from={m1.id}&to={m3.id}", headers=who
        ).status_code
        == 404
    )


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/provisions/{pid}/brackets?meeting=x",
        "/api/v1/provisions/{pid}/brackets?meeting=-1",
        "/api/v1/instruments/{iid}/brackets?from=x",
        "/api/v1/instruments/{iid}/brackets?to=99999999999999999999",
    ],
)
def test_bad_input_is_400(client, token_for, negotiation, url):
    d, *_ = negotiation
    r = client.get(url.format(pid=d.pid("art1"), iid=d.instrument.id), headers=token_for("drafter"))
    assert r.status_code == 400


def test_unknown_and_anonymous(client, token_for, negotiation):
    d, m1, *_ = negotiation
    assert (
        client.get("/api/v1/provisions/999999/brackets", headers=token_for("drafter")).status_code
        == 404
    )
    # A meeting of the instrument before the provision existed.
    r = client.get(
        f"/api/v1/provisions/{d.pid('art3')}/brackets?meeting={m1.id}", headers=token_for("drafter")
    )
    assert r.status_code == 404
    assert client.get(f"/api/v1/instruments/{d.instrument.id}/brackets").status_code == 401
