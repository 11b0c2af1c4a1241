"""GET /api/v1/search as API.md's second-wave table writes it."""

from __future__ import annotations

import pytest

from tests.world import STAKEHOLDER_SECRETS, shared_world, world_savepoint


@pytest.fixture(scope="module")
def world_db(app):
    with shared_world(app) as built:
        yield built


@pytest.fixture
def get(app, world_db):
    connection, world = world_db
    with world_savepoint(app, connection):
        client = app.test_client()

        def call(who, url):
            headers = {"Authorization": f"Bearer {world.tokens[who]}"}
            return client.get(url.format(**world.ids), headers=headers)

        yield call, world


def test_text_versions_and_comments(get):
    call, world = get
    r = call("drafter", "/api/v1/search?q=%22competent+authorities%22&scope=versions")
    assert r.status_code == 200
    items = r.json["items"]
    assert [i["version_id"] for i in items] == [world["vid1"], world["vid2"]]
    assert [i["meeting_id"] for i in items] == [world["mid1"], world["mid2"]]
    assert all("comment_id" not in i for i in items)
    assert "competent authorities" in items[0]["snippet"]

    r = call("civil", "/api/v1/search?q=authorities")
    assert [(i["version_id"], i["meeting_id"]) for i in r.json["items"]] == [
        (world["vid1"], world["mid1"])
    ]
    r = call("civil", "/api/v1/search?q=comment&scope=comments")
    said = {i["comment_id"] for i in r.json["items"]}
    assert world["cc"] in said and world["dc"] not in said and world["ic"] not in said
    assert all(i["meeting_id"] == world["mid1"] for i in r.json["items"])


@pytest.mark.parametrize("who", ("civil", "dpa"))
def test_a_stakeholder_gets_nothing_unpublished(get, who):
    call, world = get
    for scope in ("text", "versions", "comments"):
        r = call(who, f"/api/v1/search?q=SECRET&scope={scope}")
        assert r.status_code == 200 and r.json["items"] == []
        body = call(who, f"/api/v1/search?q=Each&scope={scope}").get_data(as_text=True)
        assert not any(s in body for s in STAKEHOLDER_SECRETS)
    assert call(who, "/api/v1/search?q=order&meeting={mid2}").status_code == 404


@pytest.mark.parametrize(
    "url, status",
    [
        ("/api/v1/search", 400),
        ("/api/v1/search?q=%22%22", 400),
        ("/api/v1/search?q=x&scope=everything", 400),
        ("/api/v1/search?q=x&meeting=abc", 400),
        ("/api/v1/search?q=x&meeting=99999", 404),
        ("/api/v1/search?q=" + "x" * 1001, 413),
    ],
)
def test_bad_input(get, url, status):
    call, _ = get
    r = call("drafter", url)
    assert r.status_code == status and "error" in r.json
