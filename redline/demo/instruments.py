"""Demo instruments, recorded through the real importer from the texts copied in texts/."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from redline.models import Comment, User
from redline.services import imports, meetings, uploads

TEXTS = Path(__file__).parent / "texts"
MAX = 1_000_000

GPL = dict(
    slug="gplv3",
    title="GNU General Public License, version 3 (public drafting history)",
    description=(
        "The GPLv3 was drafted in public, 2006-2007, with stakeholder consultation on each "
        "draft: a real drafting process with renumbered, added and removed sections."
    ),
    meetings=[
        ("Discussion Draft 1", "2006-01-16", "GPLv3_discussion-draft-1_2006-01-16.txt"),
        ("Discussion Draft 2", "2006-07-27", "GPLv3_discussion-draft-2_2006-07-27.txt"),
        ("Discussion Draft 3", "2007-03-28", "GPLv3_discussion-draft-3_2007-03-28.txt"),
        ("Last Call Draft", "2007-05-31", "GPLv3_last-call-draft_2007-05-31.txt"),
        ("GPLv3 final", "2007-06-29", "GPL-3.0_2007-06-29.txt"),
    ],
)
BUDAPEST = dict(
    slug="budapest-convention",
    title="Convention on Cybercrime (ETS No. 185)",
    description=(
        "The parent treaty of the Second Additional Protocol. Drafts 19 and 21 (preamble only, "
        "as retrieved) and the final text opened for signature in Budapest, 23.XI.2001."
    ),
    meetings=[
        (
            "Draft No. 19",
            "2000-04-25",
            "budapest_convention_2000-04-25_draft19_preamble_fragment.txt",
        ),
        (
            "Draft No. 21",
            "2000-06-28",
            "budapest_convention_2000-06-28_draft21_preamble_fragment.txt",
        ),
        ("Final text (Budapest, 2001)", "2001-11-23", "budapest_convention_2001_final.txt"),
    ],
)


def _instrument(session: Session, spec: dict, progress: Callable[[str], None]) -> None:
    instrument = meetings.instrument_by_slug(session, spec["slug"])
    done = {m.title for m in meetings.meetings_of(session, instrument.id)} if instrument else set()
    for i, (title, on, filename) in enumerate(spec["meetings"]):
        if title in done:
            continue
        draft = uploads.read_file(str(TEXTS / filename), MAX)
        last = i == len(spec["meetings"]) - 1
        result = imports.apply_import(
            session,
            instrument=instrument,
            slug=spec["slug"],
            title=spec["title"],
            meeting_title=title,
            on=date.fromisoformat(on),
            kind="plenary",
            draft=draft,
            actor=None,
            closed=not last,
        )
        instrument = result.instrument
        instrument.description = spec["description"]
        progress(f"Imported {spec['title']}: {title} ({result.counts})")


def ensure_instruments(session: Session, users: dict[str, User], progress) -> None:
    for spec in (BUDAPEST, GPL):
        _instrument(session, spec, progress)
    session.flush()
    if not session.scalar(sa.select(sa.func.count()).select_from(Comment).where(Comment.is_demo)):
        from redline.demo.comments import add_demo_comments

        add_demo_comments(session, users, progress)
