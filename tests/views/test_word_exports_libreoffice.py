"""Every Word file the app exports, downloaded through its routes and opened by LibreOffice.

A real instrument (the GPLv3 drafting history, five meetings, through the importer) with comments
of every kind on the Last Call Draft: a stakeholder's (with the drafters' disposition), an
internal note of a drafter, a secretariat question published in the consultation, another
stakeholder's unshared comment, and an internal note made on Discussion Draft 3 that follows its
passage into the Last Call Draft. Downloaded as a drafter and as a stakeholder: the instrument's
redline Discussion Draft 3 -> Last Call Draft, one provision's redline, the clean Last Call text,
and the consultation's compilation. LibreOffice converts all of them in one soffice call
(module-scoped fixture: starting LibreOffice is the cost, a file more is not).

For the redlines: LibreOffice reads exactly the tracked changes document.xml holds, grouped as it
merges them (tests/word_helpers.py), and their number is the one the redline itself gives (the
compare service's changes, through `expected_counts`); the comments come through as
``office:annotation`` with their authors, on the passages the .docx anchors them on, and a
stakeholder's file holds nothing internal. The clean text and the compilation carry no tracked
change and no comment, and their text is there.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta

import pytest
from lxml import etree

from redline.domain.export.word import WordComment, count_revisions
from redline.extensions import db
from redline.models import Meeting, utcnow
from redline.services import accounts, comments, consultations, redline_comments, redlines, texts
from tests.conftest import PASSWORD, ROLES, Auth
from tests.domain.test_word import expected_counts, label
from tests.redline_data import GPL_HISTORY, import_history
from tests.word_helpers import (
    ODF,
    convert_to_fodt,
    docx_comments,
    docx_groups,
    lo_annotations,
    lo_regions,
    paragraphs,
    soffice_or_skip,
)
from tests.world import bound_session

pytestmark = pytest.mark.slow

TITLE = "GNU General Public License version 3"
CIVIL = "Civ Il (Civil Liberties <Union>)"
CIVIL_BODY = "Does this include database rights?"
REASON = "Copyright-like laws are covered; database rights are left to national law."
INTERNAL = "Internal: check the WIPO reference with counsel."
CARRIED = "Internal: keep this definition stable."
PASSAGE = "refers to version 3 of the GNU General Public License"  # Draft 3 and Last Call
NOTE = "Should essential patent claims be defined by reference to section 0?"
DPA_BODY = "Data protection view: the term is too broad."
# Each change of a redline is attributed to the newer meeting, dated that day.
MEETING = ("Last Call Draft", "2007-05-31")  # LibreOffice writes midnight as a date alone


@dataclass
class Export:
    data: bytes
    root: etree._Element  # the .fodt LibreOffice wrote
    changes: list  # what the redline shows (redline files)
    notes: list[WordComment]  # the Word comments the service placed (redline files)


def _comment(session, user, version, passage: str, body: str, **kw):
    start = version.text.index(passage)
    return comments.create_comment(
        session,
        user,
        version.provision,
        body=body,
        version_id=version.id,
        start=start,
        end=start + len(passage),
        exact=passage,
        **kw,
    )


def _sections(session, meeting: Meeting) -> dict:
    """The numbered sections of a GPL text by number ("0" to "17"; the annex is numbered too)."""
    return {v.number: v for v in texts.versions_as_of(session, meeting) if v.kind == "article"}


def _build(session) -> dict:
    users = {
        key: accounts.create_user(session, password=PASSWORD, **spec) for key, spec in ROLES.items()
    }
    instrument, meetings = import_history(session, "gplv3", TITLE, GPL_HISTORY)
    d3, lc = meetings[2], meetings[3]
    now = utcnow()
    published = {
        m.id: consultations.create_consultation(
            session,
            instrument=instrument,
            meeting_id=m.id,
            title=f"Consultation on the {m.title}",
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=30),
            actor=users["secretariat"],
        )
        for m in (d3, lc)
    }
    session.flush()
    old, new = _sections(session, d3), _sections(session, lc)
    civil = _comment(session, users["civil"], new["0"], "Copyright", CIVIL_BODY)
    comments.record_disposition(session, users["drafter"], civil, "partly", REASON)
    _comment(session, users["drafter"], new["3"], "technological measure", INTERNAL)
    _comment(
        session,
        users["secretariat"],
        new["11"],
        "essential patent claims",
        NOTE,
        consultation_id=published[lc.id].id,
    )
    _comment(session, users["dpa"], new["0"], "semiconductor masks", DPA_BODY)
    _comment(session, users["drafter"], old["0"], PASSAGE, CARRIED)
    session.commit()
    return dict(
        users=users,
        iid=instrument.id,
        d3=d3,
        lc=lc,
        cid=published[lc.id].id,
        section0=new["0"].provision_id,
    )


@pytest.fixture(scope="module")
def exported(app, tmp_path_factory) -> dict[str, Export]:
    soffice = soffice_or_skip()
    started = time.perf_counter()
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        try:
            with bound_session(connection) as session:
                built = _build(session)
                iid, d3, lc = built["iid"], built["d3"], built["lc"]
                span = f"from={d3.id}&to={lc.id}"
                pid = built["section0"]
                one = f"from_meeting={d3.id}&to_meeting={lc.id}"
                asked = {
                    "drafter": ("drafter", f"/instruments/{iid}/compare.docx?{span}"),
                    "stakeholder": ("civil", f"/instruments/{iid}/compare.docx?{span}&comments=1"),
                    "provision": ("drafter", f"/provisions/{pid}/compare.docx?{one}"),
                    "clean": ("drafter", f"/instruments/{iid}/text.docx?meeting={lc.id}"),
                    "compilation": (
                        "secretariat",
                        f"/consultations/{built['cid']}/compilation.docx",
                    ),
                }
                # One client signing in as each person in turn, as the other view tests do (a
                # second client in this application context would share its `g`).
                client = app.test_client()
                auth = Auth(client)
                files = {}
                for name, (who, url) in asked.items():
                    assert auth.login(who).status_code == 302
                    r = client.get(url)
                    assert r.status_code == 200, (name, r.get_data(as_text=True)[:500])
                    files[name] = r.data
                # What the redlines show, and the Word comments each person gets.
                changes = redlines.compare_meetings(session, d3, lc)
                change = next(c for c in changes if c.provision_id == pid)
                users = built["users"]
                drafter_notes = redline_comments.word_comments(session, users["drafter"], changes)
                civil_notes = redline_comments.word_comments(session, users["civil"], changes)
                expected = {
                    "drafter": (changes, drafter_notes),
                    "stakeholder": (changes, civil_notes),
                    "provision": ([change], [n for n in drafter_notes if n.provision_id == pid]),
                    "clean": ([c for c in changes if c.after], []),
                    "compilation": ([], []),
                }
        finally:
            outer.rollback()
            connection.close()
    built_in = time.perf_counter() - started
    roots = convert_to_fodt(soffice, files, tmp_path_factory.mktemp("exports-lo"))
    converted_in = time.perf_counter() - started - built_in
    print(
        f"\nWord exports: built and downloaded in {built_in:.1f} s, "
        f"LibreOffice converted {len(files)} files in {converted_in:.1f} s"
    )
    return {name: Export(files[name], roots[name], *expected[name]) for name in files}


REDLINES = ["drafter", "stakeholder", "provision"]


@pytest.mark.parametrize("name", REDLINES)
def test_libreoffice_reads_the_tracked_changes_the_redline_shows(exported, name):
    e = exported[name]
    counts = count_revisions(e.data)
    # As many revisions as the redline's changes make (comment bounds split insertions)...
    assert counts == expected_counts(e.changes, e.notes)
    assert counts["ins"] > 0 and counts["del"] > 0
    # ...every one of them in a group LibreOffice merges them into...
    groups = docx_groups(e.data)
    assert sum(size for kind, _, size in groups if kind == "ins") == counts["ins"]
    assert sum(size for kind, _, size in groups if kind == "del") == counts["del"]
    # ...and LibreOffice reads exactly those groups, in order, with the same text.
    regions = lo_regions(e.root)
    assert [(kind, text) for kind, text, _, _ in regions] == [(k, t) for k, t, _ in groups]
    assert len(e.root.findall(".//text:changed-region", ODF)) == len(groups)
    assert {(creator, date) for _, _, creator, date in regions} == {MEETING}


def test_the_instrument_redline_is_not_trivial(exported):
    """The whole instrument: many regions of each kind (Draft 3 -> Last Call is a big edit)."""
    regions = lo_regions(exported["drafter"].root)
    assert sum(k == "ins" for k, *_ in regions) > 50
    assert sum(k == "del" for k, *_ in regions) > 30
    # The stakeholder reads the same text with the same changes, only fewer comments.
    assert [r[:2] for r in lo_regions(exported["stakeholder"].root)] == [r[:2] for r in regions]


@pytest.mark.parametrize("name", REDLINES)
def test_libreoffice_reads_the_comments_on_their_passages(exported, name):
    e = exported[name]
    found = lo_annotations(e.root)
    # Exactly the comments of the .docx, each by its author on the passage it is anchored on.
    assert found == docx_comments(e.data)
    assert len(e.root.findall(".//office:annotation", ODF)) == len(found)
    placed = {n.text: (n.author, n.initials) for n in e.notes}
    assert {text: who[:2] for text, who in found.items() if who[0] != MEETING[0]} == placed
    # Moves are the only notes of the revision author.
    assert all(t.startswith("Moved:") for t, who in found.items() if who[0] == MEETING[0])


def test_the_drafting_side_gets_every_comment_with_its_decision(exported):
    found = lo_annotations(exported["drafter"].root)
    by_body = {text.split("\n")[0]: (text, who) for text, who in found.items()}
    civil_text, civil = by_body[CIVIL_BODY]
    assert civil == (CIVIL, "CI", "Copyright")
    assert civil_text == f"{CIVIL_BODY}\nDisposition: Partly taken into account. Reason: {REASON}"
    assert by_body[INTERNAL] == (
        f"{INTERNAL}\n[Internal comment]",
        ("Dra Fter", "DF", "technological measure"),
    )
    assert by_body[NOTE][1] == ("Sec Retariat", "SR", "essential patent claims")
    assert by_body[DPA_BODY][1][0] == "Dat Aprotect (DPA)"
    # Made on Discussion Draft 3, shown on its passage in the Last Call Draft.
    assert by_body[CARRIED][1] == ("Dra Fter", "DF", PASSAGE)


def test_a_stakeholder_gets_no_internal_comment(exported):
    e = exported["stakeholder"]
    found = lo_annotations(e.root)
    bodies = {text for text, who in found.items() if who[0] != MEETING[0]}
    assert bodies == {CIVIL_BODY, NOTE}  # their own, and the secretariat's published question
    everything = etree.tostring(e.root, encoding="unicode")
    for hidden in (INTERNAL, CARRIED, DPA_BODY, "Internal comment", "Disposition", REASON):
        assert hidden not in everything


def test_the_clean_text_has_no_markup_and_all_its_text(exported):
    e = exported["clean"]
    assert e.root.findall(".//text:changed-region", ODF) == []
    assert e.root.findall(".//office:annotation", ODF) == []
    expected = [TITLE, "Text as of Last Call Draft (2007-05-31)"]
    for change in e.changes:
        expected.append(label(change.after))
        expected.extend(change.after.text.split("\n\n") if change.after.text else [])
    assert paragraphs(e.root) == expected
    assert (
        "TERMS AND CONDITIONS" in expected and "0. Definitions" in expected
    )  # one title format (issue 15)


def test_the_compilation_has_no_markup_and_the_comments_received(exported):
    e = exported["compilation"]
    assert e.root.findall(".//text:changed-region", ODF) == []
    assert e.root.findall(".//office:annotation", ODF) == []
    text = " ".join(e.root.find("office:body/office:text", ODF).itertext())
    for shown in (
        "Compilation of comments: Consultation on the Last Call Draft",
        CIVIL_BODY,
        "Civil Liberties <Union>",
        "Partly taken into account",
        REASON,
        NOTE,
        DPA_BODY,  # the compilation is the drafting side's: every category's comments
        "Definitions",
    ):
        assert shown in text, shown
    for internal in (INTERNAL, CARRIED):
        assert internal not in text
    assert len(e.root.findall(".//{*}table")) >= 2  # one table per provision and category
