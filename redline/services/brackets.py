"""Square brackets of a provision, and the bracket report of an instrument between two meetings.

What the reader may see is decided by `access` (visible meetings and versions) and
`redlines.pick_meetings` (which meetings a report compares); nothing here adds a rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from redline.domain.export import bracket_report as export
from redline.domain.text import brackets as domain
from redline.models import Meeting, User, Version
from redline.services import access, redlines, texts
from redline.services.errors import NotFound


@dataclass(frozen=True)
class ProvisionBrackets:
    version: Version
    brackets: domain.Brackets


def of_provision(
    session: Session, user: User, provision_id: int, meeting_id: int | None = None
) -> ProvisionBrackets:
    """The brackets of a provision's text as of a meeting (default: the newest version the
    reader may see). 404 for a meeting the reader may not see, or one before the provision
    existed; a removed provision has no text, hence no brackets."""
    provision = access.provision_for(session, user, provision_id)
    if meeting_id is None:
        version = access.version_to_show(session, user, provision)
    else:
        meeting = access.meeting_for(session, user, meeting_id, provision.instrument_id)
        version = texts.version_as_of(session, provision.id, meeting)
        if version is None:
            raise NotFound("This provision had no text at that meeting.")
    return ProvisionBrackets(version, domain.parse("" if version.removed else version.text))


@dataclass(frozen=True)
class ReportLine:
    """One provision of the report: its versions at both meetings (None: no text there) and
    what became of its brackets."""

    provision_id: int
    before: Version | None
    after: Version | None
    changes: domain.PairChanges

    @property
    def title(self) -> str:
        ref = self.after or self.before
        return ref.title if ref else ""

    @property
    def kept(self) -> int:
        return sum(1 for c in self.changes.closed if c.kept)

    @property
    def dropped(self) -> int:
        return sum(1 for c in self.changes.closed if not c.kept)

    @property
    def eventful(self) -> bool:
        c = self.changes
        return bool(c.opened or c.closed or c.still_open)


@dataclass(frozen=True)
class Report:
    from_meeting: Meeting | None
    to_meeting: Meeting | None
    lines: list[ReportLine]

    def total(self, what: str) -> int:
        if what in ("kept", "dropped"):
            return sum(getattr(line, what) for line in self.lines)
        return sum(len(getattr(line.changes, what)) for line in self.lines)


def report(
    session: Session,
    user: User,
    instrument_id: int,
    from_id: int | None = None,
    to_id: int | None = None,
) -> Report:
    """Brackets opened, closed and still open, per provision, from one meeting's text to
    another's (defaults as on the compare page: the latest visible meeting and the one before).
    Every provision with text at either meeting is listed, in the newer text's order."""
    access.instrument_for(session, user, instrument_id)
    _, from_m, to_m = redlines.pick_meetings(session, user, instrument_id, from_id, to_id)
    if from_m is None or to_m is None:
        return Report(from_m, to_m, [])
    before = _texts(session, from_m)
    after = before if from_m.id == to_m.id else _texts(session, to_m)
    order = list(after) + [pid for pid in before if pid not in after]
    lines = []
    for pid in order:
        old, new = before.get(pid), after.get(pid)
        changes = domain.changes(_text(old), _text(new))
        lines.append(ReportLine(pid, old, new, changes))
    return Report(from_m, to_m, lines)


def _texts(session: Session, meeting: Meeting) -> dict[int, Version]:
    return {v.provision_id: v for v in texts.versions_as_of(session, meeting)}


def _text(v: Version | None) -> str | None:
    return None if v is None or v.removed else v.text


def sheet(report: Report, instrument_title: str) -> export.Sheet:
    """The report as the CSV and Word downloads take it (every provision with a bracket)."""
    rows = tuple(
        export.Row(
            provision=line.title,
            opened=tuple(p.text for p in line.changes.opened),
            kept=tuple(c.pair.text for c in line.changes.closed if c.kept),
            dropped=tuple(c.pair.text for c in line.changes.closed if not c.kept),
            still_open=tuple(p.text for p in line.changes.still_open),
        )
        for line in report.lines
        if line.eventful
    )
    return export.Sheet(
        instrument=instrument_title,
        from_meeting=report.from_meeting.title if report.from_meeting else "",
        to_meeting=report.to_meeting.title if report.to_meeting else "",
        rows=rows,
    )
