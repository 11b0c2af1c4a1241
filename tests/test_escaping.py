"""Escaping everywhere: whatever people type is shown as text, never run as markup.

The world of tests/world.py is built with PAYLOAD in every instrument, meeting, consultation and
comment title or text, every provision number, heading and text, every person's name and
organisation. Every HTML page (each GET route of the app, whole and as an htmx fragment, as the
secretariat and as a stakeholder), the pages that show a form back with an error, the import
preview and the Word and CSV downloads are fetched; the raw payload must never appear.
"""

from __future__ import annotations

import csv
import io
import zipfile
from xml.etree import ElementTree

import pytest
import sqlalchemy as sa

from redline.services import accounts, comments
from tests.conftest import PASSWORD, Auth
from tests.world import body_text, shared_world, world_savepoint

PAYLOAD = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'
MARK = " " + PAYLOAD
RAW = ("<script>alert(1)", "<img src=x", '"><img')  # what must never reach a page as markup
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"  # what it must look like instead

# Every GET route that answers HTML, with the pages to fetch (formatted with the world's ids).
# `test_every_html_page_is_fetched` fails when a route is added without a line here.
# fmt: off
PAGES: dict[str, list[str]] = {
    "/": [],  # a redirect, nothing shown
    "/auth/login": ["/auth/login?next=/%3Cscript%3Ealert(1)%3C/script%3E"],
    "/auth/password": ["/auth/password"],
    "/auth/forgot": ["/auth/forgot"],
    # Only a signed link opens these; tests/mail/test_account_links.py fetches them for a person
    # whose name and organisation are markup.
    "/auth/reset/<token>": [],
    "/auth/welcome/<token>": [],
    "/accounts/invite/": ["/accounts/invite/"],
    "/accounts/": ["/accounts/"],
    "/notifications/": ["/notifications/"],
    "/notifications/preferences": ["/notifications/preferences"],
    "/notifications/unsubscribe/<token>": ["/notifications/unsubscribe/%3Cscript%3E"],
    "/audit/": ["/audit/", "/audit/?instrument={iid}"],
    "/search/": [
        "/search/?q=Article&scope=versions", "/search/?q=comment&scope=comments",
        "/search/?q=alert", "/search/?q=alert&scope=comments",
        "/search/?q=%3Cscript%3Ealert(1)%3C/script%3E",
    ],
    "/instruments": ["/instruments"],
    "/help": ["/help"],
    "/instruments/<int:iid>": [
        "/instruments/{iid}", "/instruments/{iid}?meeting={mid1}", "/instruments/{iid_hidden}",
    ],
    "/instruments/<int:iid>/meetings": ["/instruments/{iid}/meetings"],
    "/instruments/<int:iid>/live": [
        "/instruments/{iid}/live?meeting={mid1}", "/instruments/{iid}/live?meeting={mid2}",
    ],
    "/instruments/<int:iid>/import/": ["/instruments/{iid}/import/"],
    "/instruments/<int:iid>/compare": [
        "/instruments/{iid}/compare?from={mid1}&to={mid2}" + mode
        for mode in ("", "&mode=inline", "&mode=side", "&mode=new", "&mode=old")
    ] + ["/instruments/{iid}/compare"],
    "/instruments/<int:iid>/consultations": ["/instruments/{iid}/consultations"],
    "/instruments/<int:iid>/brackets": [
        "/instruments/{iid}/brackets", "/instruments/{iid}/brackets?from={mid1}&to={mid2}",
    ],
    "/consultations/<int:cid>": ["/consultations/{cid}", "/consultations/{cid_upcoming}"],
    "/consultations/<int:cid>/compilation": ["/consultations/{cid}/compilation"],
    "/provisions/<int:pid>": [
        "/provisions/{pid}", "/provisions/{pid_new}", "/provisions/{pid_removed}",
    ],
    "/provisions/<int:pid>/history": [
        "/provisions/{pid}/history", "/provisions/{pid}/history?start=0&end=20",
        "/provisions/{pid_new}/history",
    ],
    "/provisions/<int:pid>/block": ["/provisions/{pid}/block", "/provisions/{pid}/block?page=1"],
    "/provisions/<int:pid>/edit": ["/provisions/{pid}/edit"],
    "/provisions/<int:pid>/at/<int:vid>": [
        "/provisions/{pid}/at/{vid1}", "/provisions/{pid}/at/{vid2}",
    ],
    "/provisions/<int:pid>/compare": [
        "/provisions/{pid}/compare?from={vid1}&to={vid2}" + mode
        for mode in ("", "&mode=side", "&mode=new", "&mode=old")
    ] + ["/provisions/{pid}/compare", "/provisions/{pid_removed}/compare"],
    "/provisions/<int:pid>/comments": [
        "/provisions/{pid}/comments", "/provisions/{pid}/comments?version={vid1}&seen=0",
    ],
    "/provisions/<int:pid>/comments/form": [
        "/provisions/{pid}/comments/form?version={vid1}", "/provisions/{pid}/comments/form",
    ],
    "/provisions/<int:pid>/comments/poll": [
        "/provisions/{pid}/comments/poll?stamp=x", "/provisions/{pid}/comments/poll?editing=1",
    ],
    "/provisions/<int:pid>/comments/threads": [
        "/provisions/{pid}/comments/threads?version={vid1}",
        "/provisions/{pid}/comments/threads?part=orphans&version={vid2}",
    ],
    "/comments/<int:cid>": [],  # a redirect to the version page, fetched above
    "/comments/<int:cid>/forms/<kind>": [
        "/comments/{cc}/forms/reply", "/comments/{cc}/forms/edit",
        "/comments/{cc}/forms/disposition", "/comments/{note}/forms/edit",
    ],
}
# fmt: on
DOWNLOADS = {  # GET routes that answer files: tested below, not as pages
    "/instruments/<int:iid>/compare.docx",
    "/instruments/<int:iid>/text.docx",
    "/provisions/<int:pid>/compare.docx",
    "/consultations/<int:cid>/compilation.csv",
    "/consultations/<int:cid>/compilation.docx",
    "/instruments/<int:iid>/brackets.csv",  # tests/views/test_brackets_views.py
    "/instruments/<int:iid>/brackets.docx",
}
# Pages that show nothing anyone typed (a bare form, an empty list): checked, but the payload
# is not expected on them.
QUIET = (
    "/auth/login",
    "/auth/forgot",
    "/accounts/invite/",
    "editing=1",
    "part=orphans",
    "/forms/reply",
    "/forms/disposition",
    "/comments/form",
    "/notifications/preferences",
    "/notifications/unsubscribe/",
)
FORMULAS = ("=", "+", "-", "@", "\t", "\r")  # what makes a spreadsheet cell run a formula


def _formulas(session, world) -> None:
    """Comments, a reply, a disposition and an organisation a spreadsheet would run."""
    from redline.models import Comment, Provision, User

    hostile = accounts.create_user(
        session,
        email="formula@example.org",
        name="@SUM(1+1)*cmd|' /C calc'!A0",
        role="stakeholder",
        category="civil_society",
        organisation="=cmd|' /C calc'!A0",
        password=PASSWORD,
    )
    provision = session.get(Provision, world["pid"])
    version_id = world["vid1"]
    made = comments.create_comment(
        session,
        hostile,
        provision,
        body='=HYPERLINK("http://evil.example","click")',
        version_id=version_id,
        start=0,
        end=4,
        exact="Each",
    )
    comments.create_comment(session, hostile, provision, body="+1+1", parent_id=made.id)
    comments.create_comment(session, hostile, provision, body="-1-1", parent_id=made.id)
    drafter = session.scalar(sa.select(User).where(User.role == "drafter"))
    comments.record_disposition(
        session, drafter, session.get(Comment, world["cc"]), "noted", "@SUM(A1:A9)"
    )
    session.commit()


@pytest.fixture(scope="module")
def world_db(app):
    with shared_world(app, MARK, extra=_formulas) as built:
        yield built


@pytest.fixture
def world(app, world_db):
    connection, w = world_db
    with world_savepoint(app, connection):
        yield w


def assert_escaped(text: str, where: str, shown: bool = True) -> None:
    for raw in RAW:
        assert raw not in text, f"{where}: unescaped {raw!r} near ...{_around(text, raw)}..."
    if shown:
        assert ESCAPED in text, f"{where}: the payload is not shown at all (test world broken?)"


def _around(text: str, needle: str) -> str:
    at = text.find(needle)
    return text[max(0, at - 120) : at + 120]


def test_every_html_page_is_fetched(app):
    gets = {
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and rule.endpoint != "static" and not rule.rule.startswith("/api/")
    }
    missing = sorted(gets - PAGES.keys() - DOWNLOADS)
    assert not missing, f"HTML routes not checked for escaping: {missing}"


def _page_params():
    for rule, urls in PAGES.items():
        for url in urls:
            for who in ("anonymous",) if rule == "/auth/login" else ("secretariat", "civil"):
                for htmx in (False, True):
                    yield pytest.param(
                        url, who, htmx, id=f"{url} as {who}" + (" (htmx)" if htmx else "")
                    )


@pytest.mark.parametrize(("url", "who", "htmx"), list(_page_params()))
def test_page_escapes_what_people_typed(app, world, url, who, htmx):
    client = app.test_client()
    if who != "anonymous":
        Auth(client).login(who)
    target = url.format(**world.ids)
    r = client.get(target, headers={"HX-Request": "true"} if htmx else {})
    if r.status_code in (403, 404):  # not this person's page (tests/test_access_matrix.py)
        return
    assert r.status_code in (200, 204), f"{target}: {r.status_code}"
    quiet = r.status_code == 204 or any(q in target for q in QUIET)
    assert_escaped(r.get_data(as_text=True), target, shown=not quiet)


# --- forms shown back with an error: what was typed is escaped too --------------------------


def _import(world):
    return dict(
        file=(
            io.BytesIO(f"Article 1{MARK}\n\nText{MARK}\n".encode()),
            "draft<img src=x onerror=alert(1)>.txt",
        ),
        title=f"3rd{MARK}",
        kind="plenary",
        date="2026-06-01",
    )


# fmt: off
FORM_ERRORS = {
    "import preview": ("/instruments/{iid}/import/", _import, 200),
    "import, bad date": (
        "/instruments/{iid}/import/", lambda w: {**_import(w), "date": PAYLOAD}, 400),
    "account": (
        "/accounts/", lambda w: dict(email=PAYLOAD, name=PAYLOAD, role="observer",
                                     organisation=PAYLOAD, password="long enough pw"), 400),
    "invitation": (
        "/accounts/invite/", lambda w: dict(email=PAYLOAD, name=PAYLOAD, role="observer",
                                            organisation=PAYLOAD), 400),
    "invitation csv preview": (
        "/accounts/invite/preview", lambda w: dict(file=(io.BytesIO(
            f"name,email,role,category,organisation\n{PAYLOAD},{PAYLOAD},x,,{PAYLOAD}\n".encode()
        ), "p.csv")), 200),
    "forgot": ("/auth/forgot", lambda w: dict(email=PAYLOAD), 400),
    "consultation": (
        "/instruments/{iid}/consultations", lambda w: dict(
            meeting_id=w["mid1"], title=PAYLOAD, opens=PAYLOAD, closes=PAYLOAD), 302),
    "instrument": ("/instruments", lambda w: dict(slug=PAYLOAD, title=PAYLOAD), 302),
    "meeting": ("/instruments/{iid}/meetings", lambda w: dict(
        title=PAYLOAD, kind=PAYLOAD, date=PAYLOAD), 302),
    "editor": ("/provisions/{pid}/versions", lambda w: dict(
        base_version_id=w["vid2"], text=PAYLOAD, heading=f"two\nlines{MARK}",
        number=PAYLOAD, message=PAYLOAD), 400),
    "editor, htmx": ("/provisions/{pid}/versions", lambda w: dict(
        base_version_id="", text=PAYLOAD, heading=PAYLOAD, number=PAYLOAD, message=PAYLOAD), 400),
    "comment by quote, htmx": ("/provisions/{pid}/comments", lambda w: dict(
        version_id=w["vid2"], quote=f"nowhere{MARK}", body=PAYLOAD, form_id=PAYLOAD), 200),
}
# fmt: on


@pytest.mark.parametrize("name", FORM_ERRORS)
def test_form_shown_back_escapes_what_was_typed(app, world, name):
    url, data, status = FORM_ERRORS[name]
    client = app.test_client()
    auth = Auth(client)
    auth.login("secretariat")
    r = auth.post(
        url.format(**world.ids),
        data(world),
        htmx="htmx" in name,
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    text = r.get_data(as_text=True)
    assert r.status_code == (200 if status == 302 else status), text[:500]
    assert_escaped(text, name, shown=False)


# --- downloads ------------------------------------------------------------------------------

DOCX = [
    "/instruments/{iid}/compare.docx?from={mid1}&to={mid2}",
    "/instruments/{iid}/text.docx?meeting={mid1}",
    "/provisions/{pid}/compare.docx?from={vid1}&to={vid2}",
    "/consultations/{cid}/compilation.docx",
]


@pytest.mark.parametrize("url", DOCX)
def test_word_files_carry_the_payload_as_escaped_text(app, world, url):
    client = app.test_client()
    Auth(client).login("secretariat")
    r = client.get(url.format(**world.ids))
    assert r.status_code == 200
    with zipfile.ZipFile(io.BytesIO(r.get_data())) as z:
        parts = {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml")}
    for name, xml in parts.items():
        for raw in RAW:
            assert raw not in xml, f"{url} {name}: raw {raw!r}"
        ElementTree.fromstring(xml)  # noqa: S314 - our own download; well-formed: nothing typed broke out of its element
    document = parts["word/document.xml"]
    assert ESCAPED in document and "&lt;img src=x onerror=alert(1)&gt;" in document
    text = "".join(ElementTree.fromstring(document).itertext())  # noqa: S314
    assert PAYLOAD in text  # and Word shows exactly what was typed


def test_compilation_csv_runs_no_formula_and_keeps_the_text(app, world):
    client = app.test_client()
    Auth(client).login("drafter")
    r = client.get(f"/consultations/{world['cid']}/compilation.csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(r.get_data(as_text=True).removeprefix("\ufeff"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert len(rows) > 3
    started = [cell for cell in cells if cell.startswith(FORMULAS)]
    assert not started, f"cells a spreadsheet would run as formulas: {started}"
    # Neutralised with a leading apostrophe, nothing dropped.
    for typed in (
        '=HYPERLINK("http://evil.example","click")',
        "+1+1",
        "-1-1",
        "=cmd|' /C calc'!A0",
        "@SUM(A1:A9)",
    ):
        assert "'" + typed in cells, typed
    assert any(PAYLOAD in cell for cell in cells)  # CSV is not HTML: the text stays as typed


def test_api_answers_are_json_never_html(app, world):
    """The API returns what was typed as JSON data, which a browser never renders."""
    client = app.test_client()
    headers = {"Authorization": f"Bearer {world.tokens['civil']}"}
    for url in (
        "/api/v1/instruments/{iid}",
        "/api/v1/instruments/{iid}/text",
        "/api/v1/provisions/{pid}/comments",
        "/api/v1/provisions/{pid}/versions",
    ):
        r = client.get(url.format(**world.ids), headers=headers)
        assert r.status_code == 200 and r.mimetype == "application/json"
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert PAYLOAD in str(r.get_json())


def test_csp_forbids_inline_script(app, world):
    """Even an escaping mistake could not run: the policy allows only our own script files."""
    client = app.test_client()
    Auth(client).login("drafter")
    csp = client.get(f"/provisions/{world['pid']}").headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_body_text_reads_word_files():
    """The helper the access matrix uses to look for leaks inside Word files."""

    class Fake:
        def get_data(self):
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w") as z:
                z.writestr("word/document.xml", "<w>secret</w>")
            return out.getvalue()

    assert "secret" in body_text(Fake())
