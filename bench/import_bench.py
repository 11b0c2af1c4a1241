"""Benchmark: importing the GPLv3 drafting history, draft by draft, as `flask import-text` does.

    .venv/bin/python bench/import_bench.py [--repeat N]

Each run starts from a fresh SQLite database (built once by the real migrations, then copied)
and imports the five public drafts in order through redline.services.imports: read and parse
the file, match its sections to the instrument's, record the meeting's versions, commit. Prints
the median time of N runs per draft, per provision of that draft, and in total, with each
draft's time per provision as a ratio to the first draft's (does an import slow down as the
history grows?). All figures come from this one run, on this machine.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from config import Config  # noqa: E402
from redline import create_app  # noqa: E402
from redline.demo.instruments import GPL, TEXTS  # noqa: E402
from redline.extensions import db  # noqa: E402
from redline.services import imports, meetings  # noqa: E402

DRAFTS = GPL["meetings"]  # (title, date, file name): the demo's GPLv3 history
MAX_CHARS = 1_000_000


def make_app(path: Path):
    class BenchConfig(Config):
        SECRET_KEY = "import-bench"
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{path}"

    return create_app(BenchConfig)


def template_database(directory: Path) -> Path:
    """An empty database at the current schema, built once by the real migrations."""
    import logging

    from flask_migrate import upgrade

    path = directory / "template.sqlite3"
    app = make_app(path)
    logging.disable(logging.INFO)  # Alembic's progress lines are not the bench's output
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        db.engine.dispose()  # closes the last connection: SQLite folds its WAL into the file
    return path


def one_run(app, path: Path, template: Path) -> list[tuple[float, dict]]:
    """Import every draft into a fresh copy of the template; (seconds, counts) per draft."""
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
        shutil.copyfile(template, path)
        out = []
        instrument = None
        for title, on, filename in DRAFTS:
            t0 = time.perf_counter()
            draft = imports.read_file(db.session, str(TEXTS / filename), MAX_CHARS)
            result = imports.apply_import(
                db.session,
                instrument=instrument,
                slug="gplv3",
                title="GPLv3",
                meeting_title=title,
                on=date.fromisoformat(on),
                kind="plenary",
                draft=draft,
                actor=None,
                closed=title != DRAFTS[-1][0],
            )
            db.session.commit()
            out.append((time.perf_counter() - t0, result.as_json()))
            instrument = meetings.instrument_by_slug(db.session, "gplv3")
        db.session.remove()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs; medians are printed")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        template = template_database(Path(tmp))
        path = Path(tmp) / "bench.sqlite3"
        app = make_app(path)
        one_run(app, path, template)  # warm-up: imports, parser tables, SQL compilation cache
        runs = [one_run(app, path, template) for _ in range(args.repeat)]
    counts = [c for _, c in runs[0]]
    per_draft = [statistics.median(run[i][0] for run in runs) for i in range(len(DRAFTS))]
    totals = statistics.median(sum(t for t, _ in run) for run in runs)
    provisions = [c["provisions"] for c in counts]
    base = per_draft[0] / provisions[0]
    print(
        f"{'draft':<20}{'provisions':>11}{'new':>5}{'chg':>5}{'same':>5}{'gone':>5}"
        f"{'median':>11}{'per provision':>15}{'vs draft 1':>12}"
    )
    for (title, _, _), seconds, c in zip(DRAFTS, per_draft, counts, strict=True):
        each = seconds / c["provisions"]
        print(
            f"{title:<20}{c['provisions']:>11}{c['added']:>5}{c['changed']:>5}"
            f"{c['unchanged']:>5}{c['removed']:>5}{seconds * 1000:>8.1f} ms"
            f"{each * 1000:>12.2f} ms{each / base:>11.2f}x"
        )
    n = sum(provisions)
    print(f"{'all five':<20}{n:>11}{'':>20}{totals * 1000:>8.1f} ms{totals / n * 1000:>12.2f} ms")
    print(
        f"median of {args.repeat} runs (after one warm-up), SQLite in a temporary directory; "
        "figures from this machine, this run"
    )


if __name__ == "__main__":
    main()
