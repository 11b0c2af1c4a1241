"""Benchmark: do pages stay fast when the database is big? The same pages of the same-shaped
instrument, timed on a PostgreSQL database holding 50 instruments (5,000 meetings, 100,000
versions, 1,000,000 comments) and on one holding only that instrument.

    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/redline_scale \\
        .venv/bin/python bench/scale_bench.py [--repeat 15]

The big database is BENCH_DATABASE_URL, the small one the same name with "_small"; both are
created, migrated and seeded when missing (bulk COPY, then VACUUM ANALYZE; several minutes
for the big one) and left in place, so later runs skip seeding. bench/scale_data.py describes
the data. Pages are requested in-process (Flask's test client, signed in as a drafter through
the login form), alternating small and big, after warm-up requests (which also fill the
redline cache); each ratio is the median time on the big database over the median on the
small one, all measured in this one run. Target: at most 1.5x.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
import time

import scale_data as data
import sqlalchemy as sa
from benchlib import CSRF, create_database, make_app, median, migrate, with_database

TARGET = 1.5


def seeded(app, instruments: int) -> bool:
    """True if the database holds exactly this data set; exits if it holds anything else."""
    from redline.extensions import db
    from redline.models import Comment, Instrument

    with app.app_context():
        found = db.session.scalar(sa.select(sa.func.count()).select_from(Instrument))
        comments = db.session.scalar(sa.select(sa.func.count()).select_from(Comment))
        db.session.remove()
    if found == 0:
        return False
    expected = instruments * data.PROVISIONS * data.ROOTS * 2
    if found == instruments and comments == expected:
        return True
    sys.exit(
        f"the database holds other data ({found} instruments, {comments} comments); "
        "use an empty database or the one this bench seeded"
    )


def seed(app, instruments: int, template: data.Template) -> None:
    """Everything in one transaction, so an interrupted seeding leaves nothing half-done."""
    from werkzeug.security import generate_password_hash

    from redline.extensions import db
    from redline.services.backup import reset_sequences

    t0 = time.perf_counter()
    tables = {t.name: t for t in db.metadata.sorted_tables}
    with app.app_context():
        engine = db.engine
        with engine.begin() as conn:
            raw = conn.connection.driver_connection  # psycopg: COPY is the fast way in
            with raw.cursor() as cur:
                hashed = generate_password_hash(data.BENCH_USER[1])
                _copy(cur, tables["users"], data.users(hashed))
                for i in range(instruments):
                    for name, rows in data.instrument_rows(template, i).items():
                        _copy(cur, tables[name], rows)
                    if instruments > 1 and (i + 1) % 10 == 0:
                        print(f"  {i + 1}/{instruments} instruments loaded", file=sys.stderr)
            reset_sequences(conn)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")  # statistics and visibility map, as in use
        engine.dispose()
    print(f"  seeded in {time.perf_counter() - t0:.0f} s", file=sys.stderr)


def _copy(cursor, table: sa.Table, rows: list[tuple]) -> None:
    columns = [c.name for c in table.columns]
    quoted = ", ".join(f'"{c}"' for c in columns)
    with cursor.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
        for row in rows:
            assert len(row) == len(columns), (table.name, row)
            copy.write_row(row)


@functools.cache
def _template() -> data.Template:
    return data.template()  # computed once, and only if some database needs seeding


def prepare(url: str, instruments: int):
    """An app on `url`: the database created, migrated and seeded if it is not yet."""
    create_database(url)
    app = make_app(url)
    migrate(app)
    if not seeded(app, instruments):
        print(
            f"Seeding {sa.make_url(url).database} ({instruments} instruments)...", file=sys.stderr
        )
        seed(app, instruments, _template())
    return app


def signed_in(app):
    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    email, password = data.BENCH_USER
    r = client.post(
        "/auth/login",
        data={"email": email, "password": password, "csrf_token": CSRF.search(page).group(1)},
    )
    if r.status_code != 302:
        sys.exit(f"signing in failed ({r.status_code})")
    return client


def pages(i: int) -> dict[str, str]:
    """The timed pages of instrument number i (0-based): ids follow scale_data's offsets."""
    iid, pid = i + 1, i * data.PROVISIONS + 8
    first, last = i * data.MEETINGS + 50, i * data.MEETINGS + data.MEETINGS
    return {
        "instrument text": f"/instruments/{iid}",
        "provision page": f"/provisions/{pid}",
        "compare page": f"/instruments/{iid}/compare?from={first}&to={last}",
        "API text": f"/api/v1/instruments/{iid}/text",
        "comments API": f"/api/v1/provisions/{pid}/comments",
        "comment margin": f"/provisions/{pid}/comments",
    }


def timed(client, url: str) -> float:
    t0 = time.perf_counter()
    r = client.get(url)
    elapsed = time.perf_counter() - t0
    if r.status_code != 200:
        sys.exit(f"{url} answered {r.status_code}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="timed requests per page")
    parser.add_argument("--instruments", type=int, default=50)
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url or not url.startswith("postgresql"):
        # Skipped, not failed: `make bench` runs every bench and goes on to the next.
        print("scale_bench skipped: set BENCH_DATABASE_URL=postgresql+psycopg://USER@HOST/NAME")
        return
    small_url = with_database(url, sa.make_url(url).database + "_small")
    small_app, big_app = prepare(small_url, 1), prepare(url, args.instruments)
    small, big = signed_in(small_app), signed_in(big_app)
    middle = args.instruments // 2
    print(f"{'page':<18}{'1 instrument':>14}{f'{args.instruments} instruments':>17}{'ratio':>8}")
    worst = 0.0
    for (label, s_url), b_url in zip(pages(0).items(), pages(middle).values(), strict=True):
        for _ in range(3):  # warm-up: connections, templates, the redline cache
            timed(small, s_url), timed(big, b_url)
        s_times, b_times = [], []
        for _ in range(args.repeat):
            s_times.append(timed(small, s_url))
            b_times.append(timed(big, b_url))
        s, b = median(s_times), median(b_times)
        worst = max(worst, b / s)
        flag = "" if b / s <= TARGET else "  over target"
        print(f"{label:<18}{s * 1000:>11.1f} ms{b * 1000:>14.1f} ms{b / s:>7.2f}x{flag}")
    print(
        f"medians of {args.repeat} requests after 3 warm-ups, alternating; worst ratio "
        f"{worst:.2f}x (target {TARGET}x); this machine, this run"
    )


if __name__ == "__main__":
    main()
