"""Reading instruments, their text as of a meeting, and provision histories."""

from __future__ import annotations

from flask_login import current_user

from redline.api.blueprint import bp
from redline.api.contract import endpoint, query, respond
from redline.api.schemas import (
    Instrument,
    InstrumentList,
    InstrumentRef,
    InstrumentText,
    Meeting,
    ProvisionRef,
    TextQuery,
    Version,
    VersionList,
)
from redline.extensions import db
from redline.security import role_required
from redline.services import access, published, texts
from redline.services.published import ShownVersion


def notes_of(v) -> list[dict]:
    """A version's footnotes and endnotes (`Note`), in the order of their markers in its text."""
    return [
        {"marker": n["marker"], "text": n["text"], "kind": n.get("kind") or "footnote"}
        for n in (v.notes or [])
    ]


def version_fields(v: ShownVersion) -> dict:
    """A version as the reader may see it (services.published decides: for a stakeholder the
    meeting it was published at, no author, no message, no unpublished ids)."""
    return dict(
        id=v.id,
        provision_id=v.provision_id,
        meeting_id=v.meeting_id,
        number=v.number,
        heading=v.heading,
        kind=v.kind,
        text=v.text,
        notes=notes_of(v),
        direction=v.direction or "ltr",
        removed=v.removed,
        author=v.author.name if v.author else None,
        created_at=v.created_at.isoformat(),
        message=v.message,
        parent_id=v.parent_id,
        merged_from_id=v.merged_from_id,
    )


@bp.get("/instruments")
@endpoint("Instruments visible to the caller", responses={200: InstrumentList})
@role_required()
def instruments():
    """Instruments this caller may read."""
    items = access.visible_instruments(db.session, current_user)
    return respond(
        InstrumentList(items=[InstrumentRef(id=i.id, slug=i.slug, title=i.title) for i in items])
    )


@bp.get("/instruments/<int:iid>")
@endpoint(
    "An instrument, its meetings (chronological) and provisions",
    responses={200: Instrument},
    errors=(404,),
)
@role_required()
def instrument(iid: int):
    """One instrument with its meetings (chronological) and provisions (latest visible text)."""
    inst = access.instrument_for(db.session, current_user, iid)
    meetings = access.visible_meetings(db.session, current_user, iid)
    latest = texts.versions_as_of(db.session, meetings[-1]) if meetings else []
    return respond(
        Instrument(
            id=inst.id,
            slug=inst.slug,
            title=inst.title,
            description=inst.description,
            meetings=[
                Meeting(
                    id=m.id,
                    title=m.title,
                    kind=m.kind,
                    date=m.date.isoformat(),
                    end_date=m.end_date.isoformat() if m.end_date else None,
                    status=m.status,
                )
                for m in meetings
            ],
            provisions=[
                ProvisionRef(id=v.provision_id, number=v.number, heading=v.heading, kind=v.kind)
                for v in latest
            ],
        )
    )


def text_provision(v) -> dict:
    """One provision of the text (`TextProvision`). A whole text is validated by its model in
    one call, which is faster than a model per provision (bench/api_bench.py)."""
    return {
        "id": v.provision_id,
        "number": v.number,
        "heading": v.heading,
        "kind": v.kind,
        "version_id": v.id,
        "text": v.text,
        "notes": notes_of(v),
        "direction": v.direction or "ltr",
    }


@bp.get("/instruments/<int:iid>/text")
@endpoint(
    "The whole text as of a meeting, in document order",
    query=TextQuery,
    responses={200: InstrumentText},
    errors=(400, 404),
)
@role_required()
def instrument_text(iid: int):
    """The whole text as of a meeting (default: the latest visible), in document order;
    removed provisions left out."""
    access.instrument_for(db.session, current_user, iid)
    mid = query().meeting
    if mid is None:
        meetings = access.visible_meetings(db.session, current_user, iid)
        if not meetings:
            return respond(InstrumentText(meeting_id=None, provisions=[]))
        meeting = meetings[-1]
    else:
        meeting = access.meeting_for(db.session, current_user, mid, iid)
    provisions = [text_provision(v) for v in texts.versions_as_of(db.session, meeting)]
    return respond(
        InstrumentText.model_validate({"meeting_id": meeting.id, "provisions": provisions})
    )


@bp.get("/provisions/<int:pid>/versions")
@endpoint("Every version of a provision, oldest first", responses={200: VersionList}, errors=(404,))
@role_required()
def versions(pid: int):
    """Every version of a provision this caller may read, oldest first."""
    provision = access.provision_for(db.session, current_user, pid)
    items = published.shown_history(db.session, current_user, provision)
    return respond(VersionList(items=[Version(**version_fields(v)) for v in items]))
