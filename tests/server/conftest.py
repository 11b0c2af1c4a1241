"""A real gunicorn server (several workers, several threads) on the test database, for tests
that need true concurrency: separate processes, separate database connections."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running_gunicorn(
    app,
    tmp_path,
    *,
    workers: int = 4,
    threads: int = 2,
    timeout: int | None = None,
    **settings: str,
):
    """A gunicorn on the test database until the block ends: yields (base URL, master pid).

    `settings` become environment variables of the server (e.g. PROXY_FIX="1"). After the
    server stops, its log must hold no traceback: a 500 anywhere fails the test."""
    port = free_port()
    log = open(tmp_path / "gunicorn.log", "w")  # noqa: SIM115 - closed after the server stops
    env = {
        **os.environ,
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": "server-test-key",
        **settings,
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--bind",
        f"127.0.0.1:{port}",
    ]
    if timeout is not None:
        command += ["--timeout", str(timeout)]
    proc = subprocess.Popen(
        [*command, "wsgi:app"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/auth/login", timeout=1)  # noqa: S310 - local test
            break
        except OSError:
            if proc.poll() is not None:
                log.close()
                pytest.fail("gunicorn exited: " + (tmp_path / "gunicorn.log").read_text()[-2000:])
            time.sleep(0.1)
    try:
        yield base, proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
    errors = (tmp_path / "gunicorn.log").read_text()
    assert "Traceback" not in errors, errors[-4000:]


@pytest.fixture
def gunicorn(app, tmp_path):
    with running_gunicorn(app, tmp_path) as (base, _):
        yield base
