"""Each access rule lives in one place (redline/services/policy.py), and changing it there
changes every surface at once: the provision page and its margin, the API's comment list, the
Word redline's comments and the compilation of comments (page and CSV).

The rule changes are made as a newcomer would make them, by replacing one function of the
policy; nothing else is touched. A second test reads the source to check that no module or
template outside the policy spells a rule out again.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest

from redline.services import policy
from tests.comment_helpers import TEXT, comment, edit, next_meeting, publish, record

INTERNAL = "INTERNAL-NOTE-on-territory"
CIVIL = "CIVIL-VIEW-on-authorities"


@pytest.fixture
def commented(db_session, users):
    """A provision published (1st Plenary) and redrafted (2nd Plenary), with a drafter's
    internal comment and a civil society comment in an unshared consultation, both on the
    published text and both placed on the redraft."""
    rec = record(db_session, users)
    consultation = publish(db_session, users, rec, visible=False)
    next_meeting(db_session, users, rec, "2nd Plenary", date(2026, 3, 1))
    edit(db_session, users, rec, TEXT + " It shall notify the other Party.")
    comment(db_session, users, rec, "drafter", passage="territory", body=INTERNAL)
    comment(db_session, users, rec, "civil", passage="competent authorities", body=CIVIL)
    return rec, consultation


def surfaces(auth, client, token_for, who: str, rec, consultation) -> dict[str, str]:
    """What `who` reads on each surface, as text."""
    auth.logout()
    auth.login(who)
    pid = rec.provision.id
    page = client.get(f"/provisions/{pid}").get_data(as_text=True)
    page += client.get(f"/provisions/{pid}/comments").get_data(as_text=True)
    api = client.get(f"/api/v1/provisions/{pid}/comments", headers=token_for(who))
    assert api.status_code == 200
    docx = client.get(f"/provisions/{pid}/compare.docx")
    assert docx.status_code == 200
    word = zipfile.ZipFile(io.BytesIO(docx.data))
    has_notes = "word/comments.xml" in word.namelist()
    notes = word.read("word/comments.xml").decode() if has_notes else ""
    compiled = client.get(f"/consultations/{consultation.id}/compilation")
    csv = client.get(f"/consultations/{consultation.id}/compilation.csv")
    assert compiled.status_code == csv.status_code == 200
    return {
        "page": page,
        "api": api.get_data(as_text=True),
        "word": notes,
        "compilation": compiled.get_data(as_text=True),
        "csv": csv.get_data(as_text=True),
    }


def shown(texts: dict[str, str], words: str) -> set[str]:
    return {surface for surface, text in texts.items() if words in text}


ALL = {"page", "api", "word", "compilation", "csv"}
COMMENTING = {"page", "api", "word"}  # internal comments are never compiled


def test_observers_may_not_see_internal_comments_changed_in_one_place(
    auth, client, token_for, commented, monkeypatch
):
    rec, consultation = commented
    before = surfaces(auth, client, token_for, "observer", rec, consultation)
    assert shown(before, INTERNAL) == COMMENTING
    assert shown(before, CIVIL) == ALL

    # The one change: internal comments reach the editors only.
    monkeypatch.setattr(policy, "sees_internal_comments", lambda user: user.role in policy.EDITORS)

    after = surfaces(auth, client, token_for, "observer", rec, consultation)
    assert shown(after, INTERNAL) == set()
    assert shown(after, CIVIL) == ALL  # nothing else changed
    drafter = surfaces(auth, client, token_for, "drafter", rec, consultation)
    assert shown(drafter, INTERNAL) == COMMENTING


def test_observers_see_consultations_as_participants_changed_in_one_place(
    auth, client, token_for, commented, monkeypatch
):
    rec, consultation = commented

    # The one change: observers see a consultation's comments as a participant does (only
    # what is shared), the editors every comment.
    monkeypatch.setattr(
        policy, "sees_every_consultation_comment", lambda user: user.role in policy.EDITORS
    )

    after = surfaces(auth, client, token_for, "observer", rec, consultation)
    assert shown(after, CIVIL) == set()  # page, API, Word and compilation at once
    assert shown(after, INTERNAL) == COMMENTING
    drafter = surfaces(auth, client, token_for, "drafter", rec, consultation)
    assert shown(drafter, CIVIL) == ALL


ROOT = Path(__file__).resolve().parents[1]
# Spellings of an access rule that belong in the policy only.
RULE_SPELLINGS = {
    "a role group": re.compile(r"\b(EDITORS|DRAFTING_SIDE|WRITERS|SECRETARIAT)\b"),
    "a role test": re.compile(
        r"(user|actor|author|reader|current_user)\.role\s*(==|!=|in\b|not in\b)"
        r"|role_required\(\s*[\"']"
    ),
    "a User permission property": re.compile(
        r"\b(sees_drafts|can_edit|is_secretariat)\b|current_user\.is_stakeholder"
    ),
    "published (has opened)": re.compile(r"opens_at\s*(<=|>)|<\s*\w+\.opens_at|is_open_for"),
    "who sees a comment": re.compile(r"visibility_clause|Comment\.role"),
}


def _sources():
    for path in sorted((ROOT / "redline").rglob("*.py")) + sorted(
        (ROOT / "templates").rglob("*.html")
    ):
        if path.name == "policy.py" and path.parent.name == "services":
            continue
        yield path


def test_no_access_rule_is_spelled_out_outside_the_policy():
    found = []
    for path in _sources():
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for rule, pattern in RULE_SPELLINGS.items():
                if pattern.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{n}: {rule}: {line.strip()}")
    assert found == []


def test_templates_ask_the_can_object_not_the_user():
    asked = re.compile(
        r"current_user\.(?!is_authenticated|name|role\b|organisation|email|category)"
    )
    found = [
        f"{path.relative_to(ROOT)}: {m.group(0)}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for m in asked.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []
