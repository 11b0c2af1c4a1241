"""The comments API as API.md writes it: create (201, 400, 403, 404, 413) and list placed on
the asked version; every error is JSON, never a 500."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from redline.models import utcnow
from tests.comment_helpers import comment, edit, next_meeting, publish, record, reply


@pytest.fixture
def rec(db_session, users):
    return record(db_session, users)


@pytest.fixture
def consultation(db_session, users, rec):
    return publish(db_session, users, rec)


def url(rec):
    return f"/api/v1/provisions/{rec.provision.id}/comments"


def body_for(rec, passage="competent authorities", **extra):
    start = rec.version.text.index(passage)
    return dict(
        version_id=rec.version.id,
        start=start,
        end=start + len(passage),
        exact=passage,
        body="Please clarify.",
        **extra,
    )


def test_create_answers_201_with_the_comment(client, token_for, rec, consultation):
    r = client.post(url(rec), json=body_for(rec), headers=token_for("civil"))
    assert r.status_code == 201
    got = r.get_json()
    assert got["id"] and got["parent_id"] is None and got["version_id"] == rec.version.id
    assert (got["visibility"], got["consultation_id"]) == ("consultation", consultation.id)
    assert got["organisation"] == "Civil Liberties <Union>" and got["category"] == "civil_society"
    assert got["anchor"]["status"] == "anchored"
    a = got["anchor"]
    assert rec.version.text[a["start"] : a["end"]] == a["exact"] == "competent authorities"


def test_offsets_are_code_points(db_session, users, client, token_for):
    rec = record(db_session, users, text="Emoji 😀 first, then the Party shall act.")
    start = rec.version.text.index("the Party")
    assert start == len("Emoji 😀 first, then ")  # 😀 is one code point (two in UTF-16)
    r = client.post(
        url(rec),
        json=dict(
            version_id=rec.version.id, start=start, end=start + 9, exact="the Party", body="x"
        ),
        headers=token_for("drafter"),
    )
    assert r.status_code == 201
    r = client.post(
        url(rec),
        json=dict(
            version_id=rec.version.id, start=start + 1, end=start + 10, exact="the Party", body="x"
        ),
        headers=token_for("drafter"),
    )
    assert r.status_code == 400  # UTF-16 offsets would be one further: refused, not guessed


@pytest.mark.parametrize(
    ("change", "status", "fragment"),
    [
        (dict(exact="competent authority"), 400, "does not match"),
        (dict(start=-1), 400, "before the beginning"),
        (dict(end=10**6), 400, "after the end"),
        (dict(start="3"), 400, "wrong type"),
        (dict(start=True), 400, "wrong type"),
        (dict(start=1.5), 400, "wrong type"),
        (dict(version_id=None), 400, "'version_id' is required"),
        (dict(exact=None), 400, "'exact' is required"),
        (dict(body=None), 400, "'body' is required"),
        (dict(body=""), 400, "empty"),
        (dict(body="bell\x07"), 400, "control character"),
        (dict(body="nul\x00"), 400, "NUL"),
        (dict(body="x" * 10_001), 413, "limit is 10,000"),
        (dict(version_id=999_999), 404, "No such version"),
        (dict(parent_id=999_999), 404, "No such comment"),
        (dict(consultation_id=999_999), 400, "did not publish"),
        (dict(consultation_id="1"), 400, "wrong type"),
    ],
)
def test_bad_input_is_a_clear_json_error(
    client, token_for, rec, consultation, change, status, fragment
):
    data = body_for(rec)
    data.update(change)
    data = {k: v for k, v in data.items() if v is not None}
    r = client.post(url(rec), json=data, headers=token_for("drafter"))
    assert r.status_code == status, r.get_json()
    assert set(r.get_json()) >= {"error", "message"} and fragment in r.get_json()["message"]


@pytest.mark.parametrize("raw", [b"not json", b"[1, 2]", b"null", b'"text"', b"{"])
def test_a_body_that_is_not_a_json_object_is_a_400(client, token_for, rec, raw):
    r = client.post(
        url(rec), data=raw, content_type="application/json", headers=token_for("drafter")
    )
    assert r.status_code == 400 and r.get_json()["error"] == "bad_request"


def test_a_version_of_another_provision_is_refused(db_session, users, client, token_for, rec):
    other = record(db_session, users, slug="other")
    data = body_for(rec)
    data["version_id"] = other.version.id
    r = client.post(url(rec), json=data, headers=token_for("drafter"))
    assert r.status_code == 400


def test_without_a_token_401(client, rec):
    assert client.post(url(rec), json=body_for(rec)).status_code == 401
    assert client.get(url(rec)).status_code == 401
    assert client.get(url(rec)).get_json()["error"] == "unauthorized"


def test_observers_get_403(client, token_for, rec, consultation):
    r = client.post(url(rec), json=body_for(rec), headers=token_for("observer"))
    assert r.status_code == 403 and r.get_json()["error"] == "forbidden"


@pytest.mark.parametrize("when", ["closed", "closed_for_category"])
def test_outside_the_window_403(db_session, users, client, token_for, rec, when):
    now = utcnow()
    if when == "closed":
        publish(db_session, users, rec, opens=now - timedelta(days=9), closes=now - timedelta(1))
    else:  # open in general, but civil society's own deadline has passed
        publish(db_session, users, rec, deadlines={"civil_society": now - timedelta(hours=1)})
    r = client.post(url(rec), json=body_for(rec), headers=token_for("civil"))
    assert r.status_code == 403 and "no longer accepted" in r.get_json()["message"]
    if when == "closed_for_category":
        assert (
            client.post(url(rec), json=body_for(rec), headers=token_for("industry")).status_code
            == 201
        )


def test_stakeholders_cannot_see_unpublished_text(db_session, users, client, token_for, rec):
    r = client.post(url(rec), json=body_for(rec), headers=token_for("civil"))
    assert r.status_code == 404  # nothing published: the provision does not exist for them
    assert client.get(url(rec), headers=token_for("civil")).status_code == 404


def test_replies_inherit_the_thread_and_ignore_anchor_fields(
    db_session, users, client, token_for, rec, consultation
):
    root = comment(db_session, users, rec, "civil")
    r = client.post(
        url(rec),
        json=dict(parent_id=root.id, body="We agree.", start=5, end=2, exact="ignored"),
        headers=token_for("drafter"),
    )
    assert r.status_code == 201
    got = r.get_json()
    assert (got["parent_id"], got["version_id"], got["consultation_id"]) == (
        root.id,
        root.version_id,
        consultation.id,
    )
    assert got["anchor"]["exact"] == "competent authorities"
    r = client.post(
        url(rec),
        json=dict(parent_id=root.id, body="Internal.", internal=True),
        headers=token_for("drafter"),
    )
    assert r.get_json()["visibility"] == "internal"


def test_list_places_comments_on_the_asked_version(db_session, users, client, token_for, rec):
    kept = comment(db_session, users, rec, "drafter", passage="competent authorities")
    touched = comment(db_session, users, rec, "drafter", passage="issue an order")
    gone = comment(db_session, users, rec, "drafter", passage="in the territory of another Party")
    answer = reply(db_session, users, rec, "drafter2", kept)
    next_meeting(db_session, users, rec, "2nd Plenary", date(2026, 3, 1))
    v2 = edit(
        db_session,
        users,
        rec,
        ("Preliminary words. " + rec.version.text)
        .replace("issue an order", "issue a binding order")
        .replace(" in the territory of another Party,", ""),
    )
    headers = token_for("observer")
    default = client.get(url(rec), headers=headers).get_json()
    assert default["version_id"] == v2.id
    items = {i["id"]: i for i in default["items"]}
    assert list(items) == sorted(items)
    assert set(items) == {kept.id, touched.id, gone.id, answer.id}
    a = items[kept.id]["anchor"]
    assert a["status"] == "anchored" and v2.text[a["start"] : a["end"]] == kept.exact == a["exact"]
    assert items[touched.id]["anchor"]["status"] == "changed"
    assert items[touched.id]["anchor"]["quote"] == "issue an order"
    g = items[gone.id]["anchor"]
    assert (g["status"], g["start"], g["end"], g["exact"]) == ("orphaned", None, None, None)
    assert items[answer.id]["parent_id"] == kept.id
    assert items[answer.id]["anchor"] == items[kept.id]["anchor"]  # replies sit with the thread
    old = client.get(url(rec), query_string={"version": rec.version.id}, headers=headers)
    for item in old.get_json()["items"]:
        a = item["anchor"]
        assert a["status"] == "anchored" and rec.version.text[a["start"] : a["end"]] == a["quote"]


@pytest.mark.parametrize(("query", "status"), [("abc", 400), ("-1", 400), ("999999", 404)])
def test_list_with_a_bad_version(client, token_for, rec, query, status):
    r = client.get(url(rec), query_string={"version": query}, headers=token_for("drafter"))
    assert r.status_code == status and "error" in r.get_json()


def test_list_a_version_of_another_provision_404(db_session, users, client, token_for, rec):
    other = record(db_session, users, slug="other")
    r = client.get(
        url(rec), query_string={"version": other.version.id}, headers=token_for("drafter")
    )
    assert r.status_code == 404


def test_stakeholders_list_only_what_they_may_see(
    db_session, users, client, token_for, rec, consultation
):
    mine = comment(db_session, users, rec, "civil")
    theirs = comment(db_session, users, rec, "dpa", passage="service provider")
    internal = comment(db_session, users, rec, "drafter", passage="Each Party")
    from redline.services import comments

    comments.record_disposition(db_session, users["drafter"], mine, "noted", "Thanks.")
    comments.withdraw_comment(db_session, users["dpa"], theirs)
    db_session.commit()
    got = client.get(url(rec), headers=token_for("civil")).get_json()["items"]
    assert [i["id"] for i in got] == [mine.id]
    assert got[0]["disposition"] is None and got[0]["status"] == "resolved"
    staff = {
        i["id"]: i for i in client.get(url(rec), headers=token_for("drafter")).get_json()["items"]
    }
    assert set(staff) == {mine.id, theirs.id, internal.id}
    assert staff[mine.id]["disposition"] == "noted"
    assert staff[theirs.id]["withdrawn"] is True and staff[theirs.id]["body"] == "Please clarify."
    got = client.get(url(rec), headers=token_for("dpa")).get_json()["items"]
    assert got[0]["withdrawn"] is True and got[0]["body"] == ""


# Every role against both endpoints (the HTML pages have their own matrix).
ROLE_CASES = [
    ("secretariat", 201, 201, 200),
    ("drafter", 201, 201, 200),
    ("observer", 403, 403, 200),
    ("civil", 201, 404, 200),
    ("dpa", 201, 404, 200),
    ("industry", 201, 404, 200),
]


@pytest.mark.parametrize(("who", "create", "reply_internal", "listing"), ROLE_CASES)
def test_every_role(
    db_session, users, client, token_for, rec, consultation, who, create, reply_internal, listing
):
    internal = comment(db_session, users, rec, "drafter", passage="Each Party")
    headers = token_for(who)
    assert client.post(url(rec), json=body_for(rec), headers=headers).status_code == create
    r = client.post(url(rec), json=dict(parent_id=internal.id, body="Re."), headers=headers)
    assert r.status_code == reply_internal
    r = client.get(url(rec), headers=headers)
    assert r.status_code == listing
    ids = {i["id"] for i in r.get_json()["items"]}
    assert (internal.id in ids) is (who in ("secretariat", "drafter", "observer"))
