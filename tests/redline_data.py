"""Drafting histories for the redline tests: real texts through the importer, or a small
synthetic instrument built version by version."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from redline.models import Consultation, Instrument, Meeting, Provision, Version, utcnow
from redline.services import imports, meetings, uploads

TEXTS = Path(__file__).resolve().parent.parent / "redline" / "demo" / "texts"

GPL_HISTORY = [
    ("GPLv3_discussion-draft-1_2006-01-16.txt", "Discussion Draft 1", "2006-01-16"),
    ("GPLv3_discussion-draft-2_2006-07-27.txt", "Discussion Draft 2", "2006-07-27"),
    ("GPLv3_discussion-draft-3_2007-03-28.txt", "Discussion Draft 3", "2007-03-28"),
    ("GPLv3_last-call-draft_2007-05-31.txt", "Last Call Draft", "2007-05-31"),
    ("GPL-3.0_2007-06-29.txt", "GPLv3 final text", "2007-06-29"),
]
BUDAPEST_HISTORY = [
    ("budapest_convention_2000-06-28_draft21_preamble_fragment.txt", "Draft 21", "2000-06-28"),
    ("budapest_convention_2001_final.txt", "Final text", "2001-11-23"),
]


def import_history(
    session: Session, slug: str, title: str, history: list[tuple[str, str, str]]
) -> tuple[Instrument, list[Meeting]]:
    """Import each file as a meeting of a new instrument, with the real importer."""
    instrument = None
    made = []
    for name, meeting_title, on in history:
        draft = uploads.read_file(str(TEXTS / name), 200_000)
        result = imports.apply_import(
            session,
            instrument=instrument,
            slug=slug,
            title=title,
            meeting_title=meeting_title,
            on=date.fromisoformat(on),
            kind="plenary",
            draft=draft,
            actor=None,
        )
        instrument = result.instrument
        made.append(result.meeting)
    session.flush()
    assert instrument is not None
    return instrument, made


def publish(session: Session, meeting: Meeting) -> Consultation:
    """Publish a meeting's text for consultation (open now), so stakeholders may read it."""
    now = utcnow()
    consultation = Consultation(
        instrument_id=meeting.instrument_id,
        meeting_id=meeting.id,
        title=f"Consultation on {meeting.title}",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
    )
    session.add(consultation)
    session.flush()
    return consultation


class Drafting:
    """A synthetic instrument, versions recorded directly: `put` a provision's state at a
    meeting (creating the provision on first use), `remove` it."""

    def __init__(
        self, session: Session, slug: str = "synthetic", title: str = "Synthetic Protocol"
    ):
        self.session = session
        self.instrument = meetings.create_instrument(session, slug=slug, title=title, actor=None)
        self.provisions: dict[str, Provision] = {}
        self.heads: dict[str, Version] = {}

    def meeting(self, title: str, on: str) -> Meeting:
        return meetings.create_meeting(
            self.session,
            self.instrument,
            title=title,
            kind="plenary",
            on=date.fromisoformat(on),
            actor=None,
        )

    def put(
        self,
        meeting: Meeting,
        key: str,
        number: str = "",
        heading: str = "",
        text: str = "",
        position: float = 0.0,
        kind: str = "article",
        removed: bool = False,
    ) -> Version:
        if key not in self.provisions:
            provision = Provision(instrument_id=self.instrument.id)
            self.session.add(provision)
            self.session.flush()
            self.provisions[key] = provision
        head = self.heads.get(key)
        version = Version(
            provision_id=self.provisions[key].id,
            meeting_id=meeting.id,
            number=number,
            heading=heading,
            kind=kind,
            position=position,
            text=text,
            removed=removed,
            parent_id=head.id if head else None,
        )
        self.session.add(version)
        self.session.flush()
        self.heads[key] = version
        return version

    def carry(self, meeting: Meeting, key: str, **changes) -> Version:
        """A new version of `key` at `meeting`: the head's fields with `changes` applied."""
        head = self.heads[key]
        fields = dict(
            number=head.number,
            heading=head.heading,
            text=head.text,
            position=head.position,
            kind=head.kind,
        )
        fields.update(changes)
        return self.put(meeting, key, **fields)

    def remove(self, meeting: Meeting, key: str) -> Version:
        return self.carry(meeting, key, removed=True)

    def pid(self, key: str) -> int:
        return self.provisions[key].id


def synthetic(session: Session) -> tuple[Drafting, Meeting, Meeting]:
    """Two meetings of a small protocol whose second meeting does one of everything:

    preamble and art1 unchanged (art1 re-saved with the same text), art2 reworded, art3
    removed, art4 renumbered Article 4 → Article 3, art5 moved to the front and reworded,
    art6 added, art7 renumbered Article 7 → Article 8 with a reworded heading.
    """
    d = Drafting(session)
    m1 = d.meeting("1st Drafting Plenary", "2019-09-20")
    m2 = d.meeting("2nd Drafting Plenary", "2019-11-21")
    d.put(m1, "preamble", "", "Preamble", "The Parties to this Protocol,", 0, "preamble")
    d.put(m1, "art1", "Article 1", "Purpose", "The purpose of this Protocol is to supplement.", 1)
    d.put(
        m1, "art2", "Article 2", "Scope", "Each Party shall apply these measures to cyber-crime.", 2
    )
    d.put(m1, "art3", "Article 3", "Definitions", "For the purposes of this Protocol: none.", 3)
    d.put(m1, "art4", "Article 4", "Language", "Requests shall be made in English.", 4)
    d.put(m1, "art5", "Article 5", "Final clause", "This Protocol shall be open for signature.", 5)
    d.put(m1, "art7", "Article 7", "Disclosure", "Each Party shall adopt measures.", 7)
    d.carry(m2, "art1")  # a new version with the same text: still unchanged
    d.carry(
        m2, "art2", text="Each Party shall apply these measures to cybercrime and its proceeds."
    )
    d.remove(m2, "art3")
    d.carry(m2, "art4", number="Article 3")
    d.carry(
        m2, "art5", position=0.5, text="This Protocol shall be open for signature by the Parties."
    )
    d.put(m2, "art6", "Article 6", "Emergency", "In an emergency, a Party may request.", 6)
    d.carry(m2, "art7", number="Article 8", heading="Direct disclosure")
    session.flush()
    return d, m1, m2
