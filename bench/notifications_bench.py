"""Benchmark: importing a draft that notifies 1,000 commenters, against the same import
without notifications, in one run on a temporary SQLite database.

    .venv/bin/python bench/notifications_bench.py [--people N] [--provisions P] [--repeat R]

An instrument of P provisions (default 100) and N drafters (default 1,000), each with one
comment on a passage of the first draft. The second draft rewrites every passage, so each
comment's anchor becomes "changed": the import tells each commenter once per comment
("passage_changed") and the whole drafting side of the new draft ("draft_imported"), with
the e-mail queued for each. The same import is timed with the announcements switched off.
Each run is rolled back, so every run starts from the same database; the two sides are
interleaved and the best of R runs each is kept. Target: with notifications at most 1.5x.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from bench.benchlib import make_app, migrate  # noqa: E402
from redline.domain.drafts.reading import parse_draft  # noqa: E402
from redline.extensions import db  # noqa: E402
from redline.models import Comment, Notification, User, Version  # noqa: E402
from redline.services import announcements, imports, meetings  # noqa: E402

PASSAGE = "competent authorities"


def draft(provisions: int, words: str, passage: str = PASSAGE) -> str:
    body = ["# title: Bench Protocol\n"]
    for i in range(1, provisions + 1):
        body.append(
            f"Article {i} – Provision {i}\n\nEach Party shall empower its {passage} to act "
            f"{words} in matter {i}, and shall report on it.\n"
        )
    return "\n".join(body)


def import_draft(session, text: str, title: str, on: date):
    return imports.apply_import(
        session,
        instrument=meetings.instrument_by_slug(session, "bench"),
        slug="bench",
        title="Bench Protocol",
        meeting_title=title,
        on=on,
        kind="plenary",
        draft=parse_draft(text),
        actor=None,
    )


def setup(session, people: int, provisions: int) -> None:
    import_draft(session, draft(provisions, "promptly"), "1st Plenary", date(2026, 1, 10))
    session.execute(
        sa.insert(User),
        [
            dict(
                email=f"drafter{i}@example.org",
                name=f"Drafter {i}",
                password_hash="x",
                role="drafter",
                active=True,
            )
            for i in range(people)
        ],
    )
    ids = list(session.scalars(sa.select(User.id).order_by(User.id)))
    versions = list(session.scalars(sa.select(Version).order_by(Version.id)))
    rows = []
    for n, user_id in enumerate(ids):
        v = versions[n % len(versions)]
        start = v.text.index(PASSAGE)
        rows.append(
            dict(
                provision_id=v.provision_id,
                version_id=v.id,
                start=start,
                end=start + len(PASSAGE),
                exact=PASSAGE,
                prefix=v.text[max(0, start - 32) : start],
                suffix=v.text[start + len(PASSAGE) :][:32],
                body="Please clarify.",
                author_id=user_id,
                visibility="internal",
            )
        )
    session.execute(sa.insert(Comment), rows)
    session.commit()


def timed(session, text: str, on: bool) -> tuple[float, int]:
    saved = announcements.passages_changed, announcements.draft_imported
    if not on:
        announcements.passages_changed = lambda *a, **k: 0
        announcements.draft_imported = lambda *a, **k: 0
    try:
        t = time.perf_counter()
        import_draft(session, text, "2nd Plenary", date(2026, 3, 10))
        session.flush()
        elapsed = time.perf_counter() - t
        told = session.scalar(sa.select(sa.func.count()).select_from(Notification))
    finally:
        announcements.passages_changed, announcements.draft_imported = saved
        session.rollback()
    return elapsed, told


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--provisions", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(f"sqlite:///{tmp}/bench.sqlite3")
        migrate(app)
        with app.app_context():
            setup(db.session, args.people, args.provisions)
            # Every commented passage is rewritten: each comment's anchor becomes "changed".
            second = draft(args.provisions, "promptly", "competent judicial authorities")
            best = {True: float("inf"), False: float("inf")}
            told = {}
            for _ in range(args.repeat):
                for on in (False, True):
                    elapsed, told[on] = timed(db.session, second, on)
                    best[on] = min(best[on], elapsed)
    print(f"{args.people} commenters, {args.provisions} provisions, best of {args.repeat}")
    print(f"  import without notifications: {best[False] * 1000:8.1f} ms ({told[False]} written)")
    print(f"  import with notifications:    {best[True] * 1000:8.1f} ms ({told[True]} written)")
    print(f"  ratio: {best[True] / best[False]:.2f}x (target: at most 1.5x)")


if __name__ == "__main__":
    main()
