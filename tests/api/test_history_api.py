"""GET /api/v1/provisions/<pid>/history, as API.md's second-wave table says."""

from __future__ import annotations

import sqlalchemy as sa

from redline.models import Version
from tests.services.test_passage_history import EDITED, chain  # noqa: F401 - the fixture


def _runs(client, headers, pid, version=None):
    url = f"/api/v1/provisions/{pid}/history" + (f"?version={version}" if version else "")
    return client.get(url, headers=headers)


def _covers(runs, text):
    position = 0
    for run in runs:
        assert run["start"] == position < run["end"]
        position = run["end"]
    assert position == len(text)


def test_drafter_gets_runs_with_meetings_and_versions(client, token_for, chain):  # noqa: F811
    version = chain["version"]
    answer = _runs(client, token_for("drafter"), version.provision_id, version.id)
    assert answer.status_code == 200
    data = answer.get_json()
    assert data["version_id"] == version.id
    _covers(data["runs"], EDITED)
    got = [(EDITED[r["start"] : r["end"]], r["meeting_id"]) for r in data["runs"]]
    assert (" and its Protocols", chain["group"].id) in got
    assert ("sole ", chain["two"].id) in got
    assert any(r["version_id"] == version.id for r in data["runs"])


def test_stakeholder_gets_published_meetings_only(client, token_for, chain):  # noqa: F811
    version = chain["version"]
    answer = _runs(client, token_for("civil"), version.provision_id)  # default: newest shown
    assert answer.status_code == 200
    data = answer.get_json()
    assert data["version_id"] == version.id
    _covers(data["runs"], EDITED)
    meetings = {r["meeting_id"] for r in data["runs"]}
    assert meetings == {chain["one"].id, chain["two"].id}
    got = [(EDITED[r["start"] : r["end"]], r["meeting_id"]) for r in data["runs"]]
    assert (" and its Protocols", chain["two"].id) in got
    assert all(r["version_id"] is None for r in data["runs"])


def test_unseen_versions_and_bad_ids_are_refused(client, token_for, db_session, chain):  # noqa: F811
    group_version = db_session.scalars(
        sa.select(Version).where(Version.meeting_id == chain["group"].id)
    ).one()
    pid = chain["version"].provision_id
    civil = token_for("civil")
    assert _runs(client, civil, pid, group_version.id).status_code == 404
    assert _runs(client, civil, 999_999).status_code == 404
    assert _runs(client, civil, pid, "x").status_code == 400
    assert client.get(f"/api/v1/provisions/{pid}/history").status_code == 401
