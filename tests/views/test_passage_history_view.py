"""The "history of this passage" page and its form on the provision page."""

from __future__ import annotations

import sqlalchemy as sa

from redline.models import Version
from tests.services.test_passage_history import EDITED, chain  # noqa: F401 - the fixture
from tests.world import body_text


def test_provision_page_offers_the_passage_history(auth, chain):  # noqa: F811
    auth.login("civil")
    version = chain["version"]
    page = auth.client.get(f"/provisions/{version.provision_id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f'id="history-form-{version.provision_id}"' in html
    assert "data-passage" in html and "History of this passage" in html


def test_drafter_sees_the_passage_word_by_word_with_version_and_author(auth, chain):  # noqa: F811
    auth.login("drafter")
    version = chain["version"]
    start = EDITED.index("sole")
    end = EDITED.index("Protocols") + len("Protocols")
    page = auth.client.get(
        f"/provisions/{version.provision_id}/history?version={version.id}&start={start}&end={end}"
    )
    assert page.status_code == 200
    text = body_text(page)
    assert "History of this passage" in text
    assert "Drafting group" in text and "Dra Fter" in text and "2nd Plenary" in text
    # The whole provision: every meeting in the legend, each run tagged with its number.
    html = page.get_data(as_text=True)
    assert html.count('class="run-tag"') >= 5
    assert "text-decoration" not in html  # the patterns are in the stylesheet


def test_stakeholder_sees_published_meetings_only(auth, chain):  # noqa: F811
    auth.login("civil")
    version = chain["version"]
    page = auth.client.get(f"/provisions/{version.provision_id}/history")
    assert page.status_code == 200
    text = body_text(page)
    assert "1st Plenary" in text and "2nd Plenary" in text
    assert "Drafting group" not in text and "Dra Fter" not in text


def test_bad_passages_and_unseen_versions_are_refused(auth, db_session, chain):  # noqa: F811
    auth.login("civil")
    pid = chain["version"].provision_id
    hidden = db_session.scalars(
        sa.select(Version).where(Version.meeting_id == chain["group"].id)
    ).one()
    assert auth.client.get(f"/provisions/{pid}/history?version={hidden.id}").status_code == 404
    assert auth.client.get(f"/provisions/{pid}/history?start=5&end=2").status_code == 400
    assert auth.client.get(f"/provisions/{pid}/history?start=0&end=99999").status_code == 400
    assert auth.client.get(f"/provisions/{pid}/history?start=x").status_code == 400
    auth.logout()
    assert auth.client.get(f"/provisions/{pid}/history").status_code in (302, 401)
