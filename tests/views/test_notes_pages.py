"""Notes under the text with their markers linked both ways; rtl text marked dir="rtl";
the compare page and the API show notes and the changes inside them."""

from __future__ import annotations

import json
import re

from redline.services import texts
from tests.word_drafts import ART1, ART2, ART3, import_draft, replace, word_draft


def _two_meetings(db_session):
    first = import_draft(db_session, word_draft(), "1st", "2021-01-10")
    changed = replace(ART1, notes=(ART1.notes[0], replace(ART1.notes[1], text="See the report.")))
    second = import_draft(db_session, word_draft((changed, ART2, ART3)), "2nd", "2021-02-10")
    db_session.commit()
    heads = {v.number: v for v in texts.versions_as_of(db_session, second.meeting)}
    return first, second, heads


def test_provision_page_lists_notes_linked_both_ways(db_session, auth):
    _, _, heads = _two_meetings(db_session)
    auth.login("drafter")
    pid = heads["Article 1"].provision_id
    html = auth.client.get(f"/provisions/{pid}").get_data(as_text=True)
    # The marker keeps its exact text (comment offsets count it) and links to the note...
    assert (
        f'<a class="note-ref" href="#fn-{pid}-1" id="fnref-{pid}-1" role="doc-noteref" '
        f'aria-label="Footnote 1">[^1]</a>'
    ) in html
    # ...which links back to it.
    assert f'<li id="fn-{pid}-2"' in html and f'href="#fnref-{pid}-2"' in html
    assert "ETS No. 185." in html and "See the report." in html


def test_instrument_page_shows_notes_and_rtl(db_session, auth):
    first, _, heads = _two_meetings(db_session)
    auth.login("drafter")
    html = auth.client.get(f"/instruments/{first.instrument.id}").get_data(as_text=True)
    p3 = heads["Article 3"].provision_id
    assert re.search(rf'<div class="text" id="text-{p3}" data-version="\d+" dir="rtl"[ >]', html)
    p1 = heads["Article 1"].provision_id
    assert re.search(rf'<div class="text" id="text-{p1}" data-version="\d+"(?! dir)[ >]', html)
    assert "(endnote)" in html and "Including proceedings." in html


def test_notes_are_escaped(db_session, auth):
    evil = replace(ART2, notes=(replace(ART2.notes[0], text="<script>alert(1)</script>"),))
    result = import_draft(db_session, word_draft((ART1, evil)), "1st", "2021-01-10")
    db_session.commit()
    auth.login("drafter")
    html = auth.client.get(f"/instruments/{result.instrument.id}").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


def test_compare_page_shows_the_change_inside_a_note(db_session, auth):
    first, second, heads = _two_meetings(db_session)
    auth.login("drafter")
    iid = first.instrument.id
    url = f"/instruments/{iid}/compare?from={first.meeting.id}&to={second.meeting.id}"
    html = auth.client.get(url).get_data(as_text=True)
    assert "notes changed" in html and "note changed" in html
    assert "<del>explanatory </del>" in html
    # Article 3, unchanged, is folded away but still reads right to left.
    assert re.search(r'class="text redline" dir="rtl"', html)
    clean = auth.client.get(url + "&mode=new").get_data(as_text=True)
    assert "See the report." in clean and "<del>" not in clean.split("compare-notes")[1][:400]


def test_api_text_versions_and_compare_carry_notes(db_session, client, token_for):
    first, second, heads = _two_meetings(db_session)
    h = token_for("drafter")
    iid = first.instrument.id
    text = json.loads(_get(client, h, f"/api/v1/instruments/{iid}/text"))
    by_number = {p["number"]: p for p in text["provisions"]}
    assert by_number["Article 1"]["notes"][1] == {
        "marker": "2",
        "text": "See the report.",
        "kind": "footnote",
    }
    assert by_number["Article 3"]["direction"] == "rtl"
    assert by_number["Article 2"]["notes"][0]["kind"] == "endnote"
    pid = heads["Article 1"].provision_id
    items = json.loads(_get(client, h, f"/api/v1/provisions/{pid}/versions"))["items"]
    assert [v["notes"][1]["text"] for v in items] == [
        "See the explanatory report.",
        "See the report.",
    ]
    cmp = json.loads(
        _get(
            client,
            h,
            f"/api/v1/instruments/{iid}/compare?from={first.meeting.id}&to={second.meeting.id}",
        )
    )
    art1 = next(p for p in cmp["provisions"] if p["provision_id"] == pid)
    assert art1["status"] == "changed"
    assert [(n["marker"], n["status"]) for n in art1["notes"]] == [
        ("1", "unchanged"),
        ("2", "changed"),
    ]
    ops = art1["notes"][1]["ops"]
    assert "".join(t for k, t in ops if k != "insert") == "See the explanatory report."
    assert "".join(t for k, t in ops if k != "delete") == "See the report."


def _get(client, headers, url):
    r = client.get(url, headers=headers)
    assert r.status_code == 200, r.get_data(as_text=True)
    return r.get_data(as_text=True)
