"""Recording versions: edits (merged when they can be, refused when they would lose words),
new provisions, removals and moves. Every write lands in the newest open meeting."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from redline.domain.text.merge import MergeOutcome, merge_edit
from redline.domain.text.notes import kept_with
from redline.domain.text.validation import TextError, clean_text
from redline.models import PROVISION_KINDS, Instrument, Meeting, Provision, User, Version
from redline.services import audit, texts
from redline.services.errors import BadInput, Conflict, NotFound, TooLarge
from redline.services.meetings import lock_open_meeting

MAX_HEADING = 500
MAX_NUMBER = 100
MAX_MESSAGE = 500


@dataclass
class Saved:
    version: Version
    merged: bool


class EditConflict(Conflict):
    """Someone changed the same words meanwhile: nothing is saved, the user's text is kept."""

    def __init__(self, head: Version, mine: str, outcome: MergeOutcome | None, reason: str):
        super().__init__(reason, head_version_id=head.id)
        self.head = head
        self.mine = mine
        self.outcome = outcome


def checked(text: str, max_chars: int, what: str) -> str:
    try:
        return clean_text(text, max_chars, what)
    except TextError as e:
        raise (TooLarge if e.too_large else BadInput)(str(e)) from None


def _line(value: str | None, limit: int, what: str) -> str | None:
    if value is None:
        return None
    value = checked(value, limit, what)
    if "\n" in value:
        raise BadInput(f"{what} must be a single line.")
    return value.strip()


def open_meeting_for(session: Session, instrument_id: int) -> Meeting:
    """The meeting a write lands in, held open until the transaction ends (see
    meetings.lock_open_meeting); call it before reading the head the write builds on."""
    meeting = lock_open_meeting(session, instrument_id)
    if meeting is None:
        raise Conflict(
            "Every meeting of this instrument is closed, so its text is frozen. The secretariat "
            "must create a new meeting before anyone can edit.",
            code="no_open_meeting",
        )
    return meeting


def _new_version(
    session: Session,
    provision_id: int,
    head: Version | None,
    meeting: Meeting,
    author: User | None,
    **fields,
) -> Version:
    base = dict(
        number=head.number if head else "",
        heading=head.heading if head else "",
        kind=head.kind if head else "article",
        position=head.position if head else 0.0,
        text=head.text if head else "",
        # Notes and direction are not edited in the browser: a new version keeps them.
        notes=list(head.notes or []) if head else [],
        direction=head.direction if head else "ltr",
        removed=False,
    )
    base.update({k: v for k, v in fields.items() if v is not None})
    version = Version(
        provision_id=provision_id,
        meeting_id=meeting.id,
        author_id=author.id if author else None,
        parent_id=head.id if head else None,
        **base,
    )
    session.add(version)
    session.flush()
    return version


def record_edit(
    session: Session,
    provision: Provision,
    *,
    base_version_id: int,
    text: str,
    author: User,
    max_chars: int,
    heading: str | None = None,
    number: str | None = None,
    message: str = "",
) -> Saved:
    """Save a drafter's text, started from `base_version_id`.

    If others saved meanwhile, their changes and this one are merged when they touch different
    words; otherwise EditConflict, and nothing is saved.
    """
    text = checked(text, max_chars, "The text")
    heading = _line(heading, MAX_HEADING, "The heading")
    number = _line(number, MAX_NUMBER, "The number")
    message = _line(message or "", MAX_MESSAGE, "The message") or ""
    base = session.get(Version, base_version_id)
    if base is None or base.provision_id != provision.id:
        raise BadInput("The base version does not belong to this provision.")
    meeting = open_meeting_for(session, provision.instrument_id)
    head = texts.head(session, provision.id)
    assert head is not None  # base exists, so the provision has a head
    merged = False
    if head.id != base.id:
        if head.removed:
            raise EditConflict(head, text, None, "This provision was removed meanwhile.")
        outcome = merge_edit(base.text, text, head.text)
        fields = {}
        for name, mine in (("heading", heading), ("number", number)):
            theirs, was = getattr(head, name), getattr(base, name)
            if mine is not None and mine != was and theirs != was and mine != theirs:
                raise EditConflict(head, text, outcome, f"The {name} was changed meanwhile.")
            fields[name] = mine if mine is not None and mine != was else theirs
        if outcome.status == "conflict":
            raise EditConflict(
                head,
                text,
                outcome,
                "Someone changed the same passage meanwhile. Your text is kept below; "
                "reconcile it with theirs and save again.",
            )
        text, heading, number = outcome.text, fields["heading"], fields["number"]
        merged = outcome.status == "merged"
    # A note lives at its marker: a drafter who deletes "[^2]" from the text deletes note 2.
    notes = kept_with(text, head.notes)
    if (
        head.text == text
        and (heading in (None, head.heading))
        and (number in (None, head.number))
        and notes == list(head.notes or [])
    ):
        return Saved(head, merged=False)  # nothing changed: no empty version
    version = _new_version(
        session,
        provision.id,
        head,
        meeting,
        author,
        text=text,
        heading=heading,
        number=number,
        notes=notes,
        message=message,
        merged_from_id=head.id if merged else None,
    )
    audit.record(
        session,
        author,
        "version.create",
        version,
        f"{version.title} at {meeting.title}" + (" (merged)" if merged else ""),
        provision.instrument_id,
    )
    _after_version(session, version)
    return Saved(version, merged)


def _after_version(session: Session, version: Version) -> None:
    """Place existing comments on the new text once, so pages never recompute anchors."""
    from redline.services import anchoring

    anchoring.place_comments(session, version)


def _neighbour_positions(
    session: Session, meeting: Meeting, after_provision_id: int | None, moving: int | None = None
) -> tuple[float, float | None]:
    order = [v for v in texts.versions_as_of(session, meeting) if v.provision_id != moving]
    if after_provision_id is None:
        return (order[0].position - 1000.0 if order else 1000.0), None
    for i, v in enumerate(order):
        if v.provision_id == after_provision_id:
            nxt = order[i + 1].position if i + 1 < len(order) else None
            return v.position, nxt
    raise BadInput("The provision to place it after is not in the current text.")


def _between(low: float, high: float | None) -> float:
    if high is None:
        return low + 1000.0
    if not low < high:
        raise Conflict("The provisions around that place have the same position; move one first.")
    return (low + high) / 2


def add_provision(
    session: Session,
    instrument: Instrument,
    *,
    after_provision_id: int | None,
    number: str,
    heading: str,
    text: str,
    kind: str,
    author: User,
    max_chars: int,
    message: str = "",
) -> Version:
    """A new provision at a place in the text (after another one, or first)."""
    if kind not in PROVISION_KINDS:
        raise BadInput(f"Kind must be one of: {', '.join(PROVISION_KINDS)}.")
    text = checked(text, max_chars, "The text")
    number = _line(number, MAX_NUMBER, "The number") or ""
    heading = _line(heading, MAX_HEADING, "The heading") or ""
    if not (number or heading or text.strip()):
        raise BadInput("A new provision needs a number, a heading or some text.")
    meeting = open_meeting_for(session, instrument.id)
    if after_provision_id is None:
        low, high = _neighbour_positions(session, meeting, None)
        position = low
    else:
        low, high = _neighbour_positions(session, meeting, after_provision_id)
        position = _between(low, high)
    provision = Provision(instrument_id=instrument.id)
    session.add(provision)
    session.flush()
    version = _new_version(
        session,
        provision.id,
        None,
        meeting,
        author,
        number=number,
        heading=heading,
        kind=kind,
        text=text,
        position=position,
        message=_line(message, MAX_MESSAGE, "The message") or "",
    )
    audit.record(session, author, "provision.add", version, version.title, instrument.id)
    return version


def remove_provision(
    session: Session, provision: Provision, *, base_version_id: int, author: User, message: str = ""
) -> Version:
    """Record the provision as removed at the open meeting; its history stays."""
    meeting = open_meeting_for(session, provision.instrument_id)
    head = texts.head(session, provision.id)
    if head is None or head.removed:
        raise NotFound("This provision is not in the current text.")
    if head.id != base_version_id:
        raise EditConflict(head, head.text, None, "This provision changed meanwhile; look again.")
    version = _new_version(
        session,
        provision.id,
        head,
        meeting,
        author,
        removed=True,
        message=_line(message, MAX_MESSAGE, "The message") or "",
    )
    audit.record(session, author, "provision.remove", version, head.title, provision.instrument_id)
    _after_version(session, version)
    return version


def move_provision(
    session: Session, provision: Provision, *, after_provision_id: int | None, author: User
) -> Version:
    """Put a provision elsewhere in the document order (a new version with a new position)."""
    meeting = open_meeting_for(session, provision.instrument_id)
    head = texts.head(session, provision.id)
    if head is None or head.removed:
        raise NotFound("This provision is not in the current text.")
    if after_provision_id == provision.id:
        raise BadInput("A provision cannot be placed after itself.")
    low, high = _neighbour_positions(session, meeting, after_provision_id, moving=provision.id)
    position = low if after_provision_id is None else _between(low, high)
    version = _new_version(
        session, provision.id, head, meeting, author, position=position, message="Moved"
    )
    audit.record(session, author, "provision.move", version, head.title, provision.instrument_id)
    _after_version(session, version)
    return version


def get_provision(session: Session, provision_id: int) -> Provision:
    provision = session.get(Provision, provision_id)
    if provision is None:
        raise NotFound("No such provision.")
    return provision
