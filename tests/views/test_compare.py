"""Redline pages: full page and htmx fragment, every display mode, escaping, who may see what,
bad parameters, and the Word downloads."""

from __future__ import annotations

import io
import re
import zipfile

import docx
import pytest

from redline.domain.export.word import count_revisions
from tests.redline_data import BUDAPEST_HISTORY, Drafting, import_history, publish, synthetic

MODES = ("inline", "side", "new", "old")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HOSTILE_OLD = "Keep <script>alert(1)</script> & text"
HOSTILE_NEW = "Keep <script>alert(1)</script> & more text <b>bold</b>"


@pytest.fixture
def drafting(db_session):
    d, m1, m2 = synthetic(db_session)
    # A provision whose text is hostile HTML in both meetings (and changes between them).
    d.put(m1, "hostile", "Article 9", "Tags & <i>marks</i>", HOSTILE_OLD, 9)
    d.carry(m2, "hostile", text=HOSTILE_NEW)
    db_session.commit()
    return d, m1, m2


def compare_url(d, m1, m2, **extra) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"from": m1.id, "to": m2.id, **extra}.items())
    return f"/instruments/{d.instrument.id}/compare?{query}"


def test_full_page_and_htmx_fragment(auth, client, drafting):
    d, m1, m2 = drafting
    auth.login("drafter")
    page = client.get(compare_url(d, m1, m2))
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<html" in html
    assert 'id="redline-body"' in html and 'src="/static/js/compare.js"' in html
    assert "Previous change" in html and "Next change" in html and 'aria-live="polite"' in html
    assert "Word (.docx) with tracked changes" in html
    fragment = auth.htmx_get(compare_url(d, m1, m2, mode="side"))
    body = fragment.get_data(as_text=True).strip()
    assert fragment.status_code == 200 and "HX-Request" in fragment.headers["Vary"]
    assert "<html" not in body and "Previous change" not in body
    assert body.startswith('<div id="redline-body"') and body.endswith("</div>")
    assert body.count('id="redline-body"') == 1
    assert "mode-side" in body and 'hx-push-url="true"' in body


@pytest.mark.parametrize("mode", MODES)
def test_every_mode_escapes_text(auth, client, drafting, mode):
    d, m1, m2 = drafting
    auth.login("drafter")
    for get in (client.get, auth.htmx_get):
        r = get(compare_url(d, m1, m2, mode=mode))
        html = r.get_data(as_text=True)
        assert r.status_code == 200
        assert "<script>alert" not in html and "<b>bold" not in html and "<i>marks" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "Tags &amp; &lt;i&gt;marks&lt;/i&gt;" in html
        assert " &amp; " in html


@pytest.mark.parametrize(
    ("mode", "present", "absent"),
    [
        ("inline", ["<del>cyber-crime</del><ins>cybercrime and its proceeds</ins>"], []),
        ("side", ["to <del>cyber-crime</del>.", "to <ins>cybercrime and its proceeds</ins>."], []),
        ("new", ["measures to cybercrime and its proceeds"], ["<ins>", "<del>"]),
        ("old", ["measures to cyber-crime."], ["<ins>", "<del>"]),
    ],
)
def test_modes_show_the_right_text(auth, client, drafting, mode, present, absent):
    d, m1, m2 = drafting
    auth.login("drafter")
    html = auth.htmx_get(compare_url(d, m1, m2, mode=mode)).get_data(as_text=True)
    for text in present:
        assert text in html
    for text in absent:
        assert text not in html
    # Clean texts leave out what is not in them.
    if mode == "new":
        assert "For the purposes of this Protocol" not in html
    if mode == "old":
        assert "In an emergency" not in html


def test_renumbering_is_shown_once_as_a_number_change(auth, client, drafting):
    d, m1, m2 = drafting
    auth.login("drafter")
    html = client.get(compare_url(d, m1, m2)).get_data(as_text=True)
    assert html.count("Article 7 → Article 8") == 1
    assert html.count("Article 4 → Article 3") == 1
    # The heading change of art7 is a word diff, the renumbered art4's text is not rewritten.
    assert "<del>Disclosure</del>" in html or "<ins>Direct</ins>" in html
    art4 = re.search(rf'id="change-{d.pid("art4")}".*?</article>', html, re.S).group(0)
    assert "<del>" not in art4.split("</h3>")[1] and "renumbered" in art4


def test_badges_summary_and_unchanged_fold(auth, client, drafting):
    d, m1, m2 = drafting
    auth.login("drafter")
    html = client.get(compare_url(d, m1, m2)).get_data(as_text=True)
    for badge in ("added", "removed", "moved", "renumbered", "text changed"):
        assert f'<span class="badge badge-{badge.replace(" ", "-")}">{badge}</span>' in html
    assert '<details class="unchanged-run">' in html
    assert re.search(r"<summary>1 unchanged provision: Preamble</summary>", html)
    assert "words inserted" in html and "of 9 provisions changed" in html
    # Defaults: the latest meeting against the one before it.
    default = client.get(f"/instruments/{d.instrument.id}/compare").get_data(as_text=True)
    assert "of 9 provisions changed" in default


def test_same_meeting_is_all_unchanged(auth, client, drafting):
    d, m1, m2 = drafting
    auth.login("drafter")
    html = client.get(compare_url(d, m2, m2)).get_data(as_text=True)
    assert "0 of 8 provisions changed" in html and "<ins>" not in html and "<del>" not in html


def test_provision_compare_and_history_links(auth, client, drafting):
    d, m1, m2 = drafting
    auth.login("drafter")
    art2 = d.heads["art2"]
    show = client.get(f"/provisions/{d.pid('art2')}").get_data(as_text=True)
    assert f"/provisions/{d.pid('art2')}/compare?from={art2.parent_id}&amp;to={art2.id}" in show
    r = client.get(f"/provisions/{d.pid('art2')}/compare?from={art2.parent_id}&to={art2.id}")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "<del>cyber-crime</del>" in html
    by_meeting = client.get(
        f"/provisions/{d.pid('art6')}/compare?from_meeting={m1.id}&to_meeting={m2.id}"
    )
    assert by_meeting.status_code == 200
    assert "<ins>In an emergency, a Party may request.</ins>" in by_meeting.get_data(as_text=True)
    fragment = auth.htmx_get(f"/provisions/{d.pid('art2')}/compare?mode=old")
    assert fragment.get_data(as_text=True).lstrip().startswith('<div id="redline-body"')


@pytest.mark.parametrize(
    "query",
    ["from=abc", "to=1.5", "from=-1", "mode=sideways", "from=1&to=x", "to=99999999999999999999"],
)
def test_bad_parameters_are_400(auth, client, drafting, query):
    d, _, _ = drafting
    auth.login("drafter")
    assert client.get(f"/instruments/{d.instrument.id}/compare?{query}").status_code == 400
    if "mode" not in query:  # a download has no display mode
        docx_url = f"/instruments/{d.instrument.id}/compare.docx?{query}"
        assert client.get(docx_url).status_code == 400
    assert client.get(f"/provisions/{d.pid('art2')}/compare?{query}").status_code == 400


def test_unknown_or_foreign_ids_are_404(auth, client, drafting, db_session):
    d, m1, m2 = drafting
    auth.login("drafter")
    iid = d.instrument.id
    assert client.get(f"/instruments/{iid}/compare?from=999999&to={m2.id}").status_code == 404
    assert client.get("/instruments/999999/compare").status_code == 404
    other = Drafting(db_session, slug="other")
    om = other.meeting("Elsewhere", "2020-01-01")
    assert client.get(f"/instruments/{iid}/compare?from={om.id}&to={m2.id}").status_code == 404
    foreign = d.heads["art1"].id
    r = client.get(f"/provisions/{d.pid('art2')}/compare?from={foreign}")
    assert r.status_code == 404
    both = client.get(f"/provisions/{d.pid('art2')}/compare?from=1&from_meeting={m1.id}")
    assert both.status_code == 400


def test_stakeholders_compare_only_published_meetings(auth, client, drafting, db_session):
    d, m1, m2 = drafting
    publish(db_session, m2)
    db_session.commit()
    auth.login("civil")
    assert client.get(compare_url(d, m1, m2)).status_code == 404
    assert (
        client.get(f"/instruments/{d.instrument.id}/compare.docx?from={m1.id}").status_code == 404
    )
    ok = client.get(f"/instruments/{d.instrument.id}/compare")  # defaults to what is visible
    assert ok.status_code == 200 and "0 of 8 provisions changed" in ok.get_data(as_text=True)
    art2 = d.heads["art2"]
    url = f"/provisions/{d.pid('art2')}/compare?from={art2.parent_id}&to={art2.id}"
    assert client.get(url).status_code == 404
    assert (
        client.get(f"/instruments/{d.instrument.id}/text.docx?meeting={m1.id}").status_code == 404
    )


def test_signed_out_visitors_are_sent_to_sign_in(client, drafting):
    d, m1, m2 = drafting
    r = client.get(compare_url(d, m1, m2))
    assert r.status_code == 302 and "/auth/login" in r.location


def test_meetings_timeline_links_to_compare(auth, client, drafting):
    d, m1, m2 = drafting
    auth.login("drafter")
    html = client.get(f"/instruments/{d.instrument.id}/meetings").get_data(as_text=True)
    assert f"/instruments/{d.instrument.id}/compare?from={m1.id}&amp;to={m2.id}" in html


def _attachment_name(r) -> str:
    disposition = r.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    name = re.search(r'filename="?([^";]+)"?', disposition).group(1)
    assert re.fullmatch(r"[a-z0-9_.-]+\.docx", name), name
    return name


def test_redline_docx_download(auth, client, drafting):
    d, m1, m2 = drafting
    auth.login("drafter")
    r = client.get(f"/instruments/{d.instrument.id}/compare.docx?from={m1.id}&to={m2.id}")
    assert r.status_code == 200 and r.mimetype == DOCX
    assert _attachment_name(r) == "synthetic_1st-drafting-plenary_to_2nd-drafting-plenary.docx"
    document = docx.Document(io.BytesIO(r.data))
    assert document.paragraphs[0].text == "Synthetic Protocol"
    revisions = count_revisions(r.data)
    assert revisions["ins"] > 0 and revisions["del"] > 0
    # Every change is attributed to the newer meeting, dated that day.
    body = zipfile.ZipFile(io.BytesIO(r.data)).read("word/document.xml").decode()
    assert 'w:author="2nd Drafting Plenary"' in body and 'w:date="2019-11-21T00:00:00Z"' in body


def test_provision_docx_and_clean_text_docx(auth, client, drafting):
    d, m1, m2 = drafting
    auth.login("drafter")
    art2 = d.heads["art2"]
    r = client.get(f"/provisions/{d.pid('art2')}/compare.docx?from={art2.parent_id}&to={art2.id}")
    assert r.status_code == 200 and r.mimetype == DOCX
    assert _attachment_name(r).startswith("synthetic_article-2-scope_v")
    assert count_revisions(r.data)["ins"] > 0
    r = client.get(f"/instruments/{d.instrument.id}/text.docx?meeting={m2.id}")
    assert r.status_code == 200 and r.mimetype == DOCX
    assert _attachment_name(r) == "synthetic_2nd-drafting-plenary.docx"
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(r.data)).paragraphs)
    assert "cybercrime and its proceeds" in text and "<script>alert(1)</script>" in text
    assert count_revisions(r.data) == {"ins": 0, "del": 0}
    show = client.get(f"/instruments/{d.instrument.id}?meeting={m2.id}").get_data(as_text=True)
    assert f"/instruments/{d.instrument.id}/text.docx?meeting={m2.id}" in show


@pytest.fixture
def budapest(db_session):
    instrument, meetings = import_history(
        db_session, "budapest", "Convention on Cybercrime", BUDAPEST_HISTORY
    )
    db_session.commit()
    return instrument, meetings


@pytest.mark.parametrize(
    ("mode", "present", "absent"),
    [
        (
            "inline",
            [
                "<del>cyber-crime</del>",
                "<ins>cybercrime</ins>",
                "<del>signatories</del>",
                "<ins>parties</ins>",
                "<ins>Recognising the need for co-operation between States and private industry",
            ],
            [],
        ),
        ("side", ["<del>signatories</del>", "<ins>parties</ins>", "<ins>Recognising the need"], []),
        (
            "new",
            [
                "other States parties to this Convention",
                "against cybercrime",
                "Recognising the need for co-operation between States and private industry",
            ],
            ["<ins>", "<del>", "signatories to this", "EXCERPT ENDS"],
        ),
        (
            "old",
            ["other States signatories to this Convention", "against cyber-crime"],
            ["<ins>", "<del>", "Recognising the need for co-operation between States", "EXCERPT"],
        ),
    ],
)
def test_budapest_draft_21_to_final(auth, client, budapest, mode, present, absent):
    instrument, (draft21, final) = budapest
    auth.login("drafter")
    url = f"/instruments/{instrument.id}/compare?from={draft21.id}&to={final.id}&mode={mode}"
    html = auth.htmx_get(url).get_data(as_text=True)
    for text in present:
        assert text in html, text
    for text in absent:
        assert text not in html, text


def test_docx_of_edits_within_one_meeting_is_attributed_to_their_author(
    auth, client, drafting, users, db_session
):
    from redline.services import versions

    d, m1, m2 = drafting
    head = d.heads["art2"]  # recorded at the 2nd plenary, which is still open
    saved = versions.record_edit(
        db_session,
        d.provisions["art2"],
        base_version_id=head.id,
        author=users["drafter2"],
        text=head.text.replace("its proceeds", "its profits"),
        max_chars=200_000,
    )
    db_session.commit()
    auth.login("drafter")
    r = client.get(f"/provisions/{d.pid('art2')}/compare.docx?from={head.id}&to={saved.version.id}")
    body = zipfile.ZipFile(io.BytesIO(r.data)).read("word/document.xml").decode()
    assert set(re.findall(r'w:author="([^"]*)"', body)) == {"Second Drafter"}


def test_render_memo_is_keyed_on_the_ops_not_on_ids():
    """Ids come round again when a database is reset; what is shown must follow the text."""
    from redline.domain.text.compare import ProvisionChange, Snapshot
    from redline.views.compare.display import RenderMemo, shown

    def change(text: str) -> ProvisionChange:
        before = Snapshot(1, 10, "Article 1", "", "article", 1, "old")
        after = Snapshot(1, 11, "Article 1", "", "article", 1, text)
        return ProvisionChange(
            1, "changed", "article", before, after, (("delete", "old"), ("insert", text))
        )

    assert "<ins>first</ins>" in shown(change("first")).html("inline")
    assert "<ins>second</ins>" in shown(change("second")).html("inline")
    memo = RenderMemo(max_entries=2, max_chars=10)
    for i in range(5):
        assert memo.get(("k", i), 1, lambda i=i: i) == i
    assert len(memo._entries) == 2
    assert memo.get("big", 11, lambda: "computed") == "computed" and "big" not in memo._entries


@pytest.mark.parametrize(
    ("title", "part"),
    [
        ('Ünïcode "quoted"\r\nSet-Cookie: x=1', "unicode-quoted-set-cookie-x-1"),
        ("4th Drafting Plenary (Strasbourg)", "4th-drafting-plenary-strasbourg"),
        ("../../etc/passwd", "etc-passwd"),
        ("Пленарное заседание", "text"),
    ],
)
def test_download_names_are_plain_ascii(title, part):
    from redline.views.compare.downloads import file_part

    assert file_part(title) == part


def test_instrument_without_text_yet(auth, client, db_session):
    d = Drafting(db_session, slug="empty")
    db_session.commit()
    auth.login("drafter")
    iid = d.instrument.id
    html = client.get(f"/instruments/{iid}/compare").get_data(as_text=True)
    assert "No meeting text to compare yet." in html
    assert client.get(f"/instruments/{iid}/compare.docx").status_code == 404
    assert client.get(f"/instruments/{iid}/text.docx").status_code == 404
    d.meeting("1st Drafting Plenary", "2019-09-20")
    db_session.commit()
    html = auth.htmx_get(f"/instruments/{iid}/compare").get_data(as_text=True)
    assert "This text has no provisions." in html
    assert client.get(f"/instruments/{iid}/compare.docx").status_code == 200


def test_budapest_docx_download(auth, client, budapest):
    instrument, (draft21, final) = budapest
    auth.login("drafter")
    r = client.get(f"/instruments/{instrument.id}/compare.docx?from={draft21.id}&to={final.id}")
    assert r.status_code == 200 and r.mimetype == DOCX
    assert _attachment_name(r) == "budapest_draft-21_to_final-text.docx"
    document = docx.Document(io.BytesIO(r.data))
    assert (
        document.paragraphs[1].text
        == "Changes from Draft 21 (2000-06-28) to Final text (2001-11-23)"
    )
    body = zipfile.ZipFile(io.BytesIO(r.data)).read("word/document.xml").decode()
    assert set(re.findall(r'w:author="([^"]*)"', body)) == {"Final text"}
    assert '<w:delText xml:space="preserve">signatories</w:delText>' in body
