"""No query per row: the main pages and API reads issue as many SQL statements on an instrument
five times bigger (provisions, meetings, comments, instruments; 17 times the versions)
as on a small one, for a drafter and for a stakeholder.

Statements are counted with SQLAlchemy's `before_cursor_execute` event on the engine, for a
warm request: the first request of a compare fills the redline cache once, which is not a
statement per row of the page, and later requests must not repeat it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import event

from redline.domain.drafts.reading import parse_draft
from redline.domain.text.anchors import quote_for
from redline.extensions import db
from redline.models import Comment, utcnow
from redline.services import accounts, anchoring, consultations, imports, meetings, texts
from tests.conftest import ROLES

SMALL = dict(provisions=4, meetings=2, comments=2, instruments=1)
BIG = {k: v * 5 for k, v in SMALL.items()}
WHO = ("drafter", "civil")  # the drafting side sees everything; a stakeholder what is published


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


def _import(session, slug: str, title: str, k: int, provisions: int):
    return imports.apply_import(
        session,
        instrument=meetings.instrument_by_slug(session, slug),
        slug=slug,
        title=f"Protocol {slug}",
        meeting_title=title,
        on=date(2020, 1, 1) + timedelta(days=30 * k),
        kind="plenary",
        draft=parse_draft(draft(provisions, k)),
        actor=None,
    )


def _comment(session, version, author, consultation=None, parent=None) -> Comment:
    """Written as the demo writes its comments (the comment services' checks are tested
    elsewhere; here only the rows matter)."""
    quote = quote_for(version.text, 0, len("Article"))
    comment = Comment(
        provision_id=version.provision_id,
        version_id=version.id,
        author_id=author.id,
        body="A comment.",
        parent_id=parent.id if parent else None,
        visibility="consultation" if consultation else "internal",
        consultation_id=consultation.id if consultation else None,
        **(
            {}
            if parent
            else dict(
                start=quote.start,
                end=quote.end,
                exact=quote.exact,
                prefix=quote.prefix,
                suffix=quote.suffix,
            )
        ),
    )
    session.add(comment)
    session.flush()
    anchoring.place_new_comment(session, comment)
    return comment


def build(session, slug: str, size: dict) -> Sample:
    """An instrument of `size` through the real importer, published for consultation at every
    meeting, with comments and replies on Article 1's versions, and more instruments."""
    # Looked up afresh: the counting empties the session between builds.
    users = {who: accounts.user_by_email(session, ROLES[who]["email"]) for who in ROLES}
    results = [
        _import(session, slug, f"Meeting {k + 1}", k, size["provisions"])
        for k in range(size["meetings"])
    ]
    first, last = results[0].meeting, results[-1].meeting
    now = utcnow()
    published = [
        consultations.create_consultation(
            session,
            instrument=results[0].instrument,
            meeting_id=r.meeting.id,
            title=f"On {r.meeting.title}",
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=30),
            comments_visible=True,
            actor=None,
        )
        for r in results
    ]
    history = texts.history(session, texts.versions_as_of(session, last)[0].provision_id)
    for n in range(size["comments"]):
        version = history[n % len(history)]
        for root in (
            _comment(session, version, users["drafter"]),
            _comment(session, version, users["civil"], published[n % len(history)]),
        ):
            _comment(session, version, users["secretariat"], root.consultation, parent=root)
    for extra in range(size["instruments"] - 1):  # the list page grows by instruments
        _import(session, f"{slug}-extra-{extra}", "Only meeting", 0, 2)
    session.commit()
    return Sample(results[0].instrument.id, history[0].provision_id, first.id, last.id)


@contextmanager
def statements() -> Iterator[list[str]]:
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # noqa: ARG001
        seen.append(" ".join(statement.split())[:160])  # one line each, for the report

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
    "bracket report": "/instruments/{i}/brackets?from={first}&to={last}",
    "bracket report CSV": "/instruments/{i}/brackets.csv?from={first}&to={last}",
    "Word redline with comments": "/instruments/{i}/compare.docx?from={first}&to={last}&comments=1",
    "Word provision redline": "/provisions/{p}/compare.docx?from_meeting={first}&to_meeting={last}"
    "&comments=1",
    "comment margin": "/provisions/{p}/comments",
    "API instrument list": "/api/v1/instruments",
    "API instrument": "/api/v1/instruments/{i}",
    "API text": "/api/v1/instruments/{i}/text?meeting={last}",
    "API versions": "/api/v1/provisions/{p}/versions",
    "API comments": "/api/v1/provisions/{p}/comments",
    "API compare": "/api/v1/instruments/{i}/compare?from={first}&to={last}",
    "API bracket report": "/api/v1/instruments/{i}/brackets?from={first}&to={last}",
}


@pytest.mark.parametrize("page", list(PAGES))
def test_statements_do_not_grow_with_the_data(app, client, auth, token_for, db_session, page):
    url = PAGES[page]
    rule = url.split("?")[0].replace("{i}", "<int:iid>").replace("{p}", "<int:pid>")
    if rule not in {r.rule for r in app.url_map.iter_rules()}:
        pytest.skip(f"{rule} does not exist (yet)")
    api = url.startswith("/api/")
    tokens = {who: token_for(who) for who in WHO} if api else {}

    def count(who: str, sample: Sample) -> list[str]:
        if not api:
            auth.login(who)
        asked = url.format(
            i=sample.instrument_id,
            p=sample.provision_id,
            first=sample.first_meeting_id,
            last=sample.last_meeting_id,
        )
        headers = tokens.get(who, {})
        assert client.get(asked, headers=headers).status_code == 200, asked  # warm
        # Requests share the test's application context, hence its session: start from an
        # empty identity map as a real request does, or objects loaded before hide lazy loads.
        db.session.expunge_all()
        with statements() as seen:
            assert client.get(asked, headers=headers).status_code == 200, asked
        return seen

    small = build(db_session, "small", SMALL)
    before = {who: count(who, small) for who in WHO}
    big = build(db_session, "big", BIG)
    after = {who: count(who, big) for who in WHO}
    report = [
        f"{page} as {who}: {len(before[who])} statements small, {len(after[who])} big\n  "
        + "\n  ".join(after[who])
        for who in WHO
        if len(after[who]) != len(before[who])
    ]
    assert not report, "\n".join(report)
    assert all(len(after[who]) <= 25 for who in WHO), after
