"""Search over the fixture world (tests/world.py), on the database under test: what each reader
finds equals a brute-force scan over what they may see, and nothing else ever comes back."""

from __future__ import annotations

import random

import pytest
import sqlalchemy as sa

from redline.domain.text import search_terms
from redline.models import Comment, User, Version
from redline.services import access, comments, published, texts, versions
from redline.services import search as service
from redline.services.errors import BadInput, NotFound
from tests.conftest import ROLES
from tests.world import STAKEHOLDER_SECRETS, build_world

READERS = ("secretariat", "drafter", "observer", "civil", "dpa")


@pytest.fixture
def world(db_session):
    return build_world(db_session)


def reader(session, who: str) -> User:
    return session.scalar(sa.select(User).where(User.email == ROLES[who]["email"]))


def ids(hits, field="version_id"):
    return [getattr(h, field) for h in hits]


def brute_text(session, user, query):
    """Each readable instrument's text as of the newest meeting the reader may see, scanned."""
    terms = search_terms.parse(query)
    out = []
    for inst in access.visible_instruments(session, user):
        shown = access.visible_meetings(session, user, inst.id)
        if not shown:
            continue
        for v in texts.versions_as_of(session, shown[-1]):
            if search_terms.find(terms, f"{v.number} {v.heading} {v.text}") is not None:
                out.append((v.id, shown[-1].id))
    return sorted(out)


def brute_versions(session, user, query):
    terms = search_terms.parse(query)
    out = []
    for inst in access.visible_instruments(session, user):
        for provision in texts.provisions_of(session, inst.id):
            for s in published.shown_history(session, user, provision):
                doc = f"{s.number} {s.heading} {s.text}"
                if not s.removed and search_terms.find(terms, doc) is not None:
                    out.append((s.id, s.meeting.id))
    return sorted(out)


def brute_comments(session, user, query):
    from redline.services import policy

    terms = search_terms.parse(query)
    visible = session.scalars(
        sa.select(Comment).where(policy.comment_clause(user), Comment.deleted_at.is_(None))
    )
    return sorted(c.id for c in visible if search_terms.find(terms, c.body) is not None)


QUERIES = (
    "competent authorities",
    '"competent authorities"',
    '"authorities competent"',
    "Each Party",
    "order provider",
    "Article 1",
    "disclosure",
    "SECRET",
    "comment",
    "protocol force",
    "legislat*",
    "compet* order",
)


@pytest.mark.parametrize("who", READERS)
def test_results_equal_a_brute_force_scan_of_what_the_reader_may_see(world, db_session, who):
    user = reader(db_session, who)
    for q in QUERIES:
        text = service.search(db_session, user, q, "text")
        assert sorted(zip(ids(text), ids(text, "meeting_id"), strict=True)) == brute_text(
            db_session, user, q
        ), q
        found = service.search(db_session, user, q, "versions")
        assert sorted(zip(ids(found), ids(found, "meeting_id"), strict=True)) == brute_versions(
            db_session, user, q
        ), q
        said = service.search(db_session, user, q, "comments")
        assert sorted(ids(said, "comment_id")) == brute_comments(db_session, user, q), q


@pytest.mark.parametrize("who", ("civil", "dpa"))
@pytest.mark.parametrize("scope", service.SCOPES)
def test_nothing_unpublished_internal_or_hidden_reaches_a_stakeholder(
    world, db_session, who, scope
):
    user = reader(db_session, who)
    published_meetings = access.published_meeting_ids(db_session)
    for q in ("SECRET*", "SECRET", "edit", "hidden", "internal", "comment", "Each", "Article"):
        for hit in service.search(db_session, user, q, scope):
            assert hit.meeting_id in published_meetings
            for secret in (*STAKEHOLDER_SECRETS, *world.secrets[who]):
                assert secret not in hit.snippet and secret not in hit.title
    other = {"civil": "Data protection comment", "dpa": "Civil society comment"}[who]
    assert service.search(db_session, user, f'"{other}"', "comments") == []


def test_text_as_of_a_meeting_and_versions_oldest_first(world, db_session):
    drafter = reader(db_session, "drafter")
    hits = service.search(db_session, drafter, '"competent authorities"', "versions")
    assert ids(hits) == [world["vid1"], world["vid2"]]
    assert ids(hits, "meeting_id") == [world["mid1"], world["mid2"]]
    as_of = service.search(
        db_session, drafter, "competent", "text", service.Filters(meeting_id=world["mid1"])
    )
    assert ids(as_of) == [world["vid1"]] and ids(as_of, "meeting_id") == [world["mid1"]]
    # Headings and numbers are searched too; the snippet marks the matched words.
    (hit,) = service.search(db_session, drafter, '"Final clause"', "versions")
    assert hit.provision_id == world["pid_removed"]
    (hit,) = service.search(db_session, drafter, "legislative", "text")
    assert ("legislative", True) in hit.runs


def test_a_stakeholder_sees_the_first_published_meeting_never_an_unpublished_one(world, db_session):
    civil = reader(db_session, "civil")
    hits = service.search(db_session, civil, "authorities", "versions")
    assert ids(hits) == [world["vid1"]] and ids(hits, "meeting_id") == [world["mid1"]]
    (hit,) = service.search(db_session, civil, "authorities", "text")
    assert hit.meeting_id == world["mid1"]
    with pytest.raises(NotFound):
        service.search(db_session, civil, "x", "text", service.Filters(meeting_id=world["mid2"]))


def test_phrase_and_prefix(world, db_session):
    drafter = reader(db_session, "drafter")
    assert service.search(db_session, drafter, '"authorities competent"', "versions") == []
    assert len(service.search(db_session, drafter, '"competent authorities"', "versions")) == 2
    assert len(service.search(db_session, drafter, "authori*", "versions")) == 2
    assert len(service.search(db_session, drafter, '"competent author"*', "versions")) == 2
    assert service.search(db_session, drafter, "xyzzy*", "versions") == []


def test_the_index_follows_every_write_in_its_transaction(world, db_session):
    drafter = reader(db_session, "drafter")
    civil = reader(db_session, "civil")
    comment = db_session.get(Comment, world["cc"])
    comments.edit_comment(db_session, civil, comment, "Now about quokkas.")
    assert ids(service.search(db_session, civil, "quokkas", "comments"), "comment_id") == [
        comment.id
    ]
    assert service.search(db_session, civil, '"Civil society comment"', "comments") == []
    comments.withdraw_comment(db_session, civil, comment)
    db_session.flush()
    assert service.search(db_session, drafter, "quokkas", "comments") == []

    v1 = db_session.get(Version, world["vid_new"])
    nested = db_session.begin_nested()
    versions.record_edit(
        db_session,
        v1.provision,
        base_version_id=v1.id,
        text="A wombat clause.",
        author=drafter,
        max_chars=200_000,
    )
    db_session.flush()
    assert len(service.search(db_session, drafter, "wombat", "versions")) == 1
    nested.rollback()
    assert service.search(db_session, drafter, "wombat", "versions") == []


def test_comment_filters(world, db_session):
    drafter = reader(db_session, "drafter")
    by_category = service.search(
        db_session, drafter, "comment", "comments", service.Filters(category="data_protection")
    )
    assert ids(by_category, "comment_id") == [world["dc"]]
    with pytest.raises(BadInput):
        service.search(db_session, drafter, "x", "comments", service.Filters(disposition="maybe"))


TOO_MANY = " ".join(f"w{i}" for i in range(21))


@pytest.mark.parametrize("q", ("", "   ", '""', "***", "x" * 501, TOO_MANY))
def test_bad_queries_are_refused(world, db_session, q):
    with pytest.raises(BadInput):
        service.search(db_session, reader(db_session, "drafter"), q, "text")
    with pytest.raises(BadInput):
        service.search(db_session, reader(db_session, "drafter"), "ok", "everything")


VOCABULARY = ("zebu", "okapi", "quokka", "wombat", "tapir", "dingo", "numbat", "bilby")


def test_random_texts_match_the_brute_force_scan(world, db_session):
    """A table of random provisions from a small vocabulary (no stop words, no two words with
    one stem, so both engines' rules coincide with the scan)."""
    rng = random.Random(13)
    drafter = reader(db_session, "drafter")
    inst = db_session.get(Version, world["vid_hidden"]).provision.instrument
    for n in range(25):
        words = [rng.choice(VOCABULARY) for _ in range(rng.randint(1, 12))]
        versions.add_provision(
            db_session,
            inst,
            after_provision_id=None,
            number=f"Article {100 + n}",
            heading=rng.choice(VOCABULARY),
            text=" ".join(words) + ".",
            kind="article",
            author=drafter,
            max_chars=200_000,
        )
    db_session.flush()
    for _ in range(40):
        picks = rng.sample(VOCABULARY, rng.randint(1, 3))
        q = " ".join(picks)
        if rng.random() < 0.3:
            q = f'"{picks[0]} {rng.choice(VOCABULARY)}"'
        found = service.search(db_session, drafter, q, "versions")
        assert sorted(zip(ids(found), ids(found, "meeting_id"), strict=True)) == brute_versions(
            db_session, drafter, q
        ), q


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("See <b>Article 3</b> of the Convention.", '"b Article 3 b"'),
        ("Send it to <script>alert(1)</script> now.", '"script alert 1 script"'),
        ("The and/or rule applies to data/traffic logs.", '"data traffic logs"'),
        ("Ignore /etc/passwd entirely.", "passwd"),
    ],
)
def test_words_inside_tags_and_paths_are_words(world, db_session, text, query):
    """PostgreSQL's parser reads "<b>" as a tag and "/etc/passwd" as a path; the reader (and
    the query) sees words, on both databases (the brute-force scan agrees)."""
    drafter = reader(db_session, "drafter")
    v1 = db_session.get(Version, world["vid_new"])
    versions.record_edit(
        db_session,
        v1.provision,
        base_version_id=v1.id,
        text=text,
        author=drafter,
        max_chars=200_000,
    )
    db_session.flush()
    found = service.search(db_session, drafter, query, "versions")
    assert v1.provision_id in ids(found, "provision_id"), (text, query)
    assert sorted(zip(ids(found), ids(found, "meeting_id"), strict=True)) == brute_versions(
        db_session, drafter, query
    )
