"""Build the compilation of one consultation: what the secretariat publishes afterwards.

Every thread started in the consultation (withdrawn ones left out and counted), grouped by
provision in the order of the consultation's text and by stakeholder category; each with the
passage it quotes, the disposition and its reason, and the thread's replies that were posted in
the consultation (internal notes of the drafting group are never compiled). Two queries.
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from redline.domain.export.compilation import Compilation, Entry, Group, Reply, Section
from redline.models import (
    CATEGORIES,
    CATEGORY_LABELS,
    DISPOSITION_LABELS,
    Comment,
    Consultation,
    User,
    utcnow,
)
from redline.services import consultations, policy

DRAFTING_GROUP = "Drafting group and secretariat"


def _org(comment: Comment) -> str:
    return comment.author.organisation or ""


def build(session: Session, consultation: Consultation, reader: User) -> Compilation:
    """The compilation as `reader` may read it (policy.compilation_clause): before the outcome
    is published only the comments they may see, which for the drafting side is every one;
    once published, every comment of the consultation."""
    rows = session.scalars(
        sa.select(Comment)
        .where(
            Comment.consultation_id == consultation.id,
            Comment.visibility == "consultation",
            policy.compilation_clause(reader, consultation),
        )
        .options(selectinload(Comment.author))
        .order_by(Comment.created_at, Comment.id)
    ).all()
    roots = [c for c in rows if c.parent_id is None]
    replies: dict[int, list[Reply]] = defaultdict(list)
    for c in rows:
        if c.parent_id is not None and not c.withdrawn:
            replies[c.parent_id].append(Reply(c.id, c.author.name, _org(c), c.body, c.created_at))
    text = consultations.published_versions(session, consultation)
    order = {v.provision_id: i for i, v in enumerate(text)}
    labels = {v.provision_id: v.title for v in text}
    by_provision: dict[int, dict[str, list[Entry]]] = defaultdict(lambda: defaultdict(list))
    for c in roots:
        if c.withdrawn:
            continue
        category = CATEGORY_LABELS.get(c.author.category or "", DRAFTING_GROUP)
        by_provision[c.provision_id][category].append(
            Entry(
                comment_id=c.id,
                author=c.author.name,
                organisation=_org(c),
                category=category,
                quote=c.exact or "",
                body=c.body,
                created_at=c.created_at,
                status=c.status,
                disposition=DISPOSITION_LABELS.get(c.disposition or "", ""),
                reason=c.disposition_reason or "",
                replies=tuple(replies[c.id]),
            )
        )
    category_order = [CATEGORY_LABELS[k] for k in CATEGORIES] + [DRAFTING_GROUP]
    sections = tuple(
        Section(
            provision_id=pid,
            label=labels.get(pid, f"Provision {pid} (not in this text)"),
            groups=tuple(Group(cat, tuple(groups[cat])) for cat in category_order if cat in groups),
        )
        for pid, groups in sorted(
            by_provision.items(), key=lambda kv: (order.get(kv[0], 1e9), kv[0])
        )
    )
    return Compilation(
        title=(
            f"Outcome of the consultation: {consultation.title}"
            if policy.outcome_published(consultation)
            else f"Compilation of comments: {consultation.title}"
        ),
        instrument=consultation.instrument.title,
        meeting=consultation.meeting.title,
        opens_at=consultation.opens_at,
        closes_at=max([consultation.closes_at, *(d.closes_at for d in consultation.deadlines)]),
        generated_at=utcnow(),
        sections=sections,
        withdrawn=sum(1 for c in roots if c.withdrawn),
    )
