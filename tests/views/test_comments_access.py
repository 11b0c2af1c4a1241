"""Every role against every comment and consultation page and action (plain HTML forms, so
each answer carries its real status): 2xx/302 allowed, 403 refused, 404 not visible."""

from __future__ import annotations

import pytest

from tests.comment_helpers import comment, publish, record

ROLES = ["anonymous", "secretariat", "drafter", "observer", "civil", "dpa", "industry"]
OK = "ok"  # 200, or 302 somewhere other than the login page


def _row(**by_role):
    default = by_role.pop("default", None)
    return [by_role.get(r, default) for r in ROLES]


# (name, method, url template, form data, expected per role in ROLES order)
CASES = [
    ("margin", "GET", "/provisions/{pid}/comments", None, _row(anonymous="login", default=OK)),
    (
        "poll",
        "GET",
        "/provisions/{pid}/comments/poll?stamp=x",
        None,
        _row(anonymous="login", default=OK),
    ),
    (
        "version page",
        "GET",
        "/provisions/{pid}/at/{vid}",
        None,
        _row(anonymous="login", default=OK),
    ),
    (
        "stakeholder comment link",
        "GET",
        "/comments/{cc}",
        None,
        _row(anonymous="login", dpa=404, industry=404, default=OK),
    ),
    (
        "internal comment link",
        "GET",
        "/comments/{ic}",
        None,
        _row(anonymous="login", civil=404, dpa=404, industry=404, default=OK),
    ),
    (
        "post comment",
        "POST",
        "/provisions/{pid}/comments",
        "root",
        _row(anonymous="login", observer=403, default=OK),
    ),
    (
        "reply to stakeholder",
        "POST",
        "/provisions/{pid}/comments",
        "reply_cc",
        _row(anonymous="login", observer=403, dpa=404, industry=404, default=OK),
    ),
    (
        "reply to internal",
        "POST",
        "/provisions/{pid}/comments",
        "reply_ic",
        _row(anonymous="login", observer=403, civil=404, dpa=404, industry=404, default=OK),
    ),
    (
        "reply form",
        "GET",
        "/comments/{cc}/forms/reply",
        None,
        _row(anonymous="login", observer=403, dpa=404, industry=404, default=OK),
    ),
    (
        "edit form",
        "GET",
        "/comments/{cc}/forms/edit",
        None,
        _row(anonymous="login", civil=OK, dpa=404, industry=404, default=403),
    ),
    (
        "disposition form",
        "GET",
        "/comments/{cc}/forms/disposition",
        None,
        _row(anonymous="login", secretariat=OK, drafter=OK, dpa=404, industry=404, default=403),
    ),
    (
        "unknown form",
        "GET",
        "/comments/{cc}/forms/nope",
        None,
        _row(anonymous="login", observer=403, default=404),
    ),
    (
        "edit stakeholder comment",
        "POST",
        "/comments/{cc}/edit",
        "body",
        _row(anonymous="login", civil=OK, dpa=404, industry=404, default=403),
    ),
    (
        "edit internal comment",
        "POST",
        "/comments/{ic}/edit",
        "body",
        _row(anonymous="login", drafter=OK, civil=404, dpa=404, industry=404, default=403),
    ),
    (
        "withdraw",
        "POST",
        "/comments/{cc}/withdraw",
        "empty",
        _row(anonymous="login", civil=OK, dpa=404, industry=404, default=403),
    ),
    (
        "resolve",
        "POST",
        "/comments/{cc}/status",
        "resolve",
        _row(anonymous="login", secretariat=OK, drafter=OK, default=403),
    ),
    (
        "disposition",
        "POST",
        "/comments/{cc}/disposition",
        "disposition",
        _row(anonymous="login", secretariat=OK, drafter=OK, default=403),
    ),
    (
        "consultations",
        "GET",
        "/instruments/{iid}/consultations",
        None,
        _row(anonymous="login", default=OK),
    ),
    (
        "create consultation",
        "POST",
        "/instruments/{iid}/consultations",
        "consultation",
        _row(anonymous="login", secretariat=OK, default=403),
    ),
    ("consultation page", "GET", "/consultations/{cid}", None, _row(anonymous="login", default=OK)),
    (
        "compilation",
        "GET",
        "/consultations/{cid}/compilation",
        None,
        _row(anonymous="login", civil=404, dpa=404, industry=404, default=OK),
    ),
    (
        "compilation csv",
        "GET",
        "/consultations/{cid}/compilation.csv",
        None,
        _row(anonymous="login", civil=404, dpa=404, industry=404, default=OK),
    ),
    (
        "compilation docx",
        "GET",
        "/consultations/{cid}/compilation.docx",
        None,
        _row(anonymous="login", civil=404, dpa=404, industry=404, default=OK),
    ),
]


def _params():
    for name, method, url, data, expected in CASES:
        for role, outcome in zip(ROLES, expected, strict=True):
            yield pytest.param(method, url, data, role, outcome, id=f"{name}-{role}")


@pytest.mark.parametrize(("method", "url", "data", "role", "outcome"), list(_params()))
def test_access(db_session, users, auth, method, url, data, role, outcome):
    rec = record(db_session, users)
    c = publish(db_session, users, rec)
    cc = comment(db_session, users, rec, "civil")
    ic = comment(db_session, users, rec, "drafter", passage="Each Party")
    ids = dict(
        pid=rec.provision.id,
        vid=rec.version.id,
        iid=rec.instrument.id,
        cid=c.id,
        cc=cc.id,
        ic=ic.id,
    )
    forms = {
        "root": dict(
            version_id=rec.version.id,
            start=rec.version.text.index("service"),
            end=rec.version.text.index("service") + 7,
            exact="service",
            body="New.",
        ),
        "reply_cc": dict(parent_id=cc.id, body="A reply."),
        "reply_ic": dict(parent_id=ic.id, body="A reply."),
        "body": dict(body="Rewritten."),
        "empty": {},
        "resolve": dict(status="resolved"),
        "disposition": dict(disposition="noted", reason="Thanks."),
        "consultation": dict(
            meeting_id=rec.meeting.id,
            title="Another round",
            opens="2026-12-01T09:00",
            closes="2026-12-15T17:00",
        ),
    }
    if role != "anonymous":
        auth.login(role)
    target = url.format(**ids)
    r = auth.client.get(target) if method == "GET" else auth.post(target, forms[data])
    if outcome == "login":
        assert r.status_code in (302, 401) and "/auth/login" in r.location
    elif outcome == OK:
        assert r.status_code in (200, 302), r.get_data(as_text=True)[:500]
        if r.status_code == 302:
            assert "/auth/login" not in r.location
    else:
        assert r.status_code == outcome, r.get_data(as_text=True)[:500]
