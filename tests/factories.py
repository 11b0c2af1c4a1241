"""Small builders for test data, through the real services."""

from __future__ import annotations

from datetime import date

from redline.domain.drafts.reading import parse_draft
from redline.services import imports, meetings

TREATY_1 = """# title: Test Protocol

Preamble

The Parties hereto, considering the need for co-operation,

Article 1 – Purpose

The purpose of this Protocol is to supplement the Convention.

Article 2 – Scope

1. This Protocol applies to specific criminal investigations.

2. Each Party shall adopt such measures as may be necessary.

Article 3 – Definitions

For the purposes of this Protocol, "central authority" means the authority designated.
"""

TREATY_2 = """# title: Test Protocol

Preamble

The Parties hereto, considering the need for cooperation,

Article 1 – Purpose

The purpose of this Protocol is to supplement the Convention.

Article 2 – Definitions

For the purposes of this Protocol, "central authority" means the authority designated.

Article 3 – Scope

1. This Protocol applies to specific criminal investigations and proceedings.

2. Each Party shall adopt such legislative measures as may be necessary.

Article 4 – Direct disclosure of subscriber information

Each Party shall adopt measures to empower its competent authorities to issue an order.
"""


def import_text(session, text: str, title: str, on: str, slug: str = "protocol", closed=False):
    instrument = meetings.instrument_by_slug(session, slug)
    result = imports.apply_import(
        session,
        instrument=instrument,
        slug=slug,
        title="Test Protocol",
        meeting_title=title,
        on=date.fromisoformat(on),
        kind="plenary",
        draft=parse_draft(text),
        actor=None,
        closed=closed,
    )
    session.flush()
    return result


def two_meetings(session):
    """The test protocol at a closed first plenary and an open second one."""
    first = import_text(session, TREATY_1, "1st Plenary", "2019-01-10", closed=True)
    second = import_text(session, TREATY_2, "2nd Plenary", "2019-03-05")
    session.commit()
    return first.instrument, first.meeting, second.meeting
