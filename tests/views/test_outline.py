"""The outline beside the instrument's text and on the compare page: structure, marks in
words, what a stakeholder may see, and a fixed number of queries for 300 provisions."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event

from redline.domain.drafts.outline import division_rank, nest
from redline.extensions import db
from redline.models import Comment
from tests.redline_data import Drafting, publish


@pytest.mark.parametrize(
    "number, heading, rank",
    [
        ("Part I", "", 0),
        ("Chapter II", "Measures", 1),
        ("", "Chapitre III", 1),
        ("Section 1", "Substantive law", 2),
        ("Sub-section 2", "", 3),
        ("", "Final provisions", 1),
    ],
)
def test_division_rank(number, heading, rank):
    assert division_rank(number, heading) == rank


def test_nest_by_rank():
    items = [
        ("Pre", None),
        ("Ch I", 1),
        ("S 1", 2),
        ("A1", None),
        ("S 2", 2),
        ("A2", None),
        ("Ch II", 1),
        ("A3", None),
    ]
    tree = nest(items, lambda x: x[1])

    def shape(nodes):
        return [(n.item[0], shape(n.children)) for n in nodes]

    assert shape(tree) == [
        ("Pre", []),
        ("Ch I", [("S 1", [("A1", [])]), ("S 2", [("A2", [])])]),
        ("Ch II", [("A3", [])]),
    ]


@pytest.fixture
def structured(db_session, users):
    d = Drafting(db_session, slug="outlined", title="Outlined Convention")
    m1 = d.meeting("1st Plenary", "2026-01-10")
    m2 = d.meeting("2nd Plenary", "2026-03-10")
    m3 = d.meeting("3rd Plenary", "2026-05-10")
    d.put(m1, "ch1", "Chapter I", "Use of terms", "", 1, "division")
    d.put(m1, "art1", "Article 1", "Definitions", "[Personal] data means [any] data.", 2)
    d.put(m1, "ch2", "Chapter II", "Measures", "", 3, "division")
    d.put(m1, "sec1", "Section 1", "Substantive law", "", 4, "division")
    d.put(m1, "art2", "Article 2", "Access", "Each Party shall act.", 5)
    d.carry(m2, "art2", text="Each Party shall [promptly] act.")
    d.carry(m3, "art1", text="Personal data means data.")
    publish(db_session, m1)
    consultation = publish(db_session, m2)
    art2 = d.heads["art2"]
    for who, disposition, visibility, cons, status in (
        ("civil", None, "consultation", consultation, "open"),
        ("civil", "accepted", "consultation", consultation, "open"),
        ("drafter", None, "internal", None, "open"),
        ("drafter", None, "internal", None, "resolved"),
    ):
        db_session.add(
            Comment(
                provision_id=art2.provision_id,
                version_id=art2.id,
                body="B",
                author_id=users[who].id,
                visibility=visibility,
                consultation=cons,
                disposition=disposition,
                status=status,
            )
        )
    db_session.commit()
    return d, m1, m2, m3


def _outline(page: str) -> str:
    m = re.search(r'<nav aria-label="Outline">(.*?)</nav>', page, re.S)
    assert m, "no outline"
    return m.group(1)


def test_outline_on_the_text_page(client, auth, structured):
    d, m1, m2, _ = structured
    auth.login("drafter")
    page = client.get(f"/instruments/{d.instrument.id}?meeting={m2.id}").get_data(as_text=True)
    nav = _outline(page)
    # Chapters, a section inside chapter II, the articles inside them.
    assert re.search(
        r"Chapter I – Use of terms</a>\s*<ol>\s*<li class=\"outline-article\">"
        r"<a href=\"#provision-\d+\">Article 1 – Definitions",
        nav,
    )
    assert re.search(
        r"Chapter II – Measures</a>\s*<ol>\s*<li class=\"outline-division\">"
        r"<a href=\"#provision-\d+\">Section 1 – Substantive law</a>\s*<ol>",
        nav,
    )
    art2 = nav[nav.index("Article 2 – Access") :]
    assert art2.index('<span class="mark mark-changed">changed</span>') < 80
    assert "4 comments (2 open, 1 with disposition)" in art2
    assert "1 open square bracket<" in art2
    art1 = nav[nav.index("Article 1 – Definitions") : nav.index("Chapter II")]
    assert "changed" not in art1 and "2 open square brackets" in art1
    assert f'href="#provision-{d.pid("art2")}"' in nav


def test_first_meeting_has_no_changed_marks(client, auth, structured):
    d, m1, *_ = structured
    auth.login("drafter")
    page = client.get(f"/instruments/{d.instrument.id}?meeting={m1.id}").get_data(as_text=True)
    assert "mark-changed" not in _outline(page)


def test_stakeholder_outline(client, auth, structured):
    d, *_ = structured
    auth.login("civil")
    page = client.get(f"/instruments/{d.instrument.id}").get_data(as_text=True)
    nav = _outline(page)
    art2 = nav[nav.index("Article 2 – Access") :]
    # Their two consultation comments, not the internal note; no dispositions.
    assert "2 comments<" in art2 and "with disposition" not in nav
    # m3 is unpublished: Article 1 still carries its brackets, unchanged since m1.
    art1 = nav[nav.index("Article 1 – Definitions") : nav.index("Chapter II")]
    assert "2 open square brackets" in art1 and "changed" not in art1


def test_outline_on_the_compare_page(client, auth, structured):
    d, m1, m2, _ = structured
    auth.login("drafter")
    page = client.get(f"/instruments/{d.instrument.id}/compare?from={m1.id}&to={m2.id}")
    nav = _outline(page.get_data(as_text=True))
    art2 = nav[nav.index("Article 2 – Access") :]
    assert '<span class="mark mark-changed">changed</span>' in art2
    assert "1 words inserted, 0 deleted" in art2
    assert f'href="#change-{d.pid("art2")}"' in nav


def _count_statements(client, url) -> int:
    seen = []

    def record(*_args):
        seen.append(1)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return len(seen)


@pytest.mark.parametrize("who", ["drafter", "civil"])
def test_outline_queries_do_not_grow(client, auth, db_session, users, who):
    counts = []
    for size in (3, 300):
        d = Drafting(db_session, slug=f"big{size}", title=f"Big {size}")
        m1 = d.meeting("1st", "2026-01-10")
        m2 = d.meeting("2nd", "2026-03-10")
        for i in range(size):
            kind = "division" if i % 10 == 0 else "article"
            d.put(
                m1,
                f"p{i}",
                f"Chapter {i}" if kind == "division" else f"Article {i}",
                "H",
                f"Text [{i}] of provision {i}.",
                i,
                kind,
            )
            if i % 3 == 0:
                d.carry(m2, f"p{i}", text=f"Changed [{i}] text {i}.")
        publish(db_session, m1)
        publish(db_session, m2)
        db_session.commit()
        auth.login(who)
        counts.append(_count_statements(client, f"/instruments/{d.instrument.id}?meeting={m2.id}"))
        auth.logout()
    assert counts[0] == counts[1]
