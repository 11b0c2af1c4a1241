"""Under gunicorn, 20 concurrent largest-allowed requests to the write endpoints, and 20 more
over the limits, never answer 500 and keep the workers' memory under a stated bound
(issue 12: bounded work for every input)."""

from __future__ import annotations

import json
import threading
import urllib.request
from datetime import date
from pathlib import Path

import pytest

from redline import limits
from redline.services import accounts, meetings, versions
from tests.conftest import PASSWORD
from tests.live import committed
from tests.server.conftest import running_gunicorn

ROOT = Path(__file__).resolve().parents[2]
N = 20
# What the workers together may grow by while serving all the requests below (resident memory).
MEMORY_BOUND_MB = 400


def _rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.fixture
def server(app, tmp_path):
    with running_gunicorn(app, tmp_path, workers=2, threads=4, timeout=120) as running:
        yield running


def _post(url: str, token: str, body: dict | bytes) -> int:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    req = urllib.request.Request(
        url,
        data=data,
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(req, timeout=120) as r:  # noqa: S310 - local test
            r.read()
            return r.status
    except urllib.error.HTTPError as e:
        e.read()
        return e.code


def _all_at_once(make) -> list[int]:
    results: list[int] = [0] * N
    start = threading.Barrier(N)

    def run(i: int) -> None:
        start.wait()
        results[i] = make(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    return results


@pytest.mark.slow
def test_largest_allowed_and_oversized_requests_in_parallel(app, server):
    base, master = server
    text = ("Each Party shall adopt such measures as may be necessary. " * 4000)[:200_000]
    with committed(app) as session:
        accounts.HASH_METHOD = "pbkdf2:sha256:1000"
        user = accounts.create_user(
            session, email="d@example.org", name="D", role="drafter", password=PASSWORD
        )
        session.flush()
        token = accounts.issue_token(session, user)
        instrument = meetings.create_instrument(session, slug="b", title="B", actor=None)
        meetings.create_meeting(
            session, instrument, title="M", kind="plenary", on=date(2026, 1, 1), actor=None
        )
        version = versions.add_provision(
            session,
            instrument,
            after_provision_id=None,
            number="Article 1",
            heading="",
            kind="article",
            text=text,
            author=None,
            max_chars=10**6,
        )
        session.commit()
        pid, vid = version.provision_id, version.id

        workers = _children(master)
        before = _rss_mb(workers)
        exact = text[: limits.EXACT]
        comment = {
            "version_id": vid,
            "start": 0,
            "end": len(exact),
            "exact": exact,
            "body": "b" * limits.COMMENT_BODY,
        }
        comments_url = f"{base}/api/v1/provisions/{pid}/comments"
        versions_url = f"{base}/api/v1/provisions/{pid}/versions"
        made = _all_at_once(lambda i: _post(comments_url, token, comment))
        too_big = _all_at_once(
            lambda i: _post(comments_url, token, {**comment, "body": "x" * 3_000_000})
        )
        edits = _all_at_once(
            lambda i: _post(
                versions_url,
                token,
                {
                    "base_version_id": vid,
                    "text": f"Edit {i}. " + text[len(f"Edit {i}. ") :],
                    "message": "m" * 500,
                },
            )
        )
        after = _rss_mb(workers)

    assert made == [201] * N
    assert too_big == [413] * N
    assert all(status in (201, 409) for status in edits), edits
    assert 201 in edits
    assert after - before < MEMORY_BOUND_MB, (before, after)
