"""Benchmark: comments at scale, measured in one run through the app on a temporary SQLite DB.

    .venv/bin/python bench/comments_bench.py [--comments N] [--repeat R]

1. Render: a provision carrying N comments (threads of one comment and one reply every tenth)
   against the same provision bare. One "render" is what a browser asks for: the provision page,
   then its margin fragment (threads, marks in the text). Goal: at most 3x.
2. Import: importing GPLv3 Discussion Draft 2 over Draft 1 with N comments made on Draft 1
   (spread over its sections) against the same import without comments; the import re-anchors
   every comment and caches the placements. Goal: at most 2x.

Best of R runs each; imports run inside a SAVEPOINT rolled back after each run, and the
anchoring diff cache is emptied, so every run does the whole work.
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

from config import TestConfig  # noqa: E402
from redline import create_app  # noqa: E402
from redline.domain.text import anchors  # noqa: E402
from redline.extensions import db  # noqa: E402
from redline.models import Instrument, Version  # noqa: E402
from redline.services import (  # noqa: E402
    accounts,
    comments,
    imports,
    meetings,
    uploads,  # noqa: E402
    versions,
)

TEXTS = ROOT / "redline" / "demo" / "texts"
DRAFT1 = "GPLv3_discussion-draft-1_2006-01-16.txt"
DRAFT2 = "GPLv3_discussion-draft-2_2006-07-27.txt"
PASSWORD = "bench-password-1"


def best_pair(a, b, repeat: int) -> tuple[float, float]:
    """Best time of each of two runs, interleaved so that a change in the machine's load
    (other processes) hits both alike."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for fn, out in ((a, times[0]), (b, times[1])):
            t = time.perf_counter()
            fn()
            out.append(time.perf_counter() - t)
    return min(times[0]), min(times[1])


def passages(text: str, n: int) -> list[tuple[int, int]]:
    """n passages of 2 to 6 words spread evenly over the text (overlaps allowed)."""
    words = [(m.start(), m.end()) for m in __import__("re").finditer(r"\S+", text)]
    out = []
    for i in range(n):
        first = (i * 7) % max(1, len(words) - 6)
        out.append((words[first][0], words[first + 2 + i % 5][1]))
    return out


def comment_on(session, user, version: Version, n: int) -> None:
    for i, (start, end) in enumerate(passages(version.text, n)):
        c = comments.create_comment(
            session,
            user,
            version.provision,
            body=f"Comment {i} " * 8,
            version_id=version.id,
            start=start,
            end=end,
            exact=version.text[start:end],
        )
        if i % 10 == 0:
            comments.create_comment(
                session, user, version.provision, body="A reply.", parent_id=c.id
            )


def bench_render(app, n: int, repeat: int) -> tuple[float, float]:
    with app.app_context():
        s = db.session
        drafter = accounts.create_user(
            s, email="d@bench.org", name="Drafter", role="drafter", password=PASSWORD
        )
        instrument = meetings.create_instrument(s, slug="render", title="Render", actor=None)
        meetings.create_meeting(
            s, instrument, title="M1", kind="plenary", on=date(2026, 1, 1), actor=None
        )
        text = uploads.read_file(str(TEXTS / DRAFT1), 10**6).provisions[9].text
        ids = []
        for label in ("bare", "loaded"):
            v = versions.add_provision(
                s,
                instrument,
                after_provision_id=None,
                number=label,
                heading="",
                text=text,
                kind="article",
                author=drafter,
                max_chars=10**6,
            )
            ids.append(v.provision_id)
            if label == "loaded":
                comment_on(s, drafter, v, n)
        s.commit()
    client = app.test_client()
    login = client.get("/auth/login").get_data(as_text=True)
    token = login.split('name="csrf_token" value="')[1].split('"')[0]
    client.post(
        "/auth/login", data={"email": "d@bench.org", "password": PASSWORD, "csrf_token": token}
    )

    def render(pid: int):
        def run():
            assert client.get(f"/provisions/{pid}").status_code == 200
            r = client.get(f"/provisions/{pid}/comments", headers={"HX-Request": "true"})
            assert r.status_code == 200

        return run

    render(ids[1])()  # warm up templates and caches
    return best_pair(render(ids[0]), render(ids[1]), repeat)


def bench_import(app, n: int, repeat: int) -> tuple[float, float]:
    runs = []
    with app.app_context():
        s = db.session
        drafter = accounts.create_user(
            s, email="i@bench.org", name="Importer", role="drafter", password=PASSWORD
        )
        draft1 = uploads.read_file(str(TEXTS / DRAFT1), 10**6)
        draft2 = uploads.read_file(str(TEXTS / DRAFT2), 10**6)
        for slug, count in (("plain", 0), ("commented", n)):
            result = imports.apply_import(
                s,
                instrument=None,
                slug=slug,
                title=slug,
                meeting_title="Draft 1",
                on=date(2006, 1, 16),
                kind="plenary",
                draft=draft1,
                actor=None,
            )
            if count:
                made = (
                    s.query(Version)
                    .filter(Version.meeting_id == result.meeting.id, Version.text != "")
                    .all()
                )
                per = [
                    count // len(made) + (1 if i < count % len(made) else 0)
                    for i in range(len(made))
                ]
                for version, k in zip(made, per, strict=True):
                    comment_on(s, drafter, version, k)
            s.commit()

            def run(instrument_id=result.instrument.id):
                anchors._mapping.cache_clear()
                nested = s.begin_nested()
                instrument = s.get(Instrument, instrument_id)
                imports.apply_import(
                    s,
                    instrument=instrument,
                    slug=instrument.slug,
                    title=None,
                    meeting_title="Draft 2",
                    on=date(2006, 7, 27),
                    kind="plenary",
                    draft=draft2,
                    actor=None,
                )
                s.flush()
                nested.rollback()

            run()  # warm up
            runs.append(run)
        return best_pair(runs[0], runs[1], repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:

        class Config(TestConfig):
            SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp}/bench.sqlite3"

        app = create_app(Config)
        accounts.HASH_METHOD = "pbkdf2:sha256:1000"
        with app.app_context():
            from flask_migrate import upgrade

            upgrade(directory=str(ROOT / "migrations"))
        bare, loaded = bench_render(app, args.comments, args.repeat)
        plain, commented = bench_import(app, args.comments, args.repeat)
        with app.app_context():
            db.engine.dispose()
    n = args.comments
    print(
        f"render: bare {bare * 1000:.1f} ms, {n} comments {loaded * 1000:.1f} ms, "
        f"ratio {loaded / bare:.2f} (goal <= 3)"
    )
    print(
        f"import Draft 2: no comments {plain * 1000:.1f} ms, {n} comments "
        f"{commented * 1000:.1f} ms, ratio {commented / plain:.2f} (goal <= 2)"
    )


if __name__ == "__main__":
    main()
