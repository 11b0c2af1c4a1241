"""The compilation of a consultation: grouping, what is left out, CSV and a clean Word file."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import timedelta

import pytest
from docx import Document

from redline.domain.export.compilation import to_csv, to_docx
from redline.models import utcnow
from redline.services import comments, compilation, versions
from tests.comment_helpers import comment, publish, record, reply


@pytest.fixture
def compiled_setup(db_session, users):
    rec = record(db_session, users)
    second = versions.add_provision(
        db_session,
        rec.instrument,
        after_provision_id=rec.provision.id,
        number="Article 7",
        heading="Giving effect",
        text='=HYPERLINK("x") Each Party shall give effect.',
        kind="article",
        author=users["drafter"],
        max_chars=200_000,
    )
    db_session.commit()
    c = publish(db_session, users, rec, visible=True)
    made = {
        "civil": comment(db_session, users, rec, "civil", body="Narrow it.\nPlease."),
        "industry": comment(
            db_session, users, rec, "industry", passage="service provider", body="-1 for this."
        ),
        "dpa_on_7": comment(
            db_session,
            users,
            rec,
            "dpa",
            version=second,
            passage="give effect",
            body="<b>Which</b> effect?",
        ),
        "withdrawn": comment(db_session, users, rec, "dpa", passage="Each Party"),
        "internal": comment(db_session, users, rec, "drafter", passage="territory"),
    }
    made["answer"] = reply(
        db_session, users, rec, "secretariat", made["civil"], body="Noted with thanks."
    )
    made["internal_reply"] = reply(
        db_session, users, rec, "drafter", made["civil"], body="Secret deliberation.", internal=True
    )
    comments.withdraw_comment(db_session, users["dpa"], made["withdrawn"])
    comments.record_disposition(
        db_session, users["drafter"], made["civil"], "partly", "Paragraph 2 narrowed."
    )
    db_session.commit()
    return rec, second, c, made


def test_grouped_by_provision_then_category(db_session, users, compiled_setup):
    rec, second, c, made = compiled_setup
    result = compilation.build(db_session, c, users["secretariat"])
    assert [s.provision_id for s in result.sections] == [rec.provision.id, second.provision_id]
    first = result.sections[0]
    assert first.label == "Article 6 – Direct disclosure"
    assert [g.category for g in first.groups] == ["Civil society and academia", "Industry"]
    entry = first.groups[0].entries[0]
    assert (entry.organisation, entry.quote, entry.disposition, entry.reason) == (
        "Civil Liberties <Union>",
        "competent authorities",
        "Partly taken into account",
        "Paragraph 2 narrowed.",
    )
    assert [r.body for r in entry.replies] == ["Noted with thanks."]  # never internal notes
    assert result.count == 3 and result.withdrawn == 1
    assert result.sections[1].groups[0].category == "Data protection"


def test_csv_rows_and_no_formula_injection(db_session, users, compiled_setup):
    _, _, c, made = compiled_setup
    compiled = compilation.build(db_session, c, users["secretariat"])
    rows = list(csv.DictReader(io.StringIO(to_csv(compiled))))
    assert [r["comment_id"] for r in rows] == [
        str(made["civil"].id),
        str(made["answer"].id),
        str(made["industry"].id),
        str(made["dpa_on_7"].id),
    ]
    assert rows[1]["reply_to"] == str(made["civil"].id)
    assert rows[0]["comment"] == "Narrow it.\nPlease."
    assert rows[2]["comment"] == "'-1 for this."  # a spreadsheet must not run it
    assert rows[3]["comment"] == "<b>Which</b> effect?"
    assert "Secret deliberation." not in to_csv(compiled)


def test_word_document_is_clean_and_complete(db_session, users, compiled_setup):
    _, _, c, _ = compiled_setup
    data = to_docx(compilation.build(db_session, c, users["secretariat"]))
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert "<w:ins " not in xml and "<w:del " not in xml  # no tracked changes
    doc = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Compilation of comments" in text and "Article 6 – Direct disclosure" in text
    cells = [cell.text for t in doc.tables for row in t.rows for cell in row.cells]
    assert "Civil Liberties <Union>\nCiv Il" in cells
    assert "<b>Which</b> effect?" in cells
    assert "Partly taken into account" in cells and "(pending)" in cells
    assert any("Reply by Sec Retariat: Noted with thanks." in c for c in cells)


def test_empty_consultation(db_session, users):
    rec = record(db_session, users)
    now = utcnow()
    c = publish(db_session, users, rec, opens=now - timedelta(days=3), closes=now - timedelta(1))
    result = compilation.build(db_session, c, users["secretariat"])
    assert result.sections == () and result.count == 0
    assert "No comments were received." in "\n".join(
        p.text for p in Document(io.BytesIO(to_docx(result))).paragraphs
    )
