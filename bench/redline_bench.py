"""Benchmark: word redlines of the real GPLv3 drafts, three ways, in one run.

    .venv/bin/python bench/redline_bench.py [--repeat N]

Sections are split at "N. Heading" lines and paired by number (never by position: drafts add,
drop and renumber sections). A section present on one side only is diffed against "". Each
engine diffs and renders every pair (ours: redline + render_inline; redlines: output_markdown),
best of N runs. Also checks that both of our engines return valid ops for every pair.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from redline.domain.text.redline import new_text, old_text, redline, render_inline  # noqa: E402

TEXTS = ROOT / "redline" / "demo" / "texts"
SHARED = Path("/work/shared/data/gpl")
DRAFT1 = "GPLv3_discussion-draft-1_2006-01-16.txt"
LAST_CALL = "GPLv3_last-call-draft_2007-05-31.txt"
FINAL = "GPL-3.0_2007-06-29.txt"
HEADING = re.compile(r"^(\d+)\. ", re.MULTILINE)


def load(name: str) -> str:
    path = TEXTS / name
    if not path.exists() and (SHARED / name).exists():  # only on the machine that has the data
        TEXTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SHARED / name, path)
    raw = path.read_text(encoding="utf-8")
    return raw.split("\n\n", 1)[1]  # drop the "# key: value" header block


def sections(text: str) -> dict[str, str]:
    """Split at numbered headings; a number not above the previous one continues the section
    (the Last Call draft's "0. HOW TO APPLY..." belongs to the end matter, not to section 0)."""
    out: dict[str, str] = {}
    key, start, last = "preamble", 0, -1
    for m in HEADING.finditer(text):
        number = int(m.group(1))
        if number <= last:
            continue
        out[key] = text[start : m.start()]
        key, start, last = m.group(1), m.start(), number
    out[key] = text[start:]
    return out


def pairs(old: str, new: str) -> list[tuple[str, str]]:
    a, b = sections(load(old)), sections(load(new))
    return [(a.get(k, ""), b.get(k, "")) for k in dict.fromkeys([*a, *b])]


def ours(use_fast: bool) -> Callable[[str, str], object]:
    return lambda a, b: render_inline(redline(a, b, use_fast=use_fast))


def theirs(a: str, b: str) -> object:
    from redlines import Redlines

    return Redlines(a, b).output_markdown


def best_ms(fn: Callable[[str, str], object], work: list[tuple[str, str]], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        for a, b in work:
            fn(a, b)
        best = min(best, time.perf_counter() - t0)
    return best * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(
        f"{'comparison':<24}{'sections':>9}{'pure-Python dmp':>17}{'C++ fast-dmp':>14}"
        f"{'redlines':>10}{'py/redl':>9}{'C++/redl':>10}"
    )
    for label, old in (("Draft 1 -> final", DRAFT1), ("Last Call -> final", LAST_CALL)):
        work = pairs(old, FINAL)
        for a, b in work:  # both engines must rebuild both texts exactly
            for fast in (True, False):
                ops = redline(a, b, use_fast=fast)
                assert old_text(ops) == a and new_text(ops) == b, (label, fast)
        py = best_ms(ours(False), work, args.repeat)
        cpp = best_ms(ours(True), work, args.repeat)
        rl = best_ms(theirs, work, args.repeat)
        print(
            f"{label:<24}{len(work):>9}{py:>14.1f} ms{cpp:>11.1f} ms{rl:>7.1f} ms"
            f"{py / rl:>8.1f}x{cpp / rl:>9.2f}x"
        )
    print("times: diff + HTML render of every section pair, best of", args.repeat, "runs")


if __name__ == "__main__":
    main()
