"""Benchmark: importing the GPLv3 drafting history, draft by draft, as `flask import-text` does.

    .venv/bin/python bench/import_bench.py [--repeat N]

Each run starts from a fresh SQLite database (built once by the real migrations, then copied)
and imports the five public drafts in order through redline.services.imports: read and parse
the file, match its sections to the instrument's, record the meeting's versions, commit. Prints
the median time of N runs per draft, per provision of that draft, and in total, with each
draft's time per provision as a ratio to the first draft's (does an import slow down as the
history grows?). All figures come from this one run, on this machine.

Then the Word row (issue 10): a 200-article draft and its successor, each as an auto-numbered
.docx (Word list numbering, footnotes, a tracked change) and as plain text; the second draft is
read and matched against the first (`read_draft` + `match_provisions`: the parse and plan path
of the CLI import and the web preview). Prints the median times and the .docx/.txt ratio
(target: at most 2x). `--word-only` runs just that row.
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
from redline.services import (  # noqa: E402
    imports,
    meetings,
    uploads,  # noqa: E402
)

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
            draft = uploads.read_file(str(TEXTS / filename), MAX_CHARS)
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


def word_drafts(articles: int = 200) -> list[tuple[bytes, bytes]]:
    """Two successive drafts as (.txt bytes, .docx bytes): the second rewords every seventh
    article, inserts three and deletes one, as a negotiation round does. In the .docx every
    article and paragraph number is a Word list number (tests/domain/test_word_autonumbered)."""
    from tests.domain.test_word_autonumbered import as_word

    out = []
    for round_ in (1, 2):
        paragraphs = ["Preamble", "The States Parties to this Convention have agreed as follows:"]
        shown = 0
        for n in range(1, articles + 1):
            if round_ == 2 and n == 50:
                continue
            for k in [n] if round_ == 1 or n not in (10, 90, 150) else [n, n + 1000]:
                shown += 1
                verb = "shall adopt" if round_ == 1 or n % 7 else "may adopt where appropriate"
                paragraphs += [
                    f"Article {shown} – Obligation {k}",
                    f"1. Each Party {verb} such legislative and other measures as may be "
                    f"necessary to give effect to provision {k}.",
                    f"2. The measures referred to in paragraph 1 of provision {k} shall include:",
                    f"a) the powers of the competent authorities under provision {k};",
                    "b) the safeguards provided for in this Convention.",
                ]
        out.append(("\n\n".join(paragraphs).encode(), as_word(paragraphs, auto=True)))
    return out


def word_row(repeat: int) -> None:
    from redline.domain.drafts.matching import Existing, match_provisions
    from redline.domain.drafts.reading import read_draft

    drafts = word_drafts()

    def parse_and_plan(kind: str) -> float:
        t0 = time.perf_counter()
        first = read_draft(f"a.{kind}", drafts[0][kind == "docx"])
        existing = [
            Existing(i, p.number, p.heading, p.kind, p.text, i)
            for i, p in enumerate(first.provisions)
        ]
        second = read_draft(f"b.{kind}", drafts[1][kind == "docx"])
        match_provisions(existing, second.provisions)
        return time.perf_counter() - t0

    parse_and_plan("txt"), parse_and_plan("docx")  # warm-up: imports and parser tables
    runs = [(parse_and_plan("txt"), parse_and_plan("docx")) for _ in range(repeat)]
    times = {
        "txt": statistics.median(t for t, _ in runs),  # interleaved: equal load on both
        "docx": statistics.median(d for _, d in runs),
    }
    provisions = len(read_draft("b.docx", drafts[1][1]).provisions)
    size = len(drafts[1][1]) // 1024
    print(
        f"\nWord row: two 200-article drafts ({provisions} provisions in the second, "
        f".docx {size} kB), read and the second matched against the first"
    )
    print(f"{'plain text':<20}{times['txt'] * 1000:>8.1f} ms")
    print(f"{'.docx':<20}{times['docx'] * 1000:>8.1f} ms")
    print(f"{'ratio .docx / .txt':<20}{times['docx'] / times['txt']:>8.2f}x  (target <= 2x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs; medians are printed")
    parser.add_argument("--word-only", action="store_true", help="only the Word row")
    args = parser.parse_args()
    if args.word_only:
        word_row(args.repeat)
        return
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
    word_row(args.repeat)


if __name__ == "__main__":
    main()
