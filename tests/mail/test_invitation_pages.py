"""The secretariat's invitation pages: one person, and a CSV with a preview and an error per
bad row; nobody is invited from a file holding an error; only the secretariat may invite."""

from __future__ import annotations

import base64
import io

import sqlalchemy as sa

from redline.models import OutboxMail, User

GOOD = (
    "name,email,role,category,organisation\n"
    "Ana Lima,ana@example.org,stakeholder,industry,Telco <One>\n"
    "Ben Ode,BEN@example.org,drafter,,\n"
)
BAD = (
    "name,email,role,category,organisation\n"
    "Ana Lima,ana@example.org,stakeholder,industry,Telco\n"
    "No Mail,not-an-address,drafter,,\n"
    "Cat Less,cat@example.org,stakeholder,,\n"
    "Ana Again,ana@example.org,observer,,\n"
    "Sec Twice,sec@example.org,drafter,,\n"
    ",empty@example.org,wizard,,\n"
)


def _count(db_session, model) -> int:
    return db_session.scalar(sa.select(sa.func.count()).select_from(model))


def _preview(auth, text: str | bytes):
    data = text.encode() if isinstance(text, str) else text
    return auth.post(
        "/accounts/invite/preview",
        {"file": (io.BytesIO(data), "people.csv")},
        content_type="multipart/form-data",
    )


def test_only_the_secretariat_invites(auth):
    auth.login("drafter")
    assert auth.client.get("/accounts/invite/").status_code == 403
    r = auth.post("/accounts/invite/", {"email": "x@example.org", "name": "X", "role": "drafter"})
    assert r.status_code == 403


def test_invite_one_queues_a_mail(auth, db_session):
    auth.login("secretariat")
    assert "Invite people" in auth.client.get("/accounts/").get_data(as_text=True)
    r = auth.post(
        "/accounts/invite/",
        {"email": "new@example.org", "name": "New Person", "role": "observer"},
    )
    assert r.status_code == 302
    row = db_session.scalar(sa.select(OutboxMail))
    assert row.to_address == "new@example.org" and row.kind == "invitation"


def test_invite_one_bad_input_changes_nothing(auth, db_session):
    auth.login("secretariat")
    before = _count(db_session, User)
    r = auth.post(
        "/accounts/invite/", {"email": "x@example.org", "name": "X", "role": "stakeholder"}
    )
    assert r.status_code == 400 and "needs a category" in r.get_data(as_text=True)
    assert _count(db_session, User) == before and _count(db_session, OutboxMail) == 0


def test_csv_preview_then_send(auth, db_session):
    auth.login("secretariat")
    page = _preview(auth, GOOD)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Send 2 invitation(s)" in html
    assert "Telco &lt;One&gt;" in html
    assert _count(db_session, OutboxMail) == 0  # a preview writes nothing
    payload = base64.b64encode(GOOD.encode()).decode()
    assert auth.post("/accounts/invite/send", {"payload": payload}).status_code == 302
    assert _count(db_session, OutboxMail) == 2
    ben = db_session.scalar(sa.select(User).where(User.email == "ben@example.org"))
    assert ben.role == "drafter"


def test_csv_preview_names_each_bad_row(auth, db_session):
    auth.login("secretariat")
    html = _preview(auth, BAD).get_data(as_text=True)
    assert "5 with errors" in html and "Send" not in html.split("<h2>Many")[0].split("Preview")[-1]
    assert "not a valid e-mail address" in html
    assert "needs a category" in html
    assert "also on line 2" in html
    assert "already exists" in html
    assert "Role must be one of" in html
    payload = base64.b64encode(BAD.encode()).decode()
    r = auth.post("/accounts/invite/send", {"payload": payload})
    assert r.status_code == 400 and "line 3" in r.get_data(as_text=True)
    assert _count(db_session, OutboxMail) == 0
    assert db_session.scalar(sa.select(User).where(User.email == "ana@example.org")) is None


def test_unreadable_files_are_refused_clearly(auth, db_session):
    auth.login("secretariat")
    for data, says in [
        (b"\xff\xfe\x00garbage", "UTF-8"),
        (b"who,what\nx,y\n", "missing: name, email, role"),
        (b"name,email,role\n", "no one to invite"),
    ]:
        r = _preview(auth, data)
        assert r.status_code == 400 and says in r.get_data(as_text=True), says
    r = auth.post("/accounts/invite/send", {"payload": "%%%not base64"})
    assert r.status_code == 400 and "upload it again" in r.get_data(as_text=True)
    assert _count(db_session, OutboxMail) == 0


def test_a_file_over_one_megabyte_is_refused():
    # Checked on the service: the test client spools big uploads to a file it never closes.
    import pytest

    from redline.services.errors import BadInput
    from redline.services.invitations import read_csv

    with pytest.raises(BadInput, match="too large"):
        read_csv(b"x" * (1024 * 1024 + 10))
