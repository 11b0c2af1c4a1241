"""API v1 reads and version saves, exactly as API.md writes them."""

from __future__ import annotations

import pytest

from redline.services import texts
from tests.factories import two_meetings


@pytest.fixture
def protocol(db_session, users):
    return two_meetings(db_session)


def test_token_from_credentials_then_bearer_works(client, users):
    r = client.post(
        "/api/v1/auth/token",
        json={"email": "drafter@example.org", "password": "correct horse battery"},
    )
    assert r.status_code == 201
    token = r.json["token"]
    r = client.get("/api/v1/instruments", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200 and r.json == {"items": []}


@pytest.mark.parametrize("body", [{"email": "drafter@example.org", "password": "nope"}, {}, []])
def test_token_refused_for_bad_credentials_or_body(client, users, body):
    r = client.post("/api/v1/auth/token", json=body)
    assert r.status_code in (400, 401)
    assert set(r.json) == {"error", "message"}


@pytest.mark.parametrize("header", [None, "Bearer wrong", "Basic abc", "Bearer "])
def test_no_or_bad_token_is_401_json(client, users, header):
    headers = {"Authorization": header} if header else {}
    r = client.get("/api/v1/instruments", headers=headers)
    assert r.status_code == 401 and r.json["error"] == "unauthorized"


def test_instrument_list_and_detail(client, token_for, protocol):
    instrument, first, second = protocol
    h = token_for("observer")
    assert client.get("/api/v1/instruments", headers=h).json["items"] == [
        {"id": instrument.id, "slug": "protocol", "title": "Test Protocol"}
    ]
    d = client.get(f"/api/v1/instruments/{instrument.id}", headers=h).json
    assert [m["title"] for m in d["meetings"]] == ["1st Plenary", "2nd Plenary"]
    assert d["meetings"][0] == {
        "id": first.id,
        "title": "1st Plenary",
        "kind": "plenary",
        "date": "2019-01-10",
        "end_date": None,
        "status": "closed",
    }
    assert [p["number"] for p in d["provisions"]] == [
        "",
        "Article 1",
        "Article 2",
        "Article 3",
        "Article 4",
    ]
    assert set(d["provisions"][0]) >= {"id", "number", "heading"}


def test_text_as_of_a_meeting_in_document_order(client, token_for, protocol):
    instrument, first, second = protocol
    h = token_for("drafter")
    t = client.get(f"/api/v1/instruments/{instrument.id}/text?meeting={first.id}", headers=h).json
    assert t["meeting_id"] == first.id
    assert [p["heading"] for p in t["provisions"]] == [
        "Preamble",
        "Purpose",
        "Scope",
        "Definitions",
    ]
    assert set(t["provisions"][0]) == {
        "id",
        "number",
        "heading",
        "kind",
        "version_id",
        "text",
        "notes",
        "direction",
    }
    assert t["provisions"][0]["notes"] == [] and t["provisions"][0]["direction"] == "ltr"
    latest = client.get(f"/api/v1/instruments/{instrument.id}/text", headers=h).json
    assert latest["meeting_id"] == second.id


def test_versions_oldest_first(client, token_for, protocol, db_session):
    instrument, first, second = protocol
    scope = next(v for v in texts.versions_as_of(db_session, second) if v.heading == "Scope")
    items = client.get(
        f"/api/v1/provisions/{scope.provision_id}/versions", headers=token_for("drafter")
    ).json["items"]
    assert [i["meeting_id"] for i in items] == [first.id, second.id]
    assert items[1]["parent_id"] == items[0]["id"]
    assert {
        "id",
        "meeting_id",
        "number",
        "heading",
        "text",
        "author",
        "created_at",
        "parent_id",
    } <= set(items[0])


def _scope(db_session, meeting):
    return next(v for v in texts.versions_as_of(db_session, meeting) if v.heading == "Scope")


def test_post_version_201_then_merge_then_conflict(client, token_for, protocol, db_session):
    instrument, first, second = protocol
    base = _scope(db_session, second)
    url = f"/api/v1/provisions/{base.provision_id}/versions"
    p1, p2 = base.text.split("\n\n")
    a = client.post(
        url,
        json={"base_version_id": base.id, "text": p1 + " A.\n\n" + p2, "message": "first"},
        headers=token_for("drafter"),
    )
    assert a.status_code == 201 and a.json["merged"] is False
    assert a.json["meeting_id"] == second.id and a.json["parent_id"] == base.id
    b = client.post(
        url,
        json={"base_version_id": base.id, "text": p1 + "\n\n" + p2 + " B."},
        headers=token_for("drafter2"),
    )
    assert b.status_code == 201 and b.json["merged"] is True
    assert " A." in b.json["text"] and b.json["text"].endswith(" B.")
    c = client.post(
        url,
        json={"base_version_id": base.id, "text": p1 + " C.\n\n" + p2},
        headers=token_for("drafter"),
    )
    assert c.status_code == 409 and c.json["error"] == "conflict"
    assert c.json["head_version_id"] == b.json["id"] and c.json["your_text"].startswith(p1 + " C.")


def test_post_version_no_open_meeting(client, token_for, protocol, db_session, users):
    from redline.services.meetings import close_meeting

    instrument, first, second = protocol
    close_meeting(db_session, second, users["secretariat"])
    db_session.commit()
    base = _scope(db_session, second)
    r = client.post(
        f"/api/v1/provisions/{base.provision_id}/versions",
        json={"base_version_id": base.id, "text": "x"},
        headers=token_for("drafter"),
    )
    assert r.status_code == 409 and r.json["error"] == "no_open_meeting"


@pytest.mark.parametrize("who", ["observer", "civil"])
def test_only_drafters_and_secretariat_create_versions(
    client, token_for, protocol, db_session, who
):
    base = _scope(db_session, protocol[2])
    r = client.post(
        f"/api/v1/provisions/{base.provision_id}/versions",
        json={"base_version_id": base.id, "text": "x"},
        headers=token_for(who),
    )
    assert r.status_code in (403, 404)  # a stakeholder cannot even see unpublished text


@pytest.mark.parametrize(
    "body, status",
    [
        ({"base_version_id": "1", "text": "x"}, 400),
        ({"base_version_id": True, "text": "x"}, 400),
        ({"text": "x"}, 400),
        ({"base_version_id": 1}, 400),
        ({"base_version_id": 999999, "text": "x"}, 400),
        ({"base_version_id": "BASE", "text": "a\x00b"}, 400),
        ({"base_version_id": "BASE", "text": "x" * 200_001}, 413),
        ({"base_version_id": "BASE", "text": 5}, 400),
    ],
)
def test_bad_version_bodies(client, token_for, protocol, db_session, body, status):
    base = _scope(db_session, protocol[2])
    body = {k: (base.id if v == "BASE" else v) for k, v in body.items()}
    r = client.post(
        f"/api/v1/provisions/{base.provision_id}/versions", json=body, headers=token_for("drafter")
    )
    assert r.status_code == status and set(r.json) >= {"error", "message"}
    assert len(texts.history(db_session, base.provision_id)) == 2  # nothing written


def test_non_json_body_is_400(client, token_for, protocol, db_session):
    base = _scope(db_session, protocol[2])
    r = client.post(
        f"/api/v1/provisions/{base.provision_id}/versions",
        data="not json",
        headers={**token_for("drafter"), "Content-Type": "application/json"},
    )
    assert r.status_code == 400


@pytest.mark.parametrize(
    "url", ["/api/v1/instruments/999999", "/api/v1/provisions/999999/versions", "/api/v1/nowhere"]
)
def test_unknown_objects_are_404_json(client, token_for, url):
    r = client.get(url, headers=token_for("drafter"))
    assert r.status_code == 404 and r.json["error"] == "not_found"


def test_stakeholder_sees_no_unpublished_instrument(client, token_for, protocol):
    instrument = protocol[0]
    h = token_for("civil")
    assert client.get("/api/v1/instruments", headers=h).json["items"] == []
    assert client.get(f"/api/v1/instruments/{instrument.id}", headers=h).status_code == 404
    assert client.get(f"/api/v1/instruments/{instrument.id}/text", headers=h).status_code == 404


def test_cookie_authenticated_api_write_needs_csrf(client, auth, protocol, db_session):
    auth.login("drafter")
    base = _scope(db_session, protocol[2])
    r = client.post(
        f"/api/v1/provisions/{base.provision_id}/versions",
        json={"base_version_id": base.id, "text": "x"},
    )
    assert r.status_code == 400 and "CSRF" in r.json["message"]
    r = client.post(
        f"/api/v1/provisions/{base.provision_id}/versions",
        json={"base_version_id": base.id, "text": base.text + " ok"},
        headers={"X-CSRFToken": auth.csrf_token()},
    )
    assert r.status_code == 201
