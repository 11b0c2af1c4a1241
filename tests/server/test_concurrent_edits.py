"""Eight drafters save edits of different paragraphs of one provision at the same moment, to a
real gunicorn server with several workers: every one of the eight edits is in the result."""

from __future__ import annotations

import json
import threading
import urllib.request
from datetime import date

import pytest

from redline.services import accounts, meetings, texts, versions
from tests.conftest import PASSWORD
from tests.live import committed

N = 8


@pytest.mark.slow
def test_eight_simultaneous_edits_all_land(app, gunicorn):
    paragraphs = [f"{i}. Paragraph number {i} of the provision says something." for i in range(N)]
    with committed(app) as session:
        accounts.HASH_METHOD = "pbkdf2:sha256:1000"
        tokens = []
        for i in range(N):
            user = accounts.create_user(
                session, email=f"d{i}@example.org", name=f"D {i}", role="drafter", password=PASSWORD
            )
            session.flush()
            tokens.append(accounts.issue_token(session, user))
        instrument = meetings.create_instrument(session, slug="c", title="C", actor=None)
        meetings.create_meeting(
            session, instrument, title="M", kind="plenary", on=date(2021, 1, 1), actor=None
        )
        base = versions.add_provision(
            session,
            instrument,
            after_provision_id=None,
            number="Article 1",
            heading="",
            kind="article",
            text="\n\n".join(paragraphs),
            author=None,
            max_chars=10**6,
        )
        session.commit()
        pid, base_id = base.provision_id, base.id

        results: list[tuple[int, dict]] = [None] * N  # type: ignore[list-item]
        start = threading.Barrier(N)

        def edit(i: int) -> None:
            mine = list(paragraphs)
            mine[i] = mine[i].replace("says something", f"says EDIT-{i}")
            body = json.dumps({"base_version_id": base_id, "text": "\n\n".join(mine)}).encode()
            req = urllib.request.Request(
                f"{gunicorn}/api/v1/provisions/{pid}/versions",
                data=body,
                method="POST",
                headers={
                    "Authorization": f"Bearer {tokens[i]}",
                    "Content-Type": "application/json",
                },
            )
            start.wait()
            try:
                with urllib.request.urlopen(req, timeout=60) as r:  # noqa: S310 - local test
                    results[i] = (r.status, json.loads(r.read()))
            except urllib.error.HTTPError as e:
                results[i] = (e.code, json.loads(e.read() or b"{}"))

        threads = [threading.Thread(target=edit, args=(i,)) for i in range(N)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()

        assert [status for status, _ in results] == [201] * N, results
        session.rollback()  # end the snapshot taken before the edits (SQLite WAL)
        head = texts.head(session, pid)
        for i in range(N):
            assert f"says EDIT-{i}" in head.text
        assert len(texts.history(session, pid)) == N + 1  # one version per save, none lost
        assert sum(body["merged"] for _, body in results) >= 1
