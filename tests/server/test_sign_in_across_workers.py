"""Sign-in rules hold across gunicorn workers: failures counted by one worker throttle the
client at every other, a client that has not failed still signs in, and a session ended at one
worker is refused by all (the state is in the database, not in a worker's memory)."""

from __future__ import annotations

import http.cookiejar
import json
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from redline.services import accounts
from tests.conftest import PASSWORD
from tests.live import committed
from tests.server.conftest import running_gunicorn

EMAIL = "sec@example.org"


@pytest.fixture
def behind_proxy(app, tmp_path):
    """gunicorn with 4 single-threaded workers behind one trusted proxy, so each request can
    say which client it comes from (X-Forwarded-For)."""
    with running_gunicorn(app, tmp_path, threads=1, PROXY_FIX="1", LOGIN_MAX_FAILURES="10") as (
        base,
        _,
    ):
        yield base


def _token(base: str, client: str, password: str) -> int:
    req = urllib.request.Request(
        f"{base}/api/v1/auth/token",
        data=json.dumps({"email": EMAIL, "password": password}).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "X-Forwarded-For": client},
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as r:  # noqa: S310 - local test
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _browser(jar):
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect())


def _status(opener, url: str, data: dict | None = None) -> int:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with opener.open(url, data=body, timeout=30) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


@pytest.mark.slow
def test_throttling_and_session_ends_hold_across_workers(app, behind_proxy):
    base = behind_proxy
    with committed(app) as session:
        accounts.HASH_METHOD = "pbkdf2:sha256:1000"
        accounts.create_user(
            session, email=EMAIL, name="Sec", role="secretariat", password=PASSWORD
        )
        session.commit()

        # Ten failures from client A land on whichever workers; the eleventh attempt is refused
        # everywhere, even with the right password. Client B signs in at once.
        codes = [_token(base, "198.51.100.1", "wrong password") for _ in range(10)]
        assert codes == [401] * 10
        assert {_token(base, "198.51.100.1", PASSWORD) for _ in range(4)} == {429}
        assert _token(base, "198.51.100.2", PASSWORD) == 201

        # A browser signs in; a copy of its cookies reads pages until it signs out, then no
        # worker lets the copy in.
        jar = http.cookiejar.CookieJar()
        browser = _browser(jar)
        page = browser.open(f"{base}/auth/login", timeout=30).read().decode()
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        signed = _status(
            browser,
            f"{base}/auth/login",
            {"email": EMAIL, "password": PASSWORD, "csrf_token": csrf, "remember": "on"},
        )
        assert signed == 302
        copy_jar = http.cookiejar.CookieJar()
        for cookie in jar:
            copy_jar.set_cookie(cookie)
        copy = _browser(copy_jar)
        assert {_status(copy, f"{base}/accounts/") for _ in range(4)} == {200}
        page = browser.open(f"{base}/instruments", timeout=30).read().decode()
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        assert _status(browser, f"{base}/auth/logout", {"csrf_token": csrf}) == 302
        assert {_status(copy, f"{base}/accounts/") for _ in range(8)} == {302}
