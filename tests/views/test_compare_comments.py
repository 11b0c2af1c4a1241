"""Comments in the redline view: each visible thread marked once on the passage it concerns (the
older text's comments on struck text included), listed under its provision with a link to the
thread; stakeholders see only what they may; escaping; no statement per provision. The same
comments as Word comments in the redline's .docx, on their passages of the newer text."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from sqlalchemy import event

from redline.extensions import db
from redline.models import Comment, Meeting, Version
from redline.services import comment_threads, comments
from redline.services.redline_comments import spans_on_many
from tests.redline_data import Drafting, publish
from tests.word_helpers import docx_comments

OLD = "Each Party shall empower its competent authorities to issue an order to a service provider."
NEW = (
    "Each Party shall empower its designated authorities to issue an order to a service "
    "provider in its territory."
)
HOSTILE = "Keep <script>alert(1)</script> & text"


def say(session, user, version: Version, passage: str, body: str = "Please clarify.") -> Comment:
    """A comment on a passage, written through the service (anchors cached as in real use)."""
    start = version.text.index(passage)
    made = comments.create_comment(
        session,
        user,
        version.provision,
        body=body,
        version_id=version.id,
        start=start,
        end=start + len(passage),
        exact=passage,
    )
    session.commit()
    return made


@dataclass
class Story:
    d: Drafting
    m1: Meeting
    m2: Meeting
    v1: Version
    v2: Version
    struck: Comment  # drafters' internal comment on a passage the second meeting deleted
    kept: Comment  # drafters' internal comment, made on the newer text, on a kept passage
    civil: Comment  # a stakeholder's comment on the published older text
    hostile: Comment  # hostile HTML in the passage and in the body

    def url(self, **query) -> str:
        args = {"from": self.m1.id, "to": self.m2.id, **query}
        return f"/instruments/{self.d.instrument.id}/compare?" + "&".join(
            f"{k}={v}" for k, v in args.items()
        )

    def docx_url(self, **query) -> str:
        return self.url(**query).replace("/compare?", "/compare.docx?")

    def provision_docx_url(self, **query) -> str:
        return self.provision_url(**query).replace("/compare?", "/compare.docx?")

    def provision_url(self, **query) -> str:
        args = {"from": self.v1.id, "to": self.v2.id, **query}
        return f"/provisions/{self.v1.provision_id}/compare?" + "&".join(
            f"{k}={v}" for k, v in args.items()
        )


@pytest.fixture
def story(db_session, users) -> Story:
    d = Drafting(db_session, slug="commented", title="Commented Protocol")
    m1 = d.meeting("1st Plenary", "2020-01-10")
    m2 = d.meeting("2nd Plenary", "2020-03-10")
    v1 = d.put(m1, "art1", "Article 1", "Orders", OLD, 1)
    h1 = d.put(m1, "hostile", "Article 2", "Tags", HOSTILE, 2)
    publish(db_session, m1)
    publish(db_session, m2)
    db_session.commit()
    struck = say(db_session, users["drafter"], v1, "competent authorities", "Too narrow.")
    civil = say(db_session, users["civil"], v1, "issue an order", "Civil society asks why.")
    hostile = say(
        db_session,
        users["drafter"],
        h1,
        "<script>alert(1)</script>",
        "<script>alert(2)</script> is not a clause",
    )
    v2 = d.carry(m2, "art1", text=NEW)
    d.carry(m2, "hostile", text=HOSTILE + " more")
    db_session.commit()
    kept = say(db_session, users["drafter"], v2, "service provider", "Define it.")
    return Story(d, m1, m2, v1, v2, struck, kept, civil, hostile)


def page(auth, url: str, who: str = "drafter") -> str:
    auth.login(who)
    r = auth.client.get(url)
    assert r.status_code == 200, r.get_data(as_text=True)
    return r.get_data(as_text=True)


def mark(thread_id: int) -> str:
    return f'<mark class="anchor" data-threads="{thread_id}" aria-describedby="note-{thread_id}">'


@pytest.mark.parametrize("where", ["instrument", "provision"])
def test_a_comment_on_a_deleted_passage_shows_on_the_struck_text(auth, story, where):
    html = page(auth, story.url() if where == "instrument" else story.provision_url())
    struck = story.struck.id
    assert (
        f'<del><span class="passage" id="passage-{struck}"></span>{mark(struck)}competent'
        "</mark></del>" in html
    )
    assert html.count(f'id="passage-{struck}"') == 1  # once, not again on the newer text
    note = re.search(rf'<li class="note">.*?id="note-{struck}".*?</li>', html, re.S).group(0)
    assert "Too narrow." in note and "Dra Fter" in note and "1st Plenary" in note
    assert f'href="#passage-{struck}"' in note and f'href="/comments/{struck}"' in note


def test_a_comment_on_a_kept_passage_shows_on_the_new_text(auth, story):
    html = page(auth, story.url())
    kept = story.kept.id
    assert (
        f'<span class="passage" id="passage-{kept}"></span>{mark(kept)}service provider'
        "</mark><ins>" in html
    )
    note = re.search(rf'<li class="note">.*?id="note-{kept}".*?</li>', html, re.S).group(0)
    assert "Define it." in note and "on 2nd Plenary" in note
    # The provision's comments are counted and lead to its page (the margin).
    article = re.search(rf'id="change-{story.v1.provision_id}".*?</article>', html, re.S).group(0)
    assert f'<a href="/provisions/{story.v1.provision_id}">3 comments</a>' in article


@pytest.mark.parametrize(
    ("mode", "present", "absent"),
    [
        ("side", ["struck", "kept"], []),
        ("new", ["struck", "kept"], []),  # every thread placed on the newer text
        ("old", ["struck"], ["kept"]),  # the clean older text: the newer comment is not on it
    ],
)
def test_other_modes_mark_the_side_they_show(auth, story, mode, present, absent):
    html = page(auth, story.url(mode=mode))
    for name in present:
        assert f'id="passage-{getattr(story, name).id}"' in html
    for name in absent:
        assert f'id="passage-{getattr(story, name).id}"' not in html
        assert f'id="note-{getattr(story, name).id}"' not in html
    if mode == "new":  # the clean newer text: the struck comment where its words went, changed
        assert (
            f'data-threads="{story.struck.id}" aria-describedby="note-{story.struck.id}">'
            "designated authorities</mark>" in html
        )
        assert '<mark class="anchor changed"' in html and "<del>" not in html
    if mode == "side":
        left, right = html.split('class="side side-new"')[0], html.split('class="side side-new"')[1]
        assert f'id="passage-{story.struck.id}"' in left
        assert f'id="passage-{story.kept.id}"' in right.split("</article>")[0]


def test_a_stakeholder_sees_only_comments_they_may_see(auth, story):
    # A drafter first: the per-process render memo must not hand their marks to anyone else.
    assert f"{mark(story.struck.id)}" in page(auth, story.url())
    html = page(auth, story.url(), who="civil")
    for internal in (story.struck, story.kept, story.hostile):
        assert f'data-threads="{internal.id}"' not in html
        assert internal.body not in html and f"note-{internal.id}" not in html
    assert mark(story.civil.id) in html and "Civil society asks why." in html
    assert "visibility-" not in html  # internal/consultation labels are for the drafting side
    # Another stakeholder sees none of it (the consultation does not share comments).
    other = page(auth, story.url(), who="industry")
    assert "<mark" not in other and "Civil society asks why." not in other


def test_the_batch_places_comments_as_the_margin_does(db_session, users, story):
    versions = [story.v1, story.v2, *story.d.heads.values()]
    for who in ("drafter", "civil", "industry"):
        batch = spans_on_many(db_session, users[who], [v.id for v in versions])
        for v in versions:
            one = comment_threads.spans_on(db_session, users[who], v)
            assert list(batch.get(v.id, ())) == sorted(
                one, key=lambda s: (s.start, s.end, s.thread_id)
            ), (who, v.id)


def test_comment_bodies_and_passages_are_escaped(auth, story):
    for mode in ("inline", "side", "new", "old"):
        html = page(auth, story.url(mode=mode))
        assert "<script>alert" not in html, mode
        assert "&lt;script&gt;alert(2)&lt;/script&gt; is not a clause" in html, mode
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, mode
        assert f'data-threads="{story.hostile.id}"' in html, mode


@contextmanager
def statements() -> Iterator[list[str]]:
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # noqa: ARG001
        seen.append(" ".join(statement.split())[:160])

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def commented_instrument(
    session, users, slug: str, provisions: int
) -> tuple[int, Meeting, Meeting]:
    """`provisions` articles, each reworded at the second meeting, each with a comment on its
    struck words, one on its kept words and a stakeholder's comment with a reply."""
    d = Drafting(session, slug=slug, title=f"Protocol {slug}")
    m1 = d.meeting("1st Plenary", "2020-01-10")
    m2 = d.meeting("2nd Plenary", "2020-03-10")
    for i in range(provisions):
        d.put(m1, f"a{i}", f"Article {i + 1}", "Heading", OLD, i)
    publish(session, m1)
    session.commit()
    for i in range(provisions):
        v1 = d.heads[f"a{i}"]
        say(session, users["drafter"], v1, "competent authorities")
        root = say(session, users["civil"], v1, "issue an order")
        comments.create_comment(
            session,
            users["drafter"],
            v1.provision,
            body="Noted.",
            parent_id=root.id,
            consultation_id=root.consultation_id,
        )
    for i in range(provisions):
        d.carry(m2, f"a{i}", text=NEW)
    publish(session, m2)
    session.commit()
    for i in range(provisions):
        say(session, users["drafter"], d.heads[f"a{i}"], "service provider")
    return d.instrument.id, m1, m2


def _marked(r, page: str) -> int:
    """Comments marked on the page, or Word comments in the download."""
    assert r.status_code == 200
    if page == "compare":
        return r.get_data(as_text=True).count("<mark")
    with zipfile.ZipFile(io.BytesIO(r.data)) as z:
        return z.read("word/comments.xml").count(b"<w:comment ")


@pytest.mark.parametrize("page", ["compare", "compare.docx"])
@pytest.mark.parametrize("who", ["drafter", "civil"])
def test_statements_do_not_grow_with_the_provisions(auth, client, db_session, users, who, page):
    urls = []
    for slug, size in (("small", 2), ("big", 10)):
        iid, m1, m2 = commented_instrument(db_session, users, slug, size)
        urls.append((f"/instruments/{iid}/{page}?from={m1.id}&to={m2.id}&comments=1", size))
    auth.login(who)
    counts = []
    for url, size in urls:
        first = _marked(client.get(url), page)  # warm: the redline cache is filled once
        assert first >= size
        db.session.expunge_all()  # a real request starts from an empty identity map
        with statements() as seen:
            again = _marked(client.get(url), page)
        assert again == first
        counts.append(seen)
    small, big = counts
    assert len(small) == len(big), "\n".join(big)


# --- Word comments ---------------------------------------------------------------------------


def word_notes(data: bytes) -> dict[str, tuple[str, str, str]]:
    """Word comment text -> (author, initials, the newer text it covers); {} without any."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        if "word/comments.xml" not in z.namelist():
            return {}
    return docx_comments(data)


def download(auth, url: str, who: str = "drafter") -> bytes:
    auth.login(who)
    r = auth.client.get(url)
    assert r.status_code == 200, r.get_data(as_text=True)[:500]
    return r.data


CIVIL = "Civ Il (Civil Liberties <Union>)"


def test_the_word_redline_carries_the_comments_on_the_newer_text(auth, story, db_session, users):
    comments.record_disposition(
        db_session, users["drafter"], story.civil, "not_retained", "Out of scope."
    )
    db_session.commit()
    on_art1 = {
        # made on the newer text, where it was made
        "Define it.\n[Internal comment]": ("Dra Fter", "DF", "service provider"),
        # made on the older text: where its words went in the newer one (a changed placement)
        "Too narrow.\n[Internal comment]": ("Dra Fter", "DF", "designated authorities"),
        # a stakeholder's, named with their organisation; the drafters' decision with it
        "Civil society asks why.\nDisposition: Not retained. Reason: Out of scope.": (
            CIVIL,
            "CI",
            "issue an order",
        ),
    }
    hostile = {
        "<script>alert(2)</script> is not a clause\n[Internal comment]": (
            "Dra Fter",
            "DF",
            "<script>alert(1)</script>",
        )
    }
    assert word_notes(download(auth, story.docx_url())) == {**on_art1, **hostile}
    assert word_notes(download(auth, story.provision_docx_url())) == on_art1
    # Dated when they were written.
    comments_xml = zipfile.ZipFile(io.BytesIO(download(auth, story.docx_url()))).read(
        "word/comments.xml"
    )
    stamp = story.kept.created_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert f'w:date="{stamp}"'.encode() in comments_xml
    # Left out on request; the tracked changes stay.
    for url in (story.docx_url(comments=0), story.provision_docx_url(comments=0)):
        data = download(auth, url)
        assert word_notes(data) == {}
        assert b"<w:ins " in zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")


def test_a_stakeholder_gets_only_their_comments_and_only_on_request(auth, story):
    assert word_notes(download(auth, story.docx_url(), who="civil")) == {}
    for url in (story.docx_url(comments=1), story.provision_docx_url(comments=1)):
        data = download(auth, url, who="civil")
        # No internal comment, no decision of the drafters, no "internal" label.
        assert word_notes(data) == {"Civil society asks why.": (CIVIL, "CI", "issue an order")}
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            xml = b"".join(z.read(n) for n in z.namelist() if n.endswith(".xml"))
        for internal in (story.struck, story.kept, story.hostile):
            assert internal.body.encode() not in xml
    # Another stakeholder is not shown civil's comment (the consultation does not share them).
    assert word_notes(download(auth, story.docx_url(comments=1), who="industry")) == {}


def test_a_withdrawn_comment_is_left_out(auth, story, db_session, users):
    comments.withdraw_comment(db_session, users["civil"], story.civil)
    db_session.commit()
    notes = word_notes(download(auth, story.docx_url()))
    assert len(notes) == 3 and not any("Civil society" in text for text in notes)


def test_the_compare_pages_offer_the_word_file_with_and_without_comments(auth, story):
    html = page(auth, story.url())
    assert "Word (.docx) with tracked changes and comments" in html
    assert story.docx_url(comments=0).split("?")[0] + "?comments=0" in html.replace("&amp;", "&")
    html = page(auth, story.provision_url(), who="civil")
    assert "Tracked changes with comments (.docx)" in html
    assert "compare.docx?comments=1" in html


@pytest.mark.parametrize("value", ["yes", "2", "true", "-1"])
def test_a_bad_comments_flag_is_400(auth, story, value):
    auth.login("drafter")
    assert auth.client.get(story.docx_url(comments=value)).status_code == 400
    assert auth.client.get(story.provision_docx_url(comments=value)).status_code == 400
