"""Importing a draft after a meeting: parse it, match its provisions to the instrument's,
preview what would change, and record the meeting's versions in one transaction."""

from __future__ import annotations

import hashlib
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from redline.domain.drafts.matching import Existing, Match, match_provisions
from redline.domain.drafts.paragraphs import TrackedChanges, WordExtras
from redline.domain.drafts.reading import (
    ParsedDraft,
    ParsedProvision,
)
from redline.domain.text.notes import stored as stored_notes
from redline.models import AuditEvent, Instrument, Meeting, Provision, User, Version
from redline.services import anchoring, announcements, audit, meetings, texts
from redline.services import word_comments as word_comments_service
from redline.services.errors import BadInput
from redline.services.uploads import corrections_in_words
from redline.services.word_comments import WordCommentsOutcome

Progress = Callable[[str], None]


@dataclass
class PlanRow:
    """One line of the preview: what happens to one provision."""

    status: str  # unchanged | changed | new | removed | renumbered
    parsed: ParsedProvision | None
    head: Version | None
    text_changed: bool = False
    similarity: float = 0.0


@dataclass
class ImportPlan:
    instrument: Instrument | None
    draft: ParsedDraft
    rows: list[PlanRow]
    matches: list[Match]
    heads: dict[int, Version]
    fingerprint: str  # changes when the instrument's text changes: stale previews are refused
    counts: dict[str, int] = field(default_factory=dict)


def _current(session: Session, instrument: Instrument | None) -> list[Version]:
    if instrument is None:
        return []
    latest = meetings.latest_meeting(session, instrument.id)
    return texts.versions_as_of(session, latest) if latest else []


def plan_import(session: Session, instrument: Instrument | None, draft: ParsedDraft) -> ImportPlan:
    """Match the draft's provisions to the instrument's current ones, without writing."""
    current = _current(session, instrument)
    heads = {v.provision_id: v for v in current}
    existing = [
        Existing(v.provision_id, v.number, v.heading, v.kind, v.text, i)
        for i, v in enumerate(current)
    ]
    matches = match_provisions(existing, draft.provisions)
    rows = []
    for m in matches:
        parsed = draft.provisions[m.parsed_index] if m.parsed_index is not None else None
        head = heads.get(m.provision_id) if m.provision_id is not None else None
        rows.append(PlanRow(m.status, parsed, head, m.text_changed, m.similarity))
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.status] = counts.get(r.status, 0) + 1
    digest = hashlib.sha256(",".join(str(v.id) for v in current).encode()).hexdigest()[:16]
    return ImportPlan(instrument, draft, rows, matches, heads, digest, counts)


def _positions(plan: ImportPlan) -> list[float]:
    """Document positions for the draft's provisions.

    Matched provisions already in the right relative order keep their position (a longest
    increasing run of their old positions), so an import that only changes words records no
    spurious 'moved' versions; the others are spaced between their neighbours.
    """
    n = len(plan.draft.provisions)
    old: list[float | None] = [None] * n
    for m in plan.matches:
        if m.parsed_index is not None and m.provision_id is not None:
            old[m.parsed_index] = plan.heads[m.provision_id].position
    # Longest strictly increasing subsequence of the known positions (patience sorting).
    idx = [i for i in range(n) if old[i] is not None]
    tails: list[float] = []
    tails_at: list[int] = []
    back: dict[int, int] = {}
    for i in idx:
        k = bisect_left(tails, old[i])
        if k == len(tails):
            tails.append(old[i])
            tails_at.append(i)
        else:
            tails[k], tails_at[k] = old[i], i
        back[i] = tails_at[k - 1] if k else -1
    keep: set[int] = set()
    i = tails_at[-1] if tails_at else -1
    while i >= 0:
        keep.add(i)
        i = back[i]
    out: list[float] = [0.0] * n
    prev: float | None = None
    run: list[int] = []
    for i in range(n + 1):
        if i < n and i not in keep:
            run.append(i)
            continue
        nxt = old[i] if i < n else None
        gap = 1000.0 * (len(run) + 1)
        lo = prev if prev is not None else (nxt - gap if nxt is not None else 0.0)
        hi = nxt if nxt is not None else lo + gap
        for j, r in enumerate(run, start=1):
            out[r] = lo + (hi - lo) * j / (len(run) + 1)
        run = []
        if i < n:
            out[i] = prev = nxt
    return out


@dataclass
class ImportResult:
    """What an import did. Besides the provision counts: the tracked changes the file held
    and which text was kept, what a Word file held that could not be carried (by kind), and
    what became of the file's Word comments (for the CLI JSON and the web confirmation)."""

    instrument: Instrument
    meeting: Meeting
    counts: dict[str, int]
    tracked: TrackedChanges = field(default_factory=TrackedChanges)
    not_carried: dict[str, int] = field(default_factory=dict)
    word_comments: WordCommentsOutcome = field(default_factory=WordCommentsOutcome)

    def as_json(self) -> dict:
        c, t = self.counts, self.tracked
        return {
            "instrument_id": self.instrument.id,
            "meeting_id": self.meeting.id,
            "provisions": c["provisions"],
            "added": c["added"],
            "changed": c["changed"],
            "unchanged": c["unchanged"],
            "removed": c["removed"],
            "tracked_changes": {
                "insertions": t.insertions,
                "deletions": t.deletions,
                "moves": t.moves,
                "comments": t.comments,
                "resolved": t.resolved,
            },
            "not_carried": dict(self.not_carried),
            "word_comments": self.word_comments.as_json(),
        }


def apply_import(
    session: Session,
    *,
    instrument: Instrument | None,
    slug: str,
    title: str | None,
    meeting_title: str,
    on: date,
    kind: str,
    draft: ParsedDraft,
    actor: User | None,
    closed: bool = False,
    source: str = "",
    expected_fingerprint: str | None = None,
    progress: Progress = lambda _m: None,
) -> ImportResult:
    """Record a meeting and a version for every provision that is new, changed or removed."""
    if instrument is None:
        instrument = meetings.create_instrument(
            session, slug=slug, title=title or draft.title or slug, actor=actor
        )
    plan = plan_import(session, instrument, draft)
    if expected_fingerprint is not None and expected_fingerprint != plan.fingerprint:
        raise BadInput("The instrument's text changed since the preview; look at it again.")
    notes = "; ".join(draft.notes)
    meeting = meetings.create_meeting(
        session,
        instrument,
        title=meeting_title,
        kind=kind,
        on=on,
        actor=actor,
        source="; ".join(p for p in (source or draft.meta.get("source", ""), notes) if p),
        language=draft.word.language if draft.word else "",
    )
    positions = _positions(plan)
    counts = {
        "provisions": len(draft.provisions),
        "added": 0,
        "changed": 0,
        "unchanged": 0,
        "removed": 0,
    }
    total = len(plan.rows)
    recorded: list[Version] = []
    # The version holding each draft provision's text once imported (new, or the unchanged
    # head): where the file's Word comments are placed.
    carriers: list[Version | None] = [None] * len(draft.provisions)
    for done, (m, row) in enumerate(zip(plan.matches, plan.rows, strict=True), start=1):
        if total >= 50 and done % 25 == 0:
            progress(f"  {done}/{total} provisions")
        if row.parsed is None:  # in the instrument, not in the draft: removed at this meeting
            head = row.head
            recorded.append(
                _version(
                    session,
                    head.provision_id,
                    head,
                    meeting,
                    actor,
                    number=head.number,
                    heading=head.heading,
                    kind=head.kind,
                    position=head.position,
                    text=head.text,
                    removed=True,
                )
            )
            counts["removed"] += 1
            continue
        p, position = row.parsed, positions[m.parsed_index]
        fields = dict(
            number=p.number,
            heading=p.heading,
            kind=p.kind,
            text=p.text,
            notes=stored_notes(p.notes),
            direction=p.direction,
            position=position,
            removed=False,
        )
        head = row.head
        if head is None:
            provision = Provision(instrument_id=instrument.id)
            session.add(provision)
            session.flush()
            recorded.append(_version(session, provision.id, None, meeting, actor, **fields))
            carriers[m.parsed_index] = recorded[-1]
            counts["added"] += 1
        elif all(_same(getattr(head, k), v) for k, v in fields.items()):
            carriers[m.parsed_index] = head
            counts["unchanged"] += 1
        else:
            recorded.append(_version(session, head.provision_id, head, meeting, actor, **fields))
            carriers[m.parsed_index] = recorded[-1]
            counts["changed"] += 1
    session.flush()
    placed = sum(anchoring.place_comments(session, v) for v in recorded if v.parent_id)
    announcements.passages_changed(session, meeting, [v for v in recorded if v.parent_id])
    announcements.draft_imported(session, meeting, actor)
    word_comments = word_comments_service.import_comments(session, draft, carriers, actor)
    # For the web confirmation, which reads the counts: Word comments imported, and not.
    counts["word_comments"] = word_comments.imported
    counts["word_comments_not_imported"] = len(word_comments.not_imported)
    audit.record(
        session,
        actor,
        "meeting.import",
        meeting,
        f"{meeting.title}: {counts['added']} added, {counts['changed']} changed, "
        f"{counts['unchanged']} unchanged, {counts['removed']} removed"
        + (f"; {placed} comment anchors placed" if placed else "")
        + _extras_summary(draft, word_comments),
        instrument.id,
    )
    # Closed last: the Word comments are recorded on the meeting's versions first.
    if closed:
        meetings.close_meeting(session, meeting, actor)
    word = draft.word or WordExtras()
    return ImportResult(
        instrument, meeting, counts, word.tracked, dict(word.not_carried), word_comments
    )


def _same(stored, parsed) -> bool:
    """A stored value equals a parsed one (a row written before notes existed has None)."""
    if isinstance(parsed, list):
        return list(stored or []) == parsed
    return stored == parsed


def _extras_summary(draft: ParsedDraft, word_comments: WordCommentsOutcome) -> str:
    """The audit trail says which text of a tracked file was kept and what was not carried."""
    if draft.word is None:
        return ""
    parts = []
    t = draft.word.tracked
    if t.resolved:
        parts.append(
            f"tracked changes {'accepted' if t.resolved == 'accept' else 'rejected'} "
            f"({t.insertions} insertions, {t.deletions} deletions, {t.moves} moves)"
        )
    if word_comments.imported or word_comments.not_imported:
        parts.append(
            f"{word_comments.imported} Word comments imported, "
            f"{len(word_comments.not_imported)} not imported"
        )
    if draft.word.not_carried:
        parts.append(
            "not carried: "
            + ", ".join(f"{n} {kind}" for kind, n in sorted(draft.word.not_carried.items()))
        )
    return "".join(f"; {p}" for p in parts)


def _version(
    session: Session,
    provision_id: int,
    head: Version | None,
    meeting: Meeting,
    actor: User | None,
    **fields,
) -> Version:
    version = Version(
        provision_id=provision_id,
        meeting_id=meeting.id,
        parent_id=head.id if head else None,
        author_id=actor.id if actor else None,
        message="Imported",
        **fields,
    )
    session.add(version)
    return version


def record_corrections(session: Session, result: ImportResult, draft: ParsedDraft) -> None:
    """Add the corrections made in the preview to the import's audit event, so the trail says
    that the recorded split is not the importer's own."""
    words = corrections_in_words(draft)
    if not words:
        return
    session.flush()
    event = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == "meeting.import", AuditEvent.object_id == result.meeting.id)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).first()
    if event is None:  # apply_import always records one; never lose the corrections
        event = audit.record(
            session, None, "meeting.import", result.meeting, "", result.instrument.id
        )
    note = f"; split corrected in the preview ({len(words)}): " + "; ".join(words)
    if len(event.summary) + len(note) > 2000:
        note = note[: 1999 - len(event.summary)] + "…"
    event.summary += note
