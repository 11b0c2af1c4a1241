"""Benchmark: search over a large comment set against a plain provision page, in one run.

    .venv/bin/python bench/search_bench.py [--comments N] [--repeat R] [--database-url URL]

A protocol of 40 provisions with N internal comments spread over them (bulk inserted: the
triggers / GIN indexes of migration 'search' index them as they land). One "search" is
GET /api/v1/search?scope=comments for two words that occur in about 1% of the comments, as a
drafter (who sees every comment); one "page" is GET /provisions/<pid> for a provision without
comments (the provision page with its history). Goal (issue 13): search at most 3x the page.
Default: a temporary SQLite file; with --database-url, a throwaway PostgreSQL database next
to the one named (dropped after).
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

from bench.benchlib import CSRF, create_database, drop_database, make_app, migrate  # noqa: E402
from redline.extensions import db  # noqa: E402
from redline.models import Comment, utcnow  # noqa: E402
from redline.services import accounts, meetings, versions  # noqa: E402

WORDS = "party measures authority order provider data request court law state".split()
PASSWORD = "bench-password-1"


def build(app, n: int) -> tuple[int, str]:
    with app.app_context():
        user = accounts.create_user(
            db.session, email="d@example.org", name="D", role="drafter", password=PASSWORD
        )
        inst = meetings.create_instrument(db.session, slug="p", title="P", actor=user)
        meetings.create_meeting(
            db.session, inst, title="M1", kind="plenary", on=date(2026, 1, 1), actor=user
        )
        made, after = [], None
        for k in range(40):
            v = versions.add_provision(
                db.session,
                inst,
                after_provision_id=after,
                number=f"Article {k + 1}",
                heading=f"Heading {k}",
                text=" ".join(WORDS[(k + j) % len(WORDS)] for j in range(120)) + ".",
                kind="article",
                author=user,
                max_chars=200_000,
            )
            after = v.provision_id
            made.append(v)
        db.session.flush()
        now = utcnow()
        rows = []
        for i in range(n):
            v = made[1 + i % 39]  # the first provision stays bare: the page measured
            rare = " quokka wombat" if i % 100 == 0 else ""
            body = " ".join(WORDS[(i * 7 + j) % len(WORDS)] for j in range(25)) + rare
            rows.append(
                dict(
                    provision_id=v.provision_id,
                    version_id=v.id,
                    body=body,
                    author_id=user.id,
                    visibility="internal",
                    status="open",
                    disposition_reason="",
                    is_demo=False,
                    created_at=now,
                )
            )
            if len(rows) == 10_000:
                db.session.execute(sa.insert(Comment), rows)
                rows = []
        if rows:
            db.session.execute(sa.insert(Comment), rows)
        token = accounts.issue_token(db.session, user)
        db.session.commit()
        return made[0].provision_id, token


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory()
    url = f"sqlite:///{tmp.name}/bench.sqlite3"
    if args.database_url:
        url = args.database_url.rsplit("/", 1)[0] + "/redline_search_bench"
        create_database(url)
    try:
        app = make_app(url)
        migrate(app)
        t = time.perf_counter()
        pid, token = build(app, args.comments)
        took = time.perf_counter() - t
        print(f"built {args.comments} comments in {took:.1f}s ({url.split(':')[0]})")
        client = app.test_client()
        csrf = CSRF.search(client.get("/auth/login").get_data(as_text=True)).group(1)
        login = {"email": "d@example.org", "password": PASSWORD, "csrf_token": csrf}
        assert client.post("/auth/login", data=login).status_code == 302
        headers = {"Authorization": f"Bearer {token}"}

        def search():
            r = client.get('/api/v1/search?q="quokka wombat"&scope=comments', headers=headers)
            assert r.status_code == 200 and r.json["items"], r.status_code

        def page():
            r = client.get(f"/provisions/{pid}")
            assert r.status_code == 200, r.status_code

        search(), page()
        s, p = best(search, args.repeat), best(page, args.repeat)
        print(f"search over comments: {s * 1000:.1f} ms")
        print(f"plain provision page: {p * 1000:.1f} ms")
        print(f"ratio: {s / p:.2f}x (goal: at most 3x)")
    finally:
        if args.database_url:
            drop_database(url)
        tmp.cleanup()


if __name__ == "__main__":
    main()
