"""What a reader is shown about a version: the one place that decides it.

The drafting side sees the record as it is: the meeting a version was recorded at, when, by
whom, with the drafter's message, and its parent and merge ids. A stakeholder sees a published
view: a version reaches them only because a consultation published a meeting's text that
carries it, possibly a later meeting than the one it was recorded at (a text drafted at an
unpublished drafting group and published at the next plenary). So the view names the meeting
it was first published at and the time that publication opened, and nothing of the drafting
behind it: no author, no message, no merge, and as parent the previous version they were shown
(never the id of a version they may not read). An unpublished meeting's title, id and dates,
and the drafters' names, are negotiating information.

Every surface that shows a version's line, history or revision author goes through here: the
version JSON, the provision page and its margin, the compare page, the Word redline.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from redline.models import Meeting, Provision, User, Version
from redline.services import access, policy, texts
from redline.services.errors import NotFound


@dataclass(frozen=True)
class ShownVersion:
    """A version as one reader may see it (read-only; the text is the version's own)."""

    id: int
    provision_id: int
    number: str
    heading: str
    kind: str
    text: str
    notes: list  # [{"marker", "text", "kind"}], as stored on the version
    direction: str
    removed: bool
    position: float
    title: str
    meeting: Meeting  # recorded at (drafting side) or first published at (stakeholders)
    created_at: datetime  # recorded (drafting side) or publication opened (stakeholders)
    author: User | None
    message: str
    parent_id: int | None
    merged_from_id: int | None
    published_view: bool  # True when this is a stakeholder's view, not the record
    # How people name it: "1st Plenary, version 2" (the meeting and the version's sequence
    # there) on the drafting side, "1st Plenary, published text" for stakeholders; never an id.
    label: str = ""

    @property
    def meeting_id(self) -> int:
        return self.meeting.id


def _shown(v: Version, **over) -> ShownVersion:
    fields = dict(
        id=v.id,
        provision_id=v.provision_id,
        number=v.number,
        heading=v.heading,
        kind=v.kind,
        text=v.text,
        notes=v.notes or [],
        direction=v.direction or "ltr",
        removed=v.removed,
        position=v.position,
        title=v.title,
        meeting=v.meeting,
        created_at=v.created_at,
        author=v.author,
        message=v.message or "",
        parent_id=v.parent_id,
        merged_from_id=v.merged_from_id,
        published_view=False,
    )
    fields.update(over)
    return ShownVersion(**fields)


def shown_history(session: Session, reader: User, provision: Provision) -> list[ShownVersion]:
    """Every version of the provision this reader may see, oldest first, as they see it (the
    same versions, in the same order, as access.visible_versions)."""
    if policy.sees_drafting_record(reader):
        out, seq = [], {}
        for v in texts.history(session, provision.id):
            seq[v.meeting_id] = seq.get(v.meeting_id, 0) + 1
            out.append(_shown(v, label=f"{v.meeting.title}, version {seq[v.meeting_id]}"))
        return out
    publications = access.publications(session, provision.instrument_id)
    carried = texts.versions_as_of_each(session, provision.id, [m for m, _ in publications])
    out: list[ShownVersion] = []
    for meeting, opened in publications:
        v = carried[meeting.id]
        if v is None or v.removed or (out and out[-1].id == v.id):
            continue  # not drafted yet, removed, or the same text published again
        out.append(
            _shown(
                v,
                meeting=meeting,
                created_at=opened,
                author=None,
                message="",
                parent_id=out[-1].id if out else None,
                merged_from_id=None,
                published_view=True,
                label=f"{meeting.title}, published text",
            )
        )
    return out


def shown_version(
    session: Session,
    reader: User,
    version: Version | ShownVersion,
    cache: dict[int, dict[int, ShownVersion]] | None = None,
) -> ShownVersion:
    """One version as this reader sees it; NotFound if they may not see it at all. `cache`
    (provision id -> its shown history by version id, kept by the caller for one request)
    lets a page ask about many versions with one history query per provision."""
    if isinstance(version, ShownVersion):
        return version
    cache = {} if cache is None else cache
    if version.provision_id not in cache:
        history = shown_history(session, reader, version.provision)
        cache[version.provision_id] = {s.id: s for s in history}
    shown = cache[version.provision_id].get(version.id)
    if shown is None:
        raise NotFound("No such version.")
    return shown


def shown_versions(
    session: Session,
    reader: User,
    versions: Iterable[Version | ShownVersion | None],
    cache: dict[int, dict[int, ShownVersion]] | None = None,
) -> list[ShownVersion | None]:
    """Several versions (of one provision or several) as this reader sees them, computing each
    provision's history once; None stays None (no version at that end)."""
    cache = {} if cache is None else cache
    return [None if v is None else shown_version(session, reader, v, cache) for v in versions]
