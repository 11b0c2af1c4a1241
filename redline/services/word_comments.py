"""Word comments found in an imported draft become internal comments on their passages.

The reader tells, for each comment, the paragraph where its passage starts and the passage as
stored (`DraftComment`). The passage is looked for in the text of the provision built from that
paragraph by plain string search (never a pattern made from the file), and anchored with the
same selectors as a comment made in the browser. A passage that cannot be found (deleted by a
rejected change, or spread over a heading) puts the comment on the provision's whole text, and
says so in its body; a comment with no provision text to sit on is reported, never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from redline.domain.drafts.paragraphs import DraftComment
from redline.domain.drafts.reading import ParsedDraft
from redline.domain.text.anchors import quote_for
from redline.models import User, Version
from redline.services import anchoring, audit
from redline.services.comments import MAX_BODY, on_passage

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass
class WordCommentsOutcome:
    on_passage: int = 0
    on_provision: int = 0  # passage not found: anchored on the provision's whole text
    not_imported: list[dict] = field(default_factory=list)  # with the reason why

    @property
    def imported(self) -> int:
        return self.on_passage + self.on_provision

    def as_json(self) -> dict:
        return {
            "imported": self.imported,
            "on_passage": self.on_passage,
            "on_provision": self.on_provision,
            "not_imported": self.not_imported,
        }


def provision_of_paragraph(draft: ParsedDraft) -> list[tuple[int, int]]:
    """For each paragraph of the reader's sequence: the index of the provision it went into
    and where that paragraph starts in the provision's text (0 for a heading paragraph).

    Editorial notes that stood as paragraphs of their own (text files only) are counted with
    the provision before them, so indexes stay aligned with the reader's."""
    owner: list[tuple[int, int]] = []
    for i, p in enumerate(draft.provisions):
        heads = 0 if p.run_in or not p.heading_source else len(p.heading_source.split("\n\n"))
        owner.extend([(i, 0)] * heads)
        offset = 0
        for body in p.paragraphs:
            owner.append((i, offset))
            offset += len(body) + 2  # the text joins paragraphs with a blank line
    own_notes = sorted(
        (place.after for place in draft.note_places if place.joiner is None), reverse=True
    )
    for after in own_notes:
        owner.insert(after, owner[after - 1] if after else (0, 0))
    return owner


def _clean(text: str) -> str:
    return _CONTROL.sub(" ", text)


def _body(c: DraftComment, found: bool) -> str:
    who = c.author.strip() or "unknown author"
    when = f" on {c.date}" if c.date else ""
    head = f"Word comment by {who}{when}"
    if not found:
        passage = c.exact if len(c.exact) <= 200 else c.exact[:200] + "…"
        head += (
            f' (its passage "{passage}" is no longer in the text)'
            if c.exact
            else " (its passage is no longer in the text)"
        )
    body = _clean(f"{head}:\n\n{c.body.strip() or '(empty comment)'}")
    return body if len(body) <= MAX_BODY else body[: MAX_BODY - 1] + "…"


def _report(c: DraftComment, reason: str) -> dict:
    return {"author": c.author, "date": c.date, "body": c.body, "exact": c.exact, "reason": reason}


def import_comments(
    session: Session,
    draft: ParsedDraft,
    carriers: Sequence[Version | None],
    actor: User | None,
) -> WordCommentsOutcome:
    """Record the draft's Word comments on `carriers[i]`, the version that holds provision i's
    text after the import. `actor` is recorded as the comments' author (the body names the
    Word author); without one (a CLI import with no account) they are only reported."""
    out = WordCommentsOutcome()
    comments = draft.word.comments if draft.word else ()
    if not comments:
        return out
    owner = provision_of_paragraph(draft)
    for c in comments:
        if actor is None:
            out.not_imported.append(_report(c, "no account to record them under (use --by)"))
            continue
        index, offset = owner[c.paragraph] if 0 <= c.paragraph < len(owner) else (None, 0)
        version = carriers[index] if index is not None else None
        if version is None or version.removed or not version.text:
            out.not_imported.append(_report(c, "no provision text to place it on"))
            continue
        # The occurrence in the comment's own paragraph first, then anywhere in the provision.
        at = -1
        if c.exact:
            at = version.text.find(c.exact, offset)
            at = at if at >= 0 else version.text.find(c.exact)
        found = at >= 0
        start, end = (at, at + len(c.exact)) if found else (0, len(version.text))
        quote = quote_for(version.text, start, end)
        comment = on_passage(version, quote, _body(c, found), actor.id, None)
        session.add(comment)
        session.flush()
        audit.record(
            session,
            actor,
            "comment.create",
            comment,
            f"Word comment by {c.author or 'unknown author'} imported on {version.title}",
            version.provision.instrument_id,
        )
        anchoring.place_new_comment(session, comment)
        if found:
            out.on_passage += 1
        else:
            out.on_provision += 1
    return out
