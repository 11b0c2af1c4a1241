"""Jinja filters and globals shared by every page."""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask

from redline.models import (
    CATEGORY_LABELS,
    DISPOSITION_LABELS,
    MEETING_KIND_LABELS,
)


def when(value: datetime | date | None) -> str:
    """'2026-11-28 20:31 UTC': drafters sit in many time zones, so say which one."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    return value.isoformat()


def _request_cache() -> dict:
    """Histories shown during this request: a margin names the version of many comments, and
    each provision's history is worked out once. Kept in the request's environ, not in `g`: an
    application context can outlive a request (tests, CLI) and a cache there could hand one
    reader's view to the next."""
    from flask import has_request_context, request

    if not has_request_context():
        return {}
    return request.environ.setdefault("redline.shown_histories", {})


def shown_version(version):
    """The version as the signed-in reader may see it (services.published decides), or None if
    they may not see it at all (the template then names no meeting)."""
    from flask_login import current_user

    from redline.extensions import db
    from redline.services import published
    from redline.services.errors import NotFound

    try:
        return published.shown_version(db.session, current_user, version, _request_cache())
    except NotFound:
        return None


def shown_versions(versions):
    """A list of versions as the signed-in reader may see them, in one pass."""
    from flask_login import current_user

    from redline.extensions import db
    from redline.services import published

    return published.shown_versions(db.session, current_user, versions, _request_cache())


def can():
    """The access policy as the signed-in reader's templates ask it (services.policy.Can)."""
    from flask_login import current_user

    from redline.services.policy import Can

    return Can(current_user)


def unread_notifications() -> int:
    """The header's unread count (asked only by pages that show the header)."""
    from flask_login import current_user

    from redline.extensions import db
    from redline.services.notifications import unread_count

    if not getattr(current_user, "is_authenticated", False):
        return 0
    return unread_count(db.session, current_user.id)


def init_templating(app: Flask) -> None:
    app.jinja_env.filters["when"] = when
    from redline.web import bracket_markup, notes_markup

    notes_markup.init_app(app)
    bracket_markup.init_app(app)
    app.jinja_env.globals.update(
        CATEGORY_LABELS=CATEGORY_LABELS,
        DISPOSITION_LABELS=DISPOSITION_LABELS,
        MEETING_KIND_LABELS=MEETING_KIND_LABELS,
        shown_version=shown_version,
        shown_versions=shown_versions,
    )
    # One `can` per rendered template: `{% if can.decide(comment) %}`.
    app.context_processor(lambda: {"can": can(), "unread_notifications": unread_notifications})
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
