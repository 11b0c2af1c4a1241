"""The access control matrix: every route of the app, HTML and API, as every kind of person.

MATRIX is the one table of rules. It maps each (method, route) of `app.url_map` to one or more
cases (a URL naming objects of the world in tests/world.py, a body for unsafe methods) and, for
each case, the answer each person gets. `test_every_route_is_in_the_matrix` fails when a route
is added without a row here, so a new route cannot skip its access review.

The people: anonymous; secretariat; drafter; observer; `civil`, a civil society stakeholder whose
consultation window is open; `dpa`, a data protection stakeholder whose category's deadline has
passed. For comment routes, the comment's owner against everyone else is in the cases themselves:
`cc` is civil's comment, `dc` dpa's, `ic` a drafter's internal note, `note` a secretariat
question published in the consultation, `rc` a drafter's answer in civil's thread.

The rules, as read from DESIGN.md and API.md:

* signing in is required everywhere but /, the login form and the OpenAPI document: anonymous
  HTML requests are sent to the login page, anonymous API requests answer 401;
* a role that may never use an endpoint gets 403, whatever the ids (the answer says nothing
  about the object);
* an object the person may not see answers 404, never 403: a stakeholder asking for anything
  unpublished (a meeting, a version, a provision, an instrument, an upcoming consultation) or a
  comment not shown to them;
* besides the status, no answer to a stakeholder contains a word only the drafting side may
  read (the SECRET markers of tests/world.py), and no answer to one stakeholder contains another
  stakeholder's unshared comment.

Unsafe methods carry a valid CSRF token (browser) or a bearer token (API), so what is tested is
authorization, not CSRF. Static files are public and excluded.
"""

from __future__ import annotations

import base64
import io
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
import sqlalchemy as sa

from redline.extensions import db
from redline.models import User, utcnow
from redline.services import accounts
from tests.conftest import PASSWORD, ROLES, Auth
from tests.world import P1_TEXT, body_text, shared_world, world_savepoint

PEOPLE = ("anonymous", "secretariat", "drafter", "observer", "civil", "dpa")
SIGNED_IN = PEOPLE[1:]
LOGIN = "login"  # 302 to the login page
EXCLUDED = {"static"}  # endpoints left out of the matrix on purpose: public files

Expect = dict[str, int | str]


def expect(default: int | str, **by_person: int | str) -> Expect:
    """`default` for every signed-in person unless named; anonymous is filled in by the test
    (login page or 401) unless named."""
    return {**dict.fromkeys(SIGNED_IN, default), **by_person}


def everyone(status: int, **more) -> Expect:
    return expect(status, **more)


def drafting_side(status: int, **more) -> Expect:
    """Drafting side only; stakeholders do not see it: 404."""
    return expect(status, civil=404, dpa=404, **more)


def drafting_role(status: int) -> Expect:
    """An endpoint for the drafting side's roles: stakeholders are refused by role."""
    return expect(status, civil=403, dpa=403)


def editors(status: int, **more) -> Expect:
    return expect(403, secretariat=status, drafter=status, **more)


def secretariat(status: int) -> Expect:
    return expect(403, secretariat=status)


@dataclass(frozen=True)
class Case:
    url: str  # formatted with the world's ids
    expect: Expect
    body: str | None = None  # a key of BODIES
    bugs: dict[str, str] = field(default_factory=dict)  # person -> known bug (strict xfail)


DRAFT = b"""# title: Second Protocol

Article 1 \xe2\x80\x93 Direct disclosure

Each Party shall adopt such measures as may be necessary.
"""

INVITE_CSV = b"name,email,role,category,organisation\nIn Vited,invited@example.org,observer,,\n"

# Bodies of unsafe requests: valid, so that only authorization decides the answer.
# fmt: off
BODIES: dict[str, Callable[[dict], dict]] = {
    "bad login": lambda w: dict(email="nobody@example.org", password="not the password"),
    "nothing": lambda w: {},
    "account": lambda w: dict(
        email="new@example.org", name="New Person", role="observer", password="long enough pw"
    ),
    "deactivate": lambda w: dict(active="0"),
    "forgot": lambda w: dict(email=ROLES["civil"]["email"]),
    "new password": lambda w: dict(new_password="a long new password"),
    "invite": lambda w: dict(email="invited@example.org", name="Invited", role="observer"),
    "invite csv": lambda w: dict(file=(io.BytesIO(INVITE_CSV), "people.csv")),
    "invite csv payload": lambda w: dict(payload=base64.b64encode(INVITE_CSV).decode()),
    "password": lambda w: dict(password="another long password"),
    "own password": lambda w: dict(current_password=PASSWORD, new_password="another long pw"),
    "token": lambda w: dict(email=ROLES["drafter"]["email"], password=PASSWORD),
    "disposition": lambda w: dict(disposition="noted", reason="Thank you."),
    "body": lambda w: dict(body="Rewritten."),
    "resolve": lambda w: dict(status="resolved"),
    "instrument": lambda w: dict(slug="another", title="Another Protocol"),
    "consultation": lambda w: dict(
        meeting_id=w["mid2"], title="Second round", opens="2026-12-01T09:00",
        closes="2026-12-15T17:00",
    ),
    "import": lambda w: dict(
        file=(io.BytesIO(DRAFT), "draft.txt"), title="3rd Plenary", kind="plenary",
        date="2026-06-01",
    ),
    "meeting": lambda w: dict(title="3rd Plenary", kind="plenary", date="2026-06-01"),
    "comment on v1": lambda w: dict(
        version_id=w["vid1"], start=P1_START, end=P1_START + 8, exact="measures", body="New."
    ),
    "comment on v2": lambda w: dict(
        version_id=w["vid2"], start=P1_START, end=P1_START + 8, exact="measures", body="New."
    ),
    "comment on new": lambda w: dict(
        version_id=w["vid_new"], start=0, end=4, exact="Each", body="New."
    ),
    "reply to cc": lambda w: dict(parent_id=w["cc"], body="A reply."),
    "reply to dc": lambda w: dict(parent_id=w["dc"], body="A reply."),
    "reply to ic": lambda w: dict(parent_id=w["ic"], body="A reply."),
    "reply to note": lambda w: dict(parent_id=w["note"], body="A reply."),
    "move after new": lambda w: dict(after=w["pid_new"]),
    "remove": lambda w: dict(base_version_id=w["vid2"]),
    "remove new": lambda w: dict(base_version_id=w["vid_new"]),
    "remove hidden": lambda w: dict(base_version_id=w["vid_hidden"]),
    "edit": lambda w: dict(base_version_id=w["vid2"], text="A new text.", heading="Heading"),
    "edit new": lambda w: dict(base_version_id=w["vid_new"], text="A new text."),
    "edit hidden": lambda w: dict(base_version_id=w["vid_hidden"], text="A new text."),
    "provision": lambda w: dict(number="Article 9", heading="New", text="New.", kind="article"),
    "api edit": lambda w: dict(base_version_id=w["vid2"], text="A new text."),
    "api edit new": lambda w: dict(base_version_id=w["vid_new"], text="A new text."),
}
# fmt: on
P1_START = P1_TEXT.index("measures")


# (method, route) -> cases. One row per route of app.url_map (static files aside).
# fmt: off
MATRIX: dict[tuple[str, str], list[Case]] = {
    # --- public ---------------------------------------------------------------------------
    ("GET", "/"): [Case("/", everyone(302, anonymous=302))],
    ("GET", "/auth/login"): [Case("/auth/login", everyone(302, anonymous=200))],
    ("POST", "/auth/login"): [Case("/auth/login", everyone(401, anonymous=401), "bad login")],
    ("POST", "/auth/logout"): [Case("/auth/logout", everyone(LOGIN), "nothing")],
    ("GET", "/auth/password"): [Case("/auth/password", everyone(200))],
    ("POST", "/auth/password"): [Case("/auth/password", everyone(302), "own password")],
    ("GET", "/auth/forgot"): [Case("/auth/forgot", everyone(200, anonymous=200))],
    ("POST", "/auth/forgot"): [Case("/auth/forgot", everyone(200, anonymous=200), "forgot")],
    # A link's token is its own authority: a forged one is refused alike for everybody.
    ("GET", "/auth/reset/<token>"): [Case("/auth/reset/forged", everyone(400, anonymous=400))],
    ("POST", "/auth/reset/<token>"): [
        Case("/auth/reset/forged", everyone(400, anonymous=400), "new password")
    ],
    ("GET", "/auth/welcome/<token>"): [Case("/auth/welcome/forged", everyone(400, anonymous=400))],
    ("POST", "/auth/welcome/<token>"): [
        Case("/auth/welcome/forged", everyone(400, anonymous=400), "new password")
    ],
    ("GET", "/api/v1/openapi.json"): [Case("/api/v1/openapi.json", everyone(200, anonymous=200))],
    ("POST", "/api/v1/auth/token"): [
        Case("/api/v1/auth/token", everyone(201, anonymous=201), "token")
    ],
    # --- notifications: one's own; unsubscribe by signed token alone (a forged one: 404) ---
    ("GET", "/notifications/"): [Case("/notifications/", everyone(200))],
    ("POST", "/notifications/read"): [Case("/notifications/read", everyone(302), "nothing")],
    ("GET", "/notifications/preferences"): [Case("/notifications/preferences", everyone(200))],
    ("POST", "/notifications/preferences"): [
        Case("/notifications/preferences", everyone(302), "nothing")
    ],
    ("GET", "/notifications/unsubscribe/<token>"): [
        Case("/notifications/unsubscribe/forged", everyone(200, anonymous=200))
    ],
    ("POST", "/notifications/unsubscribe/<token>"): [
        Case("/notifications/unsubscribe/forged", everyone(404, anonymous=404), "nothing")
    ],
    ("POST", "/provisions/<int:pid>/presence"): [
        Case("/provisions/{pid}/presence", editors(204), "nothing"),
        Case("/provisions/{pid_hidden}/presence", editors(204), "nothing"),
        Case("/provisions/2147483647/presence", editors(404), "nothing"),
    ],
    # --- secretariat: accounts, audit, set-up ---------------------------------------------
    ("GET", "/accounts/"): [Case("/accounts/", secretariat(200))],
    ("POST", "/accounts/"): [Case("/accounts/", secretariat(302), "account")],
    ("GET", "/accounts/invite/"): [Case("/accounts/invite/", secretariat(200))],
    ("POST", "/accounts/invite/"): [Case("/accounts/invite/", secretariat(302), "invite")],
    ("POST", "/accounts/invite/preview"): [
        Case("/accounts/invite/preview", secretariat(200), "invite csv")
    ],
    ("POST", "/accounts/invite/send"): [
        Case("/accounts/invite/send", secretariat(302), "invite csv payload")
    ],
    ("POST", "/accounts/<int:user_id>/active"): [
        Case("/accounts/{uid_industry}/active", secretariat(302), "deactivate"),
        Case("/accounts/2147483647/active", secretariat(404), "deactivate"),
    ],
    ("POST", "/accounts/<int:user_id>/password"): [
        Case("/accounts/{uid_industry}/password", secretariat(302), "password"),
        Case("/accounts/2147483647/password", secretariat(404), "password"),
    ],
    ("POST", "/accounts/<int:user_id>/tokens/revoke"): [
        Case("/accounts/{uid_industry}/tokens/revoke", secretariat(302), "nothing"),
    ],
    ("POST", "/accounts/<int:user_id>/sessions/end"): [
        Case("/accounts/{uid_industry}/sessions/end", secretariat(302), "nothing"),
        Case("/accounts/2147483647/sessions/end", secretariat(404), "nothing"),
    ],
    ("GET", "/audit/"): [Case("/audit/", secretariat(200))],
    ("POST", "/instruments"): [Case("/instruments", secretariat(302), "instrument")],
    ("POST", "/instruments/<int:iid>/meetings"): [
        Case("/instruments/{iid}/meetings", secretariat(302), "meeting"),
        Case("/instruments/2147483647/meetings", secretariat(404), "meeting"),
    ],
    ("POST", "/meetings/<int:mid>/close"): [
        Case("/meetings/{mid2}/close", secretariat(302), "nothing"),
        Case("/meetings/2147483647/close", secretariat(404), "nothing"),
    ],
    ("GET", "/instruments/<int:iid>/import/"): [
        Case("/instruments/{iid}/import/", secretariat(200)),
        Case("/instruments/2147483647/import/", secretariat(404)),
    ],
    ("POST", "/instruments/<int:iid>/import/"): [
        Case("/instruments/{iid}/import/", secretariat(200), "import"),
    ],
    ("POST", "/instruments/<int:iid>/import/confirm"): [
        Case("/instruments/{iid}/import/confirm", secretariat(302), "import"),
        Case("/instruments/2147483647/import/confirm", secretariat(404), "import"),
    ],
    ("POST", "/instruments/<int:iid>/consultations"): [
        Case("/instruments/{iid}/consultations", secretariat(302), "consultation"),
    ],
    # --- reading instruments ----------------------------------------------------------------
    ("GET", "/help"): [Case("/help", everyone(200))],
    ("GET", "/instruments"): [Case("/instruments", everyone(200))],
    ("GET", "/instruments/<int:iid>/live"): [
        Case("/instruments/{iid}/live?meeting={mid1}", everyone(200)),
        Case("/instruments/{iid}/live?meeting={mid2}", drafting_side(200)),
        Case("/instruments/{iid}/live?meeting={mid_hidden}", everyone(404)),
        Case("/instruments/{iid}/live", everyone(404)),
    ],
    ("GET", "/instruments/<int:iid>"): [
        Case("/instruments/{iid}", everyone(200)),
        Case("/instruments/{iid}?meeting={mid1}", everyone(200)),
        Case("/instruments/{iid}?meeting={mid2}", drafting_side(200)),
        Case("/instruments/{iid}?meeting={mid_hidden}", everyone(404)),
        Case("/instruments/{iid_hidden}", drafting_side(200)),
        Case("/instruments/2147483647", everyone(404)),
    ],
    ("GET", "/instruments/<int:iid>/meetings"): [
        Case("/instruments/{iid}/meetings", everyone(200)),
        Case("/instruments/{iid_hidden}/meetings", drafting_side(200)),
    ],
    ("GET", "/instruments/<int:iid>/compare"): [
        Case("/instruments/{iid}/compare", everyone(200)),
        Case("/instruments/{iid}/compare?from={mid1}&to={mid1}&mode=side", everyone(200)),
        Case("/instruments/{iid}/compare?from={mid1}&to={mid2}", drafting_side(200)),
        Case("/instruments/{iid}/compare?from={mid2}&to={mid1}&mode=old", drafting_side(200)),
        Case("/instruments/{iid_hidden}/compare", drafting_side(200)),
    ],
    ("GET", "/instruments/<int:iid>/brackets"): [
        Case("/instruments/{iid}/brackets", everyone(200)),
        Case("/instruments/{iid}/brackets?from={mid1}&to={mid2}", drafting_side(200)),
        Case("/instruments/{iid_hidden}/brackets", drafting_side(200)),
    ],
    ("GET", "/instruments/<int:iid>/brackets.csv"): [
        Case("/instruments/{iid}/brackets.csv", everyone(200)),
        Case("/instruments/{iid}/brackets.csv?from={mid1}&to={mid2}", drafting_side(200)),
        Case("/instruments/{iid_hidden}/brackets.csv", drafting_side(200)),
    ],
    ("GET", "/instruments/<int:iid>/brackets.docx"): [
        Case("/instruments/{iid}/brackets.docx", everyone(200)),
        Case("/instruments/{iid_hidden}/brackets.docx", drafting_side(200)),
    ],
    ("GET", "/instruments/<int:iid>/compare.docx"): [
        Case("/instruments/{iid}/compare.docx", everyone(200)),
        # With the Word comments each person may read (a stakeholder asks for them).
        Case("/instruments/{iid}/compare.docx?comments=1", everyone(200)),
        Case("/instruments/{iid}/compare.docx?from={mid1}&to={mid2}", drafting_side(200)),
        Case("/instruments/{iid_hidden}/compare.docx", drafting_side(200)),
    ],
    ("GET", "/instruments/<int:iid>/text.docx"): [
        Case("/instruments/{iid}/text.docx", everyone(200)),
        Case("/instruments/{iid}/text.docx?meeting={mid2}", drafting_side(200)),
        Case("/instruments/{iid_hidden}/text.docx", drafting_side(200)),
    ],
    # --- provisions and editing -------------------------------------------------------------
    ("GET", "/provisions/<int:pid>"): [
        Case("/provisions/{pid}", everyone(200)),
        Case("/provisions/{pid_new}", drafting_side(200)),
        Case("/provisions/{pid_hidden}", drafting_side(200)),
        Case("/provisions/2147483647", everyone(404)),
    ],
    ("GET", "/provisions/<int:pid>/history"): [
        Case("/provisions/{pid}/history", everyone(200)),
        Case("/provisions/{pid}/history?version={vid1}&start=0&end=4", everyone(200)),
        Case("/provisions/{pid}/history?version={vid2}", drafting_side(200)),
        Case("/provisions/{pid}/history?version={vid_new}", everyone(404)),
        Case("/provisions/{pid_hidden}/history", drafting_side(200)),
        Case("/provisions/{pid}/history?start=4&end=2", everyone(400)),
    ],
    ("GET", "/provisions/<int:pid>/block"): [
        Case("/provisions/{pid}/block", everyone(200)),
        Case("/provisions/{pid_new}/block", drafting_side(200)),
    ],
    ("GET", "/provisions/<int:pid>/at/<int:vid>"): [
        Case("/provisions/{pid}/at/{vid1}", everyone(200)),
        Case("/provisions/{pid}/at/{vid2}", drafting_side(200)),
        Case("/provisions/{pid}/at/{vid_new}", everyone(404)),  # another provision's version
        Case("/provisions/{pid_hidden}/at/{vid_hidden}", drafting_side(200)),
    ],
    ("GET", "/provisions/<int:pid>/compare"): [
        Case("/provisions/{pid}/compare", everyone(200)),
        Case("/provisions/{pid}/compare?from={vid1}&to={vid1}&mode=side", everyone(200)),
        Case("/provisions/{pid}/compare?from={vid1}&to={vid2}", drafting_side(200)),
        Case("/provisions/{pid}/compare?from_meeting={mid1}&to_meeting={mid2}",
             drafting_side(200)),
        Case("/provisions/{pid_new}/compare", drafting_side(200)),
    ],
    ("GET", "/provisions/<int:pid>/compare.docx"): [
        Case("/provisions/{pid}/compare.docx", everyone(200)),
        Case("/provisions/{pid}/compare.docx?comments=1", everyone(200)),
        Case("/provisions/{pid}/compare.docx?from={vid1}&to={vid2}", drafting_side(200)),
        Case("/provisions/{pid_hidden}/compare.docx", drafting_side(200)),
    ],
    ("GET", "/provisions/<int:pid>/edit"): [
        Case("/provisions/{pid}/edit", editors(200)),
        Case("/provisions/{pid_new}/edit", editors(200)),
    ],
    ("POST", "/provisions/<int:pid>/versions"): [
        Case("/provisions/{pid}/versions", editors(302), "edit"),
        Case("/provisions/{pid_new}/versions", editors(302), "edit new"),
        Case("/provisions/{pid_hidden}/versions", editors(302), "edit hidden"),
    ],
    ("POST", "/provisions/<int:pid>/move"): [
        Case("/provisions/{pid}/move", editors(302), "move after new"),
    ],
    ("POST", "/provisions/<int:pid>/remove"): [
        Case("/provisions/{pid}/remove", editors(302), "remove"),
        Case("/provisions/{pid_new}/remove", editors(302), "remove new"),
        Case("/provisions/{pid_hidden}/remove", editors(302), "remove hidden"),
    ],
    ("POST", "/provisions/new/<int:iid>"): [
        Case("/provisions/new/{iid}", editors(302), "provision"),
        Case("/provisions/new/{iid_hidden}", editors(302), "provision"),
        Case("/provisions/new/2147483647", editors(404), "provision"),
    ],
    # --- comments -----------------------------------------------------------------------------
    ("GET", "/provisions/<int:pid>/comments"): [
        Case("/provisions/{pid}/comments", everyone(200)),
        Case("/provisions/{pid}/comments?version={vid1}", everyone(200)),
        Case("/provisions/{pid}/comments?version={vid2}", drafting_side(200)),
        Case("/provisions/{pid_new}/comments", drafting_side(200)),
    ],
    ("GET", "/provisions/<int:pid>/comments/poll"): [
        Case("/provisions/{pid}/comments/poll?stamp=x", everyone(200)),
        Case("/provisions/{pid}/comments/poll?stamp=x&version={vid2}", drafting_side(200)),
        Case("/provisions/{pid_new}/comments/poll?stamp=x", drafting_side(200)),
    ],
    ("GET", "/provisions/<int:pid>/comments/threads"): [
        Case("/provisions/{pid}/comments/threads", everyone(200)),
        Case("/provisions/{pid}/comments/threads?part=orphans&version={vid2}",
             drafting_side(200)),
        Case("/provisions/{pid_hidden}/comments/threads", drafting_side(200)),
    ],
    # The form to comment where one reads (issue 15); it says why not when the window closed.
    ("GET", "/provisions/<int:pid>/comments/form"): [
        Case("/provisions/{pid}/comments/form?version={vid1}", expect(200, observer=403)),
        Case("/provisions/{pid}/comments/form?version={vid2}", drafting_side(200, observer=403)),
        Case("/provisions/{pid_new}/comments/form", drafting_side(200, observer=403)),
    ],
    ("POST", "/provisions/<int:pid>/comments"): [
        # dpa's window closed at their category's deadline: refused, though they see the text.
        Case("/provisions/{pid}/comments", expect(302, observer=403, dpa=403), "comment on v1"),
        Case("/provisions/{pid}/comments", drafting_side(302, observer=403), "comment on v2"),
        Case("/provisions/{pid_new}/comments", drafting_side(302, observer=403),
             "comment on new"),
        Case("/provisions/{pid}/comments", expect(302, observer=403, dpa=404), "reply to cc"),
        Case("/provisions/{pid}/comments", expect(302, observer=403, civil=404, dpa=403),
             "reply to dc"),
        Case("/provisions/{pid}/comments", drafting_side(302, observer=403), "reply to ic"),
        Case("/provisions/{pid}/comments", expect(302, observer=403, dpa=403), "reply to note"),
    ],
    ("GET", "/comments/<int:cid>"): [
        Case("/comments/{cc}", expect(302, dpa=404)),
        Case("/comments/{dc}", expect(302, civil=404)),
        Case("/comments/{ic}", drafting_side(302)),
        Case("/comments/{note}", everyone(302)),
        Case("/comments/{rc}", expect(302, dpa=404)),
        Case("/comments/{ir}", drafting_side(302)),
        Case("/comments/{uc}", drafting_side(302)),
        Case("/comments/2147483647", everyone(404)),
    ],
    ("GET", "/comments/<int:cid>/forms/<kind>"): [
        Case("/comments/{cc}/forms/reply", expect(200, observer=403, dpa=404)),
        Case("/comments/{ic}/forms/reply", drafting_side(200, observer=403)),
        Case("/comments/{cc}/forms/edit", expect(403, civil=200, dpa=404)),
        Case("/comments/{ic}/forms/edit", drafting_side(403, drafter=200)),
        Case("/comments/{cc}/forms/disposition", expect(403, secretariat=200, drafter=200,
                                                        dpa=404)),
        Case("/comments/{uc}/forms/disposition", drafting_side(200, observer=403)),
        Case("/comments/{cc}/forms/nope", expect(404, observer=403)),
    ],
    ("POST", "/comments/<int:cid>/edit"): [
        Case("/comments/{cc}/edit", expect(403, civil=302, dpa=404), "body"),
        # Its owner's window has closed: the compilation must not change after the deadline.
        Case("/comments/{dc}/edit", expect(403, civil=404), "body"),
        Case("/comments/{ic}/edit", drafting_side(403, drafter=302), "body"),
        Case("/comments/{ir}/edit", drafting_side(403, drafter=302), "body"),
        Case("/comments/{note}/edit", expect(403, secretariat=302), "body"),
        Case("/comments/{uc}/edit", drafting_side(403, drafter=302), "body"),
    ],
    ("POST", "/comments/<int:cid>/withdraw"): [
        Case("/comments/{cc}/withdraw", expect(403, civil=302, dpa=404), "nothing"),
        Case("/comments/{dc}/withdraw", expect(403, civil=404), "nothing"),
        Case("/comments/{ic}/withdraw", drafting_side(403, drafter=302), "nothing"),
        Case("/comments/{rc}/withdraw", expect(403, drafter=302, dpa=404), "nothing"),
    ],
    ("POST", "/comments/<int:cid>/status"): [
        Case("/comments/{cc}/status", editors(302), "resolve"),
        Case("/comments/{ic}/status", editors(302), "resolve"),
        Case("/comments/2147483647/status", editors(404), "resolve"),
    ],
    ("POST", "/comments/<int:cid>/disposition"): [
        Case("/comments/{cc}/disposition", editors(302), "disposition"),
        Case("/comments/{dc}/disposition", editors(302), "disposition"),
        Case("/comments/{uc}/disposition", editors(302), "disposition"),
    ],
    # --- consultations ----------------------------------------------------------------------
    ("GET", "/instruments/<int:iid>/consultations"): [
        Case("/instruments/{iid}/consultations", everyone(200)),
        Case("/instruments/{iid_hidden}/consultations", drafting_side(200)),
    ],
    ("GET", "/consultations/<int:cid>"): [
        Case("/consultations/{cid}", everyone(200)),
        Case("/consultations/{cid_upcoming}", drafting_side(200)),
        Case("/consultations/2147483647", everyone(404)),
    ],
    # Stakeholders may read a compilation once its outcome is published; before that, to them
    # it does not exist (404, issue 15).
    ("GET", "/consultations/<int:cid>/compilation"): [
        Case("/consultations/{cid}/compilation", drafting_side(200)),
        Case("/consultations/{cid_upcoming}/compilation", drafting_side(200)),
    ],
    ("GET", "/consultations/<int:cid>/compilation.csv"): [
        Case("/consultations/{cid}/compilation.csv", drafting_side(200)),
    ],
    ("GET", "/consultations/<int:cid>/compilation.docx"): [
        Case("/consultations/{cid}/compilation.docx", drafting_side(200)),
    ],
    # Still open: the secretariat is refused with a message (302 back to the page).
    ("POST", "/consultations/<int:cid>/outcome"): [
        Case("/consultations/{cid}/outcome", secretariat(302), "nothing"),
    ],
    # --- JSON API -----------------------------------------------------------------------------
    ("GET", "/api/v1/instruments"): [Case("/api/v1/instruments", everyone(200))],
    ("GET", "/api/v1/instruments/<int:iid>"): [
        Case("/api/v1/instruments/{iid}", everyone(200)),
        Case("/api/v1/instruments/{iid_hidden}", drafting_side(200)),
        Case("/api/v1/instruments/2147483647", everyone(404)),
    ],
    ("GET", "/api/v1/instruments/<int:iid>/text"): [
        Case("/api/v1/instruments/{iid}/text", everyone(200)),
        Case("/api/v1/instruments/{iid}/text?meeting={mid1}", everyone(200)),
        Case("/api/v1/instruments/{iid}/text?meeting={mid2}", drafting_side(200)),
        Case("/api/v1/instruments/{iid}/text?meeting={mid_hidden}", everyone(404)),
        Case("/api/v1/instruments/{iid_hidden}/text", drafting_side(200)),
    ],
    ("GET", "/api/v1/instruments/<int:iid>/compare"): [
        Case("/api/v1/instruments/{iid}/compare", everyone(200)),
        Case("/api/v1/instruments/{iid}/compare?from={mid1}&to={mid2}", drafting_side(200)),
        Case("/api/v1/instruments/{iid_hidden}/compare", drafting_side(200)),
    ],
    ("GET", "/api/v1/instruments/<int:iid>/brackets"): [
        Case("/api/v1/instruments/{iid}/brackets", everyone(200)),
        Case("/api/v1/instruments/{iid}/brackets?from={mid1}&to={mid2}", drafting_side(200)),
        Case("/api/v1/instruments/{iid_hidden}/brackets", drafting_side(200)),
    ],
    ("GET", "/api/v1/provisions/<int:pid>/brackets"): [
        Case("/api/v1/provisions/{pid}/brackets", everyone(200)),
        Case("/api/v1/provisions/{pid}/brackets?meeting={mid1}", everyone(200)),
        Case("/api/v1/provisions/{pid}/brackets?meeting={mid2}", drafting_side(200)),
        Case("/api/v1/provisions/{pid_new}/brackets", drafting_side(200)),
        Case("/api/v1/provisions/{pid_hidden}/brackets", drafting_side(200)),
    ],
    # Search answers only what the reader may see (the SECRET markers are checked in every
    # answer); a meeting they may not see is 404 as everywhere.
    ("GET", "/search/"): [
        Case("/search/?q=SECRET", everyone(200)),
        Case("/search/?q=Each&scope=versions", everyone(200)),
        Case("/search/?q=comment&scope=comments", everyone(200)),
        Case("/search/?q=order&meeting={mid2}", drafting_side(200)),
        Case("/search/?q=hidden&meeting={mid_hidden}", drafting_side(200)),
    ],
    ("GET", "/api/v1/search"): [
        Case("/api/v1/search?q=SECRET", everyone(200)),
        Case("/api/v1/search?q=Each&scope=versions", everyone(200)),
        Case("/api/v1/search?q=comment&scope=comments", everyone(200)),
        Case("/api/v1/search?q=edit*&scope=comments", everyone(200)),
        Case("/api/v1/search?q=order&meeting={mid2}", drafting_side(200)),
        Case("/api/v1/search?q=x&meeting={mid_hidden}", drafting_side(200)),
    ],
    ("GET", "/api/v1/diff"): [
        Case("/api/v1/diff?from={vid1}&to={vid1}", everyone(200)),
        Case("/api/v1/diff?from={vid1}&to={vid2}", drafting_side(200)),
        # Versions of two provisions: not a pair the product offers (issue 12, fault 5).
        Case("/api/v1/diff?from={vid_new}&to={vid1}", drafting_side(400)),
        Case("/api/v1/diff?from={vid_hidden}&to={vid_hidden}", drafting_side(200)),
    ],
    ("GET", "/api/v1/provisions/<int:pid>/versions"): [
        Case("/api/v1/provisions/{pid}/versions", everyone(200)),
        Case("/api/v1/provisions/{pid_new}/versions", drafting_side(200)),
        Case("/api/v1/provisions/{pid_hidden}/versions", drafting_side(200)),
    ],
    ("POST", "/api/v1/provisions/<int:pid>/versions"): [
        Case("/api/v1/provisions/{pid}/versions", editors(201), "api edit"),
        Case("/api/v1/provisions/{pid_new}/versions", editors(201), "api edit new"),
        Case("/api/v1/provisions/2147483647/versions", editors(404), "api edit"),
    ],
    ("GET", "/api/v1/provisions/<int:pid>/history"): [
        Case("/api/v1/provisions/{pid}/history", everyone(200)),
        Case("/api/v1/provisions/{pid}/history?version={vid2}", drafting_side(200)),
        Case("/api/v1/provisions/{pid_new}/history", drafting_side(200)),
        Case("/api/v1/provisions/{pid_hidden}/history", drafting_side(200)),
    ],
    ("GET", "/api/v1/provisions/<int:pid>/comments"): [
        Case("/api/v1/provisions/{pid}/comments", everyone(200)),
        Case("/api/v1/provisions/{pid}/comments?version={vid2}", drafting_side(200)),
        Case("/api/v1/provisions/{pid_new}/comments", drafting_side(200)),
    ],
    ("POST", "/api/v1/provisions/<int:pid>/comments"): [
        Case("/api/v1/provisions/{pid}/comments", expect(201, observer=403, dpa=403),
             "comment on v1"),
        Case("/api/v1/provisions/{pid}/comments", drafting_side(201, observer=403),
             "comment on v2"),
        Case("/api/v1/provisions/{pid_new}/comments", drafting_side(201, observer=403),
             "comment on new"),
        Case("/api/v1/provisions/{pid}/comments", expect(201, observer=403, dpa=404),
             "reply to cc"),
        Case("/api/v1/provisions/{pid}/comments", drafting_side(201, observer=403),
             "reply to ic"),
    ],
}
# fmt: on


def _anonymous(rule: str) -> int | str:
    return 401 if rule.startswith("/api/") else LOGIN


def _params():
    for (method, rule), cases in MATRIX.items():
        for case in cases:
            for person in PEOPLE:
                outcome = case.expect.get(person, _anonymous(rule))
                marks = ()
                if person in case.bugs:
                    marks = pytest.mark.xfail(strict=True, reason=case.bugs[person])
                label = f"{method} {case.url}" + (f" [{case.body}]" if case.body else "")
                yield pytest.param(
                    method, rule, case, person, outcome, marks=marks, id=f"{label} as {person}"
                )


def test_every_route_is_in_the_matrix(app):
    """A new route must get its row in MATRIX (and a stale row must go)."""
    routes = {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in EXCLUDED
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    missing = sorted(routes - MATRIX.keys())
    stale = sorted(MATRIX.keys() - routes)
    assert not missing, f"routes without access rules in MATRIX: {missing}"
    assert not stale, f"MATRIX rows for routes that no longer exist: {stale}"


@pytest.fixture(scope="module")
def world_db(app):
    with shared_world(app) as built:
        yield built


@pytest.fixture
def world(app, world_db):
    connection, w = world_db
    with world_savepoint(app, connection):
        yield w


@pytest.mark.parametrize(("method", "rule", "case", "person", "outcome"), list(_params()))
def test_access(app, world, method, rule, case, person, outcome):
    client = app.test_client()
    url = case.url.format(**world.ids)
    body = BODIES[case.body](world.ids) if case.body else None
    if rule.startswith("/api/"):
        headers = (
            {} if person == "anonymous" else {"Authorization": f"Bearer {world.tokens[person]}"}
        )
        r = client.open(url, method=method, headers=headers, json=body)
    else:
        auth = Auth(client)
        if person != "anonymous":
            assert auth.login(person).status_code == 302
        if method == "GET":
            r = client.get(url)
        else:
            r = client.post(
                url,
                data={**body, "csrf_token": auth.csrf_token()},
                content_type="multipart/form-data",
            )

    text = body_text(r)
    where = f"{method} {url} as {person}: {r.status_code} {r.location or ''}\n{text[:600]}"
    if outcome == LOGIN:
        assert r.status_code == 302 and r.location.startswith("/auth/login"), where
    else:
        assert r.status_code == outcome, where
        if r.status_code == 302:
            assert not r.location.startswith("/auth/login"), where
    if rule.startswith("/api/") and r.status_code >= 400:
        assert set(r.get_json()) >= {"error", "message"}, where
    for secret in world.secrets.get(person, ()):
        assert secret not in text, f"{where}\n-> leaks {secret!r}"


def test_text_drafted_after_publication_is_not_published(app, world):
    """The secretariat publishes the open meeting's text; a drafter then keeps drafting."""
    auth = Auth(app.test_client())
    auth.login("secretariat")
    opens = (utcnow() - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M")
    r = auth.post(
        f"/instruments/{world['iid']}/consultations",
        dict(meeting_id=world["mid2"], title="Early look", opens=opens, closes="2099-01-01T00:00"),
    )
    if r.status_code != 302 or not r.location.startswith("/consultations/"):
        return  # publishing an open meeting was refused: nothing can leak
    client = app.test_client()
    drafter = {"Authorization": f"Bearer {world.tokens['drafter']}"}
    civil = {"Authorization": f"Bearer {world.tokens['civil']}"}
    published = client.get(
        f"/api/v1/instruments/{world['iid']}/text?meeting={world['mid2']}", headers=civil
    )
    assert published.status_code == 200
    saved = client.post(
        f"/api/v1/provisions/{world['pid']}/versions",
        headers=drafter,
        json={"base_version_id": world["vid2"], "text": "Drafted LATER."},
    )
    assert saved.status_code == 201
    after = client.get(
        f"/api/v1/instruments/{world['iid']}/text?meeting={world['mid2']}", headers=civil
    )
    assert "Drafted LATER." not in after.get_data(as_text=True)


# --- What each person sees OF a version (issue 12, fault 4) -----------------------------------
# The matrix above decides WHETHER a version is shown; these rows decide WHICH fields. A text
# drafted at unpublished meetings and published at a later one: the drafting side reads the
# record (where and when it was recorded, by whom, the message, the parent), a stakeholder the
# published view (services/published.py): the publishing meeting and its opening time, no
# author, no message, no id of a version they cannot read.


@dataclass(frozen=True)
class Republished:
    ids: dict[str, int]
    opened: dict[str, str]  # consultation -> opens_at as the API writes it


@pytest.fixture
def republished(world) -> Republished:
    """Built beside the shared world, inside this test's savepoint."""
    from datetime import date

    from redline.services import consultations, meetings, versions

    db_session = db.session
    sec, drafter = (db_session.get(User, _uid(who)) for who in ("secretariat", "drafter"))
    now = utcnow()
    inst = meetings.create_instrument(db_session, slug="fields", title="Fields", actor=sec)

    def meeting(title: str, day: int):
        return meetings.create_meeting(
            db_session, inst, title=title, kind="plenary", on=date(2026, day, 10), actor=sec
        )

    def edit(base, text: str, message: str):
        return versions.record_edit(
            db_session,
            base.provision,
            base_version_id=base.id,
            text=text,
            author=drafter,
            max_chars=10_000,
            message=message,
        ).version

    def publish(m, title: str, days_ago: int):
        return consultations.create_consultation(
            db_session,
            instrument=inst,
            meeting_id=m.id,
            title=title,
            opens_at=now - timedelta(days=days_ago),
            closes_at=now + timedelta(days=30),
            actor=sec,
        )

    meeting("Informal group SECRET-EARLY", 1)
    v0 = versions.add_provision(
        db_session,
        inst,
        after_provision_id=None,
        number="Article 1",
        heading="Scope",
        text="Each Party shall act SECRET-OLD.",
        kind="article",
        author=drafter,
        max_chars=10_000,
        message="SECRET-MESSAGE first draft",
    )
    meeting("Drafting group SECRET-DRAFTING", 2)
    v1 = edit(v0, "Each Party shall adopt measures.", "SECRET-MESSAGE agreed in the group")
    m2 = meeting("2nd Plenary", 3)  # nothing changes: it carries v1, recorded at the group
    c1 = publish(m2, "First round", 2)
    meeting("3rd Plenary SECRET-LATER", 4)
    v2a = edit(v1, "Each Party shall adopt SECRET-INTERIM measures.", "SECRET-MESSAGE interim")
    v2b = edit(v2a, "Each Party shall adopt such measures.", "SECRET-MESSAGE final")
    m4 = meeting("4th Plenary", 5)
    c2 = publish(m4, "Second round", 1)
    db_session.commit()
    ids = dict(
        pid=v1.provision_id,
        v0=v0.id,
        v1=v1.id,
        v2a=v2a.id,
        v2b=v2b.id,
        m2=m2.id,
        m4=m4.id,
        m1=v1.meeting_id,
        m3=v2b.meeting_id,
    )
    return Republished(ids, {"c1": c1.opens_at.isoformat(), "c2": c2.opens_at.isoformat()})


# What only the record may say: the unpublished meetings, messages, texts and the drafter.
RECORD_ONLY = ("SECRET-", ROLES["drafter"]["name"])

# surface -> URL; every one is read as the drafting side and as a stakeholder.
# fmt: off
VERSION_SURFACES = {
    "provision page (version line, history)": "/provisions/{pid}",
    "comment margin (version line, out of band)": "/provisions/{pid}/comments",
    "version page": "/provisions/{pid}/at/{v1}",
    "compare page (labels, version choices)": "/provisions/{pid}/compare?from={v1}&to={v2b}",
    "API versions": "/api/v1/provisions/{pid}/versions",
    "Word provision redline": "/provisions/{pid}/compare.docx?from={v1}&to={v2b}",
}
# fmt: on


def _read(app, republished, who: str, url: str) -> str:
    from flask import g

    # The world's app context outlives requests, and so would its `g` (the signed-in user, the
    # CSRF token): start each reader from a clean one, as a real request does.
    for key in list(g):
        g.pop(key)
    client = app.test_client()
    url = url.format(**republished.ids)
    if url.startswith("/api/"):
        token = accounts.issue_token(db.session, db.session.get(User, _uid(who)))
        r = client.get(url, headers={"Authorization": f"Bearer {token}"})
    else:
        Auth(client).login(who)
        r = client.get(url, headers={"HX-Request": "true"} if "/comments" in url else {})
    assert r.status_code == 200, f"{url} as {who}: {r.status_code} {r.location}"
    if url.split("?")[0].endswith(".docx"):
        with zipfile.ZipFile(io.BytesIO(r.data)) as z:
            return z.read("word/document.xml").decode()
    return r.get_data(as_text=True)


def _uid(who: str) -> int:
    return db.session.scalar(sa.select(User.id).where(User.email == ROLES[who]["email"]))


@pytest.mark.parametrize("surface", list(VERSION_SURFACES))
def test_a_stakeholder_sees_the_published_view_of_a_version(app, republished, surface):
    text = _read(app, republished, "civil", VERSION_SURFACES[surface])
    for word in RECORD_ONLY:
        assert word not in text, f"{surface} shows a stakeholder {word!r}"
    if not surface.startswith("API"):  # the API names meetings by id: see the next tests
        assert "2nd Plenary" in text or "4th Plenary" in text  # the meetings that published it


@pytest.mark.parametrize("surface", list(VERSION_SURFACES))
def test_the_drafting_side_sees_the_record_of_a_version(app, republished, surface):
    text = _read(app, republished, "drafter", VERSION_SURFACES[surface])
    # Where it was recorded (pages, Word) or why (the API's messages).
    assert any(w in text for w in ("SECRET-DRAFTING", "SECRET-LATER", "SECRET-MESSAGE"))


def test_version_fields_in_the_api_by_reader(app, republished):
    ids = republished.ids

    def items(who):
        return json.loads(_read(app, republished, who, "/api/v1/provisions/{pid}/versions"))[
            "items"
        ]

    fields = ("id", "meeting_id", "author", "message", "parent_id", "merged_from_id")
    assert [{k: v[k] for k in (*fields, "created_at")} for v in items("civil")] == [
        dict(
            id=ids["v1"],
            meeting_id=ids["m2"],
            author=None,
            message="",
            parent_id=None,
            merged_from_id=None,
            created_at=republished.opened["c1"],
        ),
        dict(
            id=ids["v2b"],
            meeting_id=ids["m4"],
            author=None,
            message="",
            parent_id=ids["v1"],  # the previous version they saw, not the unpublished v2a
            merged_from_id=None,
            created_at=republished.opened["c2"],
        ),
    ]
    record = {v["id"]: {k: v[k] for k in fields} for v in items("drafter")}
    assert record[ids["v1"]] == dict(
        id=ids["v1"],
        meeting_id=ids["m1"],
        author=ROLES["drafter"]["name"],
        message="SECRET-MESSAGE agreed in the group",
        parent_id=ids["v0"],
        merged_from_id=None,
    )
    assert record[ids["v2b"]]["parent_id"] == ids["v2a"]


def test_word_revision_author_by_reader(app, republished):
    url = VERSION_SURFACES["Word provision redline"]
    authors = {
        who: set(re.findall(r'w:author="([^"]*)"', _read(app, republished, who, url)))
        for who in ("civil", "drafter")
    }
    assert authors == {"civil": {"4th Plenary"}, "drafter": {"3rd Plenary SECRET-LATER"}}
