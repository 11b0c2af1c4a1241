"""Illustrative demo comments (marked as demo content) and an open consultation on the
GPLv3 Last Call Draft, so every role has something to look at."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from redline.domain.text.anchors import quote_for
from redline.models import Consultation, Meeting, User, utcnow
from redline.services import anchoring, comments, meetings, policy, texts

# (section number, passage quoted, who, body) — the bodies are invented for the demo and say so.
DEMO_COMMENTS = [
    (
        "3",
        "technological measure",
        "civil@demo.redline",
        "[Demo comment] Please define how this interacts with anti-circumvention laws in "
        "jurisdictions outside the United States.",
    ),
    (
        "0",
        "convey",
        "dpa@demo.redline",
        "[Demo comment] Consider whether 'convey' covers transfers inside an organisation.",
    ),
    (
        "6",
        "Installation Information",
        "industry@demo.redline",
        "[Demo comment] Device makers need a clear scope for 'User Products'; please narrow.",
    ),
    (
        "11",
        "patent",
        "drafter@demo.redline",
        "[Demo comment] Internal note: align with the patent licence wording of Draft 3.",
    ),
]


def add_demo_comments(session: Session, users: dict[str, User], progress: Callable[[str], None]):
    instrument = meetings.instrument_by_slug(session, "gplv3")
    if instrument is None:
        return
    last_call = session.scalar(
        sa.select(Meeting).where(
            Meeting.instrument_id == instrument.id, Meeting.title == "Last Call Draft"
        )
    )
    if last_call is None:
        return
    now = utcnow()
    consultation = Consultation(
        instrument_id=instrument.id,
        meeting_id=last_call.id,
        title="Consultation on the Last Call Draft (demo)",
        opens_at=now - timedelta(days=7),
        closes_at=now + timedelta(days=60),
        comments_visible=True,
    )
    session.add(consultation)
    session.flush()
    by_number = {
        v.number: v for v in texts.versions_as_of(session, last_call) if v.kind == "article"
    }
    made = 0
    for number, passage, email, body in DEMO_COMMENTS:
        version = by_number.get(number)
        if version is None or passage not in version.text:
            continue
        start = version.text.index(passage)
        quote = quote_for(version.text, start, start + len(passage))
        author = users[email]
        internal = policy.writes_internal(author)
        comment = comments.on_passage(
            version, quote, body, author.id, None if internal else consultation, is_demo=True
        )
        session.add(comment)
        session.flush()
        anchoring.place_new_comment(session, comment)
        made += 1
    progress(f"Demo consultation and {made} demo comments added")
