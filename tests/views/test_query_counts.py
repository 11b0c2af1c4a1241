"""No query per row: the main pages and API reads issue as many SQL statements on an instrument
five times bigger (more provisions, meetings, versions, comments, instruments) as on a small one.

Statements are counted with SQLAlchemy's `before_cursor_execute` event on the engine, for a
warm request (the first request of a page may fill the redline cache once; that is not a
statement per row of the page, and later requests must not repeat it).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import event

from redline.domain.drafts import parse_draft
from redline.extensions import db
from redline.models import Provision, User, utcnow
from redline.services import comments, consultations, imports, meetings, texts

SMALL = dict(provisions=4, meetings=2, comments=2, instruments=1)
BIG = {k: v * 5 for k, v in SMALL.items()}  # 20 provisions, 10 meetings, ~8x the versions


def draft(provisions: int, revision: int) -> str:
    """Article 1 and the even articles are reworded at every meeting, the odd ones never after
    the first (their text carries forward), so histories and carried text both grow."""
    parts = ["# title: Counting Protocol", ""]
    for i in range(1, provisions + 1):
        r = revision if i == 1 or i % 2 == 0 else 0
        parts += [f"Article {i} – Heading {i}", "", f"Article {i} says this at revision {r}.", ""]
    return "\n".join(parts)


@dataclass
class Sample:
    instrument_id: int
    provision_id: int  # Article 1: a version at every meeting, and the comments
    first_meeting_id: int
    last_meeting_id: int


def build(session, users: dict[str, User], slug: str, size: dict) -> Sample:
    """An instrument of `size` through the real importer and comment services, published for
    consultation at every meeting, with comments (and replies) on Article 1's versions."""
    first = last = None
    for k in range(size["meetings"]):
        result = imports.apply_import(
            session, instrument=meetings.instrument_by_slug(session, slug), slug=slug,
            title=f"Protocol {slug}", meeting_title=f"Meeting {k + 1}",
            on=date(2020, 1, 1) + timedelta(days=30 * k), kind="plenary",
            draft=parse_draft(draft(size["provisions"], k)), actor=None,
        )  # fmt: skip
        first = first or result.meeting
        last = result.meeting
        session.flush()
    instrument = result.instrument
    now = utcnow()
    for m in meetings.meetings_of(session, instrument.id):
        consultations.create_consultation(
            session, instrument=instrument, meeting_id=m.id, title=f"On {m.title}",
            opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=30),
            comments_visible=True, actor=None,
        )  # fmt: skip
    article_1 = texts.versions_as_of(session, last)[0]
    history = texts.history(session, article_1.provision_id)
    provision = session.get(Provision, article_1.provision_id)
    for n in range(size["comments"]):
        version = history[n % len(history)]
        for who in ("drafter", "civil"):
            root = comments.create_comment(
                session, users[who], provision, body=f"Comment {n} by {who}",
                version_id=version.id, start=0, end=7, exact="Article",
            )  # fmt: skip
            session.flush()
            comments.create_comment(
                session, users["secretariat"], provision, body="Noted.", parent_id=root.id
            )
    for extra in range(size["instruments"] - 1):  # more instruments for the list page
        imports.apply_import(
            session, instrument=None, slug=f"{slug}-extra-{extra}", title=f"Extra {extra}",
            meeting_title="Only meeting", on=date(2021, 1, 1), kind="plenary",
            draft=parse_draft(draft(2, 0)), actor=None,
        )  # fmt: skip
    session.commit()
    return Sample(instrument.id, article_1.provision_id, first.id, last.id)


@contextmanager
def statements() -> Iterator[list[str]]:
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # noqa: ARG001
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


PAGES = {
    "instrument list": "/instruments",
    "instrument text": "/instruments/{i}?meeting={last}",
    "instrument text, first meeting": "/instruments/{i}?meeting={first}",
    "provision page": "/provisions/{p}",
    "compare page": "/instruments/{i}/compare?from={first}&to={last}",
    "comment margin": "/provisions/{p}/comments",
    "API text": "/api/v1/instruments/{i}/text?meeting={last}",
    "API instrument": "/api/v1/instruments/{i}",
    "API versions": "/api/v1/provisions/{p}/versions",
    "API comments": "/api/v1/provisions/{p}/comments",
    "API compare": "/api/v1/instruments/{i}/compare?from={first}&to={last}",
}


def count(client, url: str, headers: dict) -> list[str]:
    assert client.get(url, headers=headers).status_code == 200, url  # warm: caches filled
    with statements() as seen:
        r = client.get(url, headers=headers)
    assert r.status_code == 200, url
    return seen


def _routes(app) -> set[str]:
    return {rule.rule for rule in app.url_map.iter_rules()}


@pytest.mark.parametrize("role", ["drafter", "civil"])
@pytest.mark.parametrize("page", list(PAGES))
def test_statements_do_not_grow_with_the_data(app, client, auth, users, token_for, db_session,
                                              page, role):  # fmt: skip
    url = PAGES[page]
    rule = url.split("?")[0].replace("{i}", "<int:iid>").replace("{p}", "<int:pid>")
    if rule not in _routes(app):
        pytest.skip(f"{rule} does not exist (yet)")
    small = build(db_session, users, "small", SMALL)
    if url.startswith("/api/"):
        headers = token_for(role)
    else:
        headers = {}
        auth.login(role)

    def statements_for(sample: Sample) -> list[str]:
        return count(client, url.format(i=sample.instrument_id, p=sample.provision_id,
                                        first=sample.first_meeting_id,
                                        last=sample.last_meeting_id), headers)  # fmt: skip

    before = statements_for(small)
    big = build(db_session, users, "big", BIG)
    after = statements_for(big)
    # The instrument list grows with the number of instruments, not with anything in them.
    assert len(after) == len(before), "\n".join(
        [f"{page} as {role}: {len(before)} statements small, {len(after)} big", *after]
    )
    assert len(after) <= 25, "\n".join(after)
