"""Benchmark: matching 1,000 provisions against 1,000, as a ratio to importing one draft.

    .venv/bin/python bench/matching_bench.py [--repeat N]

The draft is built from the real provisions of the demo texts (GPLv3 history, CC BY, the
Budapest Convention), cycled to 1,000 provisions numbered Article 1 to 1,000, so the wording is
treaty-like, boilerplate included. The second draft rewords about a third of them, renumbers
after a removed block, moves a few and adds new ones. "import" is reading and parsing the
first draft and recording it as a new instrument through redline.services.imports in a fresh
SQLite database, committed; "match" is redline.domain.drafts.matching.match_provisions of the second
draft against the first's provisions. Issue 12 (fault 6): the ratio must stay a few times at
most (it was about 70 s for the match alone when every pair was compared). Medians of N runs,
both measured in this one run on this machine.
"""

from __future__ import annotations

import argparse
import random
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
from redline.demo.instruments import TEXTS  # noqa: E402
from redline.domain.drafts.matching import Existing, match_provisions  # noqa: E402
from redline.domain.drafts.reading import read_draft  # noqa: E402
from redline.extensions import db  # noqa: E402
from redline.services import imports, uploads  # noqa: E402

SIZE = 1_000
MAX_CHARS = 10_000_000


def source_provisions() -> list[tuple[str, str]]:
    """(heading, text) of every provision with text in the demo drafts."""
    out = []
    for path in sorted(TEXTS.glob("*.txt")):
        for p in read_draft(path.name, path.read_bytes()).provisions:
            if p.text.strip() and p.kind == "article":
                out.append((p.heading or "Provision", p.text))
    return out


def drafts(size: int = SIZE, seed: int = 12) -> tuple[str, str]:
    rng = random.Random(seed)
    source = source_provisions()
    first = [
        (f"{h} ({i // len(source) + 1})", t)
        for i, (h, t) in enumerate(source[i % len(source)] for i in range(size))
    ]
    second = []
    for heading, text in first:
        if rng.random() < 0.01:
            continue  # removed
        words = text.split(" ")
        if rng.random() < 0.33:
            for _ in range(rng.randint(1, 12)):
                words[rng.randrange(len(words))] = rng.choice(["Contracting", "State", "hereof"])
        second.append((heading, " ".join(words)))
        if rng.random() < 0.01:
            second.append((f"New {rng.randrange(10**6)}", "A new provision. " * 5))
    for _ in range(5):  # a few moved
        i, j = rng.randrange(len(second)), rng.randrange(len(second))
        second.insert(j, second.pop(i))

    def write(provisions) -> str:
        return (
            "\n\n".join(
                f"Article {n} – {heading}\n\n{text}"
                for n, (heading, text) in enumerate(provisions, start=1)
            )
            + "\n"
        )

    return write(first), write(second)


class BenchConfig(Config):
    SECRET_KEY = "bench"  # noqa: S105 - a benchmark, not a deployment
    SQLALCHEMY_DATABASE_URI = "sqlite://"


def import_once(path: Path, text: str) -> float:
    source = path.with_suffix(".txt")
    source.write_text(text, encoding="utf-8")
    BenchConfig.SQLALCHEMY_DATABASE_URI = f"sqlite:///{path}"
    app = create_app(BenchConfig)
    with app.app_context():
        db.create_all()
        t0 = time.perf_counter()
        draft = uploads.read_file(str(source), MAX_CHARS)
        imports.apply_import(
            db.session,
            instrument=None,
            slug="bench",
            title="Bench",
            meeting_title="1st",
            on=date(2026, 1, 1),
            kind="plenary",
            draft=draft,
            actor=None,
            closed=False,
        )
        db.session.commit()
        seconds = time.perf_counter() - t0
        db.session.remove()
        db.engine.dispose()
    path.unlink()
    source.unlink()
    return seconds


def match_once(first: str, second: str) -> tuple[float, int]:
    old = read_draft("first.txt", first.encode()).provisions
    new = read_draft("second.txt", second.encode()).provisions
    existing = [Existing(i + 1, p.number, p.heading, p.kind, p.text, i) for i, p in enumerate(old)]
    t0 = time.perf_counter()
    matches = match_provisions(existing, new)
    seconds = time.perf_counter() - t0
    return seconds, sum(1 for m in matches if m.provision_id and m.parsed_index is not None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs; medians are printed")
    args = parser.parse_args()
    first, second = drafts()
    with tempfile.TemporaryDirectory() as tmp:
        imports_s = [import_once(Path(tmp) / f"run{i}.sqlite3", first) for i in range(args.repeat)]
    matched = [match_once(first, second) for _ in range(args.repeat)]
    imp, match = statistics.median(imports_s), statistics.median(s for s, _ in matched)
    print(f"{'import one draft of 1,000 provisions':<44}{imp * 1000:>10.0f} ms")
    print(
        f"{'match 1,000 x 1,000 provisions':<44}{match * 1000:>10.0f} ms"
        f"   ({matched[0][1]} matched)"
    )
    print(f"{'ratio match / import':<44}{match / imp:>10.2f}x")
    print(f"median of {args.repeat} runs; figures from this machine, this run")


if __name__ == "__main__":
    main()
