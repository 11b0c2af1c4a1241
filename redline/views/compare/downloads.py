"""Word downloads: a redline with real tracked changes, or the clean text of one meeting.

A redline carries, as Word comments on their passages of the newer text, the comments the
person downloading may read (redline_comments.word_comments): by default for the drafting side,
on request (`?comments=1`) for a stakeholder; `?comments=0` leaves them out.
"""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import UTC, date, datetime

from flask import Response, send_file
from flask_login import current_user

from redline.domain.export.word import (
    Revision,
    WordComment,
    clean_docx,
    heading_label,
    redline_docx,
)
from redline.domain.text.compare import ProvisionChange
from redline.extensions import db
from redline.models import Meeting
from redline.security import role_required
from redline.services import access, policy, published, redline_comments, redlines, texts
from redline.services.errors import NotFound
from redline.services.published import ShownVersion
from redline.views.compare.common import bp, pick_meetings, pick_versions
from redline.web.params import arg_flag, arg_id

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def file_part(text: str, fallback: str = "text", limit: int = 50) -> str:
    """A piece of a download name: ASCII letters, digits and hyphens only, so no browser or
    mail gateway mangles it and no header can be injected through a meeting title."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    part = re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-").lower()[:limit].strip("-")
    return part or fallback


def _download(data: bytes, *parts: str) -> Response:
    return send_file(
        io.BytesIO(data), mimetype=DOCX, as_attachment=True, download_name="_".join(parts) + ".docx"
    )


def _day(d: date) -> datetime:
    """A meeting's date as the UTC datetime Word wants in w:date."""
    return datetime(d.year, d.month, d.day, tzinfo=UTC)


def comments_wanted() -> bool:
    """?comments=1 or 0; by default the drafting side gets the comments, a stakeholder not."""
    asked = arg_flag("comments")
    return policy.reads_drafts(current_user) if asked is None else asked


def _comments(wanted: bool, changes: list[ProvisionChange]) -> list[WordComment]:
    return redline_comments.word_comments(db.session, current_user, changes) if wanted else []


def _meeting_line(m: Meeting) -> str:
    return f"{m.title} ({m.date.isoformat()})"


@bp.get("/instruments/<int:iid>/compare.docx")
@role_required()
def instrument_docx(iid: int):
    """The instrument's redline between two meetings as a Word file with tracked changes."""
    wanted = comments_wanted()
    inst = access.instrument_for(db.session, current_user, iid)
    _, from_m, to_m = pick_meetings(iid)
    if from_m is None or to_m is None:
        raise NotFound("This instrument has no meeting text to compare yet.")
    changes = redlines.compare_meetings(db.session, from_m, to_m)
    data = redline_docx(
        inst.title,
        f"Changes from {_meeting_line(from_m)} to {_meeting_line(to_m)}",
        changes,
        # The changes are the meeting's work: Word shows the meeting as their author.
        Revision(author=to_m.title, date=_day(to_m.date)),
        _comments(wanted, changes),
    )
    response = _download(
        data, file_part(inst.slug), file_part(from_m.title), "to", file_part(to_m.title)
    )
    db.session.commit()  # keep the diffs for the next download or page view
    return response


def _revision(old: ShownVersion | None, new: ShownVersion | None) -> Revision:
    """Within one meeting a redline is one person's edit; across meetings, the meeting's work.
    The versions are as the reader sees them (services.published): a stakeholder's view has no
    author, so Word names the meeting that published the text, dated when it was published."""
    latest = new if new is not None else old
    assert latest is not None
    if old is not None and new is not None and old.meeting_id == new.meeting_id and new.author:
        return Revision(author=new.author.name, date=new.created_at)
    if latest.published_view:
        return Revision(author=latest.meeting.title, date=latest.created_at)
    return Revision(author=latest.meeting.title, date=_day(latest.meeting.date))


def _version_line(v: ShownVersion | None) -> str:
    return f"version {v.id} ({v.meeting.title})" if v is not None else "(not yet drafted)"


@bp.get("/provisions/<int:pid>/compare.docx")
@role_required()
def provision_docx(pid: int):
    """One provision's redline between two versions as a Word file with tracked changes."""
    wanted = comments_wanted()
    prov, _, old, new = pick_versions(pid)
    change = redlines.compare_versions(db.session, old, new)
    shown_old, shown_new = published.shown_versions(db.session, current_user, [old, new])
    shown = change.shown
    label = heading_label(shown.number, shown.heading, shown.kind) if shown else ""
    data = redline_docx(
        prov.instrument.title,
        f"{label or 'Provision'}: from {_version_line(shown_old)} to {_version_line(shown_new)}",
        [change],
        _revision(shown_old, shown_new),
        _comments(wanted, [change]),
    )
    ends = [f"v{v.id}" if v is not None else "none" for v in (old, new)]
    response = _download(
        data, file_part(prov.instrument.slug), file_part(label, "provision"), ends[0], "to", ends[1]
    )
    db.session.commit()  # the diff, for the next request
    return response


@bp.get("/instruments/<int:iid>/text.docx")
@role_required()
def text_docx(iid: int):
    """The instrument's clean text as of a meeting (default: the latest visible) as Word."""
    inst = access.instrument_for(db.session, current_user, iid)
    mid = arg_id("meeting")
    if mid is not None:
        meeting = access.meeting_for(db.session, current_user, mid, iid)
    else:
        meetings = access.visible_meetings(db.session, current_user, iid)
        if not meetings:
            raise NotFound("This instrument has no meeting text yet.")
        meeting = meetings[-1]
    provisions = [redlines.snapshot(v) for v in texts.versions_as_of(db.session, meeting)]
    data = clean_docx(inst.title, f"Text as of {_meeting_line(meeting)}", provisions)
    return _download(data, file_part(inst.slug), file_part(meeting.title))
