"""Browser tests: a live server on the test database, a real Chromium driven by Playwright.

A live server answers from another thread with its own sessions, so it cannot see the
rolled-back `db_session` of the other tests. Data for it is committed for real through `seed`,
and every table is emptied after each test, so the rest of the suite still starts from an empty
database. Never run `playwright install` here: Chromium comes from the system (Debian package).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from werkzeug.serving import make_server

from redline.extensions import db
from redline.services import accounts
from tests.conftest import PASSWORD, ROLES
from tests.live import wipe

T = TypeVar("T")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def chromium_path() -> str | None:
    """CHROMIUM_PATH, else Debian's binary (the /usr/bin wrapper only adds a shell warning)."""
    candidates = [
        os.environ.get("CHROMIUM_PATH"),
        "/usr/lib/chromium/chromium",
        "/usr/bin/chromium",
    ]
    return next((c for c in candidates if c and Path(c).exists()), None)


@pytest.fixture(scope="session")
def live_server(app) -> Iterator[str]:
    """The app served on a free port in a background thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run (skipped, saying why, when there is none)."""
    executable = chromium_path()
    if executable is None:
        pytest.skip("Chromium not found: install the chromium package or set CHROMIUM_PATH")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) per test; console errors are collected, since a
    Content-Security-Policy violation only shows up there."""
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.console_errors = []  # type: ignore[attr-defined]

    def on_console(msg) -> None:
        # Browsers ask for /favicon.ico on their own; the app has none, which is no error of ours.
        if msg.type == "error" and not msg.location.get("url", "").endswith("/favicon.ico"):
            page.console_errors.append(msg.text)  # type: ignore[attr-defined]

    page.on("console", on_console)
    page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))  # type: ignore[attr-defined]
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def seed(app) -> Iterator[Callable[[Callable[..., T]], T]]:
    """`seed(build)` runs `build(session)` and commits for real, so the live server sees it.
    `build` should return plain values (ids, titles): its objects expire with the commit.
    Everything is deleted again after the test."""

    def run(build: Callable[..., T]) -> T:
        with app.app_context():
            result = build(db.session)
            db.session.commit()
            db.session.remove()
            return result

    try:
        yield run
    finally:
        wipe(app)


@pytest.fixture
def seed_users(seed) -> dict[str, int]:
    """One account per role of tests/conftest.py (same e-mails and password); returns ids."""

    def build(session):
        made = {
            k: accounts.create_user(session, password=PASSWORD, **spec) for k, spec in ROLES.items()
        }
        session.flush()
        return {k: u.id for k, u in made.items()}

    return seed(build)


def login(page, who: str = "drafter") -> None:
    """Sign in through the real form (CSRF token and all)."""
    page.goto("/auth/login")
    page.fill("input[name=email]", ROLES[who]["email"])
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/instruments")


def screenshot(page, name: str, full_page: bool = True) -> Path:
    """A PNG under test-artifacts/ (gitignored), for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=full_page)
    return path


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):  # noqa: ARG001 - pytest's hook signature
    """When a test that uses the `page` fixture fails, keep a full-page screenshot of what the
    browser showed, as test-artifacts/<test-name>.png (before the page's context is closed)."""
    outcome = yield
    report = outcome.get_result()
    page = item.funcargs.get("page") if hasattr(item, "funcargs") else None
    if report.failed and report.when == "call" and page is not None:
        name = re.sub(r"[^A-Za-z0-9_.-]+", "-", item.name).strip("-")
        try:
            path = screenshot(page, f"{name}.png")
        except Exception as exc:  # a closed or crashed page: the failure itself matters more
            report.sections.append(("screenshot", f"no screenshot: {exc}"))
        else:
            report.sections.append(("screenshot", str(path)))
