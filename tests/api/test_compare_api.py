"""GET /api/v1/diff and /api/v1/instruments/<iid>/compare: shape, the rules API.md promises on
every op list, and 400/401/404 answers."""

from __future__ import annotations

import re

import pytest

from redline.models import Version
from tests.redline_data import GPL_HISTORY, Drafting, import_history, publish, synthetic

WORD = re.compile(r"\w")


def check_ops(ops: list, old: str, new: str) -> None:
    """API.md: equal+delete joined is the old text, equal+insert the new; no op boundary falls
    inside a word on either side."""
    assert all(kind in ("equal", "insert", "delete") and text for kind, text in ops)
    assert "".join(t for k, t in ops if k != "insert") == old
    assert "".join(t for k, t in ops if k != "delete") == new
    for side in ("delete", "insert"):
        pieces = [t for k, t in ops if k in ("equal", side)]
        for left, right in zip(pieces, pieces[1:], strict=False):
            assert not (WORD.match(left[-1]) and WORD.match(right[0])), (left[-20:], right[:20])


@pytest.fixture
def drafting(db_session):
    d, m1, m2 = synthetic(db_session)
    db_session.commit()
    return d, m1, m2


def test_diff_between_two_versions(client, token_for, drafting):
    d, _, _ = drafting
    art2 = d.heads["art2"]
    r = client.get(f"/api/v1/diff?from={art2.parent_id}&to={art2.id}", headers=token_for("drafter"))
    assert r.status_code == 200
    body = r.get_json()
    assert body["ops"] == [
        ["equal", "Each Party shall apply these measures to "],
        ["delete", "cyber-crime"],
        ["insert", "cybercrime and its proceeds"],
        ["equal", "."],
    ]
    assert body["stats"] == {"inserted_words": 4, "deleted_words": 2}
    # Backwards is the mirror image.
    back = client.get(
        f"/api/v1/diff?from={art2.id}&to={art2.parent_id}", headers=token_for("observer")
    ).get_json()
    assert back["ops"][1:3] == [
        ["delete", "cybercrime and its proceeds"],
        ["insert", "cyber-crime"],
    ]


def test_compare_two_meetings(client, token_for, drafting):
    d, m1, m2 = drafting
    r = client.get(
        f"/api/v1/instruments/{d.instrument.id}/compare?from={m1.id}&to={m2.id}",
        headers=token_for("drafter"),
    )
    assert r.status_code == 200
    items = {p["provision_id"]: p for p in r.get_json()["provisions"]}
    art4, art5 = items[d.pid("art4")], items[d.pid("art5")]
    assert (art4["status"], art4["from_number"], art4["to_number"]) == (
        "changed",
        "Article 4",
        "Article 3",
    )
    assert art4["ops"] == [["equal", "Requests shall be made in English."]]
    assert art5["moved"] is True and art5["status"] == "changed"
    assert (
        items[d.pid("art3")]["status"] == "removed"
        and items[d.pid("art3")]["to_version_id"] is None
    )
    assert items[d.pid("art6")]["status"] == "added" and items[d.pid("art6")]["from_number"] is None
    assert items[d.pid("art1")]["status"] == "unchanged"
    assert items[d.pid("art7")]["from_heading"] == "Disclosure"
    assert set(art4) >= {
        "provision_id",
        "status",
        "from_version_id",
        "to_version_id",
        "from_number",
        "to_number",
        "ops",
    }


def test_gplv3_history_every_consecutive_pair(client, token_for, db_session):
    """Discussion Draft 1 → 2 → 3 → Last Call → final: every op list rebuilds both texts and
    never splits a word, in the whole-instrument compare and in /diff."""
    instrument, meetings = import_history(db_session, "gplv3", "GNU GPL version 3", GPL_HISTORY)
    db_session.commit()
    headers = token_for("drafter")
    checked = 0
    for before, after in zip(meetings, meetings[1:], strict=False):
        url = f"/api/v1/instruments/{instrument.id}/compare?from={before.id}&to={after.id}"
        provisions = client.get(url, headers=headers).get_json()["provisions"]
        assert any(p["status"] == "changed" for p in provisions)
        for p in provisions:
            old = db_session.get(Version, p["from_version_id"]).text if p["from_version_id"] else ""
            new = db_session.get(Version, p["to_version_id"]).text if p["to_version_id"] else ""
            check_ops(p["ops"], old, new)
            if p["status"] == "changed" and old != new:
                diff = client.get(
                    f"/api/v1/diff?from={p['from_version_id']}&to={p['to_version_id']}",
                    headers=headers,
                ).get_json()
                assert diff["ops"] == p["ops"]
                check_ops(diff["ops"], old, new)
                checked += 1
    assert checked > 40  # most sections change at every step of the GPLv3 process


def test_without_a_token_the_answer_is_401(client, drafting):
    d, m1, m2 = drafting
    for url in ("/api/v1/diff?from=1&to=2", f"/api/v1/instruments/{d.instrument.id}/compare"):
        r = client.get(url)
        assert r.status_code == 401 and r.get_json()["error"] == "unauthorized"


@pytest.mark.parametrize(
    "query", ["", "from=1", "to=1", "from=abc&to=1", "from=1&to=-2", "from=1.0&to=2", "from=&to=3"]
)
def test_bad_diff_parameters_are_400(client, token_for, drafting, query):
    r = client.get(f"/api/v1/diff?{query}", headers=token_for("drafter"))
    assert r.status_code == 400 and r.get_json()["error"] == "bad_request"


@pytest.mark.parametrize("query", ["from=x", "to=1e3", "from=1&to=%20"])
def test_bad_compare_parameters_are_400(client, token_for, drafting, query):
    d, _, _ = drafting
    r = client.get(
        f"/api/v1/instruments/{d.instrument.id}/compare?{query}", headers=token_for("drafter")
    )
    assert r.status_code == 400 and r.get_json()["error"] == "bad_request"


def test_invisible_or_unknown_things_are_404(client, token_for, drafting, db_session):
    d, m1, m2 = drafting
    publish(db_session, m2)
    other = Drafting(db_session, slug="other")
    elsewhere = other.meeting("Elsewhere", "2020-01-01")
    db_session.commit()
    drafter, civil = token_for("drafter"), token_for("civil")
    art2 = d.heads["art2"]
    iid = d.instrument.id
    assert client.get("/api/v1/diff?from=999999&to=1", headers=drafter).status_code == 404
    assert client.get("/api/v1/instruments/999999/compare", headers=drafter).status_code == 404
    r = client.get(f"/api/v1/instruments/{iid}/compare?from={elsewhere.id}", headers=drafter)
    assert r.status_code == 404
    # A stakeholder reads the published meeting only: the older version is not theirs to see.
    r = client.get(f"/api/v1/diff?from={art2.parent_id}&to={art2.id}", headers=civil)
    assert r.status_code == 404 and r.get_json()["error"] == "not_found"
    r = client.get(f"/api/v1/instruments/{iid}/compare?from={m1.id}&to={m2.id}", headers=civil)
    assert r.status_code == 404
    ok = client.get(f"/api/v1/instruments/{iid}/compare", headers=civil)
    assert ok.status_code == 200 and ok.get_json()["from_meeting_id"] == m2.id
    assert {p["status"] for p in ok.get_json()["provisions"]} == {"unchanged"}
