"""The bracket report page (full and htmx fragment), its CSV and Word downloads, and the
brackets shown in the text; stakeholders see only published meetings."""

from __future__ import annotations

import csv
import io

import pytest
from docx import Document

from tests.api.test_brackets_api import ART1_M1, ART1_M2, ART2, negotiation  # noqa: F401


@pytest.fixture
def drafter(auth):
    auth.login("drafter")
    return auth


def test_report_page(client, drafter, negotiation):  # noqa: F811
    d, m1, m2, _ = negotiation
    r = client.get(f"/instruments/{d.instrument.id}/brackets?from={m1.id}&to={m2.id}")
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    assert "<h1>Square brackets in Bracketed Protocol</h1>" in page
    assert "From 1st Plenary to 2nd Plenary" in page
    assert "2 opened · 3 closed (2 with the words kept, 1 dropped) · 4 still open" in page
    assert f'href="/provisions/{d.pid("art1")}"' in page
    assert f"#change-{d.pid('art2')}" in page
    assert "[Option B: ten days]" in page
    assert f"/instruments/{d.instrument.id}/brackets.csv?from={m1.id}&amp;to={m2.id}" in page


def test_report_fragment_for_htmx(client, drafter, negotiation):  # noqa: F811
    d, m1, m2, _ = negotiation
    r = client.get(
        f"/instruments/{d.instrument.id}/brackets?from={m1.id}&to={m2.id}",
        headers={"HX-Request": "true"},
    )
    body = r.get_data(as_text=True)
    assert body.lstrip().startswith('<section id="bracket-report"')
    assert "<html" not in body


def test_csv_download(client, drafter, negotiation):  # noqa: F811
    d, m1, m2, _ = negotiation
    r = client.get(f"/instruments/{d.instrument.id}/brackets.csv?from={m1.id}&to={m2.id}")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert f'filename="brackets_{m1.id}-{m2.id}.csv"' in r.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(r.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["provision", "status", "bracketed_text", "from_meeting", "to_meeting"]
    assert ["Article 1 – Notice", "kept", "[promptly]", "1st Plenary", "2nd Plenary"] in rows
    assert [
        "Article 2 – Time",
        "dropped",
        "[Option B: ten days]",
        "1st Plenary",
        "2nd Plenary",
    ] in rows
    assert ["Article 3 – New", "opened", "[Entirely new]", "1st Plenary", "2nd Plenary"] in rows


def test_word_download(client, drafter, negotiation):  # noqa: F811
    d, m1, m2, _ = negotiation
    r = client.get(f"/instruments/{d.instrument.id}/brackets.docx?from={m1.id}&to={m2.id}")
    assert r.status_code == 200
    doc = Document(io.BytesIO(r.data))
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells][:2] == ["Provision", "Opened"]
    rows = {row.cells[0].text: [c.text for c in row.cells[1:]] for row in table.rows[1:]}
    assert rows["Article 1 – Notice"] == ["1", "1", "0", "3"]
    assert rows["Article 2 – Time"] == ["0", "1", "1", "0"]
    assert "[Entirely new]" in [p.text for p in doc.paragraphs]


def test_stakeholder_sees_only_published_meetings(client, auth, negotiation):  # noqa: F811
    d, m1, _, m3 = negotiation
    auth.login("civil")
    iid = d.instrument.id
    page = client.get(f"/instruments/{iid}/brackets").get_data(as_text=True)
    assert "From 1st Plenary to 2nd Plenary" in page
    assert "3rd Plenary" not in page and "[Unpublished]" not in page
    assert client.get(f"/instruments/{iid}/brackets?from={m1.id}&to={m3.id}").status_code == 404
    assert client.get(f"/instruments/{iid}/brackets.csv?to={m3.id}").status_code == 404


def test_bad_input_and_anonymous(client, auth, negotiation):  # noqa: F811
    d, *_ = negotiation
    iid = d.instrument.id
    assert client.get(f"/instruments/{iid}/brackets").status_code in (302, 401)
    auth.login("drafter")
    assert client.get(f"/instruments/{iid}/brackets?from=x").status_code == 400
    assert client.get("/instruments/999999/brackets").status_code == 404


def test_brackets_shown_in_the_text(client, drafter, negotiation):  # noqa: F811
    d, m1, *_ = negotiation
    page = client.get(f"/instruments/{d.instrument.id}?meeting={m1.id}").get_data(as_text=True)
    assert '<span class="bracketed">[promptly]</span>' in page
    assert (
        '<span class="bracketed">[the <span class="bracketed nested">[competent]</span>'
        " authority]</span>"
    ) in page
    assert '<span class="bracketed" data-option="A">[Option A: seven days]</span>' in page
    # Drafters see the unbalanced bracket, marked and listed.
    assert '<span class="bracket-stray">[</span>ten days.' in page
    assert "Unbalanced square brackets" in page
    assert f"at character {ART1_M1.index('[ten') + 1}" in page


def test_stakeholders_get_no_error_list(client, auth, negotiation):  # noqa: F811
    d, m1, *_ = negotiation
    auth.login("civil")
    page = client.get(f"/instruments/{d.instrument.id}?meeting={m1.id}").get_data(as_text=True)
    assert '<span class="bracketed">[promptly]</span>' in page
    assert "Unbalanced square brackets" not in page


def test_marks_keep_the_text_content():
    """Comment selections count the text's characters: the marks add none."""
    import html
    import re

    from redline.web.bracket_markup import bracket_marks

    for text in (ART1_M1, ART1_M2, ART2, "a]] [[b [^1] <i>&", "[x][y]]", "]["):
        marked = str(bracket_marks(text))
        assert html.unescape(re.sub(r"<[^>]*>", "", marked)) == text
        assert marked.count("<span") == marked.count("</span>")


@pytest.mark.parametrize("mode", ["inline", "side", "new", "old"])
def test_brackets_marked_in_the_redline(client, drafter, negotiation, mode):  # noqa: F811
    d, m1, m2, _ = negotiation
    url = f"/provisions/{d.pid('art1')}/compare?from_meeting={m1.id}&to_meeting={m2.id}"
    page = client.get(f"{url}&mode={mode}").get_data(as_text=True)
    assert '<span class="bracket-char">[</span>' in page
    assert '<span class="bracket-char">]</span>' in page
    # The note marker of the newer text is not a bracket.
    assert "[^1]" in page or mode == "old"


def test_bracket_chars_leave_tags_and_markers():
    from markupsafe import Markup

    from redline.web.bracket_markup import bracket_chars

    html = Markup('a <del title="[x]">[b</del><ins>c]</ins> d[^1] &lt;')
    assert str(bracket_chars(html)) == (
        'a <del title="[x]"><span class="bracket-char">[</span>b</del>'
        '<ins>c<span class="bracket-char">]</span></ins> d[^1] &lt;'
    )


def test_brackets_marked_in_the_commented_text(client, drafter, negotiation):  # noqa: F811
    """The margin swaps in the text with comment highlights: its brackets stay marked."""
    d, *_ = negotiation
    body = client.get(f"/provisions/{d.pid('art1')}/comments", headers={"HX-Request": "true"})
    text = body.get_data(as_text=True)
    assert f'id="text-{d.pid("art1")}"' in text
    assert '<span class="bracket-char">[</span>the' in text
    assert "[^1]" in text  # the note marker (linked) is no bracket
