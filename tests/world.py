"""One fixture world for the hardening tests (access matrix, escaping, bad input).

An instrument with a closed meeting whose text a consultation publishes (open now, but already
closed for data protection stakeholders), an open meeting nobody published (with an edited and a
new provision on it), an upcoming consultation, comments of every kind, and a second instrument
nothing of which was ever published.

Building it takes a few hundred milliseconds, far longer than one request, so a test module
builds it once (`shared_world`) and each test runs inside a SAVEPOINT rolled back afterwards
(`world_savepoint`): every test starts from the same world, on SQLite and PostgreSQL alike.

Every word a stakeholder must never see carries a SECRET marker, so a test can look for leaks in
any answer without knowing the page.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa

from redline.extensions import db
from redline.models import utcnow
from redline.services import accounts, comments, consultations, meetings, versions
from tests.conftest import PASSWORD, ROLES, BoundSession

P1_TEXT = (
    "Each Party shall adopt such legislative and other measures as may be necessary to "
    "empower its competent authorities to issue an order to a service provider."
)
# Words only the unpublished meeting's text has (P1 as edited there, the new P2).
P1_EDITED = P1_TEXT.replace("competent authorities", "competent authorities SECRET-EDIT")
P2_TEXT = "Each Party may designate a SECRET-PROVISION point of contact."
HIDDEN_TEXT = "Nothing of this instrument was published: SECRET-HIDDEN-TEXT."


@dataclass
class World:
    ids: dict[str, int]
    tokens: dict[str, str]  # role -> bearer token
    # role -> strings that must never appear in any answer to that role
    secrets: dict[str, tuple[str, ...]] = field(default_factory=dict)
    mark: str = ""

    def __getitem__(self, key: str) -> int:
        return self.ids[key]


STAKEHOLDER_SECRETS = (
    "SECRET-MEETING",  # the unpublished meeting's title
    "SECRET-EDIT",  # P1's unpublished edit
    "SECRET-PROVISION",  # P2, added at the unpublished meeting
    "SECRET-INTERNAL",  # internal comments
    "SECRET-HIDDEN",  # the unpublished instrument (title, meeting, text)
    "SECRET-UPCOMING",  # a consultation that has not opened
)


def build_world(session, mark: str = "") -> World:
    """The world; `mark` is appended to every name and text people type (escaping tests)."""
    users = {
        key: accounts.create_user(
            session,
            password=PASSWORD,
            **{
                **spec,
                "name": spec["name"] + mark,
                **({"organisation": spec["organisation"] + mark} if "organisation" in spec else {}),
            },
        )
        for key, spec in ROLES.items()
    }
    session.flush()
    sec, drafter = users["secretariat"], users["drafter"]
    now = utcnow()

    inst = meetings.create_instrument(
        session,
        slug="protocol",
        title=f"Second Protocol{mark}",
        description=f"About{mark}",
        actor=sec,
    )
    m1 = meetings.create_meeting(
        session, inst, title=f"1st Plenary{mark}", kind="plenary", on=date(2026, 1, 10), actor=sec
    )
    v1 = versions.add_provision(
        session,
        inst,
        after_provision_id=None,
        number=f"Article 1{mark}",
        heading=f"Direct disclosure{mark}",
        text=P1_TEXT + mark,
        kind="article",
        author=drafter,
        max_chars=200_000,
    )
    p1 = v1.provision
    v3 = versions.add_provision(
        session,
        inst,
        after_provision_id=p1.id,
        number=f"Article 3{mark}",
        heading=f"Final clause{mark}",
        text=f"This Protocol enters into force.{mark}",
        kind="article",
        author=drafter,
        max_chars=200_000,
    )
    m2 = meetings.create_meeting(
        session,
        inst,
        title=f"2nd Plenary SECRET-MEETING{mark}",
        kind="drafting_group",
        on=date(2026, 3, 10),
        actor=sec,
    )
    meetings.close_meeting(session, m1, sec)
    # At the unpublished meeting: P1 renumbered, reheaded and edited; P3 removed; P2 added.
    v2 = versions.record_edit(
        session,
        p1,
        base_version_id=v1.id,
        text=P1_EDITED + mark,
        author=drafter,
        heading=f"Direct disclosure SECRET-EDIT{mark}",
        number=f"Article 1 bis{mark}",
        max_chars=200_000,
    ).version
    versions.remove_provision(session, v3.provision, base_version_id=v3.id, author=drafter)
    vnew = versions.add_provision(
        session,
        inst,
        after_provision_id=p1.id,
        number=f"Article 2{mark}",
        heading=f"SECRET-PROVISION heading{mark}",
        text=P2_TEXT + mark,
        kind="article",
        author=drafter,
        max_chars=200_000,
    )
    c1 = consultations.create_consultation(
        session,
        instrument=inst,
        meeting_id=m1.id,
        title=f"Consultation on the text{mark}",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
        deadlines={"data_protection": now - timedelta(hours=1)},
        comments_visible=False,
        actor=sec,
    )
    c2 = consultations.create_consultation(
        session,
        instrument=inst,
        meeting_id=m2.id,
        title=f"SECRET-UPCOMING round{mark}",
        opens_at=now + timedelta(days=10),
        closes_at=now + timedelta(days=40),
        actor=sec,
    )
    # Publishing froze the 2nd meeting; drafting goes on at the next one.
    meetings.create_meeting(
        session,
        inst,
        title=f"3rd Plenary SECRET-MEETING{mark}",
        kind="plenary",
        on=date(2026, 4, 20),
        actor=sec,
    )

    def on(version, who, passage, body, **kw):
        start = version.text.index(passage)
        return comments.create_comment(
            session,
            users[who],
            version.provision,
            body=body + mark,
            version_id=version.id,
            start=start,
            end=start + len(passage),
            exact=passage,
            **kw,
        )

    cc = on(v1, "civil", "competent authorities", "Civil society comment.")
    dc = on(v1, "dpa", "service provider", "Data protection comment.", now=now - timedelta(hours=2))
    ic = on(v1, "drafter", "Each Party", "SECRET-INTERNAL drafting note.")
    note = on(
        v1, "secretariat", "legislative", "Secretariat question to all.", consultation_id=c1.id
    )
    rc = comments.create_comment(
        session, drafter, p1, body=f"Drafter answer to civil society.{mark}", parent_id=cc.id
    )
    ir = comments.create_comment(  # an internal aside in civil's thread: never shown to civil
        session, drafter, p1, body=f"SECRET-INTERNAL aside.{mark}", parent_id=cc.id, internal=True
    )
    uc = on(v2, "drafter", "SECRET-EDIT", "SECRET-INTERNAL note on the new text.")

    hidden = meetings.create_instrument(
        session, slug="hidden", title=f"SECRET-HIDDEN instrument{mark}", actor=sec
    )
    hm = meetings.create_meeting(
        session,
        hidden,
        title=f"SECRET-HIDDEN meeting{mark}",
        kind="plenary",
        on=date(2026, 2, 1),
        actor=sec,
    )
    hv = versions.add_provision(
        session,
        hidden,
        after_provision_id=None,
        number="Article 1",
        heading="Hidden",
        text=HIDDEN_TEXT + mark,
        kind="article",
        author=drafter,
        max_chars=200_000,
    )
    session.flush()
    tokens = {key: accounts.issue_token(session, u) for key, u in users.items()}
    session.commit()
    ids = dict(
        iid=inst.id,
        mid1=m1.id,
        mid2=m2.id,
        pid=p1.id,
        vid1=v1.id,
        vid2=v2.id,
        pid_new=vnew.provision_id,
        vid_new=vnew.id,
        pid_removed=v3.provision_id,
        cid=c1.id,
        cid_upcoming=c2.id,
        cc=cc.id,
        dc=dc.id,
        ic=ic.id,
        note=note.id,
        rc=rc.id,
        ir=ir.id,
        uc=uc.id,
        iid_hidden=hidden.id,
        mid_hidden=hm.id,
        pid_hidden=hv.provision_id,
        vid_hidden=hv.id,
        **{f"uid_{key}": u.id for key, u in users.items()},
    )
    secrets = {
        "civil": (*STAKEHOLDER_SECRETS, "Data protection comment."),
        "dpa": (*STAKEHOLDER_SECRETS, "Civil society comment.", "Drafter answer to civil"),
        "industry": (*STAKEHOLDER_SECRETS, "Civil society comment.", "Data protection comment."),
    }
    return World(ids=ids, tokens=tokens, secrets=secrets, mark=mark)


@contextmanager
def bound_session(connection) -> Iterator:
    """Make `db.session` (what views and services use) a session on `connection`, whose commits
    only release SAVEPOINTs."""
    original = db.session
    db.session = db._make_scoped_session(
        {"bind": connection, "join_transaction_mode": "create_savepoint", "class_": BoundSession}
    )
    try:
        yield db.session
    finally:
        db.session.remove()
        db.session = original


@contextmanager
def shared_world(
    app, mark: str = "", extra: Callable[[object, World], None] | None = None
) -> Iterator[tuple[object, World]]:
    """A connection holding the world in an outer transaction, rolled back at the end;
    `extra(session, world)` adds to it (and commits)."""
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        try:
            with bound_session(connection) as session:
                world = build_world(session, mark)
                if extra is not None:
                    extra(session, world)
            yield connection, world
        finally:
            if outer.is_active:
                outer.rollback()
            connection.close()


@contextmanager
def world_savepoint(app, connection) -> Iterator:
    """One test's view of the shared world: everything it writes is rolled back after it."""
    with app.app_context():
        nested = connection.begin_nested()
        try:
            with bound_session(connection) as session:
                yield session
        finally:
            if nested.is_active:
                nested.rollback()


def row_counts(session) -> dict[str, int]:
    """Rows per table (login failures aside: failed sign-ins are meant to be counted)."""
    out = {}
    for table in db.metadata.sorted_tables:
        if table.name == "login_failures":
            continue
        out[table.name] = session.scalar(sa.select(sa.func.count()).select_from(table))
    return out


def body_text(response) -> str:
    """What a person could read in an answer: the text, or the XML inside a Word file."""
    data = response.get_data()
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "\n".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    return data.decode("utf-8", "replace")
