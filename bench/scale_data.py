"""The data set of bench/scale_bench.py, bulk-loaded into PostgreSQL with COPY.

Every instrument has the same shape: 100 meetings (the last one open), 100 provisions of about
700 characters, each reworded at 20 of the meetings (2,000 versions per instrument; a few words
change each time, so redlines are realistic), 5 consultations, and 200 comments per provision
(100 passages commented, each answered once: 20,000 per instrument), by drafters (internal) and
stakeholders (in a consultation). Comments are anchored on every later version of their
provision, as the application does when it records a version (`comment_anchors`, computed
with the real relocation code). 50 such instruments make 100,000 versions and 1,000,000
comments. The instruments are alike (one template, offset ids), so the template is computed
once; the database does not care that texts repeat.

Not seeded: the audit trail (one row per write in real use) and the redline cache; the pages
timed do not read the first, and the bench warms the second before timing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from redline.domain.text.anchors import quote_for, relocate_many

MEETINGS, PROVISIONS, EVERY, CONSULTATIONS = 100, 100, 5, 5
ROOTS = 100  # commented passages per provision; each gets one reply
DRAFTERS, STAKEHOLDERS = 10, 300
CATEGORIES = ("civil_society", "data_protection", "industry")
BENCH_USER = ("drafter@scale.bench", "bench-drafter")
WORDS = (
    "Party Parties shall may measures necessary competent authorities order disclosure "
    "subscriber information service provider territory request domestic law conditions "
    "safeguards data protection criminal investigation proceedings offence computer system "
    "traffic content emergency mutual assistance cooperation designated authority central "
    "notification confidentiality limitation grounds refusal expedited preservation "
    "production jurisdiction registration domain name video conferencing joint team"
).split()


def _aware(d: date, minutes: int = 0) -> datetime:
    return datetime(d.year, d.month, d.day, 9, tzinfo=UTC) + timedelta(minutes=minutes)


def meeting_date(k: int) -> date:
    return date(2010, 1, 4) + timedelta(days=14 * k)


@dataclass
class Template:
    """One instrument's rows with ids local to it (0-based), and where its versions sit."""

    versions: list[tuple] = field(default_factory=list)  # (p, k, number, text)
    comments: list[tuple] = field(default_factory=list)
    anchors: list[tuple] = field(default_factory=list)  # (comment, version, status, start, end)


def _texts(p: int) -> list[str]:
    """The 20 successive texts of provision p: a few words reworded each time."""
    rng = random.Random(p)
    words = [rng.choice(WORDS) for _ in range(100)]
    out = []
    for _ in range(MEETINGS // EVERY):
        paragraphs = [" ".join(words[i : i + 25]) + "." for i in range(0, len(words), 25)]
        out.append("\n\n".join(paragraphs))
        for _ in range(3):
            words[rng.randrange(len(words))] = rng.choice(WORDS)
    return out


def template() -> Template:
    t = Template()
    for p in range(PROVISIONS):
        first = len(t.versions)
        for n, text in enumerate(_texts(p)):
            t.versions.append((p, p % EVERY + EVERY * n, text))
        mine = list(range(first, len(t.versions)))
        quotes = {}
        for r in range(ROOTS):
            v = mine[r % len(mine)]
            text = t.versions[v][2]
            q = r % 5
            start = text.index(" ", 40 * q + 1) + 1
            quotes[v, q] = quote_for(text, start, text.index(" ", start + 12))
            stakeholder = r % 3 != 0
            root = len(t.comments)
            t.comments.append((p, v, None, quotes[v, q], stakeholder, r))
            t.comments.append((p, v, root, None, stakeholder, r))
        # Each commented passage placed on every later version of its provision (as the
        # application places comments when it records a version), one diff per pair of texts.
        for v in mine:
            roots = [(i, c) for i, c in enumerate(t.comments[-2 * ROOTS :]) if c[1] == v and c[3]]
            base = len(t.comments) - 2 * ROOTS
            for later in (w for w in mine if w > v):
                placed = relocate_many(
                    [c[3] for _, c in roots], t.versions[v][2], t.versions[later][2]
                )
                for (i, _), pl in zip(roots, placed, strict=True):
                    t.anchors.append((base + i, later, pl.status, pl.start, pl.end))
    return t


def users(password_hash: str) -> list[tuple]:
    """(id, email, name, password_hash, role, category, organisation, active, created_at)."""
    at = _aware(date(2009, 12, 1))
    rows = [(1, BENCH_USER[0], "Bench Drafter", password_hash, "drafter", None, None, True, at)]
    for d in range(DRAFTERS):
        rows.append(
            (
                2 + d,
                f"drafter{d}@scale.bench",
                f"Drafter {d}",
                password_hash,
                "drafter",
                None,
                None,
                True,
                at,
            )
        )
    for s in range(STAKEHOLDERS):
        category = CATEGORIES[s % 3]
        rows.append(
            (
                2 + DRAFTERS + s,
                f"stakeholder{s}@scale.bench",
                f"Stakeholder {s}",
                password_hash,
                "stakeholder",
                category,
                f"Organisation {s % 40}",
                True,
                at,
            )
        )
    return rows


def instrument_rows(t: Template, i: int) -> dict[str, list[tuple]]:
    """The rows of instrument number i (0-based), ids offset so instruments never overlap."""
    nv, nc, na = len(t.versions), len(t.comments), len(t.anchors)
    mid = lambda k: i * MEETINGS + k + 1  # noqa: E731
    pid = lambda p: i * PROVISIONS + p + 1  # noqa: E731
    vid = lambda v: i * nv + v + 1  # noqa: E731
    cid = lambda c: i * nc + c + 1  # noqa: E731
    con = lambda n: i * CONSULTATIONS + n + 1  # noqa: E731
    rows: dict[str, list[tuple]] = {}
    rows["instruments"] = [
        (i + 1, f"scale-{i:02d}", f"Scale instrument {i}", "", _aware(date(2010, 1, 1)))
    ]
    rows["meetings"] = [
        (
            mid(k),
            i + 1,
            f"Meeting {k + 1}",
            ("plenary", "drafting_group", "subgroup")[k % 3],
            meeting_date(k),
            None,
            k,
            "open" if k == MEETINGS - 1 else "closed",
            "",
            _aware(meeting_date(k)),
        )
        for k in range(MEETINGS)
    ]
    rows["provisions"] = [(pid(p), i + 1, _aware(date(2010, 1, 4))) for p in range(PROVISIONS)]
    published = [MEETINGS // CONSULTATIONS * (n + 1) - 1 for n in range(CONSULTATIONS)]
    rows["consultations"] = [
        (
            con(n),
            i + 1,
            mid(k),
            f"Consultation {n + 1}",
            _aware(meeting_date(k) + timedelta(days=1)),
            _aware(meeting_date(k) + timedelta(days=60)),
            n % 2 == 0,
            None,
            _aware(meeting_date(k)),
        )
        for n, k in enumerate(published)
    ]
    rows["versions"] = []
    previous: dict[int, int] = {}
    for v, (p, k, text) in enumerate(t.versions):
        rows["versions"].append(
            (
                vid(v),
                pid(p),
                mid(k),
                f"Article {p + 1}",
                f"Heading {p + 1}",
                "article",
                1000.0 * (p + 1),
                text,
                False,
                2 + (k % DRAFTERS),
                _aware(meeting_date(k), p),
                "",
                previous.get(p),
                None,
            )
        )
        previous[p] = vid(v)
    rows["comments"] = []
    for c, (p, v, parent, quote, stakeholder, r) in enumerate(t.comments):
        k = t.versions[v][1]
        author = (
            2 + DRAFTERS + (p * 7 + r) % STAKEHOLDERS
            if stakeholder and parent is None
            else (2 + r % DRAFTERS)
        )
        consultation = (
            con(next(n for n, m in enumerate(published) if m >= k)) if stakeholder else None
        )
        decided = parent is None and r % 4 == 0
        rows["comments"].append(
            (
                cid(c),
                pid(p),
                vid(v),
                None if parent is None else cid(parent),
                quote.start if quote else None,
                quote.end if quote else None,
                quote.exact if quote else None,
                quote.prefix if quote else None,
                quote.suffix if quote else None,
                f"Comment {r} on article {p + 1}.",
                author,
                "consultation" if stakeholder else "internal",
                consultation,
                "resolved" if decided else "open",
                "noted" if decided else None,
                "",
                False,
                _aware(meeting_date(k), 60 + r + (parent is not None)),
                None,
                None,
            )
        )
    rows["comment_anchors"] = [
        (i * na + a + 1, cid(c), vid(v), status, start, end)
        for a, (c, v, status, start, end) in enumerate(t.anchors)
    ]
    return rows
