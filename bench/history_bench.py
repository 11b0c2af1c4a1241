"""Benchmark: passage history of the longest GPLv3 section vs one cold redline, in one run.

    .venv/bin/python bench/history_bench.py [--repeat N]

The section is followed through the five public drafts (Discussion Drafts 1-3, Last Call,
final), paired by section number as in redline_bench.py. Rows, best of N:

- one cold redline: Draft 1 -> final of that section (the reference, ratio 1.0);
- history, consecutive diffs cached: what the service does once the compare pages (or an
  earlier history) stored the consecutive redlines: decode each cached row from its JSON and
  carry the runs along the chain;
- history after a new meeting: the parent version's runs cached (the service stores every
  version's runs), the newest consecutive redline computed cold, the runs carried once;
- history, cold: the four consecutive redlines computed as well (nothing cached at all, the
  first history ever asked of the provision).

The issue's target is "at most one cold redline": the second and third rows; the last is shown
for honesty (a provision's very first history pays for every consecutive diff, once).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from redline_bench import load, sections  # noqa: E402

from redline.domain.text import redline as engine  # noqa: E402
from redline.domain.text.attribution import Run, attribute, carry  # noqa: E402

DRAFTS = [
    "GPLv3_discussion-draft-1_2006-01-16.txt",
    "GPLv3_discussion-draft-2_2006-07-27.txt",
    "GPLv3_discussion-draft-3_2007-03-28.txt",
    "GPLv3_last-call-draft_2007-05-31.txt",
    "GPL-3.0_2007-06-29.txt",
]


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    drafts = [sections(load(name)) for name in DRAFTS]
    final = drafts[-1]
    key = max((k for k in final if k != "preamble"), key=lambda k: len(final[k]))
    chain = [(i, d.get(key, "")) for i, d in enumerate(drafts)]
    steps = [(a, b) for (_, a), (_, b) in zip(chain, chain[1:], strict=False) if a != b]
    cached = {
        (a, b): json.dumps(engine.ops_to_json(engine.redline(a, b)), ensure_ascii=False)
        for a, b in steps
    }

    def warm():
        ops = {pair: engine.ops_from_json(json.loads(raw)) for pair, raw in cached.items()}
        return attribute(chain, diff=lambda a, b: ops[(a, b)])

    parent = attribute(chain[:-1])
    parent_raw = json.dumps([[r.start, r.end, r.label] for r in parent])
    last_old, last_new = chain[-2][1], chain[-1][1]

    def after_meeting():
        stored = [Run(*row) for row in json.loads(parent_raw)]  # the cache row, decoded
        return carry(stored, engine.redline(last_old, last_new), 4)

    runs = warm()
    assert after_meeting() == runs or last_old == last_new
    assert runs == attribute(chain) and runs[-1].end == len(chain[-1][1])
    cold_redline = best(lambda: engine.redline(chain[0][1], chain[-1][1]), args.repeat)
    history_warm = best(warm, args.repeat)
    history_next = best(after_meeting, args.repeat)
    history_cold = best(lambda: attribute(chain), args.repeat)
    print(f"GPLv3 section {key}: {len(chain[-1][1]):,} characters, {len(steps)} changed steps")
    print(f"{'row':<44}{'ms':>9}{'ratio':>8}")
    for name, t in [
        ("one cold redline (Draft 1 -> final)", cold_redline),
        ("history, consecutive diffs cached", history_warm),
        ("history after a new meeting (one cold diff)", history_next),
        ("history, cold (every diff computed)", history_cold),
    ]:
        print(f"{name:<44}{t * 1000:>9.2f}{t / cold_redline:>8.2f}")


if __name__ == "__main__":
    main()
