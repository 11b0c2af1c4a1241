"""Benchmark: whole-instrument redlines through the app, on the real GPLv3 drafting history.

    .venv/bin/python bench/compare_bench.py [--repeat N]

The five GPLv3 texts (Discussion Drafts 1-3, Last Call, final) are imported with the real importer
into a temporary SQLite database, one meeting each. Then, median of N runs each:

- cold compare: `redlines.compare_meetings` with an empty `redline_cache` (every diff computed and
  stored), Draft 1 -> final and Last Call -> final;
- warm compare: the same with the cache full (one SELECT, no diff);
- warm compare page vs plain text page: HTTP GET through the test client of
  /instruments/<iid>/compare?from=&to= (redline_cache full, the worker's render memo warm) and of
  /instruments/<iid>?meeting=<final>, runs interleaved (target: the compare page at most 1.5x
  the plain page).

bench/redline_bench.py measures the diff engines themselves (ours vs `redlines`); this one
measures what a drafter waits for.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from config import TestConfig  # noqa: E402
from redline import create_app  # noqa: E402
from redline.demo.instruments import GPL, TEXTS  # noqa: E402
from redline.extensions import db  # noqa: E402
from redline.models import RedlineCache  # noqa: E402
from redline.services import (  # noqa: E402
    accounts,
    imports,
    redlines,
    uploads,  # noqa: E402
)

# (file name, meeting title, date): the demo's GPLv3 history
HISTORY = [(name, title, on) for title, on, name in GPL["meetings"]]
EMAIL, PASSWORD = "bench@example.org", "bench password 123"


def median_ms(
    fn: Callable[[], object], repeat: int, before: Callable[[], object] | None = None
) -> float:
    times = []
    for _ in range(repeat):
        if before is not None:
            before()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def load(app) -> tuple[int, list]:
    """Schema, one drafter, and the GPLv3 history as five meetings."""
    db.create_all()
    accounts.create_user(
        db.session, email=EMAIL, name="Bench Drafter", role="drafter", password=PASSWORD
    )
    instrument = None
    meetings = []
    for name, title, on in HISTORY:
        draft = uploads.read_file(str(TEXTS / name), app.config["MAX_TEXT_CHARS"])
        result = imports.apply_import(
            db.session,
            instrument=instrument,
            slug="gplv3",
            title="GNU GPL version 3",
            meeting_title=title,
            on=date.fromisoformat(on),
            kind="plenary",
            draft=draft,
            actor=None,
        )
        instrument = result.instrument
        meetings.append(result.meeting)
    db.session.commit()
    assert instrument is not None
    return instrument.id, meetings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    n = args.repeat

    with tempfile.TemporaryDirectory() as tmp:

        class BenchConfig(TestConfig):
            SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp}/bench.sqlite3"
            WTF_CSRF_ENABLED = False  # the test client signs in without scraping a token

        app = create_app(BenchConfig)
        with app.app_context():
            iid, meetings = load(app)
            draft1, last_call, final = meetings[0], meetings[3], meetings[-1]

            def empty_cache() -> None:
                db.session.execute(db.delete(RedlineCache))
                db.session.commit()

            def compare(a, b) -> Callable[[], object]:
                def run() -> None:
                    changes = redlines.compare_meetings(db.session, a, b)
                    db.session.commit()
                    assert changes

                return run

            print(f"GPLv3 history: {len(meetings)} meetings, SQLite, median of {n} runs\n")
            print(
                f"{'whole-instrument compare':<42}{'cold (empty cache)':>20}{'warm (cached)':>16}"
            )
            for label, a in (
                ("Discussion Draft 1 -> final", draft1),
                ("Last Call -> final", last_call),
            ):
                cold = median_ms(compare(a, final), n, before=empty_cache)
                compare(a, final)()  # fill the cache
                warm = median_ms(compare(a, final), n)
                print(f"{label:<42}{cold:>17.1f} ms{warm:>13.1f} ms")
            rows = db.session.scalar(db.select(db.func.count()).select_from(RedlineCache))
            finals = final.id
            pairs = [
                ("Discussion Draft 1 -> final", draft1.id),
                ("Last Call -> final", last_call.id),
            ]

        client = app.test_client()
        r = client.post("/auth/login", data={"email": EMAIL, "password": PASSWORD})
        assert r.status_code == 302, r.status_code

        def get(url: str) -> Callable[[], object]:
            def run() -> None:
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)

            return run

        plain_url = f"/instruments/{iid}?meeting={finals}"
        urls = {"plain text page (final)": plain_url}
        for label, from_id in pairs:
            urls["compare page " + label] = f"/instruments/{iid}/compare?from={from_id}&to={finals}"
        for url in urls.values():
            get(url)()  # warm up templates and pool; the first compare view fills the cache
        # Interleaved runs: a load spike on the machine hits every page alike, not just one.
        times: dict[str, list[float]] = {label: [] for label in urls}
        for _ in range(n):
            for label, url in urls.items():
                times[label].append(median_ms(get(url), 1))
        medians = {label: statistics.median(t) for label, t in times.items()}
        plain = medians["plain text page (final)"]
        print(f"\n{'HTTP GET, cache full':<42}{'time':>12}{'vs plain page':>16}")
        for label, ms in medians.items():
            verdict = (
                ""
                if label.startswith("plain")
                else ("  ok" if ms <= 1.5 * plain else "  over the 1.5x target")
            )
            print(f"{label:<42}{ms:>9.1f} ms{ms / plain:>15.2f}x{verdict}")
        print(f"\n{rows} cached diffs in redline_cache after both compares")
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
