"""The request models refuse every bad body with the API's own 400/413 (never another error),
and a route cannot answer a model it did not declare."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from redline.api.contract import respond
from redline.api.schemas import CommentPost, InstrumentList, Token, TokenRequest, VersionEdit
from redline.services.errors import BadInput, TooLarge

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)
FIELDS = (
    "body",
    "parent_id",
    "version_id",
    "start",
    "end",
    "exact",
    "internal",
    "text",
    "base_version_id",
    "heading",
    "email",
    "password",
    "consultation_id",
)
BODIES = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=5), JSON, max_size=8)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=BODIES, model=st.sampled_from([CommentPost, VersionEdit, TokenRequest]))
def test_any_json_object_is_a_model_or_a_clear_refusal(app, data, model):
    with app.test_request_context("/api/v1/x"):
        try:
            parsed = model.parse(data)
        except (BadInput, TooLarge) as e:
            assert e.message and "'" in e.message or "too long" in e.message
            return
    for name, value in data.items():
        if name in model.model_fields and value is not None and name in parsed.model_fields_set:
            assert getattr(parsed, name) == value  # no coercion: what was sent is what is read


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ({}, "'body' is required."),
        ({"body": "B"}, "'version_id' is required."),
        ({"body": "B", "version_id": 1, "start": 0, "end": 1}, "'exact' is required."),
        ({"body": "B", "version_id": "1"}, "'version_id' has the wrong type."),
        ({"body": "B", "version_id": True}, "'version_id' has the wrong type."),
        ({"body": "B", "version_id": 1.0}, "'version_id' has the wrong type."),
        ({"body": "B", "version_id": 2**31}, "'version_id' is out of range."),
        ({"body": "B", "internal": 1, "parent_id": 3}, "'internal' has the wrong type."),
        ({"body": "a\x00b"}, "'body' contains a NUL character or invalid Unicode."),
        ({"body": "\udc00"}, "'body' contains a NUL character or invalid Unicode."),
    ],
)
def test_refusals_name_the_field(app, data, says):
    with app.test_request_context("/api/v1/x"), pytest.raises(BadInput) as refused:
        CommentPost.parse(data)
    assert refused.value.message == says


def test_a_reply_needs_no_passage_and_ignores_one(app):
    with app.test_request_context("/api/v1/x"):
        reply = CommentPost.parse({"body": "B", "parent_id": 3, "version_id": "junk", "end": 2})
    assert (reply.parent_id, reply.version_id, reply.end) == (3, None, None)


def test_too_long_is_413_naming_the_field_and_its_limit(app):
    with app.test_request_context("/api/v1/x"), pytest.raises(TooLarge) as refused:
        CommentPost.parse({"body": "x" * 10_001, "parent_id": 1})
    assert refused.value.extra == {"field": "body", "limit": 10_000}


def test_the_text_limit_follows_the_configuration(app):
    with app.test_request_context("/api/v1/x"):
        limit = app.config["MAX_TEXT_CHARS"]
        assert VersionEdit.parse({"base_version_id": 1, "text": "x" * limit}).text
        with pytest.raises(TooLarge):
            VersionEdit.parse({"base_version_id": 1, "text": "x" * (limit + 1)})


def test_a_route_answers_only_its_declared_models(app):
    with app.test_request_context("/api/v1/instruments"):
        assert respond(InstrumentList(items=[])).get_json() == {"items": []}
        with pytest.raises(TypeError):
            respond(Token(token="t"))
        with pytest.raises(TypeError):
            respond(InstrumentList(items=[]), 201)
