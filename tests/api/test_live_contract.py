"""Every API endpoint, called as every role (and anonymously), answers a body that the served
OpenAPI document describes: the schema of that operation and status, formats checked. The calls
cover every documented operation and each of its success and conflict answers, so a field the
code returns but the document omits (or the reverse) fails here."""

from __future__ import annotations

from dataclasses import dataclass

import jsonschema_rs
import pytest

from tests.conftest import PASSWORD, ROLES
from tests.world import P1_EDITED, P1_TEXT, shared_world, world_savepoint

PEOPLE = [*ROLES, "anonymous"]


@dataclass(frozen=True)
class Call:
    method: str
    path: str  # the documented path, e.g. /api/v1/provisions/{pid}/comments
    url: str  # formatted with the world's ids
    body: dict | None = None


def _calls(ids: dict, who: str) -> list[Call]:
    p = "/api/v1/provisions/{pid}"
    i = "/api/v1/instruments/{iid}"
    passage = "competent authorities"
    start = P1_TEXT.index(passage)
    comment = dict(
        version_id=ids["vid1"], start=start, end=start + len(passage), exact=passage, body="B"
    )
    email = ROLES[who]["email"] if who in ROLES else "nobody@example.org"
    calls = [
        Call("POST", "/api/v1/auth/token", "", dict(email=email, password=PASSWORD)),
        Call("POST", "/api/v1/auth/token", "", dict(email=email, password="wrong")),
        Call("POST", "/api/v1/auth/token", "", dict(email=email)),
        Call("GET", "/api/v1/instruments", ""),
        Call("GET", i, "/api/v1/instruments/{iid}"),
        Call("GET", i, "/api/v1/instruments/{iid_hidden}"),
        Call("GET", i + "/text", "/api/v1/instruments/{iid}/text"),
        Call("GET", i + "/text", "/api/v1/instruments/{iid}/text?meeting={mid2}"),
        Call("GET", i + "/text", "/api/v1/instruments/{iid_hidden}/text"),
        Call("GET", i + "/text", "/api/v1/instruments/{iid}/text?meeting=x"),
        Call("GET", p + "/versions", "/api/v1/provisions/{pid}/versions"),
        Call("GET", p + "/versions", "/api/v1/provisions/{pid_new}/versions"),
        Call("GET", p + "/comments", "/api/v1/provisions/{pid}/comments"),
        Call("GET", p + "/comments", "/api/v1/provisions/{pid}/comments?version={vid1}"),
        Call("GET", p + "/comments", "/api/v1/provisions/{pid}/comments?version={vid2}"),
        Call("GET", p + "/history", "/api/v1/provisions/{pid}/history"),
        Call("GET", p + "/history", "/api/v1/provisions/{pid}/history?version={vid1}"),
        Call("GET", p + "/history", "/api/v1/provisions/{pid}/history?version=x"),
        Call("GET", "/api/v1/diff", "/api/v1/diff?from={vid1}&to={vid2}"),
        Call("GET", "/api/v1/diff", "/api/v1/diff?from={vid1}"),
        Call("GET", i + "/compare", "/api/v1/instruments/{iid}/compare"),
        Call("GET", i + "/compare", "/api/v1/instruments/{iid}/compare?from={mid1}&to={mid2}"),
        Call("GET", p + "/brackets", "/api/v1/provisions/{pid}/brackets"),
        Call("GET", p + "/brackets", "/api/v1/provisions/{pid}/brackets?meeting={mid1}"),
        Call("GET", p + "/brackets", "/api/v1/provisions/{pid_new}/brackets?meeting=x"),
        Call("GET", i + "/brackets", "/api/v1/instruments/{iid}/brackets"),
        Call("GET", i + "/brackets", "/api/v1/instruments/{iid}/brackets?from={mid1}&to={mid2}"),
        Call("GET", i + "/brackets", "/api/v1/instruments/{iid_hidden}/brackets"),
        Call("GET", "/api/v1/search", "/api/v1/search?q=competent+authorities"),
        Call("GET", "/api/v1/search", "/api/v1/search?q=authori*&scope=versions"),
        Call("GET", "/api/v1/search", '/api/v1/search?q="comment"&scope=comments'),
        Call("GET", "/api/v1/search", "/api/v1/search?q=order&meeting={mid2}"),
        Call("GET", "/api/v1/search", "/api/v1/search?q=&scope=text"),
        Call("GET", "/api/v1/search", "/api/v1/search?q=x&scope=all"),
        Call("POST", p + "/comments", "/api/v1/provisions/{pid}/comments", comment),
        Call(
            "POST",
            p + "/comments",
            "/api/v1/provisions/{pid}/comments",
            dict(parent_id=ids["cc"], body="A reply"),
        ),
        Call(
            "POST",
            p + "/comments",
            "/api/v1/provisions/{pid}/comments",
            {**comment, "body": "x" * 10_001},
        ),
        Call(
            "POST", p + "/comments", "/api/v1/provisions/{pid}/comments", {**comment, "start": "0"}
        ),
        Call(
            "POST",
            p + "/versions",
            "/api/v1/provisions/{pid}/versions",
            dict(base_version_id=ids["vid2"], text=P1_EDITED.replace(passage, "courts")),
        ),
        # The same words changed otherwise from the same base: 409 for an editor.
        Call(
            "POST",
            p + "/versions",
            "/api/v1/provisions/{pid}/versions",
            dict(base_version_id=ids["vid2"], text=P1_EDITED.replace(passage, "judges")),
        ),
        Call("POST", p + "/versions", "/api/v1/provisions/{pid}/versions", dict(text="T")),
    ]
    return [Call(c.method, c.path, (c.url or c.path).format(**ids), c.body) for c in calls]


@pytest.fixture(scope="module")
def world_db(app):
    with shared_world(app) as built:
        yield built


@pytest.fixture(scope="module")
def spec(app):
    return app.test_client().get("/api/v1/openapi.json").json


def _validator(spec: dict, schema: dict):
    # The operation's schema, its $refs resolved against the document's components.
    root = {**schema, "components": spec["components"]}
    return jsonschema_rs.validator_for(root, validate_formats=True)


def _answers(app, world_db, who: str, spec: dict) -> tuple[list[str], set]:
    connection, world = world_db
    problems, seen = [], set()
    with world_savepoint(app, connection):
        client = app.test_client()
        token = {} if who == "anonymous" else {"Authorization": f"Bearer {world.tokens[who]}"}
        for call in _calls(world.ids, who):
            headers = {} if call.path == "/api/v1/auth/token" else token
            if call.method == "GET":
                response = client.get(call.url, headers=headers)
            else:
                response = client.post(call.url, json=call.body, headers=headers)
            where = f"{who}: {call.method} {call.url} -> {response.status_code}"
            operation = spec["paths"][call.path][call.method.lower()]
            documented = operation["responses"].get(str(response.status_code))
            if documented is None:
                problems.append(f"{where}: status not documented")
                continue
            seen.add((call.path, call.method.lower(), str(response.status_code)))
            schema = documented["content"]["application/json"]["schema"]
            errors = [e.message for e in _validator(spec, schema).iter_errors(response.json)]
            if errors:
                problems.append(f"{where}: {errors[:3]}")
    return problems, seen


def test_every_live_answer_matches_the_served_schema(app, world_db, spec):
    problems, seen = [], set()
    for who in PEOPLE:
        found, answered = _answers(app, world_db, who, spec)
        problems += found
        seen |= answered
    assert problems == []
    # Every operation was called, and answered each of its documented non-error statuses.
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for status in operation["responses"]:
                if int(status) < 400 or int(status) == 409:
                    assert (path, method, status) in seen, f"{method} {path} never {status}"
            assert any(s[:2] == (path, method) for s in seen), f"{method} {path} never called"


def test_the_document_would_catch_a_missing_field(spec):
    """The check above can fail: an answer missing a required field is refused."""
    schema = spec["paths"]["/api/v1/provisions/{pid}/comments"]["get"]["responses"]["200"]
    validator = _validator(spec, schema["content"]["application/json"]["schema"])
    assert not validator.is_valid({"version_id": 1, "items": [{"id": 1}]})
    assert not validator.is_valid({"items": []})  # version_id is required
    assert validator.is_valid({"version_id": 1, "items": []})


def test_comment_schema_lists_every_field_the_api_returns(spec):
    """The drift issue 11 found: six fields returned but undocumented; version_id required of
    replies."""
    comment = spec["components"]["schemas"]["Comment"]
    for name in ("edited_at", "withdrawn", "visibility", "consultation_id", "disposition_reason"):
        assert name in comment["required"]
    assert "quote" in spec["components"]["schemas"]["Anchor"]["required"]
    post = spec["components"]["schemas"]["CommentPost"]
    assert post["required"] == ["body"]


def test_the_document_says_a_comment_needs_a_passage_or_a_parent(spec):
    post = spec["paths"]["/api/v1/provisions/{pid}/comments"]["post"]
    validator = _validator(spec, post["requestBody"]["content"]["application/json"]["schema"])
    assert validator.is_valid({"body": "B", "parent_id": 3})
    assert validator.is_valid({"body": "B", "version_id": 1, "start": 0, "end": 1, "exact": "E"})
    assert not validator.is_valid({"body": "B", "version_id": 1})
    assert not validator.is_valid({"body": "B" * 10_001, "parent_id": 3})  # the limit is there
